"""Renames that forgot `previous_ids`: a retired note and a new one that teach the same thing.

Changing a card's id without `previous_ids` retires the student's studied note
and ships an identical new one at zero reviews, and nothing else looks wrong. So
when a build would retire a note and add a card of the same topic and note type
whose text is the same or nearly so, it says so, naming both ids and the line to
add. A card that really is a new fact says `new_fact: true`.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ..content.library import Library
from ..errors import Problem

SIMILAR = 0.85  # share of matching characters above which two labels are one card reworded


def likely_renames(planned: list, lock: dict, types: dict, library: Library, docs: dict) -> list[Problem]:
    notes = lock.get("notes") or {}
    current = {p.guid for p in planned}
    leaving = [e for g, e in notes.items() if g not in current and not e.get("retired")]
    problems = []
    for p in planned:
        spec = p.spec
        if p.guid in notes or spec.kind != "card" or is_new_fact(library, spec):
            continue
        for entry in leaving:
            if same_place(entry, spec, types) and similar(entry["label"], spec.label):
                old, new = entry["uid"].rsplit("/", 1)[1], spec.uid.rsplit("/", 1)[1]
                problems.append(
                    docs[spec.topic_id].problem(
                        spec.loc + ("id",),
                        (
                            f"expected previous_ids: [{old}] or new_fact: true, found card '{new}' with the text of "
                            f"card "
                            f"'{old}', which this build retires; students would restart it at zero: add "
                            f"previous_ids: [{old}] "
                            "to keep their reviews, or new_fact: true if it is a new fact"
                        ),
                    )
                )
                break
    return problems


def same_place(entry: dict, spec, types: dict) -> bool:
    topic, audience, kind = entry["uid"].split("/")[:3]
    return (topic, audience, kind) == tuple(spec.uid.split("/")[:3]) and entry["notetype"] == types[spec.notetype].id


def similar(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= SIMILAR


def is_new_fact(library: Library, spec) -> bool:
    item = spec.uid.rsplit("/", 1)[1]
    cards = {c.id: c for c in library.topics[spec.topic_id].cards}
    return item in cards and cards[item].new_fact
