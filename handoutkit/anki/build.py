"""Build one deck: make each topic's notes for the deck, give them GUIDs and times
against the lock, retire what is gone, and write the packages. Returns bytes; writes nothing.

Two files per deck (docs/students.md): one for a first import, with the live
notes only (a newcomer never meets a retired card), and one for students of an
earlier release: the same live notes, each whose answer changed tagged
`<root>::changed::<date>`, and every retired note, so the student's old copy is
marked retired instead of staying as it was.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ..content.config import Deck
from ..content.library import DECKS_DIR, HANDOUTS_DIR, Library
from ..content.source import load_document
from ..errors import ContentError, Problem, quote
from .answers import answer_changed, answer_of
from .describe import deck_description, release_of
from .history import History, read_history
from .ids import timestamp_ids
from .lifecycle import Retired, assign_guids, refusals, retired_notes
from .lock import LOCK_VERSION, Stamp, content_hash, load_lock, stamp
from .media import card_fonts, font_faces
from .notes import NoteMaker, NoteSpec
from .notetypes import NOTETYPES, Notetype, NotetypeDef, load_notetypes
from .order import card_positions, topic_order
from .package import NoteRow, write_apkg
from .renames import likely_renames
from .structure import add_topic
from .wording import question_problems


@dataclass(frozen=True)
class DeckBuild:
    apkg: bytes  # the file for a first import: live notes only
    lock: dict  # the lock to write back next to the deck file (see lock.dump_lock)
    counts: dict  # notes, cards, media, kinds; new/changed/unchanged/retired notes of this build; answers changed
    changes: dict = field(default_factory=dict)  # new, changed, answers, retired: the UIDs, for the manifest
    warnings: list[str] = field(default_factory=list)
    update: bytes = b""  # the file for students of an earlier release: live and retired notes, changes tagged
    order: list[tuple[str, int]] = field(default_factory=list)  # (UID, card number) of live cards, in new-card order


@dataclass(frozen=True)
class Planned:
    """A current note, ready to stamp: its GUID, field values, card numbers and answer."""

    spec: NoteSpec
    guid: str
    values: tuple[str, ...]
    ords: list[int]
    answer: str = ""


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
    """The deck's packages and updated lock; `now` (int seconds) dates changed notes.

    `draw(figure, alt) -> bytes` renders a drawn figure (the handouts' body-sites
    diagram) as SVG; `history` is what the lock shipped before (history.read_history).
    """
    history = history or History()
    refuse_lost_lock(deck, lock, history)
    root = Path(library.root)
    fonts = card_fonts(root)
    types = load_notetypes(root, font_faces(fonts), notetypes)
    planned = plan_notes(deck, library, lock, types, draw)
    today = dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()
    retired = retired_notes({p.guid for p in planned}, lock, deck, types, today)
    stamps = [
        stamp_note(p.guid, p.spec.notetype and types[p.spec.notetype], p.values, p.spec.tags, lock, now, history)
        for p in planned
    ]
    retired_stamps = [stamp_retired(r, types, lock, now, history) for r in retired]
    answered = answer_dates(planned, stamps, lock, today)
    positions = card_positions([(p.guid, p.ords) for p in planned])
    rows = note_rows(planned, stamps, retired, retired_stamps, types, positions)
    type_stamps = {
        key: stamp(
            nt.content_hash(),
            entry(lock, "notetypes", str(nt.id)),
            now,
            history.newest_other("notetypes", str(nt.id), nt.content_hash()),
        )
        for key, nt in types.items()
    }
    changes = change_lists(planned, stamps, retired, retired_stamps, answered, today)
    release = release_of(changes, planned, stamps, retired, lock, dropped_cards(planned, lock))
    media = [m for p in planned for m in p.spec.media] + list(fonts.values())
    notetypes_json = [nt.model().to_json(type_stamps[key].mod, deck.deck_id) for key, nt in types.items()]
    live = rows[: len(planned)]
    apkg = write_apkg(decks_json(deck, library, release, "first"), notetypes_json, live, media)
    update = write_apkg(
        decks_json(deck, library, release, "update"),
        notetypes_json,
        tagged(live, answered, deck.root_tag) + rows[len(planned) :],
        media,
    )
    new_lock = updated_lock(types, type_stamps, planned, stamps, retired, retired_stamps, release, answered)
    counts = count(planned, rows, stamps, retired, retired_stamps, media) | {
        "dropped_cards": dropped_cards(planned, lock),
        "answers": len(changes["answers"]),
        "changed_tag": changed_tag(deck.root_tag, today),
    }
    order = sorted(((p.spec.uid, o) for p in planned for o in p.ords), key=lambda k: positions[guid_of(planned, k)])
    return DeckBuild(
        apkg,
        new_lock,
        counts,
        {k: [u for u, _ in v] for k, v in changes.items()},
        history_warnings(deck, history),
        update,
        order,
    )


def guid_of(planned: list[Planned], key: tuple[str, int]) -> tuple[str, int]:
    uid, ord_ = key
    return next(p.guid for p in planned if p.spec.uid == uid), ord_


def history_warnings(deck: Deck, history: History) -> list[str]:
    where = f"decks/{deck.id}.lock.json"
    if history.unread:
        return [
            f"{where}: cannot read the lock's history ({history.unread}), so a reverted correction may not "
            "reach students"
        ]
    if history.shallow:
        return [
            f"{where}: the git history is shallow, so a reverted correction may not reach students; "
            "build releases from a full clone (e.g. actions/checkout with fetch-depth: 0)"
        ]
    return []


def refuse_lost_lock(deck: Deck, lock: dict, history: History) -> None:
    """No lock where git has one: every renamed note would get a new GUID, every retired notice would go."""
    if not lock and history.versions:
        raise ContentError([lost_lock_problem(deck)])


def lost_lock_problem(deck: Deck) -> Problem:
    where = f"decks/{deck.id}.lock.json"
    return Problem(
        where,
        1,
        1,
        "",
        (
            "expected the deck lock the build writes, found none, though git has published versions of it; without it "
            "renamed notes get new ids (duplicates, lost progress) and retired notes lose their notice: restore it "
            f"from version control (git log -- {where} lists them)"
        ),
    )


def changed_tag(root: str, day: str) -> str:
    return f"{root}::changed::{day}"


def answer_dates(planned: list[Planned], stamps: list[Stamp], lock: dict, today: str) -> list[str | None]:
    """For each note, the date its answer last changed (None: never since it was first published).

    A lock written before answers were kept cannot tell; a changed note is then dated today, so a
    changed fact is never left under old reviews.
    """
    notes = lock.get("notes") or {}
    dates = []
    for p, st in zip(planned, stamps):
        entry = notes.get(p.guid)
        if entry is None or st.status == "new":
            dates.append(None)
        elif st.status == "changed" and ("answer" not in entry or answer_changed(entry["answer"], p.answer)):
            dates.append(today)
        else:
            dates.append(entry.get("changed"))
    return dates


def tagged(rows: list[NoteRow], answered: list[str | None], root: str) -> list[NoteRow]:
    """The live rows for returning students: each note whose answer changed carries the release's tag."""
    return [
        row
        if day is None
        else NoteRow(
            row.id,
            row.guid,
            row.notetype_id,
            row.mod,
            row.tags + (changed_tag(root, day),),
            row.fields,
            row.cards,
            row.deck_id,
        )
        for row, day in zip(rows, answered)
    ]


