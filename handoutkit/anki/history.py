"""What the deck shipped before: every committed version of its lock, from git.

Why: undoing a correction (`git revert`) restores the topic file and the lock
together, so the lock again says "this note has its old content and old time".
But students already imported the correction, with a newer time, and Anki
only takes a note that is newer still. The lock's own history keeps what
was shipped, so a build can tell that another content went out later under
the same GUID and date the restored note after it. (A timestamp that only
grows inside the lock cannot do this: the revert takes the lock back too.)

A folder that is not a git repository has no history: the lock alone decides.
A shallow clone (CI's default, e.g. actions/checkout's fetch-depth: 1) has too
little, so the build warns; fetch the full history for release builds. So
does a repository git cannot read: git missing, or refusing a checkout owned
by another user (CI containers: "detected dubious ownership"). The history
also tells a deleted lock from a new deck (build.py refuses the first).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import printable

GIT_TIMEOUT = 30


@dataclass
class History:
    # (section, key) -> [(hash, mod)] of every committed version; section "notes" or "notetypes".
    versions: dict[tuple[str, str], list[tuple[str, int]]] = field(default_factory=dict)
    shallow: bool = False
    unread: str | None = None  # why git could not read the history of a lock inside a repository

    def newest_other(self, section: str, key: str, content_hash: str) -> int:
        """The newest time a different content was shipped under key (0 if never)."""
        return max((mod for h, mod in self.versions.get((section, key), []) if h != content_hash), default=0)


def read_history(lock_path: Path) -> History:
    folder = lock_path.parent
    if not folder.is_dir():
        return History()
    revisions, failure = run(
        folder, ["log", "--follow", "--format=%H", "--name-only", "--", lock_path.name], None, text=True
    )
    if revisions is None:
        return History(unread=failure if in_repository(folder) else None)
    history = History(shallow=git(folder, "rev-parse", "--is-shallow-repository") == "true")
    for text in committed_texts(folder, pairs(revisions)):
        add_version(history, text)
    return history


def pairs(log: str) -> list[str]:
    """'commit\\n\\npath\\n...' -> ['commit:path', ...] (the path the lock had in that commit)."""
    lines = [line for line in log.splitlines() if line.strip()]
    return [f"{commit}:{path}" for commit, path in zip(lines[::2], lines[1::2])]


def committed_texts(folder: Path, specs: list[str]) -> list[str]:
    """Each commit:path's text, through one `git cat-file --batch` process."""
    if not specs:
        return []
    out, _ = run(folder, ["cat-file", "--batch"], "\n".join(specs) + "\n", text=False)
    if out is None:
        return []
    texts, at = [], 0
    while at < len(out):
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if len(header) < 3 or header[1] != b"blob":  # "<spec> missing": no such file in that commit
            at = header_end + 1
            continue
        size = int(header[2])
        texts.append(out[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace"))
        at = header_end + 1 + size + 1
    return texts


def add_version(history: History, text: str) -> None:
    try:
        lock = json.loads(text)
    except (ValueError, RecursionError):
        return  # a broken lock in some old commit (a merge conflict, a hand edit) says nothing shipped
    if not isinstance(lock, dict):
        return
    for section in ("notes", "notetypes"):
        entries = lock.get(section)
        for key, entry in entries.items() if isinstance(entries, dict) else ():
            if isinstance(entry, dict) and type(entry.get("mod")) is int:
                history.versions.setdefault((section, key), []).append((str(entry.get("hash")), entry["mod"]))


def git(folder: Path, *args: str) -> str | None:
    out, _ = run(folder, list(args), None, text=True)
    return out.strip() if out is not None else None


def run(folder: Path, args: list[str], stdin: str | None, *, text: bool):
    """(git's output, None), or (None, why git gave none: missing, refusing, failing)."""
    data = None if stdin is None else (stdin if text else stdin.encode())
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=data,
            capture_output=True,
            text=text,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        return None, "git is not installed"
    except subprocess.TimeoutExpired:
        return None, f"git gave no answer in {GIT_TIMEOUT} s"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"git could not run ({printable(str(exc))[:120]})"
    if done.returncode == 0:
        return done.stdout, None
    error = done.stderr if text else done.stderr.decode("utf-8", "replace")
    if "dubious ownership" in error:
        root = repository_of(folder) or folder.resolve()
        return None, (
            "git refuses the repository, which another user owns; allow it with "
            f"git config --global --add safe.directory {printable(str(root))[:200]}"
        )
    first = next((line for line in error.splitlines() if line.strip()), f"exit status {done.returncode}")
    return None, f"git failed ({printable(first)[:120]})"


def in_repository(folder: Path) -> bool:
    return repository_of(folder) is not None


def repository_of(folder: Path) -> Path | None:
    """The git work tree folder is in, seen without git (which may be missing or refusing)."""
    return next(
        (parent for parent in (folder.resolve(), *folder.resolve().parents) if (parent / ".git").exists()), None
    )
