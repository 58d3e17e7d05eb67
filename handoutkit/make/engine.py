"""Render handouts in this process or in a pool of worker processes.

Each worker builds one HandoutRenderer (fonts, templates, parsed CSS) and keeps
it for every document it renders; start-up costs about a second, so small
builds stay in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from ..content.config import Brand, Edition
from ..content.model import Topic
from ..errors import ContentError, Problem
from .plan import Output
from .stops import die_with_parent, sigint_blocked, unblock_sigint, usable_cores

POOL_MIN_JOBS = 12  # below this, starting workers costs more than it saves


@dataclass(frozen=True)
class HandoutJob:
    output: Output
    key: str
    topic: Topic  # already selected for the edition's audience
    edition: Edition
    brand: Brand
    topic_dir: Path
    brand_dir: Path


@dataclass
class Rendered:
    job: HandoutJob
    data: bytes | None
    pages: int | None
    seconds: float
    peak_rss_mb: float
    problems: list[Problem] = field(default_factory=list)


# Each worker's one renderer, made by the pool initializer: ProcessPoolExecutor passes state to its tasks only
# through the worker's module globals, and a renderer (fonts, parsed CSS) cannot be pickled into each task.
_renderer = None


def start_worker(root: Path, parent_pid: int | None = None):
    """Make this process's renderer (pool initializer, or in-process); returns it.

    In a pool worker (parent_pid given) it first ties the worker's life to the parent's.
    """
    global _renderer
    if parent_pid is not None:
        die_with_parent(parent_pid)
        unblock_sigint()  # blocked by the parent while spawning; ignored from now on
    from ..pdf import HandoutRenderer

    _renderer = HandoutRenderer(root)
    return _renderer


def render_job(job: HandoutJob) -> Rendered:
    started = time.perf_counter()
    try:
        data, pages = _renderer.render_pdf_pages(
            job.topic, job.edition, job.output.paper, job.brand, topic_dir=job.topic_dir, brand_dir=job.brand_dir
        )
        problems = []
    except ContentError as exc:
        data, pages, problems = None, None, exc.problems
    seconds = time.perf_counter() - started
    return Rendered(job, data, pages, seconds, peak_rss_mb(), problems)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class Renderers:
    """Renders handouts in this process, or in a pool of spawned worker processes.

    A worker takes about a second to start (WeasyPrint, fonts, parsed CSS), so
    the build starts the pool as soon as it knows how many handouts it will
    render, and the workers get ready while it runs the quality gates.
    """

    def __init__(self, root: Path, workers: int, min_pool_jobs: int = POOL_MIN_JOBS):
        self.root, self.workers = root, workers
        self.min_pool_jobs = min_pool_jobs  # watch keeps its pool, so two jobs are enough to use it
        self.pool: ProcessPoolExecutor | None = None
        self.renderer = None  # this process's own, made on first use and kept for every render

    def start(self, count: int) -> None:
        """Start the workers now if `count` jobs are enough to use them (small builds stay in this process).

        Never more workers than jobs or cores: `--jobs 40` for 13 outputs only cost start-up and memory.
        """
        workers = min(self.workers, count, usable_cores())
        if self.pool is None and workers > 1 and count >= self.min_pool_jobs:
            context = multiprocessing.get_context("spawn")  # fork would copy this process's state
            with sigint_blocked():
                self.pool = ProcessPoolExecutor(
                    workers, mp_context=context, initializer=start_worker, initargs=(self.root, os.getpid())
                )
                for _ in range(workers):
                    self.pool.submit(int)  # the pool spawns a worker per task while none is idle

    def render(self, jobs: list[HandoutJob]) -> Iterator[Rendered]:
        """Yield each job's result as it finishes, in any order."""
        if not jobs:
            return
        self.start(len(jobs))
        if self.pool is None:
            self.use_own_renderer()
            for job in jobs:
                yield render_job(job)
            return
        with sigint_blocked():  # a submit may spawn a worker
            futures = [self.pool.submit(render_job, job) for job in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            self.stop_workers()
            raise

    def use_own_renderer(self) -> None:
        global _renderer
        if self.renderer is None:
            self.renderer = start_worker(self.root)
        _renderer = self.renderer  # render_job reads the module's renderer, as in a worker

    def stop_workers(self) -> None:
        """Ctrl-C, SIGTERM or an error: stop now, not after each worker's current document."""
        if self.pool is None:
            return
        # The executor has no public handle on its workers; they are this process's multiprocessing children
        # (watch's child and the benchmark's are subprocesses, not multiprocessing's, so they are not listed).
        processes = multiprocessing.active_children()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)
        self.pool = None  # a later start makes a new pool

    def __enter__(self) -> Self:
        return self

    def __exit__(self, error_type, *_) -> None:
        if self.pool is not None and error_type is not None:
            self.stop_workers()
        elif self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
