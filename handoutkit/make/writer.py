"""The only code that writes build outputs: atomically, so an interrupted build
never leaves a truncated file where a good one stood."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError

# Temporary files carry this program's own suffix: the sweep after a killed build
# (pipeline.remove_stray_temp_files) removes these and nothing an author made.
TEMP_SUFFIX = ".handoutkit-tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush to disk, then rename.

    The file gets the mode an ordinary new file would (0644 under umask 022):
    mkstemp's 0600 would survive the rename and hide handouts from a shared
    print folder or web server. Any refusal by the machine is an OutputError.
    """
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:200]}.", suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        remove_temp(temp)
        raise OutputError(path, exc) from None
    except BaseException:
        remove_temp(temp)
        raise


def remove_temp(temp: str | None) -> None:
    if temp is not None:
        try:
            Path(temp).unlink(missing_ok=True)
        except OSError:
            pass


def umask() -> int:
    """This process's umask, read without changing it (os.umask can only set it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: set and restore
    os.umask(mask)
    return mask
