"""Anki decks from the content model.

    lock = load_lock(path)                        # {} if there is no lock yet
    result = build_deck(deck, topics, root, lock, now=int(time.time()))
    result.apkg, result.lock, result.counts       # write apkg and dump_lock(result.lock)

Modules, in the order data flows: structure/lists (which notes a topic makes,
through notes.NoteMaker and markup), notetypes and media (what travels with
them), lock and ids (times and ids), package (the bytes), build (the wiring).

May import: content, editions, errors.
"""

from .build import DeckBuild, build_deck
from .lock import dump_lock, load_lock
from .notetypes import NOTETYPES

__all__ = ["NOTETYPES", "DeckBuild", "build_deck", "dump_lock", "load_lock"]
