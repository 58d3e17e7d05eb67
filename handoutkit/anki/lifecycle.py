"""A note's life across builds: which GUID it keeps, what Anki cannot update, and retirement.

- A note keeps the GUID the lock gives its UID; a renamed item finds its GUID
  through `previous_ids`. Only a UID the lock has never seen gets a new GUID,
  and `previous_ids` naming no published note is an error (the note would
  restart at zero while the author believes it carries on).
- Anki never changes a note's type on import, and a card whose cloze number
  is gone stays behind with a blank front: both are content errors, telling
  the author to use a new id (the old note is then retired). So is a card
  whose direction turned round (answers.py): its reviews are of the other card.
- A retired id is never given to another fact: a card's id never comes back
  without `previous_ids`, and a term, item or step whose derived or written id
  is a retired one with other words is an error (it would revive the old note,
  with its reviews, under the new words).
- A note the content no longer makes is shipped as a retired note: same GUID,
  same note type and cards, its text replaced by a notice saying how to delete
  every retired note at once. Its lock entry stays, so the id is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.config import Deck
from ..errors import Problem, quote
from . import markup
from .answers import turned_round, words_of
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


def refusals(
    specs: list[NoteSpec],
    guids: list[str],
    ords: list[list[int]],
    types: dict[str, Notetype],
    lock: dict,
    docs: dict,
    answers: list[str],
) -> list[Problem]:
    """What Anki would ignore or mangle on re-import, as content errors at the note's place."""
    notes = lock.get("notes") or {}
    by_id = {nt.id: nt for nt in types.values()}
    problems = unknown_previous_ids(specs, notes, docs)
    for spec, guid, card_ords, answer in zip(specs, guids, ords, answers):
        entry = notes.get(guid)
        if entry is None:
            continue
        doc = docs[spec.topic_id]
        item = spec.uid.rsplit("/", 1)[1]
        notetype = types[spec.notetype]
        if (
            entry.get("retired")
            and entry["uid"] == spec.uid
            and (spec.kind == "card" and spec.explicit_id or not same_words(entry["label"], spec.label))
        ):
            problems.append(reused_id(doc, spec, entry, item))
            continue
        if entry["notetype"] != notetype.id:
            old = (
                by_id[entry["notetype"]].definition.name
                if entry["notetype"] in by_id
                else f"note type {entry['notetype']}"
            )
            problems.append(
                doc.problem(
                    spec.loc + (type_field(spec),),
                    (
                        f"expected a {old} note as published, found a {notetype.definition.name} note under id "
                        f"'{item}'; "
                        "Anki cannot change a note's type on import: give it a new id (the old note is then retired)"
                    ),
                )
            )
            continue
        gone = sorted(set(entry["cards"]) - set(card_ords)) if notetype.definition.cloze else []
        if gone:
            numbers = ", ".join(f"c{o + 1}" for o in gone)
            problems.append(
                doc.problem(
                    spec.loc + ("text",),
                    (
                        f"expected the published deletions {', '.join(f'c{o + 1}' for o in entry['cards'])}, found "
                        f"{numbers} missing "
                        f"in card '{item}'; students' {numbers} card would stay with a blank front: give the card a "
                        f"new id "
                        "(the old note is then retired), or keep the numbers"
                    ),
                )
            )
        elif (
            spec.kind == "card"
            and "answer" in entry
            and turned_round(entry["label"], entry["answer"], spec.label, answer)
        ):
            problems.append(
                doc.problem(
                    spec.loc + ("id",),
                    (
                        f"expected card '{item}' to ask what it asked before, found it asking what it answered "
                        f"({quote(words_of(entry['answer']))}); students' reviews are of the other direction: give "
                        f"it a new id "
                        "(the old note is then retired)"
                    ),
                )
            )
    return problems


def reused_id(doc, spec: NoteSpec, entry: dict, item: str) -> Problem:
    if spec.kind == "card":
        return doc.problem(
            spec.loc + ("id",),
            (
                f"expected an id never used before, found '{item}', the id of a card retired on {entry['retired']}; "
                f"give this card a new id (add previous_ids: [{item}] to bring that retired note back)"
            ),
        )
    return doc.problem(
        spec.loc,
        (
            f"expected an id never used before, found '{item}', the id of {quote(entry['label'])}, retired on "
            f"{entry['retired']}; give this entry an `id:` of its own (students' reviews of the old one would follow "
            f"it)"
        ),
    )


def unknown_previous_ids(specs: list[NoteSpec], notes: dict, docs: dict) -> list[Problem]:
    """previous_ids that name no note the deck ever published: the note would silently start at zero."""
    if not notes:
        return []  # a deck's first build: nothing was published to follow
    published = {entry["uid"] for entry in notes.values()}
    problems = []
    for spec in specs:
        if (
            not spec.previous_ids
            or spec.uid in published
            or any(spec.uid_for(old) in published for old in spec.previous_ids)
        ):
            continue
        names = ", ".join(spec.previous_ids)
        problems.append(
            docs[spec.topic_id].problem(
                spec.loc + ("previous_ids",),
                (
                    f"expected the id of a published {spec.kind}, found {names}, which no note of this deck ever had; "
                    "students' progress cannot follow it: correct the id, or remove previous_ids from a new card"
                ),
            )
        )
    return problems


def same_words(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def type_field(spec: NoteSpec) -> str:
    return "type" if spec.kind == "card" else "id"


def retired_notes(current: set[str], lock: dict, deck: Deck, types: dict[str, Notetype], today: str) -> list[Retired]:
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
        fields = retired_fields(notetype, entry, deck.root_tag)
        # The deck itself: a returning student's cards stay where they are (Anki never moves a card on import).
        retired.append(Retired(guid, entry, fields, (f"{deck.root_tag}::retired",), deck.deck_id))
    return retired


def notice(entry: dict, root: str) -> str:
    return markup.element(
        "div",
        (
            f"Retired on {markup.escape(entry['retired'])}: this card is no longer in the handout. "
            f"To delete every retired card at once, search the Browser for <b>tag:{markup.escape(root)}::retired</b>, "
            "select all, and delete the notes."
        ),
        "hk-retired",
    )


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
        values |= {
            "Term": "Retired: " + markup.escape(entry["label"]),
            "Respelling": notice(entry, root) if 0 in entry["cards"] else "",
            "IPA": "",
            "Meaning": notice(entry, root) if 1 in entry["cards"] else "",
        }
    else:
        values |= {"Front": notice(entry, root) + was, "Back": "Retired.", "Extra": ""}
    return tuple(values.get(name, "") for name in notetype.definition.field_names)
