"""The author's loop: `build.py watch` running, a topic saved, PDFs on disk.

Timed from outside, as the author sees it: from the saved file's modification
time to each new PDF's modification time (the same clock), so the poll interval,
the reload, the gates and the render all count. Watch prints a summary line
after each rebuild; that is when this module looks at the PDFs.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SETTLE_SECONDS = 6.0  # after watch says it is watching: its worker pool finishes starting
BUILD_TIMEOUT = 300.0


@dataclass
class Save:
    first: float  # seconds from the save to the first new PDF
    last: float  # ... to the last of them
    pdfs: int


class Watcher:
    """A `build.py watch` process and the lines it prints."""

    def __init__(self, root: Path, out: Path, jobs: int):
        self.lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "watch", "--out", str(out), "--jobs", str(jobs)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, starts: str, timeout: float = BUILD_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(starts):
                return line
        raise RuntimeError(f"watch printed no line starting {starts!r}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure_saves(root: Path, out: Path, topics: list[str], edit: Callable[[Path], None], jobs: int = 2) -> list[Save]:
    """Start watch on a built library, then save each topic in turn (one save at a time)."""
    watcher = Watcher(root, out, jobs)
    try:
        watcher.wait_for("watching for changes")
        time.sleep(SETTLE_SECONDS)
        saves = []
        for topic_id in topics:
            path = root / "handouts" / f"{topic_id}.yaml"
            edit(path)
            saved = path.stat().st_mtime_ns
            watcher.wait_for("built ")
            saves.append(new_pdfs(out, topic_id, saved))
            time.sleep(1.0)  # the author reads the PDF before the next save
        return saves
    finally:
        watcher.stop()


def new_pdfs(out: Path, topic_id: str, saved_ns: int) -> Save:
    times = sorted(
        p.stat().st_mtime_ns for p in (out / "handouts" / topic_id).glob("*.pdf") if p.stat().st_mtime_ns >= saved_ns
    )
    if not times:
        raise RuntimeError(f"no new PDF of {topic_id} after the save")
    return Save((times[0] - saved_ns) / 1e9, (times[-1] - saved_ns) / 1e9, len(times))
