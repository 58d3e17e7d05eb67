"""The note types, with ids that never change.

Anki matches note types, fields and card templates by id when a student
imports a newer deck: a new name with the same id is a rename; a new field or
template is a schema change, which a student imports with "Merge note types"
ticked. So: never change or reuse an id, and add fields rarely.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import genanki

TEMPLATES_DIR = Path("templates") / "cards"
CSS_FILE = "card.css"
SPECIAL_FIELDS = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag"}


@dataclass(frozen=True)
class Field:
    name: str
    id: int


@dataclass(frozen=True)
class Template:
    name: str
    id: int
    file: str  # templates/cards/<file>.front.html and <file>.back.html


@dataclass(frozen=True)
class NotetypeDef:
    key: str
    id: int
    name: str
    fields: tuple[Field, ...]
    templates: tuple[Template, ...]
    cloze: bool = False

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _where_from(base: int) -> tuple[Field, ...]:
    """The fields every note carries: where it came from, and its stable UID."""
    return (
        Field("Source", base + 51),
        Field("Handout", base + 52),
        Field("Section", base + 53),
        Field("UID", base + 54),
    )


BASIC = NotetypeDef(
    key="basic",
    id=1763924400101,
    name="Handout: Basic",
    fields=(Field("Front", 1763924401101), Field("Back", 1763924401102), Field("Extra", 1763924401103))
    + _where_from(1763924401100),
    templates=(Template("Card", 1763924401191, "basic"),),
)
CLOZE = NotetypeDef(
    key="cloze",
    id=1763924400102,
    name="Handout: Cloze",
    fields=(Field("Text", 1763924402101), Field("Extra", 1763924402102)) + _where_from(1763924402100),
    templates=(Template("Cloze", 1763924402191, "cloze"),),
    cloze=True,
)
PRONUNCIATION = NotetypeDef(
    key="pronunciation",
    id=1763924400103,
    name="Handout: Pronunciation",
    fields=(
        Field("Term", 1763924403101),
        Field("Respelling", 1763924403102),
        Field("IPA", 1763924403103),
        Field("Meaning", 1763924403104),
    )
    + _where_from(1763924403100),
    templates=(Template("Say it", 1763924403191, "say-it"), Template("Meaning", 1763924403192, "meaning")),
)
NOTETYPES: tuple[NotetypeDef, ...] = (BASIC, CLOZE, PRONUNCIATION)


@dataclass(frozen=True)
class Notetype:
    """A definition with its card templates and CSS, ready to write."""

    definition: NotetypeDef
    sides: tuple[tuple[str, str], ...]  # (front, back) per template
    css: str

    @property
    def id(self) -> int:
        return self.definition.id

    def model(self) -> genanki.Model:
        """A fresh genanki model (genanki mutates these while writing)."""
        d = self.definition
        return genanki.Model(
            d.id,
            d.name,
            fields=[{"name": f.name, "id": f.id} for f in d.fields],
            templates=[
                {"name": t.name, "id": t.id, "qfmt": front, "afmt": back}
                for t, (front, back) in zip(d.templates, self.sides)
            ],
            css=self.css,
            model_type=genanki.Model.CLOZE if d.cloze else genanki.Model.FRONT_BACK,
        )

    def content_hash(self) -> str:
        """Changes exactly when what Anki stores for this note type changes."""
        d = self.definition
        content = {
            "name": d.name,
            "cloze": d.cloze,
            "fields": [[f.id, f.name] for f in d.fields],
            "templates": [[t.id, t.name, *side] for t, side in zip(d.templates, self.sides)],
            "css": self.css,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]


def load_notetypes(root: Path, css_prefix: str = "", definitions=NOTETYPES) -> dict[str, Notetype]:
    """Read each note type's templates and the shared CSS from templates/cards."""
    folder = root / TEMPLATES_DIR
    css = css_prefix + (folder / CSS_FILE).read_text(encoding="utf-8")
    loaded = {}
    for d in definitions:
        sides = tuple(read_sides(folder, t.file) for t in d.templates)
        for side in (text for pair in sides for text in pair):
            check_references(d, side)
        loaded[d.key] = Notetype(d, sides, css)
    return loaded


def read_sides(folder: Path, stem: str) -> tuple[str, str]:
    return tuple((folder / f"{stem}.{side}.html").read_text(encoding="utf-8").strip() for side in ("front", "back"))


def check_references(definition: NotetypeDef, template: str) -> None:
    """A misspelt field would show students '{unknown field}': fail the build instead."""
    known = set(definition.field_names) | SPECIAL_FIELDS
    for reference in re.findall(r"\{\{[#^/]?([^}]+)\}\}", template):
        name = reference.split(":")[-1].strip()
        if name not in known:
            raise ValueError(f"card template for {definition.name!r} refers to unknown field {name!r}")
