"""Build one deck: make each topic's notes for the deck, give them GUIDs and times
against the lock, retire what is gone, and write the package. Returns bytes; writes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ..content.config import Deck
from ..content.library import DECKS_DIR, HANDOUTS_DIR, Library
from ..errors import ContentError, Problem
from .describe import deck_description, release_of
from .history import History
from .ids import timestamp_ids
from .lifecycle import Retired, assign_guids, refusals, retired_notes
from .renames import likely_renames
from .lock import LOCK_VERSION, Stamp, content_hash, load_lock, stamp
from .media import card_fonts, font_faces
from .notes import NoteMaker, NoteSpec
from .notetypes import NOTETYPES, Notetype, NotetypeDef, load_notetypes
from .order import study_order
from .package import NoteRow, write_apkg
from .structure import add_topic


@dataclass(frozen=True)
class DeckBuild:
    apkg: bytes  # the .apkg file
    lock: dict  # the lock to write back next to the deck file (see lock.dump_lock)
    counts: dict  # notes, cards, media, kinds; new/changed/unchanged/retired notes of this build
    changes: dict = field(default_factory=dict)  # new, changed, retired: the UIDs, for the manifest
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    """A current note, ready to stamp: its GUID, field values and card numbers."""

    spec: NoteSpec
    guid: str
    values: tuple[str, ...]
    ords: list[int]


def build_deck(
    deck: Deck,
    library: Library,
    lock: dict,
    *,
    now: int,
    draw=None,
    history: History | None = None,
    notetypes: tuple[NotetypeDef, ...] = NOTETYPES,
) -> DeckBuild:
    """The deck's package and updated lock; `now` (int seconds) dates changed notes.

    `draw(figure, alt) -> bytes` renders a drawn figure (the handouts' body-sites
    diagram) as SVG; `history` is what the lock shipped before (history.read_history).
    """
    history = history or History()
    root = Path(library.root)
    fonts = card_fonts(root)
    types = load_notetypes(root, font_faces(fonts), notetypes)
    planned = plan_notes(deck, library, lock, types, draw)
    today = dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()
    retired = retired_notes({p.guid for p in planned}, lock, deck, types, today)
    stamps = [stamp_note(p.guid, p.spec.notetype and types[p.spec.notetype], p.values, p.spec.tags, lock, now, history)
              for p in planned]
    retired_stamps = [stamp_retired(r, types, lock, now, history) for r in retired]
    rows = note_rows(planned, stamps, retired, retired_stamps, types)
    type_stamps = {key: stamp(nt.content_hash(), entry(lock, "notetypes", str(nt.id)), now,
                              history.newest_other("notetypes", str(nt.id), nt.content_hash()))
                   for key, nt in types.items()}
    changes = change_lists(planned, stamps, retired, retired_stamps)
    release = release_of(changes, planned, stamps, retired, lock, dropped_cards(planned, lock))
    media = [m for p in planned for m in p.spec.media] + list(fonts.values())
    notetypes_json = [nt.model().to_json(type_stamps[key].mod, deck.deck_id) for key, nt in types.items()]
    apkg = write_apkg(decks_json(deck, library, release, root_note_count(planned)), notetypes_json, rows, media)
    new_lock = updated_lock(types, type_stamps, planned, stamps, retired, retired_stamps, release)
    counts = count(planned, rows, stamps, retired, retired_stamps, media) | {"dropped_cards": dropped_cards(planned, lock)}
    warnings = [] if not history.shallow else [(
        f"decks/{deck.id}.lock.json: the git history is shallow, so a reverted correction may not reach "
        "students; build releases from a full clone (e.g. actions/checkout with fetch-depth: 0)")]
    return DeckBuild(apkg, new_lock, counts, {k: [u for u, _ in v] for k, v in changes.items()}, warnings)


def check_decks(library: Library) -> list[Problem]:
    """Every deck's problems against its lock (a lock that is not the build's is one too)."""
    problems = []
    for deck in library.decks:
        try:
            lock = load_lock(lock_path(library, deck))
        except ContentError as exc:
            problems += exc.problems
            continue
        problems += check_deck(deck, library, lock)
    return problems


def lock_path(library: Library, deck: Deck) -> Path:
    return Path(library.root) / DECKS_DIR / f"{deck.id}.lock.json"


def rename_problems(library: Library) -> list[Problem]:
    """Every deck's new cards that look like a retired card renamed without previous_ids (see renames.py)."""
    problems = []
    types = load_notetypes(Path(library.root), "", NOTETYPES)
    for deck in library.decks:
        try:
            lock = load_lock(lock_path(library, deck))
            planned = plan_notes(deck, library, lock, types, draw=lambda figure, alt: b"")
        except ContentError:
            continue  # check_decks reports these
        problems += likely_renames(planned, lock, types, library, library.documents)
    return problems


