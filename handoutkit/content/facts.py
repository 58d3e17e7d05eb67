"""Named facts put into the texts that use them: `[[bp-check-home]]` becomes "every 5 minutes".

Done once, after the topic is checked, so every edition, the wallet card and the
deck print the same words. A text that uses a fact with per-audience wording
gets per-audience wording itself (where its field allows; a field of one plain
string takes the fact's default). The statement that uses a fact also cites the
fact's sources, so its printed citation names them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from .model import AUDIENCES, Cite, Fact, Topic, Variants, wording_for
from .numbers import FACT_REF


def resolve_facts(topic: Topic) -> Topic:
    if not topic.facts:
        return topic
    resolved, _used = resolve(topic, topic.facts, variants_ok=False)
    return resolved


def resolve(value: Any, facts: dict[str, Fact], variants_ok: bool) -> tuple[Any, list[str]]:
    """(value with facts put in, the names used); unchanged parts come back as they are."""
    if isinstance(value, str):
        return put_in(value, facts, variants_ok)
    if isinstance(value, Variants):
        return resolve_variants(value, facts)
    if isinstance(value, list):
        results = [resolve(item, facts, variants_ok) for item in value]
        used = [name for _, names in results for name in names]
        changed = any(new is not old for (new, _), old in zip(results, value))
        return ([item for item, _ in results] if changed else value), used
    if isinstance(value, BaseModel) and not isinstance(value, Fact):
        return resolve_model(value, facts)
    return value, []


def resolve_model(model: BaseModel, facts: dict[str, Fact]) -> tuple[BaseModel, list[str]]:
    updates, used = {}, []
    for name in type(model).model_fields:
        old = getattr(model, name)
        new, names = resolve(old, facts, takes_variants(type(model), name))
        used += names
        if new is not old:
            updates[name] = new
    if not updates:
        return model, []
    if used and "cites" in type(model).model_fields:  # the statement cites what its facts rest on; used up here
        updates["cites"] = merged_cites(model.cites, [c for name in dict.fromkeys(used) for c in facts[name].cites])
        used = []
    return model.model_copy(update=updates), used


def merged_cites(own: list[Cite], added: list[Cite]) -> list[Cite]:
    return own + [c for c in added if c not in own]


def put_in(text: str, facts: dict[str, Fact], variants_ok: bool) -> tuple[Any, list[str]]:
    names = [m.group(1) for m in FACT_REF.finditer(text)]
    if not names:
        return text, []
    wordings = {a: FACT_REF.sub(lambda m, a=a: wording(facts[m.group(1)], a), text) for a in ("default", *AUDIENCES)}
    if not variants_ok or len(set(wordings.values())) == 1:
        return wordings["default"], names
    return Variants(**{a: w for a, w in wordings.items() if a == "default" or w != wordings["default"]}), names


def resolve_variants(text: Variants, facts: dict[str, Fact]) -> tuple[Any, list[str]]:
    names = [m.group(1) for a in ("default", *AUDIENCES) for m in FACT_REF.finditer(getattr(text, a) or "")]
    if not names:
        return text, []
    words = {}
    for audience in ("default", *AUDIENCES):
        own = getattr(text, audience)
        if own is not None or any_variant(facts, names, audience):
            base = own if own is not None else text.default
            words[audience] = FACT_REF.sub(lambda m, a=audience: wording(facts[m.group(1)], a), base)
    return Variants(**words), names


def any_variant(facts: dict[str, Fact], names: list[str], audience: str) -> bool:
    return any(isinstance(facts[n].text, Variants) and getattr(facts[n].text, audience) for n in names)


def wording(fact: Fact, audience: str) -> str:
    return (
        fact.text.default
        if audience == "default" and isinstance(fact.text, Variants)
        else wording_for(fact.text, audience)
    )


@cache
def takes_variants(model: type[BaseModel], field: str) -> bool:
    """Whether the field's type allows per-audience wording (a Text), not only one string (a Line)."""
    return "Variants" in repr(model.model_fields[field].annotation)
