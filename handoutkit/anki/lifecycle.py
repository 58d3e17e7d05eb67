"""A note's life across builds: which GUID it keeps, what Anki cannot update, and retirement.

- A note keeps the GUID the lock gives its UID; a renamed item finds its GUID
  through `previous_ids`. Only a UID the lock has never seen gets a new GUID.
- Anki never changes a note's type on import, and a card whose cloze number
  is gone stays behind with a blank front: both are content errors, telling
  the author to use a new id (the old note is then retired).
- A note the content no longer makes is shipped as a retired note: same GUID,
  same note type and cards, its text replaced by a notice saying how to delete
  every retired note at once. Its lock entry stays, so the id is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.config import Deck
from ..errors import Problem
from . import markup
from .ids import note_guid
from .notes import NoteSpec
from .notetypes import Notetype


@dataclass(frozen=True)
class Retired:
    """A lock entry with no current content: shipped with a notice in place of its text."""

    guid: str
    entry: dict
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck_id: int


def assign_guids(specs: list[NoteSpec], lock: dict) -> list[str]:
    notes = lock.get("notes") or {}
    by_uid = {entry["uid"]: guid for guid, entry in notes.items()}
    guids = []
    for spec in specs:
        guid = by_uid.get(spec.uid)
        for old in spec.previous_ids:
            if guid is None:
                guid = by_uid.get(spec.uid_for(old))
        guids.append(guid or note_guid(spec.uid))
    return guids


def refusals(specs: list[NoteSpec], guids: list[str], ords: list[list[int]], types: dict[str, Notetype],
             lock: dict, docs: dict) -> list[Problem]:
    """What Anki would ignore or mangle on re-import, as content errors at the note's place."""
    notes = lock.get("notes") or {}
    by_id = {nt.id: nt for nt in types.values()}
    problems = []
    for spec, guid, card_ords in zip(specs, guids, ords):
        entry = notes.get(guid)
        if entry is None:
            continue
        doc = docs[spec.topic_id]
        item = spec.uid.rsplit("/", 1)[1]
        notetype = types[spec.notetype]
        if entry.get("retired") and spec.explicit_id and entry["uid"] == spec.uid and spec.kind == "card":
            problems.append(doc.problem(spec.loc + ("id",), (
                f"expected an id never used before, found '{item}', the id of a card retired on {entry['retired']}; "
                f"give this card a new id (add previous_ids: [{item}] to bring that retired note back)")))
        elif entry["notetype"] != notetype.id:
            old = by_id[entry["notetype"]].definition.name if entry["notetype"] in by_id else f"note type {entry['notetype']}"
            problems.append(doc.problem(spec.loc + (type_field(spec),), (
                f"expected a {old} note as published, found a {notetype.definition.name} note under id '{item}'; "
                "Anki cannot change a note's type on import: give it a new id (the old note is then retired)")))
        elif notetype.definition.cloze:
            gone = sorted(set(entry["cards"]) - set(card_ords))
            if gone:
                numbers = ", ".join(f"c{o + 1}" for o in gone)
                problems.append(doc.problem(spec.loc + ("text",), (
                    f"expected the published deletions {', '.join(f'c{o + 1}' for o in entry['cards'])}, found {numbers} missing "
                    f"in card '{item}'; students' {numbers} card would stay with a blank front: give the card a new id "
                    "(the old note is then retired), or keep the numbers")))
    return problems


def type_field(spec: NoteSpec) -> str:
    return "type" if spec.kind == "card" else "id"


def retired_notes(current: set[str], lock: dict, deck: Deck, types: dict[str, Notetype],
                  today: str) -> list[Retired]:
    """Every lock entry the content no longer makes, oldest first."""
    retired = []
    by_id = {nt.id: nt for nt in types.values()}
    for guid, entry in sorted((lock.get("notes") or {}).items(), key=lambda kv: (kv[1]["mod"], kv[0])):
        if guid in current:
            continue
        entry = dict(entry, retired=entry.get("retired") or today)
        notetype = by_id.get(entry["notetype"])
        if notetype is None:
            continue  # a note type this program no longer has: nothing could render the notice
        topic_id = entry["uid"].split("/", 1)[0]
        deck_id = deck.deck_of(topic_id)[0] if topic_id in deck.topics else deck.deck_id
        fields = retired_fields(notetype, entry, deck.root_tag)
        retired.append(Retired(guid, entry, fields, (f"{deck.root_tag}::retired",), deck_id))
    return retired


def notice(entry: dict, root: str) -> str:
    return markup.element("div", (
        f"Retired on {markup.escape(entry['retired'])}: this card is no longer in the handout. "
        f"To delete every retired card at once, search the Browser for <b>tag:{markup.escape(root)}::retired</b>, "
        "select all, and delete the notes."), "hk-retired")


def retired_fields(notetype: Notetype, entry: dict, root: str) -> tuple[str, ...]:
    """The notice in place of the content, keeping every card the note had (none may go blank)."""
    was = markup.element("p", "It asked: " + markup.escape(entry["label"]), "hk-was")
    values = {"Source": "", "Handout": "", "Section": "", "UID": markup.escape(entry["uid"])}
    key = notetype.definition.key
    if key == "cloze":
        deletions = " ".join(markup.deletion(o + 1, "retired") for o in entry["cards"] or [0])
        values |= {"Text": notice(entry, root) + was + markup.element("p", deletions), "Extra": ""}
    elif key == "pronunciation":
        # Say it is card 0 (needs Respelling), Meaning card 1 (needs Meaning): fill only those it had.
        values |= {"Term": "Retired: " + markup.escape(entry["label"]),
                   "Respelling": notice(entry, root) if 0 in entry["cards"] else "", "IPA": "",
                   "Meaning": notice(entry, root) if 1 in entry["cards"] else ""}
    else:
        values |= {"Front": notice(entry, root) + was, "Back": "Retired.", "Extra": ""}
    return tuple(values.get(name, "") for name in notetype.definition.field_names)
