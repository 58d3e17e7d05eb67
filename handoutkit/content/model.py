"""The content model of one topic: plain, typed data with stable ids.

Field names here are the content format's contract (see docs/authors.md "Content
format"). Any text may be a plain string or per-audience wording
(`{default: ..., clinician: ...}`); any list item may be limited to some
audiences with `for: [...]`. `select.select_edition` resolves both.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from ..errors import quote
from .characters import check_text

AUDIENCES = ("patient", "sci", "clinician", "student")
Audience = Literal["patient", "sci", "clinician", "student"]
PATIENT_FACING = frozenset({"patient", "sci"})  # plain-language audiences; the rest are professionals


@dataclass(frozen=True)
class QuestionList:
    """A Topic field printed as a list of questions: who reads it, and its heading on the review sheet."""

    heading: str
    audiences: frozenset[str] = frozenset(AUDIENCES)


# The one place a list of questions is declared: reading, the evidence gates, the review sheet, the
# handout's view and the web page all follow this table, so a new list is this entry, its Topic field
# (below, same name), its template lines and its tests.
QUESTION_LISTS = {
    "questions": QuestionList("Questions to ask"),
    "teach_back": QuestionList("Teach-back: ask the patient to say it back", frozenset({"clinician", "student"})),
}

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always fullmatch: `$` would accept a trailing newline
MAX_SLUG_CHARS = 64  # ids become file names (with edition and paper) and must fit the file system's 255


def check_slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(
            f"expected a slug of lower-case letters, digits and single hyphens "
            f"(like 'who-gets-it'), found {quote(value)}"
        )
    if len(value) > MAX_SLUG_CHARS:
        raise ValueError(f"expected an id of at most {MAX_SLUG_CHARS} characters, found {len(value)}")
    return value


Slug = Annotated[str, AfterValidator(check_slug)]
# Every text: bidi controls, control characters and invisible-only text refused (see characters.py).
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_text)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never drop content silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Variants(Strict):
    """Per-audience wording; `default` serves every audience not named."""

    default: Line
    patient: Line | None = None
    sci: Line | None = None
    clinician: Line | None = None
    student: Line | None = None

    def key_for(self, audience: str) -> str:
        """The one rule for wording: the audience's own, else the default."""
        return audience if getattr(self, audience) else "default"

    def for_audience(self, audience: str) -> str:
        return getattr(self, self.key_for(audience))


def wording_for(text: Text, audience: str) -> str:
    """What `audience` reads of a text, plain or per-audience."""
    return text.for_audience(audience) if isinstance(text, Variants) else text


def _text_kind(value: Any) -> str:
    return "~variants" if isinstance(value, (dict, Variants)) else "~plain"


# Tags start with "~" so the loader can drop them from error locations.
Text = Annotated[
    Union[Annotated[Line, Tag("~plain")], Annotated[Variants, Tag("~variants")]],
    Discriminator(_text_kind),
]
Audiences = Annotated[list[Audience], Field(min_length=1)]
MAX_QUOTE_CHARS = 300  # a quote points a reviewer to the words; a longer one is a page, not evidence


def check_quote_length(value: str) -> str:
    if len(value) > MAX_QUOTE_CHARS:
        raise ValueError(
            f"expected a quote of at most {MAX_QUOTE_CHARS} characters (the words that support the "
            f"claim), found {len(value)}"
        )
    return value


class Cite(Strict):
    """A source, optionally with its own words as evidence and where they stand.

    Written as a bare source id (`nsic`) or as `{source: nsic, quote: "...", where: "..."}`.
    Quotes feed the evidence gates and the clinical review sheet; plain editions never print them.
    """

    source: Slug
    quote: Annotated[Line, AfterValidator(check_quote_length)] | None = None
    where: Line | None = None  # section, page or recommendation number


def cite_from_id(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) else value


# A bare id is short for {source: id}; the JSON Schema offers editors both forms.
CiteEntry = Annotated[Cite, BeforeValidator(cite_from_id, json_schema_input_type=Union[Slug, Cite])]
Cites = list[CiteEntry]
Derived = Line  # why a sentence's number is not in its quotes ("7 in 10 is 10 minus 3"); shown on the review sheet


def source_ids(cites: list[Cite]) -> list[str]:
    """The ids a list of cites names, in order, each once."""
    return list(dict.fromkeys(c.source for c in cites))


