"""The PEMAT-P (AHRQ) and the CDC Clear Communication Index, item by item.

Every item of both instruments is listed here with its number. An item a
program can really check has a check; the others are left to a person (the
review sheet lists them with blanks). A score only ever says what was checked:
"8/8 checked of 17", never a percentage of the whole instrument.

Checks return True (met), False (not met) or None (not applicable here, as the
instrument allows, e.g. no tables for PEMAT item 19).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..content.model import Bullets, FigureBlock, Steps, TableBlock, Topic
from ..editions.prose import Piece
from .readability import split_sentences

GENERIC_HEADINGS = {
    "overview",
    "introduction",
    "background",
    "information",
    "more information",
    "other",
    "details",
    "general",
}
YOU_RE = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
KNOWN_UNKNOWN_RE = re.compile(
    r"\b(not (?:yet |always |fully )?(?:known|clear|sure|understood)|no one knows|(?:do|does|don't|doesn't) not? "
    r"?know|unknown|unclear)\b",
    re.IGNORECASE,
)
RAW_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*%|\b\d+\.\d+\b")  # percentages and decimals
ANY_NUMBER_RE = re.compile(r"\d")
ACTION_VERBS_RE = re.compile(
    r"^(call|ask|go|get|tell|see|keep|move|take|check|write|bring|stop|do|don't|try|watch|use|sit|lie|loosen|"
    r"empty|look|feel|put|raise|lower|drink|wear|avoid|show|carry|make|find|let|have|start|follow|learn)\b",
    re.IGNORECASE,
)
CHUNK_MAX_WORDS = 150
LIST_MAX_ITEMS = 7  # CDC item 8: a longer list must be broken into sub-lists
TABLE_HEADING_MAX_WORDS = 4  # PEMAT item 19: short, clear row and column headings
ACTIVE_SHARE = 0.9  # PEMAT's guide: agree when the text is active most of the time


@dataclass(frozen=True)
class Evidence:
    """What the checks read: the selected edition, its prose, and two results the gates measured already."""

    topic: Topic
    pieces: list[Piece]
    grade_ok: bool | None  # None: the edition has no reading-grade target
    passive: list  # (piece, phrase) pairs
    sentences: int
    unexplained: list | None  # None: not a patient-facing edition, terms not checked


Check = Callable[[Evidence], bool | None]


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    check: Check | None = None  # None: a person must rate it
    how: str = ""  # what the program measures, printed on the review sheet


@dataclass(frozen=True)
class Rating:
    item: Item
    met: bool | None  # None: not applicable, or not checked (see `checked`)
    checked: bool


@dataclass(frozen=True)
class Score:
    """One instrument on one edition: what was checked, what passed, what is left to a person."""

    name: str
    ratings: tuple[Rating, ...]

    @property
    def total(self) -> int:
        return len(self.ratings)

    @property
    def checked(self) -> int:
        return sum(1 for r in self.ratings if r.checked and r.met is not None)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.ratings if r.checked and r.met)

    @property
    def percent(self) -> int | None:
        """The share of the checked items that passed; None when nothing could be checked."""
        return round(100 * self.passed / self.checked) if self.checked else None

    def missed(self) -> list[str]:
        return [f"item {r.item.number} ({r.item.text})" for r in self.ratings if r.checked and r.met is False]

    def for_a_person(self) -> list[Item]:
        return [r.item for r in self.ratings if not r.checked]

    def summary(self) -> str:
        """'8/9 checked of 17': passed / checked automatically, of the instrument's items."""
        return f"{self.passed}/{self.checked} checked of {self.total}"

    def as_dict(self) -> dict:
        return {
            "items": self.total,
            "checked": self.checked,
            "passed": self.passed,
            "failed": [r.item.number for r in self.ratings if r.checked and r.met is False],
            "for_a_person": [i.number for i in self.for_a_person()],
        }


def rate(name: str, items: tuple[Item, ...], evidence: Evidence) -> Score:
    return Score(
        name,
        tuple(Rating(item, item.check(evidence), True) if item.check else Rating(item, None, False) for item in items),
    )


# ----- the checks -------------------------------------------------------------


def sentences(pieces: list[Piece], roles: set[str] | None = None) -> list[str]:
    return [s for p in pieces if roles is None or p.role in roles for s in split_sentences(p.text)]


def all_blocks(topic: Topic):
    return [(section, block) for section in topic.sections for block in section.blocks]


def actions(pieces: list[Piece]) -> list[str]:
    """Sentences that tell the reader to do something: an imperative verb first."""
    return [s for s in sentences(pieces, {"paragraph", "item", "tip", "red-flag"}) if ACTION_VERBS_RE.match(s)]


