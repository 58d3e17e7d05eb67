"""What `watch` keeps between saves, so a save costs its own outputs and little else.

- The renderers: this process's HandoutRenderer (WeasyPrint, fonts, parsed CSS)
  and, once started, the worker pool, used whenever more than one output changed.
- Each topic file's loaded model and its quality cards, keyed by the file's bytes:
  a save reloads and gates only the topics whose files changed.
- The outputs of the files just saved are rendered first.

All of it is thrown away when what every output depends on changes: templates,
CSS, fonts (templates/), editions.yaml, medical-terms.txt or the brand file. A
change to the program's code restarts the whole watch (cli), since the modules
this process runs cannot be reloaded safely: watch's parent starts a new process.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..content.library import DEFAULT_BRAND, Library, load_topic
from ..content.sourcefiles import is_topic_file
from ..errors import ContentError
from ..quality import assess_topic
from .engine import HandoutJob, Rendered, Renderers, render_job
from .keys import PACKAGE_DIR, digest, file_digest, tree_digest
from .pipeline import Fresh
from .supervise import RESTART_STATUS, code_files  # noqa: F401 (code_files: the command line's)
from .uptodate import BuildOptions

WARM_POOL_MIN_JOBS = 2  # a kept pool is already running: two outputs are enough to share it
# An editor that saves in place truncates, then writes: a build that reads in between reads half a
# file (watchfiles hands a save over once no event came for 50 ms; a slow writer pauses longer).
# A topic that fails to load this soon after its save is read again once, this much later.
TORN_SAVE_SECONDS = 0.15


def tidy_memory() -> None:
    """Collect the garbage now, between saves, and set what survives aside (gc.freeze): the next save's
    build then never stops to scan the warm models, WeasyPrint and the libraries for cycles. Such a full
    collection took 85-90 ms in most saves of a 20-topic library, a sixth of serve's half-second."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class KeptRenderers(Renderers):
    """Renderers that outlive a build: only an interruption or a failed render stops the pool.

    A content error (an author mid-edit) raises before anything is submitted, so
    the warm pool stays for the next save.
    """

    def __exit__(self, error_type, *_) -> None:
        if self.pool is not None and error_type is not None and not issubclass(error_type, ContentError):
            self.stop_workers()

    def render(self, jobs: list[HandoutJob]) -> Iterator[Rendered]:
        if len(jobs) == 1:  # one output: this process's warm renderer, no hand-off to a worker
            self.use_own_renderer()
            yield render_job(jobs[0])
            return
        yield from super().render(jobs)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.renderer = None


