"""`build.py watch`: rebuild what changed each time a source file is saved.

Polls file times twice a second: no extra dependency, and it works the same
on every file system (editors that save by renaming included).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .keys import INPUT_FILES

WATCHED = (*INPUT_FILES, "brands")  # every file a build reads


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for name in WATCHED:
        base = root / name
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in paths:
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".lock.json"):
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(root: Path, rebuild: Callable[[], object], interval: float = 0.5, rounds: int | None = None) -> None:
    """Call rebuild now and after every change; stop after `rounds` polls (tests) or Ctrl-C."""
    seen = snapshot(root)  # taken before building, so a save during the build is not missed
    rebuild()
    print("watching for changes; press Ctrl-C to stop", flush=True)
    polls = 0
    while rounds is None or polls < rounds:
        time.sleep(interval)
        polls += 1
        current = snapshot(root)
        if current != seen:
            seen = current
            rebuild()