def you_share(pieces: list[Piece]) -> float:
    found = sentences(pieces, {"paragraph", "item", "tip", "red-flag", "summary"})
    return sum(1 for s in found if YOU_RE.search(s)) / len(found) if found else 0.0


def addressed_to_reader(text: str) -> bool:
    return bool(ACTION_VERBS_RE.match(text) or YOU_RE.search(text))


def reader_steps(topic: Topic) -> list[Steps]:
    """Numbered steps whose every item is an action addressed to the reader (PEMAT item 22)."""
    found = []
    for _, block in all_blocks(topic):
        if isinstance(block, Steps):
            texts = [item if isinstance(item, str) else item.text for item in block.steps]
            if all(isinstance(t, str) and addressed_to_reader(t) for t in texts):
                found.append(block)
    return found


def section_words(pieces: list[Piece]) -> list[int]:
    words: dict[int, int] = {}
    for piece in pieces:
        if piece.loc[0] == "sections" and piece.role != "heading":
            words[piece.loc[1]] = words.get(piece.loc[1], 0) + len(piece.text.split())
    return list(words.values())


def purpose_first(e: Evidence) -> bool:
    return bool(e.pieces) and any(p.role == "summary" for p in e.pieces[:2])


def everyday_language(e: Evidence) -> bool | None:
    return e.grade_ok


def terms_defined(e: Evidence) -> bool | None:
    return None if e.unexplained is None else not e.unexplained


def mostly_active(e: Evidence) -> bool:
    return len(e.passive) <= (1 - ACTIVE_SHARE) * max(1, e.sentences)


def numbers_clear(e: Evidence) -> bool | None:
    if not any(ANY_NUMBER_RE.search(p.text) for p in e.pieces if p.role != "title"):
        return None  # PEMAT: no numbers = N/A
    return not any(RAW_NUMBER_RE.search(p.text) for p in e.pieces)


def short_chunks(e: Evidence) -> bool:
    return all(w <= CHUNK_MAX_WORDS for w in section_words(e.pieces))


def informative_headers(e: Evidence) -> bool:
    headings = [p.text for p in e.pieces if p.role == "heading"]
    return bool(headings) and all(h.lower() not in GENERIC_HEADINGS for h in headings)


def has_summary(e: Evidence) -> bool:
    return any(p.role == "summary" for p in e.pieces)


def visual_cues(e: Evidence) -> bool:
    """Lists plus at least one of the framed boxes (tips, when-to-get-help) the template draws."""
    lists = any(isinstance(b, (Bullets, Steps)) for _, b in all_blocks(e.topic))
    return lists and bool(e.topic.tips or e.topic.red_flags)


def captioned_visuals(e: Evidence) -> bool | None:
    return all(f.caption for f in e.topic.figures) if e.topic.figures else None


def simple_tables(e: Evidence) -> bool | None:
    tables = [b.table for _, b in all_blocks(e.topic) if isinstance(b, TableBlock)]
    if not tables:
        return None
    return all(len(str(cell).split()) <= TABLE_HEADING_MAX_WORDS for t in tables for cell in t.header)


def one_action(e: Evidence) -> bool:
    return bool(actions(e.pieces))


def speaks_to_reader(e: Evidence) -> bool:
    return you_share(e.pieces) >= 0.25


def explicit_steps(e: Evidence) -> bool:
    return bool(reader_steps(e.topic))


def tangible_tool(e: Evidence) -> bool:
    """The questions checklist (with tick boxes) and the write-in notes the template prints."""
    return bool(e.topic.questions)


def visual_tied_to_action(e: Evidence) -> bool | None:
    """A figure shown in a section that also gives numbered steps to the reader."""
    if not e.topic.figures:
        return None
    steps = {id(b) for b in reader_steps(e.topic)}
    return any(
        any(isinstance(b, FigureBlock) for b in section.blocks) and any(id(b) in steps for b in section.blocks)
        for section in e.topic.sections
    )


def one_main_message(e: Evidence) -> bool:
    summary = [p.text for p in e.pieces if p.role == "summary"]
    return bool(summary) and len(split_sentences(summary[0])) <= 3


def main_message_emphasised(e: Evidence) -> bool:
    """The template sets the main message in bold behind a heavy rule; true whenever there is one."""
    return has_summary(e)


def message_and_call_active(e: Evidence) -> bool:
    passive_roles = {p.role for p, _ in e.passive}
    return one_action(e) and not passive_roles & {"summary", "red-flag"}


def short_lists(e: Evidence) -> bool:
    lists = [
        b.bullets if isinstance(b, Bullets) else b.steps
        for _, b in all_blocks(e.topic)
        if isinstance(b, (Bullets, Steps))
    ]
    return bool(lists) and all(len(items) <= LIST_MAX_ITEMS for items in lists)