def check_decks(library: Library) -> list[Problem]:
    """Every deck's problems against its lock (a lock that is not the build's, or one deleted, is one too)."""
    return deck_checks(library)[0]


def deck_findings(library: Library) -> list[tuple[str, Problem]]:
    """(gate, problem) for what a deck can ship but should not (see deck_checks)."""
    return deck_checks(library)[1]


def rename_problems(library: Library) -> list[Problem]:
    """Every deck's new cards that look like a retired card renamed without previous_ids (see renames.py)."""
    return [problem for gate, problem in deck_findings(library) if gate == "deck_renames"]


def deck_checks(library: Library) -> tuple[list[Problem], list[tuple[str, Problem]]]:
    """What every deck's notes, planned once against its lock, show: the problems build_deck would raise
    (a lock that is not the build's or was deleted, a note Anki could not update), and (gate, problem)
    for what a deck can ship but should not: a rename that forgot previous_ids (deck_renames), a card
    whose wording gives its answer away (deck_questions), a lock whose git history cannot be read
    (deck_history). The findings are warnings; --strict and --release refuse them."""
    problems, findings = [], []
    types = load_notetypes(Path(library.root), "", NOTETYPES)
    for deck in library.decks:
        path = lock_path(library, deck)
        try:
            lock = load_lock(path)
            history = read_history(path)
            if not lock and history.versions:
                raise ContentError([lost_lock_problem(deck)])
            planned = plan_notes(deck, library, lock, types, draw=no_drawing)
        except ContentError as exc:
            problems += exc.problems
            continue
        findings += [("deck_renames", p) for p in likely_renames(planned, lock, types, library, library.documents)]
        findings += [("deck_questions", p) for p in question_problems([p.spec for p in planned], library.documents)]
        findings += [
            ("deck_history", Problem(f"decks/{deck.id}.lock.json", 1, 1, "", warning.split(": ", 1)[1]))
            for warning in history_warnings(deck, history)
        ]
    return problems, findings