def check_deck(deck: Deck, library: Library, lock: dict, notetypes: tuple[NotetypeDef, ...] = NOTETYPES) -> list[Problem]:
    """The problems build_deck would raise, without making the package (for `build.py check`)."""
    types = load_notetypes(Path(library.root), "", notetypes)
    try:
        plan_notes(deck, library, lock, types, draw=lambda figure, alt: b"")
    except ContentError as exc:
        return exc.problems
    return []


def plan_notes(deck: Deck, library: Library, lock: dict, types: dict[str, Notetype], draw) -> list[Planned]:
    """Every current note in study order, with its GUID; raise ContentError for what cannot ship."""
    specs = study_order(collect_notes(deck, library, draw))
    guids = assign_guids(specs, lock)
    models = {key: nt.model() for key, nt in types.items()}
    planned, problems = [], []
    for spec, guid in zip(specs, guids):
        values = field_values(types[spec.notetype].definition, spec)
        ords = card_ords(models[spec.notetype], values, guid)
        if not ords:
            problems.append(library.documents[spec.topic_id].problem(spec.loc + ("text",), no_cards_message(spec)))
        planned.append(Planned(spec, guid, values, ords))
    problems += refusals(specs, guids, [p.ords for p in planned], types, lock, library.documents)
    problems += duplicate_guids(planned, library)
    if problems:
        raise ContentError(problems)
    return planned


def collect_notes(deck: Deck, library: Library, draw) -> list[NoteSpec]:
    specs, problems = [], []
    for topic_id in deck.topics:
        doc = library.documents[topic_id]
        maker = NoteMaker(library.topics[topic_id], deck, doc, library.root / HANDOUTS_DIR, draw)
        add_topic(maker)
        specs += maker.notes
        problems += maker.problems
    if problems:
        raise ContentError(problems)
    return specs


def duplicate_guids(planned: list[Planned], library: Library) -> list[Problem]:
    """Two notes with one GUID would be one note in Anki: ids made from words can collide."""
    first: dict[str, NoteSpec] = {}
    problems = []
    for p in planned:
        if p.guid not in first:
            first[p.guid] = p.spec
            continue
        doc = library.documents[p.spec.topic_id]
        other = first[p.guid]
        line = library.documents[other.topic_id].positions.of_value(other.loc)[0]
        item = p.spec.uid.split("/", 2)[2]
        message = (f"expected a deck id of its own, found '{item}', also given to the entry at line {line}; "
                   "add an `id:` to one of them")
        problems.append(doc.problem(p.spec.loc, message))
    return problems


def no_cards_message(spec: NoteSpec) -> str:
    """Only an author's cloze can make no card: its deletions are all numbered c0."""
    item = spec.uid.rsplit("/", 1)[1]
    return f"expected deletions numbered from c1 (like {{{{c1::answer}}}}), found none in card '{item}'"


def field_values(definition: NotetypeDef, spec: NoteSpec) -> tuple[str, ...]:
    unknown = set(spec.fields) - set(definition.field_names)
    if unknown:
        raise ValueError(f"{spec.uid}: fields {sorted(unknown)} are not in note type {definition.name!r}")
    return tuple(spec.fields.get(name, "") for name in definition.field_names)


def card_ords(model: genanki.Model, values: tuple[str, ...], guid: str) -> list[int]:
    """Which cards Anki will make of these fields (genanki reads the templates' requirements)."""
    note = genanki.Note(model=model, fields=list(values), guid=guid)
    return sorted(card.ord for card in note.cards)


def entry(lock: dict, section: str, key: str) -> dict | None:
    return (lock.get(section) or {}).get(key)


def stamp_note(guid, notetype: Notetype, values, tags, lock, now, history: History) -> Stamp:
    digest = content_hash(notetype.definition.id, notetype.definition.field_names, values, tags)
    return stamp(digest, entry(lock, "notes", guid), now, history.newest_other("notes", guid, digest))


def stamp_retired(note: Retired, types, lock, now, history: History) -> Stamp:
    notetype = next(nt for nt in types.values() if nt.id == note.entry["notetype"])
    return stamp_note(note.guid, notetype, note.fields, note.tags, lock, now, history)


