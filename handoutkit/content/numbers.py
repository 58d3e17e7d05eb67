"""The numbers a sentence states, normalised so a sentence and its quote can be compared.

"1-2", "1 to 2" and "1–2" all state 1 and 2; "twenty" states 20; "85%" and
"85 percent" state 85; "1,000" states 1000. Ranges count as their ends, so a
range is supported when both ends stand in the quotes. Labels made of letters
and digits (T6, C5, PDE5, COX-2) are not quantities: they must stand in a quote
as they are (any case, any hyphen).

The word "one" counts in a quote but not in a sentence: plain language says "one
thing at a time" far more often than it states a count of one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
SENTENCE_SKIPS = frozenset({"one"})

CLOZE_MARK = re.compile(r"\{\{c\d+::")  # a deck card's {{c1::...}} numbers its deletions, not its facts
FACT_REF = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")  # a named fact: its number is checked at the fact
LABEL = re.compile(r"(?<![\w.])([A-Za-z]{1,5})-?(\d+)(?![\w.])")  # T6, C5, PDE5, COX-2: names, not amounts
DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.,])\d+(?:\.\d+)?(?!\d)")
WORD = re.compile(
    r"\b(" + "|".join(TENS_WORDS) + r")(?:[- ](" + "|".join(k for k in UNITS_WORDS if UNITS_WORDS[k] < 10) + r"))?\b"
    r"|\b(" + "|".join(UNITS_WORDS) + r")\b",
    re.IGNORECASE,
)


def stated(text: str, *, quote: bool = False) -> set[str]:
    """Every number and label in text, normalised ('20', '1.5', 'label:t6')."""
    text = CLOZE_MARK.sub(" ", FACT_REF.sub(" ", text))
    found = {f"label:{m.group(1).lower()}{m.group(2)}" for m in LABEL.finditer(text)}
    text = LABEL.sub(" ", text)
    found |= {canonical(m.group(0).replace(",", "")) for m in DIGITS.finditer(text)}
    for match in WORD.finditer(text):
        tens, unit, alone = match.groups()
        if alone:
            if quote or alone.lower() not in SENTENCE_SKIPS:
                found.add(str(UNITS_WORDS[alone.lower()]))
        else:
            found.add(str(TENS_WORDS[tens.lower()] + (UNITS_WORDS[unit.lower()] if unit else 0)))
    return found


def canonical(digits: str) -> str:
    try:
        value = Decimal(digits).normalize()
    except InvalidOperation:  # the pattern only matches numbers; kept as written all the same
        return digits
    return format(value, "f")


def shown(token: str) -> str:
    """A normalised number as a message shows it."""
    return token.removeprefix("label:").upper() if token.startswith("label:") else token
