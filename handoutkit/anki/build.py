"""Build one deck: select each topic for the deck's audience, make notes, stamp
them against the lock, and write the package. Returns bytes; writes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import genanki

from ..content.config import Deck
from ..content.library import HANDOUTS_DIR
from ..content.model import Topic
from ..editions.select import select_edition
from ..errors import ContentError, Problem
from . import markup
from .ids import note_guid, timestamp_ids
from .lock import LOCK_VERSION, Stamp, content_hash, stamp
from .media import card_fonts, font_faces
from .notes import NoteMaker, NoteSpec
from .notetypes import NOTETYPES, Notetype, NotetypeDef, load_notetypes
from .package import NoteRow, write_apkg
from .structure import add_topic


@dataclass(frozen=True)
class DeckBuild:
    apkg: bytes  # the .apkg file
    lock: dict  # the lock to write back next to the deck file (see lock.dump_lock)
    counts: dict  # notes, cards, media; per kind; new/changed/unchanged/removed notes


def build_deck(
    deck: Deck,
    topics: dict[str, Topic],
    root: Path,
    lock: dict,
    *,
    now: int,
    notetypes: tuple[NotetypeDef, ...] = NOTETYPES,
) -> DeckBuild:
    """The deck's package and updated lock; `now` (int seconds) dates changed notes."""
    root = Path(root)
    fonts = card_fonts(root)
    types = load_notetypes(root, font_faces(fonts), notetypes)
    specs = collect_notes(deck, topics, root)
    check_unique(specs)
    type_stamps = stamp_notetypes(types, lock, now)
    rows, note_stamps = note_rows(specs, types, lock, now)
    media = [m for spec in specs for m in spec.media] + list(fonts.values())
    notetypes_json = [nt.model().to_json(type_stamps[key].mod, deck.deck_id) for key, nt in types.items()]
    apkg = write_apkg(deck_json(deck, topics), notetypes_json, rows, media)
    new_lock = updated_lock(types, type_stamps, specs, rows, note_stamps)
    return DeckBuild(apkg, new_lock, count(specs, rows, note_stamps, lock, media))


def updated_lock(types, type_stamps, specs, rows, note_stamps) -> dict:
    """Every current note type and note with its hash and mod; removed notes drop out."""
    notetypes = {
        str(nt.id): {"name": nt.definition.name, "hash": type_stamps[key].hash, "mod": type_stamps[key].mod}
        for key, nt in types.items()
    }
    notes = {
        row.guid: {"uid": spec.uid, "hash": st.hash, "mod": st.mod} for spec, row, st in zip(specs, rows, note_stamps)
    }
    return {"version": LOCK_VERSION, "notetypes": dict(sorted(notetypes.items())), "notes": dict(sorted(notes.items()))}


def collect_notes(deck: Deck, topics: dict[str, Topic], root: Path) -> list[NoteSpec]:
    specs = []
    for topic_id in deck.topics:
        topic = topics[topic_id]
        maker = NoteMaker(select_edition(topic, deck.audience), topic, deck.audience, deck.tags, root / HANDOUTS_DIR)
        add_topic(maker)
        specs += maker.notes
    return specs


def check_unique(specs: list[NoteSpec]) -> None:
    """Two notes with one UID would be one note in Anki; only glossary terms can collide."""
    problems = []
    for uid, n in Counter(spec.uid for spec in specs).items():
        if n > 1:
            topic_id, _, kind, item = uid.split("/", 3)
            message = f"expected terms that give different card ids, found {n} terms giving '{kind}/{item}'"
            problems.append(Problem(f"{HANDOUTS_DIR}/{topic_id}.yaml", 1, 1, "glossary", message))
    if problems:
        raise ContentError(problems)


def stamp_notetypes(types: dict[str, Notetype], lock: dict, now: int) -> dict[str, Stamp]:
    return {key: stamp(nt.content_hash(), entry(lock, "notetypes", str(nt.id)), now) for key, nt in types.items()}