def note_rows(planned, stamps, retired, retired_stamps, types) -> list[NoteRow]:
    """Current notes in study order, then retired ones; ids follow from the stamps."""
    items = [(p.guid, types[p.spec.notetype].id, p.spec.tags, p.values, p.ords, p.spec.deck_id)
             for p in planned]
    items += [(r.guid, r.entry["notetype"], r.tags, r.fields, r.entry["cards"] or [0], r.deck_id) for r in retired]
    mods = [st.mod for st in stamps + retired_stamps]
    note_ids = timestamp_ids(mods)
    card_ids = iter(timestamp_ids([mod for mod, item in zip(mods, items) for _ in item[4]]))
    rows = []
    for position, (note_id, mod, (guid, mid, tags, values, ords, deck_id)) in enumerate(zip(note_ids, mods, items), 1):
        cards = tuple((next(card_ids), ord_) for ord_ in ords)
        rows.append(NoteRow(note_id, guid, mid, mod, tags, values, position, cards, deck_id))
    return rows


def change_lists(planned, stamps, retired, retired_stamps) -> dict[str, list[tuple[str, str]]]:
    """(uid, label) of the notes this build adds, changes and retires."""
    changes = {"new": [], "changed": [], "retired": []}
    for p, st in zip(planned, stamps):
        if st.status != "unchanged":
            changes[st.status].append((p.spec.uid, p.spec.label))
    for r, st in zip(retired, retired_stamps):
        if st.status != "unchanged":
            changes["retired"].append((r.entry["uid"], r.entry["label"]))
    return changes


def dropped_cards(planned: list[Planned], lock: dict) -> int:
    """Cards of current notes that a generator no longer makes: blank until Tools > Empty Cards."""
    notes = lock.get("notes") or {}
    return sum(len(set(notes[p.guid]["cards"]) - set(p.ords)) for p in planned if p.guid in notes)


def updated_lock(types, type_stamps, planned, stamps, retired, retired_stamps, release) -> dict:
    notetypes = {
        str(nt.id): {"name": nt.definition.name, "hash": type_stamps[key].hash, "mod": type_stamps[key].mod}
        for key, nt in types.items()
    }
    notes = {
        p.guid: {"uid": p.spec.uid, "hash": st.hash, "mod": st.mod, "notetype": types[p.spec.notetype].id,
                 "cards": p.ords, "label": p.spec.label}
        for p, st in zip(planned, stamps)
    }
    for r, st in zip(retired, retired_stamps):
        notes[r.guid] = dict(r.entry, hash=st.hash, mod=st.mod)
    lock = {"version": LOCK_VERSION, "notetypes": dict(sorted(notetypes.items())), "notes": dict(sorted(notes.items()))}
    if release:
        lock["release"] = release
    return lock


def root_note_count(planned: list[Planned]) -> Counter:
    return Counter(p.spec.topic_id for p in planned)


def decks_json(deck: Deck, library: Library, release: dict | None, per_topic: Counter) -> list[dict]:
    """The deck, and for a course deck each topic's subdeck, with its description."""
    topics = [library.topics[t] for t in deck.topics]
    decks = [genanki.Deck(deck.deck_id, deck.name, deck_description(deck, topics, release)).to_json()]
    for topic_id in deck.topics:
        if topic_id in deck.subdecks:
            deck_id, name = deck.deck_of(topic_id)
            decks.append(genanki.Deck(deck_id, name, deck_description(deck, [library.topics[topic_id]], release)).to_json())
    return decks


def count(planned, rows, stamps, retired, retired_stamps, media) -> dict:
    kinds: dict[str, dict[str, int]] = {}
    for p in planned:
        kind = kinds.setdefault(p.spec.kind, {"notes": 0, "cards": 0})
        kind["notes"] += 1
        kind["cards"] += len(p.ords)
    statuses = Counter(st.status for st in stamps)
    live_cards = sum(len(p.ords) for p in planned)
    return {
        "notes": len(planned),
        "cards": live_cards,
        "media": len({m.name for m in media}),
        "kinds": kinds,
        "new": statuses["new"],
        "changed": statuses["changed"],
        "unchanged": statuses["unchanged"],
        "retired": sum(1 for st in retired_stamps if st.status != "unchanged"),
        "retired_total": len(retired),
        "retired_cards": sum(len(row.cards) for row in rows) - live_cards,
    }
