"""Every text of a loaded file, with its location, and the scaffold's placeholders.

`build.py new` writes a topic whose lines say what to write ("Write one thing you
should know."). Such a line must never reach a handout or a deck, so each one is
an error until the author replaces it. Only the exact lines the scaffold writes
are refused (compared without case, spacing or end punctuation): real content
may well start with "Write" ("Write down your questions").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from ..errors import Problem, quote
from .source import Document

PLACEHOLDERS = (  # what scaffold.TEMPLATE writes; tests/test_hardening*.py check the two agree, both ways
    "FIRST-word",
    "Tell the reader the main point in one or two short lines.",
    "Say what it is. Use short words. Talk to the reader as you.",
    "Write one thing you should know.",
    "Write one more thing you should know.",
    "Say what is not known yet, if that is true for you.",
    "Write a tip that helps you day to day.",
    "Write a sign that you need help fast.",
    "Write the first thing to do, starting with a verb.",
    "Write the next thing to do.",
    "Say what the picture shows.",
    "Write a question a student should answer.",
    "Write the answer.",
    "Write the page's title",
    "Write who published it",
    "Copy the source's words that say this.",
)


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".!?:;").casefold()


PLACEHOLDER_KEYS = frozenset(normal(p) for p in PLACEHOLDERS)
LONGEST = 2 * max(map(len, PLACEHOLDERS))  # longer text is not one of them, however it is spaced


def strings_of(obj: object, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(location as the YAML spells it, text) for every string inside a model object."""
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            yield from strings_of(getattr(obj, name), loc + (info.alias or name,))
    elif isinstance(obj, (list, tuple)):
        for index, item in enumerate(obj):
            yield from strings_of(item, loc + (index,))
    elif isinstance(obj, dict):  # named entries (facts): the name is part of the location
        for key, item in obj.items():
            yield from strings_of(item, loc + (key,))
    elif isinstance(obj, str):
        yield loc, obj


def placeholder_problems(model: BaseModel, doc: Document) -> list[Problem]:
    return [
        doc.problem(
            loc,
            f"expected your own words, found the placeholder {quote(text)} that 'build.py new' "
            "wrote; replace it before building",
        )
        for loc, text in strings_of(model)
        if len(text) <= LONGEST and normal(text) in PLACEHOLDER_KEYS
    ]
