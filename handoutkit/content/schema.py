"""The JSON Schema of the handout format, for editors that validate YAML as you type."""

from __future__ import annotations

import json

from .model import Topic


def handout_schema() -> dict:
    schema = Topic.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Handout topic"
    return schema


def handout_schema_json() -> str:
    return json.dumps(handout_schema(), indent=2, sort_keys=True) + "\n"
