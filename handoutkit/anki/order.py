"""The order students meet new cards: clinical content first, words spread among it.

Anki shows new cards by their position (the card's `due`), gathering a day's
limit (20 by default) from the front of the queue. If the words came first,
day one would be twenty pronunciation and meaning siblings; instead each
topic's core notes keep the handout's order and one vocabulary note follows
every few of them. Retired notes go last: nobody should meet them first.
"""

from __future__ import annotations

from .notes import VOCAB, NoteSpec


def study_order(specs: list[NoteSpec]) -> list[NoteSpec]:
    """specs (topic by topic, in file order) rearranged so vocabulary is interleaved per topic."""
    ordered: list[NoteSpec] = []
    for topic_id in dict.fromkeys(spec.topic_id for spec in specs):
        ordered += interleave([s for s in specs if s.topic_id == topic_id])
    return ordered


def interleave(specs: list[NoteSpec]) -> list[NoteSpec]:
    core = [s for s in specs if s.group != VOCAB]
    vocab = [s for s in specs if s.group == VOCAB]
    if not core or not vocab:
        return core + vocab
    # Vocabulary note j goes after core note (j + 1) * len(core) / (len(vocab) + 1): evenly
    # spread, never first (the first card a student sees is a clinical one).
    slots: dict[int, list[NoteSpec]] = {}
    for j, spec in enumerate(vocab):
        slots.setdefault((j + 1) * len(core) // (len(vocab) + 1), []).append(spec)
    merged = []
    for i, spec in enumerate(core, start=1):
        merged.append(spec)
        merged += slots.get(i, [])
    merged += slots.get(0, [])  # only when there are more words than core notes (never for i = 0 otherwise)
    return merged
