"""One build at a time per output folder: a second build waits for nobody, it stops."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

LOCK_FILE = ".build.lock"


class BuildLocked(Exception):
    pass


@contextmanager
def build_lock(out: Path):
    """Hold the lock on `out` for the build; a folder the build made and left empty is removed."""
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open_lock(out / LOCK_FILE)
    except OSError as exc:  # a read-only or full disk, a file where the folder should be
        raise OutputError(out / LOCK_FILE if out.is_dir() else out, exc) from None
    try:
        with hold(handle, out):
            yield
    finally:
        if created and [p.name for p in out.iterdir()] == [LOCK_FILE]:  # e.g. a quality gate failed
            (out / LOCK_FILE).unlink()
            out.rmdir()


def open_lock(path: Path):
    return open(path, "a+")


@contextmanager
def hold(handle, out: Path):
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildLocked(
                f"another build (pid {holder}) is writing to {out}; wait for it to finish, or use --out for another "
                f"folder"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError as exc:
            raise OutputError(out / LOCK_FILE, exc) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