def lock_path(library: Library, deck: Deck) -> Path:
    return Path(library.root) / DECKS_DIR / f"{deck.id}.lock.json"


def no_drawing(figure, alt: str) -> bytes:
    """Checks plan notes without drawing their figures (what a drawing holds cannot refuse a note)."""
    return b""


def plan_notes(deck: Deck, library: Library, lock: dict, types: dict[str, Notetype], draw) -> list[Planned]:
    """Every current note in study order, with its GUID; raise ContentError for what cannot ship."""
    specs = collect_notes(deck, library, draw)
    guids = assign_guids(specs, lock)
    models = {key: nt.model() for key, nt in types.items()}
    planned, problems = [], order_problems(deck, library)
    for spec, guid in zip(specs, guids):
        values = field_values(types[spec.notetype].definition, spec)
        ords = card_ords(models[spec.notetype], values, guid)
        if not ords:
            problems.append(library.documents[spec.topic_id].problem(spec.loc + ("text",), no_cards_message(spec)))
        planned.append(Planned(spec, guid, values, ords, answer_of(spec.notetype, spec.fields)))
    problems += refusals(
        specs, guids, [p.ords for p in planned], types, lock, library.documents, [p.answer for p in planned]
    )
    problems += duplicate_guids(planned, library)
    if problems:
        raise ContentError(problems)
    return planned


def collect_notes(deck: Deck, library: Library, draw) -> list[NoteSpec]:
    """Every topic's notes, topic by topic in the deck's order, each topic's in its teaching order."""
    specs, problems = [], []
    for topic_id in deck.topics:
        notes, found = topic_notes(deck, library, topic_id, draw)
        specs += notes
        problems += found
    if problems:
        raise ContentError(problems)
    return specs


def topic_notes(deck: Deck, library: Library, topic_id: str, draw) -> tuple[list[NoteSpec], list[Problem]]:
    """One topic's notes in teaching order, and their problems: made once per topic, deck and drawing.

    A build plans each deck two or three times (check, findings, build); watch and serve keep an
    unchanged topic's notes from save to save (library.derived, like its selections), so a save costs
    the saved topic's notes only. A note depends on its topic, the deck and the figure files, and
    watch forgets everything derived when a figure file changes.
    """
    key = (topic_id, "notes", deck.model_dump_json(), draw)
    if key not in library.derived:
        doc = library.documents[topic_id]
        maker = NoteMaker(library.topics[topic_id], deck, doc, library.root / HANDOUTS_DIR, draw)
        add_topic(maker)
        library.derived[key] = (topic_order(maker.notes, deck, topic_id), maker.problems)
    return library.derived[key]


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
        message = (
            f"expected a deck id of its own, found '{item}', also given to the entry at line {line}; "
            "add an `id:` to one of them"
        )
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


