"""Render handouts in this process or in a pool of worker processes.

Each worker builds one HandoutRenderer (fonts, templates, parsed CSS) and keeps
it for every document it renders; start-up costs about a second, so small
builds stay in this process.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .config import Brand, Edition
from .errors import ContentError, Problem
from .model import Topic
from .plan import Output

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


_renderer = None


def start_worker(root: Path):
    """Make this process's renderer (pool initializer, or in-process); returns it."""
    global _renderer
    from .pdf import HandoutRenderer

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


def render_all(root: Path, jobs: list[HandoutJob], workers: int) -> Iterator[Rendered]:
    """Yield each job's result as it finishes, in any order."""
    if not jobs:
        return
    if workers <= 1 or len(jobs) < POOL_MIN_JOBS:
        start_worker(root)
        for job in jobs:
            yield render_job(job)
        return
    context = multiprocessing.get_context("spawn")  # fork would copy this process's state
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(root,)) as pool:
        futures = [pool.submit(render_job, job) for job in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