class Limited(Strict):
    """Anything that can be shown to some audiences only."""

    for_: Audiences | None = Field(default=None, alias="for")

    def shown_to(self, audience: str) -> bool:
        """The one rule for `for:`: no list means everyone."""
        return self.for_ is None or audience in self.for_


class Cited(Limited):
    cites: Cites = Field(default_factory=list)
    derived: Derived | None = None


# ----- blocks inside a section ------------------------------------------------


class Item(Cited):
    id: Slug | None = None  # a stable id, so a deck note follows the item, not its position
    previous_ids: list[Slug] = Field(default_factory=list)
    text: Text


def _item_kind(value: Any) -> str:
    return "~item" if isinstance(value, (dict, Item)) else "~plain"


ListItem = Annotated[
    Union[Annotated[Text, Tag("~plain")], Annotated[Item, Tag("~item")]],
    Discriminator(_item_kind),
]


class Paragraph(Cited):
    paragraph: Text


# How a deck studies a list: `items` makes one card per "label: detail" item
# (front: the label, back: the detail); `sequence` one card per step, cued by
# the step before it; `none` (the default) no cards: a list is studied only when its author says so.
Study = Literal["items", "sequence", "none"]


class Bullets(Cited):
    intro: Text | None = None
    bullets: Annotated[list[ListItem], Field(min_length=1)]
    study: Study = "none"


class Steps(Cited):
    intro: Text | None = None
    steps: Annotated[list[ListItem], Field(min_length=1)]
    study: Study = "none"


class Table(Strict):
    caption: Text
    header: Annotated[list[Text], Field(min_length=1)]
    rows: Annotated[list[list[Text]], Field(min_length=1)]


class TableBlock(Cited):
    table: Table


class FigureBlock(Limited):
    figure: Slug  # the id of an entry in the topic's `figures`


class Form(Strict):
    """A table the reader fills in by hand: headings over ruled, empty rows (a joint log, a blood pressure card)."""

    caption: Text
    columns: Annotated[list[Text], Field(min_length=1, max_length=6)]
    rows: Annotated[int, Field(ge=1, le=30)]  # empty rows to write in
    note: Text | None = None  # one line under the form: how to use it


class FormBlock(Cited):
    form: Form


BLANK_RE = re.compile(r"_{3,}")  # three or more underscores: where the reader writes, inside a write-in line


class WriteIn(Strict):
    """Sentences the reader completes by hand ("My usual top number: ___"), in a box with a title.

    `___` marks each blank, printed as a line to write on; a line with none gets its blank at the end.
    """

    title: Text
    lines: Annotated[list[Text], Field(min_length=1, max_length=8)]
    note: Text | None = None  # one line under the box: how to fill it in


class WriteInBlock(Cited):
    write_in: WriteIn


BLOCK_KINDS = {
    "paragraph": Paragraph,
    "bullets": Bullets,
    "steps": Steps,
    "table": TableBlock,
    "figure": FigureBlock,
    "form": FormBlock,
    "write_in": WriteInBlock,
}


def _block_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return "~" + next(k for k, cls in BLOCK_KINDS.items() if isinstance(value, cls))
    if isinstance(value, dict):
        found = [k for k in BLOCK_KINDS if k in value]
        if len(found) == 1:
            return "~" + found[0]
    return None


Block = Annotated[
    Union[tuple(Annotated[cls, Tag("~" + kind)] for kind, cls in BLOCK_KINDS.items())],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="expected a block with exactly one of the keys paragraph, bullets, steps, table, "
        "figure, form, write_in",
    ),
]


class Section(Limited):
    id: Slug
    title: Text
    urgent: bool = False  # what to do now: printed first, in the emergency box, before everything else
    blocks: Annotated[list[Block], Field(min_length=1)]


def entries_of(item: Any) -> list | None:
    """What a container prints: once every entry is for someone else, the container goes too."""
    if isinstance(item, Bullets):
        return item.bullets
    if isinstance(item, Steps):
        return item.steps
    if isinstance(item, Section):
        return item.blocks
    return None


# ----- the boxes and lists around the sections -----------------------------------


def check_stress(value: str) -> str:
    syllables = re.split(r"[-\s]+", value)
    if not any(s.isupper() and s.isalpha() for s in syllables):
        raise ValueError(f"expected the stressed syllable in capitals (like 'oss-if-ih-KAY-shun'), found '{value}'")
    return value


Respelling = Annotated[Line, AfterValidator(check_stress)]


class Pronunciation(Strict):
    respelling: Respelling
    ipa: Line | None = None


