"""Timing helpers: wall and CPU time of child processes, medians, and the machine's load.

The machine is shared and noisy, so every figure is a median of separate
processes where it can be, and is printed with the load average at the time.
CPU time comes from getrusage(RUSAGE_CHILDREN), which counts a child and every
worker it waited for, so a parallel figure can say how busy the cores were.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass
from typing import Self

CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@dataclass
class Timing:
    wall: float
    cpu: float  # user + system seconds of every process it waited for

    def utilisation(self) -> str:
        """How many of the machine's cores the work kept busy, on average."""
        busy = self.cpu / self.wall if self.wall else 0.0
        return f"CPU {busy:.2f} of {CORES} cores ({100 * busy / CORES:.0f}%)"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Stopwatch:
    """Wall and children's CPU time of whatever runs inside `with`."""

    def __enter__(self) -> Self:
        self.started, self.cpu_before = time.perf_counter(), children_cpu()
        return self

    def __exit__(self, *_) -> None:
        self.timing = Timing(time.perf_counter() - self.started, children_cpu() - self.cpu_before)


def run_timed(cmd: list[str], **kwargs) -> tuple[Timing, subprocess.CompletedProcess]:
    with Stopwatch() as watch:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    return watch.timing, done


def repeat_wall(cmd: list[str], times: int, **kwargs) -> list[float]:
    """Wall seconds of `times` separate runs, after one unmeasured warm-up (disk cache)."""
    subprocess.run(cmd, capture_output=True, check=True, **kwargs)
    return [run_timed(cmd, **kwargs)[0].wall for _ in range(times)]


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"
