"""The words a reader reads, in reading order, each with where it came from.

Works on a full topic (filtering by audience and resolving per-audience wording
as it goes, so every piece keeps its location in the YAML file) and on a topic
already selected for an edition (where the filtering is a no-op). Readability
and the plain-language gates both read text through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..content.model import (
    BLANK_RE,
    QUESTION_LISTS,
    Bullets,
    FigureBlock,
    FormBlock,
    Limited,
    Paragraph,
    Steps,
    TableBlock,
    Topic,
    Variants,
    WriteInBlock,
    entries_of,
)


@dataclass(frozen=True)
class Piece:
    loc: tuple  # field path in the topic file, as the YAML spells it
    text: str
    role: str  # title, summary, heading, paragraph, item, cell, caption, tip, red-flag, question, meaning


def reading_order(topic: Topic, audience: str | None = None) -> Iterator[Piece]:
    """Every piece of prose the audience reads, in the order the handout prints it.

    With no audience, the topic is taken as already selected: nothing is filtered.
    """
    reader = _Reader(audience)
    yield from reader.text(("title",), topic.title, "title")
    yield from reader.text(("summary",), topic.summary, "summary")
    figures = {f.id: (i, f) for i, f in enumerate(topic.figures) if reader.sees(f)}
    # Urgent sections print first (what to do right now), so they are read first too.
    ordered = sorted(enumerate(topic.sections), key=lambda pair: not pair[1].urgent)
    for s, section in ordered:
        if not reader.sees(section):
            continue
        loc = ("sections", s)
        yield from reader.text(loc + ("title",), section.title, "heading")
        for b, block in enumerate(section.blocks):
            if reader.sees(block):
                yield from reader.block(loc + ("blocks", b), block, figures)
    for i, tip in enumerate(topic.tips):
        if reader.sees(tip):
            yield from reader.text(("tips", i, "text"), tip.text, "tip")
    for i, flag in enumerate(topic.red_flags):
        if reader.sees(flag):
            yield from reader.text(("red_flags", i, "sign"), flag.sign, "red-flag")
            yield from reader.text(("red_flags", i, "action"), flag.action, "red-flag")
    for name, spec in QUESTION_LISTS.items():
        if audience is None or audience in spec.audiences:
            for i, question in enumerate(getattr(topic, name)):
                if reader.sees(question):
                    yield from reader.item((name, i), question, "question")
    # A word list for words the reader never meets is noise: only terms the edition's text uses are read.
    text = "\n".join(reader.said)
    for i, term in enumerate(topic.glossary):
        if reader.sees(term) and uses_term(text, term.term):
            yield from reader.text(("glossary", i, "meaning"), term.meaning, "meaning")


def uses_term(text: str, term: str) -> bool:
    """The term, or its plural, as whole words (any case)."""
    return re.search(rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])", text, re.IGNORECASE) is not None


class _Reader:
    def __init__(self, audience: str | None):
        self.audience = audience
        self.said: list[str] = []  # every text read so far

    def sees(self, item: Any) -> bool:
        """Selection's rule (editions/select.py), read in place so locations stay those of the YAML file."""
        if self.audience is None:
            return True
        if isinstance(item, Limited) and not item.shown_to(self.audience):
            return False
        entries = entries_of(item)
        return entries is None or any(self.sees(entry) for entry in entries)

    def text(self, loc: tuple, value: Any, role: str) -> Iterator[Piece]:
        if isinstance(value, Variants):
            key = value.key_for(self.audience) if self.audience else "default"
            loc, value = loc + (key,), getattr(value, key)
        if isinstance(value, str) and value.strip():
            self.said.append(value)
            yield Piece(loc, " ".join(value.split()), role)

    def item(self, loc: tuple, item: Any, role: str) -> Iterator[Piece]:
        """A list entry: a bare Text, or a mapping with `text`."""
        if hasattr(item, "text") and not isinstance(item, Variants):
            if self.sees(item):
                yield from self.text(loc + ("text",), item.text, role)
        else:
            yield from self.text(loc, item, role)

    def block(self, loc: tuple, block: Any, figures: dict) -> Iterator[Piece]:
        if isinstance(block, Paragraph):
            yield from self.text(loc + ("paragraph",), block.paragraph, "paragraph")
        elif isinstance(block, (Bullets, Steps)):
            name = "bullets" if isinstance(block, Bullets) else "steps"
            yield from self.text(loc + ("intro",), block.intro, "paragraph")
            for i, entry in enumerate(getattr(block, name)):
                yield from self.item(loc + (name, i), entry, "item")
        elif isinstance(block, TableBlock):
            table, tloc = block.table, loc + ("table",)
            yield from self.text(tloc + ("caption",), table.caption, "caption")
            for i, cell in enumerate(table.header):
                yield from self.text(tloc + ("header", i), cell, "cell")
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row):
                    yield from self.text(tloc + ("rows", r, c), cell, "cell")
        elif isinstance(block, FormBlock):
            form, floc = block.form, loc + ("form",)
            yield from self.text(floc + ("caption",), form.caption, "caption")
            for i, cell in enumerate(form.columns):
                yield from self.text(floc + ("columns", i), cell, "cell")
            yield from self.text(floc + ("note",), form.note, "paragraph")
        elif isinstance(block, WriteInBlock):
            box, wloc = block.write_in, loc + ("write_in",)
            yield from self.text(wloc + ("title",), box.title, "caption")
            for i, line in enumerate(box.lines):  # read without the blanks: the reader's own words go there
                for piece in self.text(wloc + ("lines", i), line, "cell"):
                    yield Piece(piece.loc, " ".join(BLANK_RE.sub(" ", piece.text).split()), piece.role)
            yield from self.text(wloc + ("note",), box.note, "paragraph")
        elif isinstance(block, FigureBlock) and block.figure in figures:
            index, figure = figures[block.figure]
            yield from self.text(("figures", index, "caption"), figure.caption, "caption")
