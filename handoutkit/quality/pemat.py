"""The PEMAT-P (AHRQ) and CDC Clear Communication Index items a program can check.

Each item is (name, met?) on the selected edition; the score is the share met.
Items that need a human's judgement (is the sequence logical? is there
distracting information?) are not scored here and are left to the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.model import Bullets, Steps, Topic
from ..editions.prose import Piece
from .readability import split_sentences

GENERIC_HEADINGS = {"overview", "introduction", "background", "information", "more information", "other", "details", "general"}
YOU_RE = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
KNOWN_UNKNOWN_RE = re.compile(
    r"\b(not (?:yet |always |fully )?(?:known|clear|sure|understood)|no one knows|(?:do|does|don't|doesn't) not? ?know|unknown|unclear)\b",
    re.IGNORECASE,
)
RAW_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*%|\b\d+\.\d+\b")  # percentages and decimals
ACTION_VERBS_RE = re.compile(r"^(call|ask|go|get|tell|see|keep|move|take|check|write|bring|stop|do|don't|try|watch|use)\b", re.IGNORECASE)
CHUNK_MAX_WORDS = 150


@dataclass(frozen=True)
class Score:
    items: tuple[tuple[str, bool], ...]

    @property
    def percent(self) -> int:
        return round(100 * sum(met for _, met in self.items) / len(self.items)) if self.items else 100

    def missed(self) -> list[str]:
        return [name for name, met in self.items if not met]


def sentences(pieces: list[Piece], roles: set[str] | None = None) -> list[str]:
    return [s for p in pieces if roles is None or p.role in roles for s in split_sentences(p.text)]


def section_words(topic: Topic, pieces: list[Piece]) -> list[int]:
    words: dict[int, int] = {}
    for piece in pieces:
        if piece.loc[0] == "sections" and piece.role != "heading":
            words[piece.loc[1]] = words.get(piece.loc[1], 0) + len(piece.text.split())
    return list(words.values())


def understandability(topic: Topic, pieces: list[Piece], grade_ok: bool, active_ok: bool) -> Score:
    headings = [p.text for p in pieces if p.role == "heading"]
    return Score((
        ("purpose is evident: a main message comes first", bool(topic.summary)),
        ("everyday language: reading grade within the target", grade_ok),
        ("numbers are clear: no percentages or decimals without words", not any(RAW_NUMBER_RE.search(p.text) for p in pieces)),
        ("mostly active voice", active_ok),
        ("information in short chunks", all(w <= CHUNK_MAX_WORDS for w in section_words(topic, pieces))),
        ("informative headers", bool(headings) and all(h.lower() not in GENERIC_HEADINGS for h in headings)),
        ("provides a summary", bool(topic.summary)),
        ("uses visual cues: lists and boxes", has_lists(topic) and bool(topic.tips or topic.red_flags)),
    ))


def actionability(topic: Topic, pieces: list[Piece]) -> Score:
    actions = [p for p in pieces if p.role == "red-flag"] + [p for p in pieces if ACTION_VERBS_RE.match(p.text)]
    figures_captioned = bool(topic.figures) and all(f.caption for f in topic.figures)
    return Score((
        ("at least one action the reader can take", bool(actions)),
        ("addresses the reader as 'you'", you_share(pieces) >= 0.25),
        ("actions broken into explicit steps", bool(topic.red_flags) or any(isinstance(b, Steps) for s in topic.sections for b in s.blocks)),
        ("a tangible tool: the questions checklist", bool(topic.questions)),
        ("visual aids with captions", figures_captioned),
    ))


def clear_communication(topic: Topic, pieces: list[Piece], active_ok: bool) -> Score:
    summary = [p.text for p in pieces if p.role == "summary"]
    return Score((
        ("one main message", bool(summary) and len(split_sentences(summary[0])) <= 2),
        ("main message at the top", bool(pieces) and any(p.role == "summary" for p in pieces[:2])),
        ("a visual that supports the main message", bool(topic.figures)),
        ("a call to action", bool(topic.red_flags) or any(ACTION_VERBS_RE.match(p.text) for p in pieces)),
        ("active voice", active_ok),
        ("numbers people understand (words like '2 in 10', no bare percentages)", not any(RAW_NUMBER_RE.search(p.text) for p in pieces)),
        ("says what is known and not known", any(KNOWN_UNKNOWN_RE.search(p.text) for p in pieces)),
        ("addresses the reader as 'you'", you_share(pieces) >= 0.25),
    ))


def has_lists(topic: Topic) -> bool:
    return any(isinstance(b, (Bullets, Steps)) for s in topic.sections for b in s.blocks)


def you_share(pieces: list[Piece]) -> float:
    found = sentences(pieces, {"paragraph", "item", "tip", "red-flag", "summary"})
    return sum(1 for s in found if YOU_RE.search(s)) / len(found) if found else 0.0
