"""Content errors: what an author did wrong, where, and what was expected.

A ContentError is a user's mistake and is printed as one line; any other
exception is a bug in the program and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        # The path can hold what a user typed (`build.py new ID`): inert and short, like every quoted value.
        where = f"{shown_path(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


PATH_LIMIT = 200  # characters of a path in a message; a 5,000-character id must not print 5,000


def shown_path(path: str) -> str:
    text = printable(path)
    return text if len(text) <= PATH_LIMIT else text[:PATH_LIMIT] + "..."


class ContentError(Exception):
    """One or more problems in the content; the build stops after listing all."""

    def __init__(self, problems: list[Problem], suffix: dict | None = None):
        self.problems = sorted(set(problems))
        self.suffix = suffix or {}  # e.g. "[reading_level, error]" after a quality gate's problem
        super().__init__("\n".join(self.line(p) for p in self.problems))

    def line(self, problem: Problem) -> str:
        extra = self.suffix.get(problem)
        return f"{problem} {extra}" if extra else str(problem)


def display_path(path: Path, root: Path) -> str:
    """A path as the author knows it: relative to the project when it is inside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


QUOTE_LIMIT = 60  # characters of a value quoted in a message; a 2 MB title must not print 2 MB


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: in single quotes, cut to `limit` characters with '...',
    and what would not print (a newline, a control) escaped, so one problem stays one line."""
    text = str(value)
    return "'" + printable(text[:limit] + ("..." if len(text) > limit else "")) + "'"


def printable(text: str) -> str:
    """Text with what would not print (a newline, a terminal escape) written as \\n, \\x1b."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def format_field(loc: tuple) -> str:
    """('sections', 0, 'title') -> 'sections[0].title'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{printable(part)}" if out else printable(str(part))
    return out


class UsageError(Exception):
    """The command line asks for something that does not exist (exit status 2)."""


class OutputError(Exception):
    """The machine refused a write (read-only or full disk, a name too long): a message, exit status 1."""

    def __init__(self, path: Path | str, error: OSError):
        self.path, self.error = Path(path), error
        # The folder is typed (--out): escaped like every typed value, so a newline or an escape cannot split or
        # recolour the message; not cut, since the OS may have refused it for its length.
        super().__init__(
            f"cannot write {printable(str(path))}: {printable(str(error.strerror or error))}{advice(error)}"
        )


def advice(error: OSError) -> str:
    import errno

    hints = {
        errno.ENOSPC: "; free some space or build with --out on another disk",
        errno.EDQUOT: "; free some space or build with --out on another disk",
        errno.EROFS: "; build with --out in a folder you can write",
        errno.EACCES: "; build with --out in a folder you can write",
        errno.EPERM: "; build with --out in a folder you can write",
        errno.ENAMETOOLONG: "; use shorter ids or a shorter --out path",
        errno.ENOTDIR: "; a file stands where a folder is needed",
        errno.EEXIST: "; a file stands where a folder is needed",
    }
    return hints.get(error.errno, "")
