"""Plain words: terms explained at first use; long sentences, long words, passive voice."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..content.sourcefiles import read_file
from ..editions.prose import Piece
from .readability import is_number, split_sentences, word_syllables, words_of

TERMS_FILE = "medical-terms.txt"
LONG_WORD_SYLLABLES = 5
# Words after a term that show it is being explained in the same sentence.
EXPLAINED_RE = re.compile(r"^\W*(\(|,? (means?|is|are|was|were|or|which|that|called)\b|,|:|—|-)", re.IGNORECASE)
CALLED_RE = re.compile(r"\b(called|named|known as)\s*$", re.IGNORECASE)
PASSIVE_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(?!(?:used|able|aged|based|tired|worried|scared|swollen|needed)\b)"
    r"(\w+(?:ed|en)|made|done|seen|found|given|taken|known|shown|left|kept|held|told|put|set|cut|hurt|sent|brought)\b",
    re.IGNORECASE,
)
NOT_TERMS_IN = {"title", "heading"}  # a term in a heading is explained by the text below it


def load_terms(root: Path, glossary: Iterable[str]) -> list[str]:
    path = root / TERMS_FILE
    lines = read_file(path).decode("utf-8").splitlines() if path.exists() else []  # never waits on a named pipe
    terms = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return sorted(terms | set(glossary), key=len, reverse=True)  # longest first: "bone scan" before "bone"


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)


def unexplained_terms(pieces: list[Piece], terms: list[str]) -> Iterator[tuple[Piece, str]]:
    """(piece, term) for each term whose first use in running text is not explained there."""
    seen: set[str] = set()
    folded_terms = [(term, term.lower(), term.casefold()) for term in terms]
    for piece in pieces:
        if piece.role in NOT_TERMS_IN:
            continue
        for sentence in split_sentences(piece.text):
            folded = sentence.casefold()  # a substring test first: most terms are in no sentence
            for term, key, folded_term in folded_terms:
                if key in seen or folded_term not in folded:
                    continue
                match = term_pattern(term).search(sentence)
                if not match:
                    continue
                seen.add(key)
                before, after = sentence[: match.start()], sentence[match.end() :]
                if not (EXPLAINED_RE.match(after) or CALLED_RE.search(before)):
                    yield piece, term


def long_sentences(pieces: list[Piece], limit: int) -> Iterator[tuple[Piece, str, int]]:
    for piece in pieces:
        for sentence in split_sentences(piece.text):
            count = len(words_of(sentence))
            if count > limit:
                yield piece, sentence, count


def long_words(pieces: list[Piece], terms: list[str]) -> Iterator[tuple[Piece, str]]:
    known = {w.lower() for term in terms for w in words_of(term)}
    for piece in pieces:
        for word in words_of(piece.text):
            # A number (150, 90%) has no shorter word; readability still counts its syllables.
            if is_number(word):
                continue
            if word.lower() not in known and word_syllables(word) >= LONG_WORD_SYLLABLES:
                yield piece, word


def passive_phrases(pieces: list[Piece]) -> Iterator[tuple[Piece, str]]:
    for piece in pieces:
        for match in PASSIVE_RE.finditer(piece.text):
            yield piece, match.group(0)
