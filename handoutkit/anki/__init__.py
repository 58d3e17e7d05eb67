"""Anki decks from the content model.

    lock = load_lock(path)                        # {} if there is no lock yet
    result = build_deck(deck, library, lock, now=int(time.time()), draw=..., history=read_history(path))
    result.apkg, result.lock, result.counts       # write apkg and dump_lock(result.lock)
    problems, warnings = deck_checks(library)     # every deck's content errors and warnings, without building

Modules, in the order data flows: structure/lists (which notes a topic makes,
by the deck's generators, through notes.NoteMaker and markup), order (the
order of new cards), lifecycle (GUIDs, refused changes, retired notes), lock
and history (times and ids, and what shipped before), notetypes and media
(what travels with the notes), describe (the deck description), package (the
bytes), build (the wiring).

May import: content, editions, errors.
"""

from .build import DeckBuild, build_deck, check_decks, deck_checks, deck_findings, rename_problems
from .history import History, read_history
from .lock import dump_lock, load_lock
from .notetypes import NOTETYPES

__all__ = [
    "NOTETYPES",
    "DeckBuild",
    "History",
    "build_deck",
    "check_decks",
    "deck_checks",
    "dump_lock",
    "load_lock",
    "deck_findings",
    "read_history",
    "rename_problems",
]
