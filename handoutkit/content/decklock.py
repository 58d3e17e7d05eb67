"""A deck's lock file (decks/<id>.lock.json) read as an input: one that is not
the JSON the build writes is a content error at load, so `check` reports it
with its line and column and a build stops before writing anything.

Only what every version of the lock has is checked here (a JSON object with a
whole-number "version"); anki.lock owns the rest of the format, and the build
reads each lock through it before rendering anything.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import Problem
from .sourcefiles import read_file


def lock_problems(path: Path, shown: str) -> list[Problem]:
    if not path.exists():
        return []
    try:
        lock = json.loads(read_file(path).decode("utf-8"))  # a regular file only: a named pipe would hang
    except UnicodeDecodeError:
        return [Problem(shown, 1, 1, "", advice("a file that is not UTF-8 text"))]
    except json.JSONDecodeError as exc:
        return [Problem(shown, exc.lineno, exc.colno, "", advice(f"invalid JSON ({exc.msg})"))]
    except RecursionError:  # a hand edit nested a thousand deep: Python's parser gives up, and so do we
        return [Problem(shown, 1, 1, "", advice("JSON nested too deeply"))]
    except OSError as exc:
        return [Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")]
    if not isinstance(lock, dict) or type(lock.get("version")) is not int:
        return [Problem(shown, 1, 1, "", advice('no "version"'))]
    return []


def advice(found: str) -> str:
    return f"expected the deck lock the build writes, found {found}; restore it from version control"
