"""`build.py watch`: rebuild what changed each time a source file is saved.

Polls the files a build reads twice a second: no extra dependency, and it works
the same on every file system (editors that save by renaming included). It
watches the files a build reads (keys.input_paths, plus the figures and logos
the last build read) and nothing else, so its own output folder, even inside
handouts/, never sets off a rebuild. The command line adds the program's code
(`also`) and keeps a warm state between saves (make/warm.py), told what changed
(`on_change`).

A save is never lost: a rebuild that could not run (another build holds the
output folder) runs again until it does, and no error a build reports ends the
watch. The program's code cannot be reloaded in place: make/supervise.py runs
the watch in a child process and starts a new one when the code changes.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from ..content.library import DEFAULT_BRAND
from ..errors import ContentError, OutputError, UsageError, printable
from .keys import input_paths
from .lock import BuildLocked
from .manifest import read_manifest_state

AGAIN = "again"  # what a rebuild returns when it could not run and must be tried again
Stamp = tuple[int, int, int, int, int]


def stamp_of(path: Path) -> Stamp | None:
    """What tells one version of a file from another without reading it.

    The change time is set by the kernel on every write, rename or chmod and no tool
    can set it back, so a same-size edit whose modification time was kept (cp -p,
    rsync -a) and a file made readable again are both seen; mtime and size alone are not.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode


def snapshot(
    root: Path, brand_file: Path | None = None, out: Path | None = None, also: Iterable[Path] = ()
) -> dict[str, Stamp]:
    root = root.resolve()
    brand_file = brand_file or root / DEFAULT_BRAND
    paths = input_paths(root, brand_file) + list(also)
    if out is not None:
        paths += [root / rel for rel in read_manifest_state(out)[2]]
        out = out.resolve()
    found = {}
    for path in paths:
        if path.name.endswith(".lock.json") or (out is not None and path.resolve().is_relative_to(out)):
            continue  # the build writes deck locks itself; and never watch its own outputs
        stamp = stamp_of(path)
        if stamp is not None:
            found[str(path)] = stamp
    return found


def watch(
    root: Path,
    rebuild: Callable[[], object],
    interval: float = 0.5,
    rounds: int | None = None,
    *,
    brand_file: Path | None = None,
    out: Path | None = None,
    also: Iterable[Path] = (),
    on_change: Callable[[list[Path]], object] | None = None,
) -> None:
    """Call rebuild now and after every change; stop after `rounds` polls (tests) or Ctrl-C.

    Before each rebuild after a change, on_change gets the paths that changed
    (saved, added or deleted), so a warm state can keep what they do not touch.
    A rebuild that returns AGAIN (or could not take the output folder) is tried
    again at the next poll, changed or not.
    """
    also = list(also)
    seen = snapshot(root, brand_file, out, also)  # taken before building, so a save during the build is not missed
    pending = not attempt(rebuild)
    print("watching for changes; press Ctrl-C to stop", flush=True)
    polls = 0
    while rounds is None or polls < rounds:
        time.sleep(interval)
        polls += 1
        current = snapshot(root, brand_file, out, also)
        if current != seen:
            changed = [Path(p) for p in sorted(current.keys() | seen.keys()) if current.get(p) != seen.get(p)]
            seen = current
            if on_change is not None:
                on_change(changed)
            pending = not attempt(rebuild, pending)
        elif pending:
            pending = not attempt(rebuild, pending)


def attempt(rebuild: Callable[[], object], waiting: bool = False) -> bool:
    """Run one rebuild; False when it must run again. Whatever a build reports is a message, never the end of watch."""
    try:
        return rebuild() != AGAIN
    except BuildLocked as exc:
        if not waiting:  # said once; watch tries at every poll until the other build is done
            print(f"{exc}; watch builds again as soon as it has finished", file=sys.stderr, flush=True)
        return False
    except ContentError as exc:
        for problem in exc.problems:
            print(exc.line(problem), file=sys.stderr)
    except (UsageError, OutputError, OSError) as exc:  # e.g. --topic names a topic just renamed; a full disk
        print(f"build.py: error: {printable(str(exc))}", file=sys.stderr)
    except Exception:  # noqa: BLE001 - a bug: its traceback, and watching goes on (a code fix restarts watch)
        traceback.print_exc()
        print("the build failed with the error above; watch goes on", file=sys.stderr)
    sys.stderr.flush()
    return True
