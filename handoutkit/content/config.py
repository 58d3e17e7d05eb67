"""The files around the content: editions, clinic branding and deck definitions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .model import Audience, Line, Slug, Strict

Paper = Literal["letter", "a4"]
Level = Literal["error", "warning", "off"]


class Gates(Strict):
    """How each quality gate counts for an edition: an error stops the build."""

    reading_level: Level = "error"
    plain_words: Level = "warning"
    pemat: Level = "error"
    clear_communication: Level = "error"
    citations: Level = "error"
    review_date: Level = "error"
    page_budget: Level = "error"
    pemat_min_percent: Annotated[int, Field(ge=0, le=100)] = 70
    cdc_min_percent: Annotated[int, Field(ge=0, le=100)] = 70
    max_sentence_words: Annotated[int, Field(ge=5)] = 20
    review_warning_days: Annotated[int, Field(ge=0)] = 60


class Edition(Strict):
    """An audience plus a format, with the targets the build holds it to."""

    id: Slug
    label: Line  # printed in the footer, e.g. "Patient edition, large print"
    audience: Audience
    large_print: bool = False
    body_pt: Annotated[float, Field(ge=12, le=28)] = 12
    reading_grade_max: Annotated[float, Field(gt=0, le=20)] | None = None
    page_budget: Annotated[int, Field(ge=1, le=40)] | None = None
    papers: Annotated[list[Paper], Field(min_length=1)] = ["letter", "a4"]
    show_ipa: bool = True  # IPA helps clinicians and students; patients get the respelling only
    gates: Gates = Gates()


class EditionsFile(Strict):
    editions: Annotated[list[Edition], Field(min_length=1)]


class Brand(Strict):
    """A clinic's details, printed on every handout; one file per clinic."""

    sample: bool = False  # a placeholder brand: every page says SAMPLE, and --release refuses it
    name: Line
    phone: Line
    emergency_number: Line  # the local emergency number, e.g. 911, 999, 112: printed in the emergency tier
    website: Line | None = None
    address: Line | None = None
    logo: Line | None = None  # a file inside the project, relative to this file


class Deck(Strict):
    """One Anki deck: which topics, whose content, and ids that never change."""

    id: Slug
    name: Line  # Anki's hierarchy uses '::', e.g. "Rehabilitation::Heterotopic ossification"
    deck_id: Annotated[int, Field(ge=1 << 30, lt=1 << 63)]
    audience: Audience = "student"
    topics: Annotated[list[Slug], Field(min_length=1)]
    tags: list[Slug] = Field(default_factory=list)