def note_rows(planned, stamps, retired, retired_stamps, types, positions: dict) -> list[NoteRow]:
    """Current notes in study order, then retired ones; ids follow from the stamps, places from `positions`."""
    items = [(p.guid, types[p.spec.notetype].id, p.spec.tags, p.values, p.ords, p.spec.deck_id) for p in planned]
    items += [(r.guid, r.entry["notetype"], r.tags, r.fields, r.entry["cards"] or [0], r.deck_id) for r in retired]
    mods = [st.mod for st in stamps + retired_stamps]
    note_ids = timestamp_ids(mods)
    card_ids = iter(timestamp_ids([mod for mod, item in zip(mods, items) for _ in item[4]]))
    last = len(positions)  # retired cards after every live one
    rows = []
    for note_id, mod, (guid, mid, tags, values, ords, deck_id) in zip(note_ids, mods, items):
        cards = []
        for ord_ in ords:
            if (guid, ord_) not in positions:
                positions[(guid, ord_)], last = last, last + 1
            cards.append((next(card_ids), ord_, positions[(guid, ord_)]))
        rows.append(NoteRow(note_id, guid, mid, mod, tags, values, tuple(cards), deck_id))
    return rows


def change_lists(planned, stamps, retired, retired_stamps, answered, today) -> dict[str, list[tuple[str, str]]]:
    """(uid, label) of the notes this build adds, changes (and of those, whose answer changed) and retires."""
    changes = {"new": [], "changed": [], "answers": [], "retired": []}
    for p, st, day in zip(planned, stamps, answered):
        if st.status != "unchanged":
            changes[st.status].append((p.spec.uid, p.spec.label))
        if st.status == "changed" and day == today:
            changes["answers"].append((p.spec.uid, p.spec.label))
    for r, st in zip(retired, retired_stamps):
        if st.status != "unchanged":
            changes["retired"].append((r.entry["uid"], r.entry["label"]))
    return changes


def dropped_cards(planned: list[Planned], lock: dict) -> int:
    """Cards of current notes that a generator no longer makes: blank until Tools > Empty Cards."""
    notes = lock.get("notes") or {}
    return sum(len(set(notes[p.guid]["cards"]) - set(p.ords)) for p in planned if p.guid in notes)


def updated_lock(types, type_stamps, planned, stamps, retired, retired_stamps, release, answered) -> dict:
    notetypes = {
        str(nt.id): {"name": nt.definition.name, "hash": type_stamps[key].hash, "mod": type_stamps[key].mod}
        for key, nt in types.items()
    }
    notes = {}
    for p, st, day in zip(planned, stamps, answered):
        notes[p.guid] = {
            "uid": p.spec.uid,
            "hash": st.hash,
            "mod": st.mod,
            "notetype": types[p.spec.notetype].id,
            "cards": p.ords,
            "label": p.spec.label,
            "answer": p.answer,
        }
        if day:
            notes[p.guid]["changed"] = day
    for r, st in zip(retired, retired_stamps):
        notes[r.guid] = dict(r.entry, hash=st.hash, mod=st.mod)
    lock = {"version": LOCK_VERSION, "notetypes": dict(sorted(notetypes.items())), "notes": dict(sorted(notes.items()))}
    if release:
        lock["release"] = release
    return lock


def decks_json(deck: Deck, library: Library, release: dict | None, audience: str) -> list[dict]:
    """The deck with its description: every card is in the deck itself (order.py)."""
    topics = [library.topics[t] for t in deck.topics]
    return [genanki.Deck(deck.deck_id, deck.name, deck_description(deck, topics, release, audience)).to_json()]


def order_problems(deck: Deck, library: Library) -> list[Problem]:
    """A deck's `order` names each topic's section ids and card ids; anything else is a typo."""
    problems = []
    for topic_id, names in deck.order.items():
        topic = library.topics.get(topic_id)
        if topic is None or topic_id not in deck.topics:
            problems.append(
                deck_problem(
                    library,
                    deck,
                    ("order", topic_id),
                    (f"expected one of the deck's topics ({', '.join(deck.topics)}), found {quote(topic_id)}"),
                )
            )
            continue
        known = [s.id for s in topic.sections] + [c.id for c in topic.cards]
        for index, name in enumerate(names):
            if name not in known:
                problems.append(
                    deck_problem(
                        library,
                        deck,
                        ("order", topic_id, index),
                        (f"expected a section id or card id of {topic_id}, found {quote(name)}"),
                    )
                )
    return problems


def deck_problem(library: Library, deck: Deck, loc: tuple, message: str) -> Problem:
    path = Path(library.root) / DECKS_DIR / f"{deck.id}.yaml"
    return load_document(path, f"{DECKS_DIR}/{deck.id}.yaml").problem(loc, message)


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
