"""A note before it has a GUID and a modification time: what it says, and where it came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content.config import Deck
from ..content.model import Cite, Topic, source_ids
from ..content.source import Document
from ..editions.select import resolve
from ..errors import Problem
from . import markup
from .media import MediaFile

CORE, VOCAB = "core", "vocab"  # what a note teaches: the clinical content, or how to say and read a word


@dataclass(frozen=True)
class NoteSpec:
    kind: str  # title, glossary, item, step, figure, card, tip, red-flag
    uid: str  # topic/audience/kind/item: stable, never from position
    notetype: str  # a key of notetypes.NOTETYPES
    fields: dict[str, str]  # field name -> HTML
    tags: tuple[str, ...]
    loc: tuple  # where the note's content is in the topic file, for messages
    label: str  # a few plain words saying what the note asks, for the lock and change lists
    deck_id: int  # the Anki deck its cards go to: the deck itself, even in a course deck (see order.py)
    group: str = CORE
    previous_ids: tuple[str, ...] = ()  # earlier item ids: the note of a renamed item keeps its GUID
    explicit_id: bool = True  # False when the item id was derived from its words
    media: tuple[MediaFile, ...] = ()
    section: str | None = None  # the handout section (or box) it comes from, for the deck's learning order

    @property
    def topic_id(self) -> str:
        return self.uid.split("/", 1)[0]

    @property
    def item(self) -> str:
        return self.uid.rsplit("/", 1)[1]

    def uid_for(self, item_id: str) -> str:
        """This note's UID had its item been called item_id (for previous_ids)."""
        topic, audience, kind, _ = self.uid.split("/", 3)
        return f"{topic}/{audience}/{kind}/{item_id}"


@dataclass(frozen=True)
class Place:
    """Where in the handout a note comes from: the section id and its heading."""

    id: str
    title: str


# The boxes around the sections, named as the handout heads them.
PRONUNCIATION = Place("pronunciation", "How to say it")
GLOSSARY = Place("glossary", "Words to know")
TIPS = Place("tips", "What nobody tells you")
RED_FLAGS = Place("red-flags", "Get help right away")


@dataclass
class NoteMaker:
    """Fills in what every note of one topic carries: source, handout, section, UID, tags, deck."""

    topic: Topic  # as written (unselected): notes resolve the deck audience's wording themselves
    deck: Deck
    doc: Document  # the topic file, for the line and column of a problem
    base: Path  # figure paths are relative to this folder
    draw: object = None  # renders a drawn figure to SVG bytes (see build.build_deck)
    notes: list[NoteSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def audience(self) -> str:
        return self.deck.audience

    def wants(self, generator: str) -> bool:
        return generator in self.deck.include

    def text(self, value) -> str:
        return resolve(value, self.audience)

    def add(
        self,
        kind: str,
        item: str,
        notetype: str,
        fields: dict[str, str],
        cites: list[Cite],
        place: Place | None,
        *,
        loc: tuple,
        label: str,
        group: str = CORE,
        tags: tuple[str, ...] | list[str] = (),
        previous_ids: tuple[str, ...] | list[str] = (),
        explicit_id: bool = True,
        media: tuple[MediaFile, ...] = (),
    ) -> None:
        uid = f"{self.topic.id}/{self.audience}/{kind}/{item}"
        fields = fields | {
            "Source": self.source_line(cites),
            "Handout": markup.escape(self.topic.title),
            "Section": markup.escape(place.title) if place else "",
            "UID": markup.escape(uid),
        }
        # Every card goes to the deck itself, never a topic subdeck: Anki gathers new cards deck by
        # deck in name order, so only one deck keeps the teaching order whatever the topics are called.
        self.notes.append(
            NoteSpec(
                kind,
                uid,
                notetype,
                fields,
                self.tags(kind, place, tags),
                loc,
                short(label),
                self.deck.deck_id,
                group,
                tuple(previous_ids),
                explicit_id,
                media,
                place.id if place else None,
            )
        )

    def problem(self, loc: tuple, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message))

    def source_line(self, cites: list[Cite]) -> str:
        """The cited sources; a note citing none names the handout's sources."""
        by_id = {s.id: s for s in self.topic.sources}
        chosen = [by_id[i] for i in source_ids(cites)] or self.topic.sources
        return markup.source_line(chosen)

    def extra(self, why, cites: list[Cite]) -> str:
        """The Extra field, revealed on the back: the author's why, then the sources' own words."""
        by_id = {s.id: s for s in self.topic.sources}
        parts = [markup.element("p", markup.escape(self.text(why)), "hk-why")] if why else []
        for cite in dict.fromkeys(c for c in cites if c.quote):
            where = ", ".join(
                x for x in (by_id[cite.source].publisher if cite.source in by_id else "", cite.where) if x
            )
            parts.append(
                markup.element(
                    "p",
                    f"\u201c{markup.escape(cite.quote)}\u201d"
                    + (" " + markup.element("span", markup.escape(where), "hk-cited") if where else ""),
                    "hk-quote",
                )
            )
        return "".join(parts)

    def tags(self, kind: str, place: Place | None, extra: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Every tag under the deck's root, topic first, so a student's tag tree stays one branch per deck."""
        root = self.deck.root_tag
        prefix = self.deck.topic_prefix(self.topic.id)
        tags = [f"{prefix}::kind::{kind}"]
        if place:
            tags.append(f"{prefix}::section::{place.id}")
        tags += [f"{root}::{tag}" for tag in self.deck.tags] + [f"{prefix}::{tag}" for tag in extra]
        return tuple(dict.fromkeys(tags))

    def section_place(self, section_id: str | None) -> Place | None:
        """A section's heading as this audience reads it, even if the section is not shown to them."""
        for section in self.topic.sections:
            if section.id == section_id:
                return Place(section.id, self.text(section.title))
        return None


def slug(text: str, max_length: int = 48) -> str:
    """'Range of motion' -> 'range-of-motion'; accents folded, cut at a word, for ids made from words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-").split("-")
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > max_length:
            break
        out = f"{out}-{word}" if out else word
    return out[:max_length].strip("-")


def short(text: str, limit: int = 90) -> str:
    """One line of plain text for the lock and change lists (labels are plain text: 'X-ray & <scan>' stays)."""
    plain = " ".join(text.split())
    return plain if len(plain) <= limit else plain[: limit - 3].rstrip() + "..."
