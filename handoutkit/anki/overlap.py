"""Generated cards that would repeat a hand-written card's fact.

A glossary term's "what does it mean?" card is generated; the topic's author
may already have written a card for the same fact ("What is AD?", "What class
of drug is etidronate?"). Studying both spends two review slots on one fact,
and the second is answered from memory of the first. So a meaning card is left
out when a hand-written card for the deck's audience names the term and
shares its meaning:

- half or more of the meaning's words are on the card, or half or more of the
  card's answer words are in the meaning (only for a meaning of 3+ words:
  "The making of bone" shares "bone" with half the cards about bone), or
- the meaning's head (up to the first ';', ',' or '.') is one or two words the
  card has ("Goosebumps" for piloerection, on "...goosebumps (piloerection)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.model import ClozeCard, Topic
from ..editions.select import is_for, resolve
from .markup import DELETION_RE
from .text import coverage, mentions, words

SHARED = 0.5  # the share of meaning words that makes two cards one fact
HEAD_WORDS = 2  # a meaning whose head is this short is a synonym: "Goosebumps"


@dataclass(frozen=True)
class Written:
    """A hand-written card as text: what it asks, what it answers, and both."""

    id: str
    answer: str
    whole: str


def written_cards(topic: Topic, audience: str) -> list[Written]:
    cards = []
    for card in topic.cards:
        if not is_for(card, audience):
            continue
        if isinstance(card, ClozeCard):
            answer = " ".join(m.group(2) for m in DELETION_RE.finditer(card.text))
            whole = DELETION_RE.sub(lambda m: m.group(2), card.text)
        else:
            answer = resolve(card.back, audience)
            whole = f"{resolve(card.front, audience)} {answer}"
        cards.append(Written(card.id, answer, whole))
    return cards


def repeated_by(term: str, meaning: str, cards: list[Written]) -> str | None:
    """The id of the first hand-written card that teaches what term means, or None."""
    head = re.split(r"[;,.]", meaning, maxsplit=1)[0]
    for card in cards:
        if not mentions(card.whole, term):
            continue
        if len(words(meaning)) >= 3 and max(coverage(meaning, card.whole), coverage(card.answer, meaning)) >= SHARED:
            return card.id
        if 0 < len(words(head)) <= HEAD_WORDS and coverage(head, card.whole) == 1.0:
            return card.id
    return None