class WarmState(Fresh):
    def __init__(self, options: BuildOptions, clock=time.time):
        self.options = options
        self.root = options.root
        self.brand_file = (options.brand or options.root / DEFAULT_BRAND).resolve()
        self.clock = clock
        self.kept: KeptRenderers | None = None
        self.library: Library | None = None  # the last build's, for what it derived from each topic
        self.topics: dict[Path, tuple[str, tuple]] = {}  # topic file -> (its digest, what load_topic returned)
        self.cards: dict[str, tuple[tuple, list]] = {}  # topic id -> ((its digest, today), its quality cards)
        self.shared = self.shared_digest()
        self.first: list[str] = []  # topic ids saved just now, newest first: their outputs render first
        self.saved_at: float | None = None  # wall time of the save being built (a file's mtime)
        self.drops = 0  # how often the warm state was thrown away (tests read it)

    # ----- between saves ------------------------------------------------------

    def ready(self) -> None:
        """After a build: have this process's renderer and, with --jobs > 1, the pool waiting for the next save."""
        kept = self.renderers(self.root, self.options.jobs)
        kept.use_own_renderer()
        kept.start(max(self.options.jobs, WARM_POOL_MIN_JOBS))
        tidy_memory()

    def saw(self, changed: list[Path]) -> None:
        """Before a rebuild: what changed on disk since the last one (the files watch heard of)."""
        if any(p.resolve().is_relative_to(PACKAGE_DIR) for p in changed):
            self.restart()
        shared = self.shared_digest()
        if shared != self.shared:
            self.shared = shared
            self.drop()
        elif any(not self.is_topic_file(p) and not self.is_deck_file(p) for p in changed):
            # A figure or logo file: topics are checked against their files, so check every topic again.
            self.topics.clear()
            self.cards.clear()
            self.library = None
        saved = [p for p in changed if self.is_topic_file(p) and p.is_file()]
        saved.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        self.first = [p.stem for p in saved]
        times = [p.stat().st_mtime for p in changed if p.exists()]
        self.saved_at = max(times) if times else None

    def drop(self) -> None:
        """Forget everything warm: the next build starts as a fresh one would."""
        if self.kept is not None:
            self.kept.close()
        self.kept = None
        self.topics.clear()
        self.cards.clear()
        self.library = None
        self.drops += 1

    def close(self) -> None:
        if self.kept is not None:
            self.kept.close()
            self.kept = None
        gc.unfreeze()  # what watch set aside is garbage like any other once it ends

    def restart(self) -> None:
        """The program's code changed: end this process; watch's parent starts a new one (make/supervise.py)."""
        print("the program's code changed: restarting watch", file=sys.stderr, flush=True)
        self.close()
        sys.stdout.flush()
        raise SystemExit(RESTART_STATUS)

    def shared_digest(self) -> str:
        """What every output depends on: when it changes, nothing warm is worth keeping."""
        return digest(
            tree_digest(self.root / "templates"),
            file_digest(self.root / "editions.yaml"),
            file_digest(self.root / "medical-terms.txt"),
            file_digest(self.brand_file),
        )

    def is_topic_file(self, path: Path) -> bool:
        return is_topic_file(path, self.root)

    def is_deck_file(self, path: Path) -> bool:
        """A deck definition or lock: no topic or handout depends on it (the deck's own key does)."""
        return path.resolve().parent == (self.root / "decks").resolve()

    # ----- the pipeline's hooks (see pipeline.Fresh) ----------------------------

    def load_library(self, root: Path, brand: Path | None) -> Library:
        from ..content.library import load_library

        library = load_library(root, brand, topic_loader=self.load_topic)
        self.reuse_derived(library)
        self.library = library
        return library

    def reuse_derived(self, library: Library) -> None:
        """Each unchanged topic keeps what was made from it alone (its selections, its deck notes):
        load_topic returned the very same model."""
        if self.library is None:
            return
        old = self.library
        for key, made in old.derived.items():
            topic_id = key[0]
            topic = library.topics.get(topic_id)
            if topic is not None and topic is old.topics.get(topic_id):
                library.derived[key] = made

    def load_topic(self, path: Path, root: Path) -> tuple:
        """load_topic, remembered by the file's bytes (problems too: an unchanged broken file stays broken)."""
        key = file_digest(path)
        cached = self.topics.get(path)
        if cached is None or cached[0] != key:
            loaded = load_topic(path, root)
            if loaded[2] and self.just_saved(path):
                time.sleep(TORN_SAVE_SECONDS)  # half-written, most likely: its problems would withdraw every output
                key, loaded = file_digest(path), load_topic(path, root)
            cached = (key, loaded)
            self.topics[path] = cached
        return cached[1]

    def just_saved(self, path: Path) -> bool:
        try:
            return self.clock() - path.stat().st_mtime < TORN_SAVE_SECONDS
        except OSError:
            return False

    def gate_library(self, library: Library, strict: bool, release: bool) -> tuple[list, list]:
        from .report import gate_library

        return gate_library(library, strict, release, assess=self.assess_library)

    def assess_library(self, library: Library, today) -> list:
        cards = []
        for topic_id in sorted(library.topics):
            key = (file_digest(library.topic_path(topic_id)), today)
            cached = self.cards.get(topic_id)
            if cached is None or cached[0] != key:
                cached = (key, assess_topic(library, topic_id, today))
                self.cards[topic_id] = cached
            cards += cached[1]
        return cards

    def renderers(self, root: Path, jobs: int) -> Renderers:
        if self.kept is None:
            self.kept = KeptRenderers(root, jobs, min_pool_jobs=WARM_POOL_MIN_JOBS)
        return self.kept

    def order(self, jobs: list[HandoutJob]) -> list[HandoutJob]:
        rank = {topic_id: n for n, topic_id in enumerate(self.first)}
        return sorted(jobs, key=lambda job: rank.get(job.output.topic, len(rank)))  # stable: plan order otherwise

    def written(self, path: str) -> None:
        if self.saved_at is not None:
            print(f"{path}: {self.clock() - self.saved_at:.2f} s after the save", file=sys.stderr, flush=True)
