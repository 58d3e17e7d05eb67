"""Write the .apkg: an Anki collection (schema 11, as genanki writes it) and media, zipped.

The same notes, note types and media give the same bytes: the collection is
built in memory with every time and id supplied by the caller, and zip
entries have fixed dates, permissions and order.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass

# genanki's schema-11 SQL, not its documented API: genanki.Package stamps notes with the clock and writes zip
# entries with today's date, so we write the collection ourselves and take only these two scripts (the version
# range in pyproject.toml pins them; tests/test_decks.py imports every package into the real Anki backend).
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from .media import MediaFile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


@dataclass(frozen=True)
class NoteRow:
    id: int
    guid: str
    notetype_id: int
    mod: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    cards: tuple[tuple[int, int, int], ...]  # (card id, template ord, new-card position: the order students meet it)
    deck_id: int  # the deck its cards go to


def write_apkg(
    decks_json: list[dict], notetypes_json: list[dict], notes: list[NoteRow], media: list[MediaFile]
) -> bytes:
    collection = collection_bytes(decks_json, notetypes_json, notes)
    media = sorted({m.name: m for m in media}.values(), key=lambda m: m.name)
    entries = [("collection.anki2", collection)]
    entries.append(("media", json.dumps({str(i): m.name for i, m in enumerate(media)}).encode()))
    entries += [(str(i), m.data) for i, m in enumerate(media)]
    return zip_bytes(entries)


def collection_bytes(decks_json: list[dict], notetypes_json: list[dict], notes: list[NoteRow]) -> bytes:
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA page_size = 4096")
        db.executescript(APKG_SCHEMA)
        db.executescript(APKG_COL)  # fixed creation and modification times
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        decks.update({str(deck["id"]): deck for deck in decks_json})
        models = {str(nt["id"]): nt for nt in notetypes_json}
        db.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models)))
        db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", [note_values(n) for n in notes])
        db.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [card_values(n, card_id, ord_, due) for n in notes for card_id, ord_, due in n.cards],
        )
        db.commit()
        return db.serialize()
    finally:
        db.close()


def note_values(note: NoteRow) -> tuple:
    tags = " " + " ".join(note.tags) + " "
    # usn -1: not yet synced; csum and the sort field are recomputed by Anki on import.
    fields = "\x1f".join(note.fields)
    return (note.id, note.guid, note.notetype_id, note.mod, -1, tags, fields, note.fields[0], 0, 0, "")


def card_values(note: NoteRow, card_id: int, ord_: int, due: int) -> tuple:
    # A new card (type 0, queue 0) whose due is its position among new cards.
    return (card_id, note.id, note.deck_id, ord_, note.mod, -1, 0, 0, due, 0, 0, 0, 0, 0, 0, 0, 0, "")


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()
