"""The lock: every note a deck has ever shipped, committed next to the deck file.

Anki applies a note from a re-imported deck only when the note's modification
time is newer than the student's copy, and never changes a note's type or
deletes a note. So for each note GUID the lock keeps: the UID it stands for,
its content hash and modification time (moved forward exactly when the
content changes), its note type and card numbers (which a later build must
not change under the same GUID), a short label, its answer as text and the
date that answer last changed (answers.py), and once it is gone from the
content the date it was retired: retired entries stay for good, so a GUID is
never given to another fact. Note types are tracked the same way, so changed
card templates and CSS reach students too. `release` is the last build that
changed something: the deck description shows its version and change list.

The lock is read as the build wrote it or not at all: a hand edit (a card
number as a string, a release that is not a mapping, JSON nested a thousand
deep) is a content error naming the entry, never a traceback.

Shape (version 2):
  {"version": 2,
   "notetypes": {"<notetype id>": {"name", "hash", "mod"}},
   "notes": {"<note guid>": {"uid", "hash", "mod", "notetype", "cards", "label", ["answer"], ["changed"], ["retired"]}},
   "release": {"mod", "content", "new": [labels], "changed": [labels], "retired": [labels], "dropped_cards",
               ["answers": [labels]], ["follows": the mod of the release this one upgrades]}}
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..content.sourcefiles import read_file
from ..errors import ContentError, Problem, quote

LOCK_VERSION = 2
NOTETYPE_KEYS = {"name": str, "hash": str, "mod": int}
NOTE_KEYS = {"uid": str, "hash": str, "mod": int, "notetype": int, "cards": list, "label": str}
NOTE_OPTIONAL = {"answer": str, "changed": str, "retired": str}
RELEASE_KEYS = {"mod": int, "new": list, "changed": list, "retired": list}
RELEASE_OPTIONAL = {"content": str, "dropped_cards": int, "answers": list, "follows": int}
MAX_CARDS = 500  # card numbers a note can have (a cloze's c1..c500); more is no lock the build wrote


def load_lock(path: Path) -> dict:
    """The lock at path, or {} if there is none yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        lock = json.loads(read_file(path).decode("utf-8"))  # a regular file only: a named pipe would hang
    except json.JSONDecodeError as exc:
        problem = Problem(str(path), exc.lineno, exc.colno, "", lock_advice(f"invalid JSON ({exc.msg})"))
        raise ContentError([problem]) from None
    except (RecursionError, UnicodeDecodeError) as exc:
        found = "JSON nested too deeply" if isinstance(exc, RecursionError) else "a file that is not UTF-8 text"
        raise ContentError([Problem(str(path), 1, 1, "", lock_advice(found))]) from None
    problem = shape_problem(lock)
    if problem:
        raise ContentError([Problem(str(path), 1, 1, "", lock_advice(problem))])
    return lock


def lock_advice(found: str) -> str:
    return f"expected the deck lock the build writes, found {found}; restore it from version control"


def shape_problem(lock: object) -> str | None:
    """What makes this not a lock the build wrote, or None."""
    if not isinstance(lock, dict) or lock.get("version") != LOCK_VERSION or type(lock.get("version")) is not int:
        return f'no "version": {LOCK_VERSION}'
    for section, keys, optional in (("notetypes", NOTETYPE_KEYS, {}), ("notes", NOTE_KEYS, NOTE_OPTIONAL)):
        entries = lock.get(section)
        if not isinstance(entries, dict):
            return f'no "{section}" mapping'
        for key, entry in entries.items():
            problem = entry_problem(entry, keys, optional)
            if problem:
                return f"{section} entry {quote(key)} {problem}"
    release = lock.get("release")
    if release is not None:
        problem = entry_problem(release, RELEASE_KEYS, RELEASE_OPTIONAL)
        if problem:
            return f'"release" {problem}'
    return None


def entry_problem(entry: object, keys: dict, optional: dict) -> str | None:
    if not isinstance(entry, dict):
        return "is not a mapping"
    for key, kind in keys.items() | optional.items():
        if key not in entry and key in optional:
            continue
        value = entry.get(key)
        if type(value) is not kind:  # bool is an int to isinstance; a lock never holds one
            return f"has {quote(key)} of the wrong kind (expected {kind.__name__})"
        if kind is list and not all(valid_item(key, item) for item in value):
            return f"has {quote(key)} holding something other than {'card numbers' if key == 'cards' else 'text'}"
    return None


def valid_item(key: str, item: object) -> bool:
    if key == "cards":
        return type(item) is int and 0 <= item < MAX_CARDS
    return isinstance(item, str)


def dump_lock(lock: dict) -> bytes:
    """The lock as the file to commit: stable key order, one entry per few lines."""
    return (json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Stamp:
    hash: str
    mod: int
    status: str  # new, changed or unchanged


def stamp(content_hash: str, previous: dict | None, now: int, shipped_after: int = 0) -> Stamp:
    """The modification time for content, given the lock's entry for it.

    `shipped_after` is the newest time any other content was shipped under
    this GUID (from the lock's history, see history.py): when a correction is
    undone, the lock says "unchanged", but students hold the corrected note
    with a newer time, so the restored content must be newer still.
    """
    if previous is None:
        return Stamp(content_hash, max(now, shipped_after + 1) if shipped_after else now, "new")
    if previous["hash"] == content_hash and shipped_after <= previous["mod"]:
        return Stamp(content_hash, previous["mod"], "unchanged")
    return Stamp(content_hash, max(now, previous["mod"] + 1, shipped_after + 1), "changed")


def content_hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