def known_and_unknown(e: Evidence) -> bool:
    return any(KNOWN_UNKNOWN_RE.search(p.text) for p in e.pieces)


def directions(e: Evidence) -> bool:
    return explicit_steps(e) or bool(e.topic.red_flags)


# ----- the instruments ----------------------------------------------------------

PEMAT_UNDERSTANDABILITY = (
    Item(1, "purpose is completely evident", purpose_first, "the main message is the first text"),
    Item(2, "nothing distracts from the purpose"),
    Item(3, "common, everyday language", everyday_language, "reading grade within the edition's target"),
    Item(
        4,
        "medical terms defined",
        terms_defined,
        "each term from medical-terms.txt or the glossary explained at first use",
    ),
    Item(5, "active voice", mostly_active, "at most 1 sentence in 10 in the passive"),
    Item(6, "numbers are clear", numbers_clear, "no percentages or decimals (no numbers: N/A)"),
    Item(7, "no calculations expected"),
    Item(8, "information in short chunks", short_chunks, f"every section at most {CHUNK_MAX_WORDS} words"),
    Item(9, "informative headers", informative_headers, "no generic headings such as 'Overview'"),
    Item(10, "logical sequence"),
    Item(11, "provides a summary", has_summary, "the topic has a summary"),
    Item(12, "visual cues draw attention to key points", visual_cues, "lists, and a framed tips or help box"),
    Item(15, "visual aids wherever they would help"),
    Item(16, "visual aids reinforce, not distract"),
    Item(17, "visual aids have clear titles or captions", captioned_visuals, "every figure has a caption (none: N/A)"),
    Item(18, "illustrations clear and uncluttered"),
    Item(
        19,
        "simple tables with short headings",
        simple_tables,
        f"column headings of at most {TABLE_HEADING_MAX_WORDS} words (no tables: N/A)",
    ),
)
PEMAT_ACTIONABILITY = (
    Item(20, "at least one action the reader can take", one_action, "a sentence starting with an action verb"),
    Item(21, "addresses the reader directly", speaks_to_reader, "at least 1 sentence in 4 says 'you'"),
    Item(
        22,
        "actions broken into explicit steps",
        explicit_steps,
        "a numbered steps block whose every step is an action addressed to the reader",
    ),
    Item(23, "a tangible tool", tangible_tool, "the questions checklist and the notes lines"),
    Item(24, "how to do any calculation"),
    Item(25, "how to use charts, tables or diagrams to act"),
    Item(
        26,
        "visual aids that help act on the instructions",
        visual_tied_to_action,
        "a figure in a section with numbered steps for the reader (no figures: N/A)",
    ),
)
CDC_INDEX = (
    Item(1, "one main message", one_main_message, "a summary of at most 3 sentences"),
    Item(2, "main message at the top", purpose_first, "the summary is the first text"),
    Item(3, "main message emphasised with visual cues", main_message_emphasised, "printed bold behind a heavy rule"),
    Item(4, "a visual that conveys or supports the main message"),
    Item(5, "a call to action", one_action, "a sentence starting with an action verb"),
    Item(
        6,
        "main message and call to action in the active voice",
        message_and_call_active,
        "no passive phrase in the summary or the help box",
    ),
    Item(7, "words the audience uses", terms_defined, "each medical term explained at first use"),
    Item(8, "bulleted or numbered lists", short_lists, f"lists present, none longer than {LIST_MAX_ITEMS} items"),
    Item(9, "chunks with headings, one idea each"),
    Item(10, "the most important information summarised first"),
    Item(11, "what is known and not known", known_and_unknown, "says what is not known"),
    Item(12, "a behavioural recommendation", one_action, "a sentence starting with an action verb"),
    Item(13, "why the recommendation matters"),
    Item(14, "how to perform the behaviour", directions, "numbered steps for the reader, or when-to-get-help actions"),
    Item(15, "numbers the audience uses", numbers_clear, "no percentages or decimals (no numbers: N/A)"),
    Item(16, "what the numbers mean"),
    Item(17, "no calculations"),
    Item(18, "the nature of the risk"),
    Item(19, "both risks and benefits"),
    Item(20, "probabilities explained in words or a visual"),
)
INSTRUMENTS = (
    ("PEMAT-P understandability", PEMAT_UNDERSTANDABILITY),
    ("PEMAT-P actionability", PEMAT_ACTIONABILITY),
    ("CDC Clear Communication Index", CDC_INDEX),
)


def rate_edition(evidence: Evidence) -> tuple[Score, ...]:
    """PEMAT-P understandability, actionability and the CDC index, in that order."""
    return tuple(rate(name, items, evidence) for name, items in INSTRUMENTS)
