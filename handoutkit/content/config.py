"""The files around the content: editions, clinic branding and deck definitions."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ..errors import quote
from .model import Audience, Line, Slug, Strict, Topic
from .printable import unfit_brand_field

Paper = Literal["letter", "a4", "id-1"]  # id-1: a credit-card sized page, 85.6 x 54 mm, for wallet cards
Format = Literal["handout", "wallet-card"]
Level = Literal["error", "warning", "off"]
PRINTED_FIELDS = ("name", "phone", "emergency_number", "website", "address")  # a brand's fields a handout prints


class Gates(Strict):
    """How each quality gate counts for an edition: an error stops the build."""

    reading_level: Level = "error"
    plain_words: Level = "warning"
    pemat: Level = "error"
    clear_communication: Level = "error"
    citations: Level = "error"
    review_date: Level = "error"
    page_budget: Level = "error"
    help_tiers: Level = "warning"  # a red flag's action that contradicts its urgency tier
    pemat_min_percent: Annotated[int, Field(ge=0, le=100)] = 70
    cdc_min_percent: Annotated[int, Field(ge=0, le=100)] = 70
    max_sentence_words: Annotated[int, Field(ge=5)] = 20
    review_warning_days: Annotated[int, Field(ge=0)] = 60


class Edition(Strict):
    """An audience plus a format, with the targets the build holds it to."""

    id: Slug
    label: Line  # printed in the footer, e.g. "Patient edition, large print"
    audience: Audience
    format: Format = "handout"  # wallet-card: two ID-1 sides from the topic's wallet_card (topics without one get none)
    large_print: bool = False
    body_pt: Annotated[float, Field(ge=12, le=28)] = 12
    reading_grade_max: Annotated[float, Field(gt=0, le=20)] | None = None
    page_budget: Annotated[int, Field(ge=1, le=40)] | None = None
    papers: Annotated[list[Paper], Field(min_length=1)] = ["letter", "a4"]
    show_respelling: bool = True  # the lay "het-er-oh-TOP-ik": clinicians read the IPA instead
    show_ipa: bool = True  # IPA helps clinicians and students; patients get the respelling only
    gates: Gates = Gates()

    def applies_to(self, topic: Topic) -> bool:
        """Every topic gets every handout edition; only a topic with a wallet_card gets a wallet card."""
        return self.format == "handout" or topic.wallet_card is not None


class EditionsFile(Strict):
    editions: Annotated[list[Edition], Field(min_length=1)]


SITE_URL_RE = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/-]*)?")  # fullmatch


def check_site_url(value: str) -> str:
    """An https address with no query or fragment: a page's path is added to it, and a QR code must not
    send a patient to a plain-http page."""
    if not SITE_URL_RE.fullmatch(value) or ".." in value:
        raise ValueError(
            f"expected an https:// address of the published site, like "
            f"'https://clinic.example.org/handouts', found {quote(value)}"
        )
    return value.rstrip("/")


SiteUrl = Annotated[str, AfterValidator(check_site_url)]


class Brand(Strict):
    """A clinic's details, printed on every handout; one file per clinic."""

    sample: bool = False  # a placeholder brand: every page says SAMPLE, and --release refuses it
    name: Line
    phone: Line
    emergency_number: Line  # the local emergency number, e.g. 911, 999, 112: printed in the emergency tier
    website: Line | None = None
    address: Line | None = None
    logo: Line | None = None  # a file inside the project, relative to this file
    site_url: SiteUrl | None = None  # where the clinic publishes dist/site/: plain editions print a QR code to it

    def unfit(self) -> list[tuple[str, str]]:
        """(field, "placeholder" or "kind") for each printed field that cannot reach a patient as it is:
        a stand-in ("Your clinic name", "[name]", "555-XXXX", "TODO") or the wrong kind of value (an
        emergency number that is not digits). Each makes the brand a sample (content/printable.py)."""
        found = []
        for name in PRINTED_FIELDS:
            why = unfit_brand_field(name, getattr(self, name))
            if why is not None:
                found.append((name, why))
        return found

    def placeholders(self) -> list[str]:
        """The fields that cannot print as they are (see unfit)."""
        return [name for name, _ in self.unfit()]

    @property
    def is_sample(self) -> bool:
        return self.sample or bool(self.placeholders())


TAG_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # used with fullmatch: "$" would accept a trailing newline


def check_tag_word(value: str) -> str:
    if not TAG_WORD_RE.fullmatch(value):
        raise ValueError(f"expected one tag word of letters, digits, '-' or '_' (like 'HO'), found {quote(value)}")
    return value


TagWord = Annotated[str, AfterValidator(check_tag_word)]
# What a deck's notes can come from. See docs/students.md "How the decks are built".
Generator = Literal["cards", "pronunciation", "glossary", "lists", "figures", "tips", "red-flags"]
# Tips and red flags are worded for patients ("Call your team today"); figure
# cards ask "what does this picture show?". A student deck leaves them out.
DEFAULT_GENERATORS: tuple[str, ...] = ("cards", "pronunciation", "glossary", "lists")


class Subdeck(Strict):
    """One topic's own deck inside a course deck: `<deck name>::<name>`."""

    name: Line  # e.g. "Heterotopic ossification"
    deck_id: Annotated[int, Field(ge=1 << 30, lt=1 << 63)]
    tag: TagWord | None = None  # the topic's tag under the deck's root, e.g. HO (default: the topic id)


class Deck(Strict):
    """One Anki deck: which topics, whose content, and ids that never change."""

    id: Slug
    name: Line  # Anki's hierarchy uses '::', e.g. "Rehabilitation::Heterotopic ossification"
    deck_id: Annotated[int, Field(ge=1 << 30, lt=1 << 63)]
    audience: Audience = "student"
    topics: Annotated[list[Slug], Field(min_length=1)]
    subdecks: dict[Slug, Subdeck] = Field(default_factory=dict)  # topic id -> its subdeck (a course deck)
    include: Annotated[list[Generator], Field(min_length=1, default_factory=lambda: list(DEFAULT_GENERATORS))]
    tag: TagWord | None = None  # the root of every tag in the deck (default: the first part of the name)
    tags: list[Slug] = Field(default_factory=list)  # more tags for every note, under the root
    # topic id -> its section ids and card ids in learning order (anki/order.py); the rest follow in file order
    order: dict[Slug, list[Slug]] = Field(default_factory=dict)

    @property
    def root_tag(self) -> str:
        return self.tag or re.sub(r"[^A-Za-z0-9_-]+", "-", self.name.split("::")[0]).strip("-") or self.id

    def topic_prefix(self, topic_id: str) -> str:
        """Where a topic's tags go: the root itself in a one-topic deck, else root::<topic tag>."""
        if len(self.topics) == 1 and not self.subdecks:
            return self.root_tag
        subdeck = self.subdecks.get(topic_id)
        return f"{self.root_tag}::{(subdeck.tag if subdeck else None) or topic_id}"
