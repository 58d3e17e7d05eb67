"""Which files in a project are sources, and how any of them is read.

Light on purpose (no YAML, no pydantic): the no-op build and watch use it too.

- A topic is `handouts/<name>.yaml`, but not a hidden name: editors leave `.#topic.yaml`
  (Emacs's lock link, a symlink to nowhere) or `.topic.yaml` copies beside the file being
  edited, and such a file is not a topic whose problems should stop a build.
- Every source is read as a regular file or not at all: opening a named pipe for reading
  waits for a writer that never comes, and a device or a folder is no source either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

HANDOUTS_DIR = "handouts"
KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def is_source_name(name: str) -> bool:
    """Not an editor's lock, backup or swap file: those are hidden."""
    return not name.startswith(".")


def source_files(folder: Path, pattern: str = "*.yaml") -> list[Path]:
    """The source files of one folder (topics, decks, approvals), sorted; no editor's hidden files."""
    return sorted(p for p in folder.glob(pattern) if is_source_name(p.name))


def topic_files(root: Path) -> list[Path]:
    """Every topic file of the project, sorted."""
    return source_files(root / HANDOUTS_DIR)


def is_topic_file(path: Path, root: Path) -> bool:
    return (
        path.suffix == ".yaml"
        and is_source_name(path.name)
        and path.parent.resolve() == (root / HANDOUTS_DIR).resolve()
    )


class NotAFile(OSError):
    """A source path that names a named pipe, a folder or a device."""


def read_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file; NotAFile (an OSError) for anything else, without waiting on it.

    O_NONBLOCK makes opening a named pipe return at once (instead of waiting for a writer);
    the open file is then checked, so a pipe swapped in after a stat is caught too.
    With `limit`, a larger file raises FileTooLarge before it is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
            raise NotAFile(errno.EINVAL, f"expected a regular file, found {kind}", str(path))
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise FileTooLarge(size)
        os.set_blocking(fd, True)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class FileTooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size
