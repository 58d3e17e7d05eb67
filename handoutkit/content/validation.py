"""Validate plain YAML data against a model, turning pydantic's errors into
messages an author can act on: where, which field, expected what, found what."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from ..errors import Problem, quote
from .model import BLOCK_KINDS
from .source import Document

M = typing.TypeVar("M", bound=BaseModel)


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [to_problem(doc, model, error) for error in exc.errors()]


def to_problem(doc: Document, model: type[BaseModel], error: dict) -> Problem:
    raw_loc = tuple(error["loc"])
    loc = tuple(p for p in raw_loc if not (isinstance(p, str) and p.startswith("~")))
    kind = error["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = field_names(owner_of(model, raw_loc))
        return doc.problem(loc, f"unknown field {quote(key)}; {suggest(key, allowed)}", at_key=True)
    if kind == "missing":
        return doc.problem(loc, "required field is missing")
    return doc.problem(loc, explain(kind, error))


def explain(kind: str, error: dict) -> str:
    found = describe(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "block_kind":
        keys = list(error["input"]) if isinstance(error["input"], dict) else []
        unknown = [k for k in keys if k not in BLOCK_KINDS]
        hint = next((suggest(k, list(BLOCK_KINDS)) for k in unknown if close(k, list(BLOCK_KINDS))), "")
        return f"{error['msg']}, found {describe_keys(keys, found)}" + (f"; {hint}" if hint else "")
    if kind == "literal_error":
        options = [o.strip(" '") for o in ctx["expected"].replace(" or ", ", ").split(",")]
        message = f"expected one of {', '.join(options)}; found {found}"
        if isinstance(error.get("input"), str) and close(error["input"], options):
            message += f"; {suggest(error['input'], options)}"
        return message
    if kind == "string_too_short" or (kind == "too_short" and error.get("input") in ("", None)):
        return f"expected text, found {found}"
    if kind == "too_short":
        wanted = ctx.get("min_length", 1)
        found = len(error["input"]) or "an empty list"
        return f"expected at least {wanted} item{'s' if wanted != 1 else ''}, found {found}"
    if kind == "string_pattern_mismatch":
        return f"expected a language code like 'en' or 'en-US', found {found}"
    for prefix, expected in EXPECTED_BY_KIND:
        if kind.startswith(prefix):
            return f"expected {expected}, found {found}"
    if kind in ("greater_than_equal", "greater_than", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()))
        sign = {"greater_than_equal": ">=", "greater_than": ">", "less_than": "<", "less_than_equal": "<="}[kind]
        return f"expected a number {sign} {bound:g}, found {found}"
    return f"{error['msg']}; found {found}"


EXPECTED_BY_KIND = (
    ("string_", "text"),
    ("list_", "a list"),
    ("model_", "a mapping of fields"),
    ("dict_", "a mapping of fields"),
    ("date_", "a date like 2026-01-31"),
    ("int_", "a whole number"),
    ("float_", "a number"),
    ("bool_", "true or false"),
)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (quote it if you meant text)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        if not value.strip():
            return "an empty value"
        return quote(value, 37) if len(value) > 40 else quote(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def describe_keys(keys: list[str], found: str) -> str:
    if not keys:
        return found
    return "the keys " + ", ".join(keys) if len(keys) > 1 else f"the key '{keys[0]}'"


def close(word: str, options: list[str]) -> list[str]:
    return difflib.get_close_matches(word, options, n=1, cutoff=0.7)


def suggest(word: str, options: list[str]) -> str:
    match = close(word, options)
    if match:
        return f"did you mean '{match[0]}'?"
    return "expected one of " + ", ".join(sorted(options))


# ----- finding the model that owns a location, for "did you mean" ---------------


def owner_of(model: type[BaseModel], raw_loc: tuple) -> type[BaseModel] | None:
    """The model class whose field list applies to the last key of raw_loc."""
    candidates: list[tuple[str | None, type[BaseModel]]] = [(None, model)]
    for part in raw_loc[:-1]:
        if isinstance(part, int):
            continue
        if part.startswith("~"):
            candidates = [(tag, cls) for tag, cls in candidates if tag == part] or candidates
            continue
        found = []
        for _, cls in candidates:
            info = field_by_alias(cls, part)
            if info is not None:
                found.extend(models_in(info.annotation, info.metadata))
        candidates = found
    models = [cls for _, cls in candidates]
    return models[0] if len(models) == 1 else (models[0] if models else None)


def field_by_alias(cls: type[BaseModel], name: str):
    for field_name, info in cls.model_fields.items():
        if (info.alias or field_name) == name:
            return info
    return None


def models_in(tp: Any, metadata: list | None = None, tag: str | None = None) -> list[tuple[str | None, type]]:
    """Every (tag, model class) reachable in a type through lists, unions and Annotated."""
    for meta in metadata or ():
        if isinstance(meta, Tag):
            tag = meta.tag
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [(tag, tp)]
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(tp)
        return models_in(base, extra, tag)
    found = []
    for arg in typing.get_args(tp):
        found.extend(models_in(arg, None, tag if origin is not typing.Union else None))
    return found


def field_names(cls: type[BaseModel] | None) -> list[str]:
    if cls is None:
        return []
    return [info.alias or name for name, info in cls.model_fields.items()]
