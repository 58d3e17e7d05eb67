"""`build.py watch`: rebuild what changed each time a source file is saved.

The operating system says when a file changes (watchfiles: inotify on Linux), and
watchfiles groups the events of one save: it hands them over once no event has come
for TICK_MS. Only the folders holding a file a build reads (and those between them and
the project's root) are watched, each without its subfolders, and of their events only
the files a build reads count (keys.input_paths, the figures and logos the last build
read, and the program's code, `also`), so its own output folder, even inside handouts/,
never sets off a rebuild. The command line keeps a warm state between saves
(make/warm.py), told what changed (`on_change`).

inotify reports a same-size edit whose modification time was put back (cp -p: a
write, then an attribute change), a copy renamed over the file (rsync -a) and a chmod.
Where watchfiles polls instead (WSL, WATCHFILES_FORCE_POLLING) it compares modification
times only, so there, and only there, each file's change time is compared too (stamp_of).

A save is never lost: the watcher is armed before the first build, so a save during a
build is seen when it ends; a rebuild that could not run (another build holds the output
folder) runs again every RETRY_SECONDS until it does; and no error a build reports ends
the watch. The program's code cannot be reloaded in place: make/supervise.py runs the
watch in a child process and starts a new one when the code changes.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from ..content.library import DEFAULT_BRAND
from ..errors import ContentError, OutputError, UsageError, printable
from .keys import input_paths
from .lock import BuildLocked
from .manifest import read_manifest_state
from .stops import interrupted

AGAIN = "again"  # what a rebuild returns when it could not run and must be tried again
TICK_MS = 50  # the events of one save are handed over once none has come for this long
WAKE_MS = 100  # with no event, the wait still returns this often (a retry is due, a stop was asked)
RETRY_SECONDS = 0.5  # how often a rebuild that could not run is tried again
CLOCK_TICK_NS = 10_000_000  # the kernel stamps files by its clock tick, which may lag the time read just before
Stamp = tuple[int, int, int, int, int]


def polling() -> bool:
    """Whether watchfiles polls instead of hearing from the OS: its own documented rule, decided here and passed on."""
    told = os.environ.get("WATCHFILES_FORCE_POLLING")
    if told:
        return told.lower() not in ("false", "disable", "disabled")
    uname = platform.uname()
    return uname.system == "Linux" and "microsoft-standard" in uname.release.lower()


def stamp_of(path: Path) -> Stamp | None:
    """What tells one version of a file from another without reading it (the poller's fallback).

    The change time is set by the kernel on every write, rename or chmod and no tool can
    set it back, so a same-size edit whose modification time was kept and a file made
    readable again are both seen; mtime and size alone are not.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode


class Events:
    """watchfiles over some folders (not their subfolders), armed when made.

    Each `wait` gives the paths that changed since the last (an empty set every WAKE_MS
    when nothing did), or None once `stop_event` is set.
    """

    def __init__(self, folders: Iterable[Path], stop_event=None, keep: Callable[[object, str], bool] | None = None):
        self.stop_event, self.keep = stop_event, keep
        self.folders: frozenset[Path] = frozenset()
        self.events = None
        self.held: set[Path] = set()
        self.made: set[Path] = set()  # paths reported added: a watched folder among them was deleted and made again
        self.follow(folders)

    def start(self, folders: frozenset[Path]):
        return watchfiles.watch(
            *sorted(folders),
            watch_filter=self.keep,
            step=TICK_MS,
            rust_timeout=WAKE_MS,
            yield_on_timeout=True,
            stop_event=self.stop_event,
            recursive=False,
            force_polling=polling(),
        )

    def follow(self, folders: Iterable[Path]) -> frozenset[Path]:
        """Watch these folders (those that exist) from now on; returns those newly watched, a folder
        deleted and made again included (a watch stays with the folder that was).

        The new watcher is armed before the old one is let go, so no event falls between.
        """
        while True:
            wanted = frozenset(f for f in folders if f.is_dir() and os.access(f, os.R_OK))  # else no watch is had
            made = {f for f in wanted if any(f.is_relative_to(m) for m in self.made)}
            added, self.made = (wanted - self.folders) | made, set()
            if not added and self.events is not None:
                return frozenset()
            events = self.start(wanted)
            try:
                first = self.take(events)  # watchfiles makes its watcher on the first wait
                break
            except FileNotFoundError:  # a folder went between the look and the watch
                events.close()
        old, self.folders, self.events = self.events, wanted, events
        self.held |= first or set()
        if old is not None:
            self.held |= self.take(old) or set()
            old.close()
        return added

    def take(self, events) -> set[Path] | None:
        try:
            changes = next(events)
        except StopIteration:
            return None
        except KeyboardInterrupt:  # watchfiles reports any signal as Ctrl-C; SIGTERM stays what it was
            raise interrupted() from None
        self.made |= {Path(path) for change, path in changes if change == watchfiles.Change.added}
        return {Path(path) for _, path in changes}

    def wait(self) -> set[Path] | None:
        if self.held:
            held, self.held = self.held, set()
            return held
        return self.take(self.events)

    def drain(self) -> None:
        """Forget the changes seen so far."""
        self.held.clear()
        self.take(self.events)

    def close(self) -> None:
        if self.events is not None:
            self.events.close()

    def __enter__(self) -> Events:
        return self

    def __exit__(self, *_) -> None:
        self.close()


class Sources:
    """The files a build reads, by the path watchfiles names them with, and the folders to watch for them."""

    def __init__(self, root: Path, brand_file: Path | None, out: Path | None, also: Iterable[Path]):
        self.root = root.resolve()
        self.brand_file = brand_file or self.root / DEFAULT_BRAND
        self.out = out.resolve() if out is not None else None
        self.also = list(also)
        self.files = self.read()

    def read(self) -> dict[Path, Path]:
        """{path as an event names it: the file}; a file reached through a link is named both ways."""
        paths = input_paths(self.root, self.brand_file) + self.also
        if self.out is not None:
            paths += [self.root / rel for rel in read_manifest_state(self.out)[2]]
        found, folders = {}, {}
        for path in paths:
            name = (folders.get(path.parent) or folders.setdefault(path.parent, path.parent.resolve())) / path.name
            if path.name.endswith(".lock.json") or (self.out is not None and name.is_relative_to(self.out)):
                continue  # the build writes deck locks itself; and never watch its own outputs
            found[name] = path
            if path.is_symlink():
                found[path.resolve()] = path
        return found

    def folders(self) -> set[Path]:
        """The folders of the files, and those between them and the root (a folder made again is seen)."""
        fixed = [self.root, *(self.root / name for name in ("handouts", "decks", "approvals"))]
        templates = self.root / "templates"
        fixed += [templates, *(p for p in templates.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)]
        found = {name.parent for name in self.files} | {p.resolve() for p in fixed}
        return found | {up for folder in found for up in folder.parents if up.is_relative_to(self.root)}

    def update(self, events: Events, paths: Iterable[Path], started_ns: int) -> list[Path]:
        """The files a build reads (or read until now: deleted, renamed) among paths; and, as what
        it reads may now lie in a folder not watched so far (a figure's), the files there changed
        since the last build began."""
        before, self.files = self.files, self.read()
        found = {self.files.get(p) or before[p] for p in paths if p in self.files or p in before}
        added = events.follow(self.folders())
        for name, path in self.files.items():
            stamp = stamp_of(path) if name.parent in added else None
            if stamp is not None and stamp[1] >= started_ns - CLOCK_TICK_NS:  # its change time
                found.add(path)
        return sorted(found)

    def stamps(self) -> dict[Path, Stamp | None]:
        return {path: stamp_of(path) for path in set(self.files.values())}


def watch(
    root: Path,
    rebuild: Callable[[], object],
    *,
    brand_file: Path | None = None,
    out: Path | None = None,
    also: Iterable[Path] = (),
    on_change: Callable[[list[Path]], object] | None = None,
    stop_event=None,
) -> None:
    """Call rebuild now and after every change, until stop_event is set (tests, serve) or Ctrl-C.

    Before each rebuild after a change, on_change gets the paths that changed
    (saved, added or deleted), so a warm state can keep what they do not touch.
    A rebuild that returns AGAIN (or could not take the output folder) is tried
    again every RETRY_SECONDS, changed or not.
    """
    sources = Sources(root, brand_file, out, also)
    fallback = polling()
    with Events(sources.folders(), stop_event) as events:  # armed before building: a save during the build counts
        stamps = sources.stamps() if fallback else {}
        started, tried = time.time_ns(), time.monotonic()
        pending = not attempt(rebuild)
        changed = sources.update(events, (), started)
        print("watching for changes; press Ctrl-C to stop", flush=True)
        while (paths := events.wait()) is not None:
            if paths:
                changed += sources.update(events, paths, started)
            if fallback:
                now = sources.stamps()
                changed += [p for p in now.keys() | stamps.keys() if now.get(p) != stamps.get(p)]
                stamps = now
            if not changed and not (pending and time.monotonic() - tried >= RETRY_SECONDS):
                continue
            if changed and on_change is not None:
                on_change(sorted(set(changed)))
            started, tried = time.time_ns(), time.monotonic()
            pending = not attempt(rebuild, pending)
            changed = sources.update(events, (), started)


def attempt(rebuild: Callable[[], object], waiting: bool = False) -> bool:
    """Run one rebuild; False when it must run again. Whatever a build reports is a message, never the end of watch."""
    try:
        return rebuild() != AGAIN
    except BuildLocked as exc:
        if not waiting:  # said once; watch tries every RETRY_SECONDS until the other build is done
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
