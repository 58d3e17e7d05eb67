"""The review sheet's data: every PEMAT-P and CDC item per patient edition, for a person to rate.

The program's own result is printed beside each item it checks (a rater may
overrule it); the items it cannot check get blank boxes. Only editions whose
PEMAT or CDC gate is on are listed: the instruments are for patient materials.
"""

from __future__ import annotations

import datetime as dt

from ..content.library import Library
from . import QualityCard, assess_topic

RESULT_WORDS = {True: "met", False: "not met", None: "N/A"}


def sheet_view(library: Library, topic_id: str, today: dt.date) -> dict:
    topic = library.topics[topic_id]
    editions = {e.id: e for e in library.editions}
    cards = [
        c
        for c in assess_topic(library, topic_id, today)
        if editions[c.edition].gates.pemat != "off" or editions[c.edition].gates.clear_communication != "off"
    ]
    return {
        "title": topic.title,
        "topic_id": topic_id,
        "status": topic.review.status,
        "next_due": topic.review.next_due.isoformat(),
        "today": today.isoformat(),
        "editions": [
            edition_view(group[0], " and ".join(editions[c.edition].label for c in group))
            for group in by_audience(cards, editions).values()
        ],
    }


def by_audience(cards: list[QualityCard], editions: dict) -> dict[str, list[QualityCard]]:
    """Editions of one audience (standard and large print) read the same text: one rating serves both."""
    groups: dict[str, list[QualityCard]] = {}
    for card in cards:
        groups.setdefault(editions[card.edition].audience, []).append(card)
    return groups


def edition_view(card: QualityCard, label: str) -> dict:
    return {
        "id": card.edition,
        "label": label,
        "grade": f"{card.fk_grade:.1f}",
        "words": card.words,
        "instruments": [
            instrument_view(score) for score in (card.understandability, card.actionability, card.clear_communication)
        ],
    }


def instrument_view(score) -> dict:
    return {
        "name": score.name,
        "summary": score.summary(),
        "for_a_person": len(score.for_a_person()),
        "items": [
            {
                "number": r.item.number,
                "text": r.item.text,
                "how": r.item.how,
                "program": RESULT_WORDS[r.met] if r.checked else None,
            }
            for r in score.ratings
        ],
    }
