"""Edition selection: what one audience sees of a topic.

A pure function of (topic, audience): per-audience wording is resolved to a
plain string, items limited to other audiences are dropped, and anything left
empty by that (a list block, a section, a figure reference) goes too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..content.library import Library
from ..content.model import QUESTION_LISTS, FigureBlock, Limited, Section, Topic, Variants, entries_of
from .prose import reading_order


def select_edition(topic: Topic, audience: str) -> Topic:
    """The topic as `audience` sees it; every Text field becomes a str."""
    selected = resolve(topic, audience)
    kept_from = {name: [] for name, spec in QUESTION_LISTS.items() if audience not in spec.audiences}
    selected = selected.model_copy(update=kept_from) if kept_from else selected
    shown_figures = {f.id for f in selected.figures}
    sections = [drop_missing_figures(s, shown_figures) for s in selected.sections]
    selected = selected.model_copy(update={"sections": [s for s in sections if s.blocks]})
    return selected.model_copy(update={"glossary": used_terms(selected)})


def used_terms(topic: Topic) -> list:
    """The glossary terms the edition's own text uses (reading_order decides which)."""
    read = {p.loc[1] for p in reading_order(topic) if p.role == "meaning"}
    return [g for i, g in enumerate(topic.glossary) if i in read]


def resolve(value: Any, audience: str) -> Any:
    """`value` for `audience`; parts with nothing to resolve come back as they are, not copied."""
    if isinstance(value, str):
        return value
    if isinstance(value, Variants):
        return value.for_audience(audience)
    if isinstance(value, BaseModel):
        updates = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = resolve(old, audience)
            if new is not old:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list):
        kept = (resolve(item, audience) for item in value if is_for(item, audience))
        resolved = [item for item in kept if not is_emptied(item)]
        same = len(resolved) == len(value) and all(a is b for a, b in zip(resolved, value))
        return value if same else resolved
    return value


def is_for(item: Any, audience: str) -> bool:
    return not isinstance(item, Limited) or item.shown_to(audience)


def is_emptied(item: Any) -> bool:
    """A list block or section whose every entry was for someone else."""
    return entries_of(item) == []


def drop_missing_figures(section: Section, shown: set[str]) -> Section:
    blocks = [b for b in section.blocks if not (isinstance(b, FigureBlock) and b.figure not in shown)]
    return section.model_copy(update={"blocks": blocks})


def text_of(value: Any) -> str:
    """Plain text of a selected Text or list item (a str or an Item)."""
    return value if isinstance(value, str) else value.text


def view_of(library: Library, topic_id: str, audience: str) -> Topic:
    """The topic as one audience sees it; selected once per build, shared by every user."""
    key = (topic_id, "view", audience)
    if key not in library.derived:
        library.derived[key] = select_edition(library.topics[topic_id], audience)
    return library.derived[key]
