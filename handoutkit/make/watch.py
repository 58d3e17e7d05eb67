"""`build.py watch`: rebuild what changed each time a source file is saved.

Polls file times twice a second: no extra dependency, and it works the same
on every file system (editors that save by renaming included). It watches the
files a build reads (keys.input_paths, plus the figures and logos the last build
read) and nothing else, so its own output folder, even inside handouts/, never
sets off a rebuild. The command line adds the program's code (`also`) and keeps
a warm state between saves (make/warm.py), told what changed (`on_change`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..content.library import DEFAULT_BRAND
from .keys import input_paths
from .manifest import read_manifest_state


def snapshot(root: Path, brand_file: Path | None = None, out: Path | None = None,
             also: Iterable[Path] = ()) -> dict[str, tuple[int, int]]:
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
        try:
            stat = path.stat()
        except OSError:
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(root: Path, rebuild: Callable[[], object], interval: float = 0.5, rounds: int | None = None, *,
          brand_file: Path | None = None, out: Path | None = None, also: Iterable[Path] = (),
          on_change: Callable[[list[Path]], object] | None = None) -> None:
    """Call rebuild now and after every change; stop after `rounds` polls (tests) or Ctrl-C.

    Before each rebuild after a change, on_change gets the paths that changed
    (saved, added or deleted), so a warm state can keep what they do not touch.
    """
    also = list(also)
    seen = snapshot(root, brand_file, out, also)  # taken before building, so a save during the build is not missed
    rebuild()
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
            rebuild()
