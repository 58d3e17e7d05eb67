"""The order students meet new cards: the deck's teaching order, whatever its decks are called.

Anki (default options) gathers a day's new cards (20) deck by deck, subdecks in
name order, each deck's cards by position (the card's `due`), then shows
them by card type: every first card (ord 0) of the day before every second
card (a meaning card, a cloze's c2). So:

- every card goes to the deck itself, never to a topic's subdeck (notes.py):
  the alphabet would choose the first topic;
- topics come in the deck file's order, and each topic's notes in the
  deck's `order` for it (section ids and card ids, e.g. what it is, signs,
  numbers, what to do, then reasoning and exam cards); the rest keep the
  handout's order after them;
- a word (how to say it, what it means) comes right after the first card
  that uses it, the topic's name after the first card;
- a note's second card comes a day's worth of cards after its first, and
  no second card is among the first day's: siblings never meet on one day,
  and day one shows in exactly the declared order.

Retired notes come last (build.py): nobody should meet them first.
"""

from __future__ import annotations

from ..content.config import Deck
from .notes import VOCAB, NoteSpec
from .text import mentions, plain

DAY = 20  # new cards a day with Anki's default options


def topic_order(specs: list[NoteSpec], deck: Deck, topic_id: str) -> list[NoteSpec]:
    """One topic's notes (in file order) in the deck's teaching order; topics follow the deck file's order."""
    core = ranked([s for s in specs if s.group != VOCAB], deck.order.get(topic_id, []))
    return with_words(core, [s for s in specs if s.group == VOCAB])


def ranked(core: list[NoteSpec], order: list[str]) -> list[NoteSpec]:
    """Notes named in order (a card by its id, others by their section) first, in that order; then the rest."""
    position = {name: index for index, name in enumerate(order)}

    def rank(pair: tuple[int, NoteSpec]) -> tuple[int, int]:
        index, spec = pair
        if spec.kind == "card" and spec.item in position:
            return position[spec.item], index
        return position.get(spec.section, len(order)), index

    return [spec for _, spec in sorted(enumerate(core), key=rank)]


def with_words(core: list[NoteSpec], vocab: list[NoteSpec]) -> list[NoteSpec]:
    """Each word after the first core note that uses it (the topic's name after the first); the rest at the end."""
    texts = [plain(" ".join(spec.fields.get(k, "") for k in ("Front", "Back", "Text"))) for spec in core]
    after: dict[int, list[NoteSpec]] = {}
    for spec in vocab:
        term = plain(spec.fields.get("Term", ""))
        first = (
            0
            if spec.kind == "title"
            else next((i for i, text in enumerate(texts) if mentions(text, term)), len(core) - 1)
        )
        after.setdefault(max(first, 0), []).append(spec)
    merged: list[NoteSpec] = []
    for index, spec in enumerate(core):
        merged += [spec] + after.pop(index, [])
    return merged + [spec for rest in after.values() for spec in rest]


def card_positions(notes: list[tuple[str, list[int]]]) -> dict[tuple[str, int], int]:
    """(guid, ord) -> new-card position, for notes in study order.

    A note's first card takes the next place; each further card waits a day's worth of
    first cards, and none enters the first day (Anki shows a day's second cards last).
    """
    positions: dict[tuple[str, int], int] = {}
    waiting: list[tuple[int, str, int]] = []  # (first cards placed before it may come, guid, ord)
    placed_first = 0

    def place(key: tuple[str, int]) -> None:
        positions[key] = len(positions)

    def release() -> None:
        for item in [w for w in waiting if w[0] <= placed_first]:
            waiting.remove(item)
            place(item[1:])

    for guid, ords in notes:
        if not ords:
            continue
        first, *later = ords
        if first == 0 or placed_first >= DAY:
            place((guid, first))
            placed_first += 1
        else:
            waiting.append((DAY, guid, first))
        waiting += [(max(placed_first + DAY * n, DAY), guid, o) for n, o in enumerate(later, start=1)]
        waiting.sort(key=lambda w: w[0])
        release()
    for _, guid, ord_ in sorted(waiting, key=lambda w: w[0]):
        place((guid, ord_))
    return positions
