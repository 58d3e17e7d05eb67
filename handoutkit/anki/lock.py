"""The lock: each note's content hash and modification time, committed next to the deck.

Anki applies a note from a re-imported deck only when the note's modification
time is newer than the student's copy. The lock moves a note's time forward
exactly when its content changes, so a correction reaches students and an
unchanged note (and the progress on it) is left alone. Note types are tracked
the same way, so changed card templates and CSS reach students too.

Shape (version 1):
  {"version": 1,
   "notetypes": {"<notetype id>": {"name", "hash", "mod"}},
   "notes": {"<note guid>": {"uid", "hash", "mod"}}}
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem

LOCK_VERSION = 1


def load_lock(path: Path) -> dict:
    """The lock at path, or {} if there is none yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        lock = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problem = Problem(str(path), exc.lineno, exc.colno, "", lock_advice(f"invalid JSON ({exc.msg})"))
        raise ContentError([problem]) from None
    problem = shape_problem(lock)
    if problem:
        raise ContentError([Problem(str(path), 1, 1, "", lock_advice(problem))])
    return lock


def lock_advice(found: str) -> str:
    return f"expected the deck lock the build writes, found {found}; restore it from version control"


def shape_problem(lock: object) -> str | None:
    if not isinstance(lock, dict) or lock.get("version") != LOCK_VERSION:
        return f'no "version": {LOCK_VERSION}'
    for section in ("notetypes", "notes"):
        entries = lock.get(section)
        if not isinstance(entries, dict):
            return f'no "{section}" mapping'
        for key, entry in entries.items():
            if not (isinstance(entry, dict) and isinstance(entry.get("hash"), str) and type(entry.get("mod")) is int):
                return f'an entry {key!r} in "{section}" without a hash and an integer mod'
    return None


def dump_lock(lock: dict) -> bytes:
    """The lock as the file to commit: stable key order, one entry per few lines."""
    return (json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Stamp:
    hash: str
    mod: int
    status: str  # new, changed or unchanged


def stamp(content_hash: str, previous: dict | None, now: int) -> Stamp:
    """The modification time for content, given the lock's entry for it."""
    if previous is None:
        return Stamp(content_hash, now, "new")
    if previous["hash"] == content_hash:
        return Stamp(content_hash, previous["mod"], "unchanged")
    return Stamp(content_hash, max(now, previous["mod"] + 1), "changed")


def content_hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
