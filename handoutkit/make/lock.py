"""One build at a time per output folder: a second build waits for nobody, it stops.

The lock is filelock's (flock on Unix, the Windows API on Windows); what is ours is the
message naming the other build: its pid, written into the lock file once it holds it.
"""

from __future__ import annotations

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
    import filelock  # here, not at the top: it costs ~40 ms (ctypes, logging) and a no-op build never locks

    path = out / LOCK_FILE
    created = not out.exists()
    # thread_local=False: one build's lock, taken and let go by whichever thread runs it (watch's rebuilds)
    lock = filelock.FileLock(path, blocking=False, thread_local=False, on_acquired=write_pid)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except filelock.Timeout:
        raise BuildLocked(
            f"another build (pid {holder_of(path)}) is writing to {out}; wait for it to finish, or use --out for "
            f"another folder"
        ) from None
    except OSError as exc:  # a read-only or full disk, a file where the folder should be
        raise OutputError(path if out.is_dir() else out, exc) from None
    try:
        yield
    finally:
        lock.release()
        if created and [p.name for p in out.iterdir()] == [LOCK_FILE]:  # e.g. a quality gate failed
            path.unlink()
            out.rmdir()


def write_pid(fd: int) -> None:
    """Called by filelock with the lock file's descriptor once the lock is ours."""
    pid = str(os.getpid()).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, pid, 0)


def holder_of(path: Path) -> str:
    """The pid the holding build wrote, or "unknown" (it has only just taken the lock)."""
    try:
        return path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"