class Tip(Cited):
    id: Slug
    text: Text


URGENCIES = ("emergency", "today", "soon")  # the order the help box shows them
Urgency = Literal["emergency", "today", "soon"]


class RedFlag(Cited):
    id: Slug
    urgency: Urgency  # emergency: call the emergency number now; today: your care team today; soon: within days
    sign: Text
    action: Text


class GlossaryTerm(Cited):
    id: Slug | None = None  # a stable id for the deck note; derived from the term once, then kept in the lock
    previous_ids: list[Slug] = Field(default_factory=list)
    term: Line
    respelling: Respelling
    meaning: Text
    ipa: Line | None = None
    say: bool | None = None  # a deck's say-it card; default: when a word of the respelling has 3+ syllables


BodySite = Literal["hip", "knee", "shoulder", "elbow", "spine", "jaw", "thigh", "arm", "foot", "hand"]
# The vertebrae a spine-level figure can mark, neck to lower back (C1-C7, T1-T12, L1-L5).
SPINE_LEVELS = tuple(f"{part}{n}" for part, count in (("C", 7), ("T", 12), ("L", 5)) for n in range(1, count + 1))
SpineLevel = Literal[SPINE_LEVELS]  # type: ignore[valid-type]


class Figure(Cited):
    """A picture: a file inside the project, or a diagram the build draws."""

    id: Slug
    alt: Text
    caption: Text | None = None
    src: Line | None = None  # relative to the topic file's folder
    # sitting-up: a person moving from leaning back, legs up, to sitting upright, feet down (no settings);
    # spine-level: the back with the spine drawn and one `level` marked, e.g. T6
    diagram: Literal["body-sites", "icon-array", "sitting-up", "spine-level"] | None = None
    sites: list[BodySite] = Field(default_factory=list)  # body-sites: the places marked
    filled: Annotated[int, Field(ge=0)] | None = None  # icon-array: people it happens to, e.g. 2 of "2 to 3 in 10"
    possible: Annotated[int, Field(ge=0)] = 0  # icon-array: the rest of a range (the 1 that makes it 3), half-filled
    total: Annotated[int, Field(ge=2, le=20)] | None = None  # icon-array: out of how many, e.g. 10
    level: SpineLevel | None = None  # spine-level: the vertebra marked, e.g. T6

    @model_validator(mode="after")
    def one_source(self) -> Figure:
        if (self.src is None) == (self.diagram is None):
            raise ValueError("expected exactly one of 'src' (a file) or 'diagram' (drawn by the build)")
        if self.diagram == "body-sites" and not self.sites:
            raise ValueError("a body-sites diagram needs 'sites', e.g. [hip, knee]")
        if self.diagram == "icon-array":
            if self.filled is None or self.total is None:
                raise ValueError("an icon-array diagram needs 'filled' and 'total', e.g. filled: 2, total: 10")
            if self.filled + self.possible > self.total:
                raise ValueError(
                    f"expected filled + possible <= total, found {self.filled} + {self.possible} > {self.total}"
                )
        if (self.diagram == "spine-level") != (self.level is not None):
            raise ValueError("expected 'level' (e.g. level: T6) with a spine-level diagram, and only with one")
        return self


class BasicCard(Limited):
    id: Slug
    type: Literal["basic"] = "basic"
    front: Text
    back: Text
    extra: Text | None = None
    figure: Slug | None = None  # a figure (its id under `figures`) shown on the card's front
    section: Slug | None = None
    cites: Annotated[Cites, Field(min_length=1)]
    derived: Derived | None = None
    tags: list[Slug] = Field(default_factory=list)
    previous_ids: list[Slug] = Field(default_factory=list)  # earlier ids: the renamed note keeps its GUID
    new_fact: bool = False  # a new id whose text matches a retired card's is a forgotten rename unless this says not


CLOZE_RE = re.compile(r"\{\{c\d+::.+?\}\}")
CLOZE_OPEN_RE = re.compile(r"\{\{c(\d+)::")


def check_cloze(value: str) -> str:
    if not CLOZE_RE.search(value):
        raise ValueError(f"expected at least one deletion like {{{{c1::answer}}}}, found {quote(value)}")
    problem = malformed_cloze(value)
    if problem:
        raise ValueError(problem)
    return value