def entry(lock: dict, section: str, key: str) -> dict | None:
    return (lock.get(section) or {}).get(key)


def note_rows(
    specs: list[NoteSpec], types: dict[str, Notetype], lock: dict, now: int
) -> tuple[list[NoteRow], list[Stamp]]:
    """Each note's fields, cards and stamp; ids follow from the stamps."""
    models = {key: nt.model() for key, nt in types.items()}
    prepared = []
    for spec in specs:
        definition = types[spec.notetype].definition
        values = field_values(definition, spec)
        guid = note_guid(spec.uid)
        digest = content_hash(definition.id, definition.field_names, values, spec.tags)
        ords = card_ords(models[spec.notetype], values, guid)
        if not ords:
            raise ContentError([no_cards_problem(spec)])
        prepared.append((spec, guid, values, ords, stamp(digest, entry(lock, "notes", guid), now)))
    note_ids = timestamp_ids([st.mod for *_, st in prepared])
    card_ids = iter(timestamp_ids([st.mod for *_, ords, st in prepared for _ in ords]))
    rows = []
    for position, (note_id, (spec, guid, values, ords, st)) in enumerate(zip(note_ids, prepared), start=1):
        cards = tuple((next(card_ids), ord_) for ord_ in ords)
        rows.append(NoteRow(note_id, guid, types[spec.notetype].id, st.mod, spec.tags, values, position, cards))
    return rows, [st for *_, st in prepared]


def no_cards_problem(spec: NoteSpec) -> Problem:
    """Only an author's cloze can make no card: its deletions are all numbered c0."""
    topic_id, _, _, item = spec.uid.split("/", 3)
    message = f"expected deletions numbered from c1 (like {{{{c1::answer}}}}), found none in card '{item}'"
    return Problem(f"{HANDOUTS_DIR}/{topic_id}.yaml", 1, 1, "cards", message)


def field_values(definition: NotetypeDef, spec: NoteSpec) -> tuple[str, ...]:
    unknown = set(spec.fields) - set(definition.field_names)
    if unknown:
        raise ValueError(f"{spec.uid}: fields {sorted(unknown)} are not in note type {definition.name!r}")
    return tuple(spec.fields.get(name, "") for name in definition.field_names)


def card_ords(model: genanki.Model, values: tuple[str, ...], guid: str) -> list[int]:
    """Which cards Anki will make of these fields (genanki reads the templates' requirements)."""
    note = genanki.Note(model=model, fields=list(values), guid=guid)
    return sorted(card.ord for card in note.cards)


def deck_json(deck: Deck, topics: dict[str, Topic]) -> dict:
    titles = ", ".join(topics[t].title for t in deck.topics)
    description = (
        f"<p>Flashcards from the handout{'s' if len(deck.topics) > 1 else ''}: {markup.escape(titles)}.</p>"
        "<p>Each card names its source and the handout section it comes from. To get corrections, "
        "import a newer copy of this deck: your study progress is kept.</p>"
    )
    return genanki.Deck(deck.deck_id, deck.name, description).to_json()


def count(specs: list[NoteSpec], rows: list[NoteRow], stamps: list[Stamp], lock: dict, media: list) -> dict:
    kinds: dict[str, dict[str, int]] = {}
    for spec, row in zip(specs, rows):
        kind = kinds.setdefault(spec.kind, {"notes": 0, "cards": 0})
        kind["notes"] += 1
        kind["cards"] += len(row.cards)
    statuses = Counter(st.status for st in stamps)
    current = {row.guid for row in rows}
    return {
        "notes": len(rows),
        "cards": sum(len(row.cards) for row in rows),
        "media": len({m.name for m in media}),
        "kinds": kinds,
        "new": statuses["new"],
        "changed": statuses["changed"],
        "unchanged": statuses["unchanged"],
        "removed": len(set(lock.get("notes") or {}) - current),
    }
