"""Where a build may write: a folder of its own, apart from the sources.

`--out .` once made the stray-temp sweep delete an author's own files, and an
output folder inside templates/ would become an input of every build. A file
where the folder should be is a usage error, said before any work is done.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError, UsageError

SOURCE_FOLDERS = ("templates",)  # hashed whole: an output folder inside would change every key


def check_out_folder(root: Path, out: Path) -> None:
    root, out = root.resolve(), out.resolve()
    try:
        is_file = out.exists() and not out.is_dir()
    except OSError as exc:  # e.g. a name too long for the file system
        raise OutputError(out, exc) from None
    if is_file:
        raise UsageError(f"--out {out}: expected a folder for the outputs, found a file")
    if out == root or root.is_relative_to(out):
        raise UsageError(
            f"--out {out}: expected a folder apart from the project, found the project folder "
            "or one holding it; use dist/ or another folder of its own"
        )
    for name in SOURCE_FOLDERS:
        if out.is_relative_to(root / name):
            raise UsageError(f"--out {out}: expected a folder outside {name}/, which holds the build's inputs")
