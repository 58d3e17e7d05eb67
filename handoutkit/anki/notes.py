"""A note before it has a modification time: what it says, and where it came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import Topic
from ..editions.select import resolve
from . import markup
from .media import MediaFile


@dataclass(frozen=True)
class NoteSpec:
    kind: str  # title, glossary, list, figure, card, tip, red-flag
    uid: str  # topic/audience/kind/item: stable, never from the text
    notetype: str  # a key of notetypes.NOTETYPES
    fields: dict[str, str]  # field name -> HTML
    tags: tuple[str, ...]
    media: tuple[MediaFile, ...] = ()


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
    """Fills in what every note of one topic carries: source, handout, section, UID, tags."""

    topic: Topic  # selected for the audience
    unselected: Topic
    audience: str
    deck_tags: list[str]
    base: Path  # figure paths are relative to this folder
    notes: list[NoteSpec] = field(default_factory=list)

    def add(
        self,
        kind: str,
        item: str,
        notetype: str,
        fields: dict[str, str],
        cites: list[str],
        place: Place | None,
        tags: tuple[str, ...] | list[str] = (),
        media: tuple[MediaFile, ...] = (),
    ) -> None:
        uid = f"{self.topic.id}/{self.audience}/{kind}/{item}"
        fields = fields | {
            "Source": self.source_line(cites),
            "Handout": markup.escape(self.topic.title),
            "Section": markup.escape(place.title) if place else "",
            "UID": markup.escape(uid),
        }
        self.notes.append(NoteSpec(kind, uid, notetype, fields, self.tags(kind, place, tags), media))

    def source_line(self, cites: list[str]) -> str:
        """The cited sources; a note citing none names the handout's sources."""
        by_id = {s.id: s for s in self.topic.sources}
        chosen = [by_id[c] for c in dict.fromkeys(cites)] or self.topic.sources
        return markup.source_line(chosen)

    def tags(self, kind: str, place: Place | None, extra: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        tags = [f"topic::{self.topic.id}", f"audience::{self.audience}", f"kind::{kind}"]
        if place:
            tags.append(f"section::{place.id}")
        return tuple(dict.fromkeys(tags + list(self.deck_tags) + list(extra)))

    def section_place(self, section_id: str | None) -> Place | None:
        """A section's heading as this audience reads it, even if the section is not shown to them."""
        for section in self.unselected.sections:
            if section.id == section_id:
                return Place(section.id, resolve(section.title, self.audience))
        return None


def slug(text: str) -> str:
    """'Range of motion' -> 'range-of-motion'; accents folded, for ids made from terms."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