def malformed_cloze(value: str) -> str | None:
    """Anki shows a broken deletion as literal braces: every {{ must open a closed {{cN::...}}."""
    rest, offset = value, 0
    while "{{" in rest or "}}" in rest:
        start = rest.find("{{")
        close = rest.find("}}")
        if start < 0 or (0 <= close < start):
            return f"expected '}}}}' only to close a deletion, found a stray one at character {offset + close + 1}"
        opened = CLOZE_OPEN_RE.match(rest, start)
        if not opened:  # (numbering from c1 is the deck's check: anki.build)
            found = quote(rest[start:], 20)
            return f"expected a deletion like {{{{c1::answer}}}}, found {found} at character {offset + start + 1}"
        end = rest.find("}}", opened.end())
        if end < 0 or "{{" in rest[opened.end() : end]:
            found = quote(rest[start:], 20)
            return f"expected the deletion {found} at character {offset + start + 1} to be closed with '}}}}'"
        offset, rest = offset + end + 2, rest[end + 2 :]
    return None


class ClozeCard(Limited):
    id: Slug
    type: Literal["cloze"]
    text: Annotated[Line, AfterValidator(check_cloze)]
    extra: Text | None = None
    figure: Slug | None = None  # a figure (its id under `figures`) shown above the text
    section: Slug | None = None
    cites: Annotated[Cites, Field(min_length=1)]
    derived: Derived | None = None
    tags: list[Slug] = Field(default_factory=list)
    previous_ids: list[Slug] = Field(default_factory=list)  # earlier ids: the renamed note keeps its GUID
    new_fact: bool = False  # a new id whose text matches a retired card's is a forgotten rename unless this says not


def _card_kind(value: Any) -> str:
    kind = value.get("type", "basic") if isinstance(value, dict) else getattr(value, "type", "basic")
    return "~cloze" if kind == "cloze" else "~basic"


Card = Annotated[
    Union[Annotated[BasicCard, Tag("~basic")], Annotated[ClozeCard, Tag("~cloze")]],
    Discriminator(_card_kind),
]


class Fact(Strict):
    """A number that matters in several places (a threshold, an interval, a dose), worded once.

    Any text uses it as `[[name]]`, so editions and the two sides of a wallet card cannot disagree.
    """

    text: Text
    cites: Annotated[Cites, Field(min_length=1)]
    derived: Derived | None = None


class Source(Strict):
    id: Slug
    title: Line
    publisher: Line
    url: Line | None = None
    date: Line | None = None  # the date the page itself gives, as it gives it
    accessed: dt.date


class Review(Strict):
    """When the content is due for review. Approval itself is recorded by `build.py approve` (approval.py).

    After loading, status, reviewer and last_reviewed say what the approval record says:
    draft (none), approved (the text is the approved text) or changed (edited since).
    """

    status: Literal["draft", "approved", "changed"] = "draft"
    reviewer: Line | None = None  # from the approval record
    last_reviewed: dt.date | None = None  # from the approval record
    next_due: dt.date
    # complete: a claim without its quote, or a number not in its quotes, is an error (evidence.py).
    # partial: a draft still gaining its quotes; each gap is a warning on every build, and
    # --release, --strict and `approve` refuse the topic until it is complete.
    evidence: Literal["complete", "partial"] = "complete"

    @model_validator(mode="after")
    def written_by_hand(self) -> Review:
        if self.status == "changed":
            raise ValueError(
                "expected status draft or approved; 'changed' is what the build says of an edited approval"
            )
        return self


class CardSide(Strict):
    """One side of a wallet card: a heading, lines to write on, then short blocks."""

    title: Text
    write_in: list[Text] = Field(default_factory=list)  # labels of lines the owner fills in by hand
    blocks: Annotated[list[Block], Field(min_length=1)]


class WalletCard(Limited):
    """A credit-card sized, two-sided card the reader carries (ID-1, 85.6 x 54 mm)."""

    front: CardSide
    back: CardSide


class Topic(Strict):
    """One medical topic: the single source of every edition and deck."""

    id: Slug
    title: Line
    also_called: list[Line] = Field(default_factory=list)
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    pronunciation: Pronunciation
    summary: Text
    sections: Annotated[list[Section], Field(min_length=1)]
    tips: list[Tip] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    questions: list[ListItem] = Field(default_factory=list)  # a plain string or {text, for, cites}
    teach_back: list[ListItem] = Field(default_factory=list)  # for clinicians: ask the patient to say it back
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    sources: Annotated[list[Source], Field(min_length=1)]
    review: Review
    wallet_card: WalletCard | None = None
    facts: dict[Slug, Fact] = Field(default_factory=dict)  # named numbers, used in any text as [[name]]
