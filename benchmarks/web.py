#!/usr/bin/env python3
"""Benchmark the web site: what it adds to a full build, and `serve`'s save -> reloaded page.

    .venv/bin/python benchmarks/web.py [--topics 20] [--builds 3] [--saves 7] [--rev REV]

Works on copies in a temporary folder (synthetic.py), like run.py. Prints, with the load:

- full builds (--jobs 2, each its own process, a fresh output folder) with the site and
  without it (the same build with the site stage replaced by one that plans nothing),
  alternating, the median of --builds each;
- `serve --jobs 2` on the library (with its deck over every topic, then without it), a
  page open in headless chromium (Debian's, through playwright), and --saves edits of the
  topic that page shows: from the saved file's modification time to the reloaded page's
  DOMContentLoaded (the browser's clock is the wall clock, as the file's is). Between
  saves it waits for the PDFs, as an author would.
"""

from __future__ import annotations

import argparse
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic
from measure import load, run_timed, spread

CHROMIUM = "/usr/bin/chromium"
NO_SITE_PROBE = """
import sys
from handoutkit.cli import main
from handoutkit.make import pipeline


class NoSite:
    outputs = []

    def __init__(self, run):
        pass

    def write_pages(self):
        pass

    def copy_pdfs(self):
        pass

    def changed(self, withdrawn):
        return []


pipeline.SiteStage = NoSite
sys.exit(main(["build", *sys.argv[1:]]))
"""
STAGE_PROBE = """
import sys, time
from pathlib import Path
from handoutkit.cli import make_parser
from handoutkit.make.pipeline import BuildOptions, build
from handoutkit.web.stage import SiteStage

spent = [0.0]


def timed(method):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
    return wrapper


for name in ("__init__", "write_pages", "copy_pdfs"):
    setattr(SiteStage, name, timed(getattr(SiteStage, name)))
args = make_parser(Path.cwd()).parse_args(["build", *sys.argv[1:]])
started = time.perf_counter()
report = build(BuildOptions.from_args(args))
print(spent[0], time.perf_counter() - started, len(report.built))
"""
BUILT_RE = re.compile(r"^built (\d+), up to date (\d+)")


def say(line: str) -> None:
    print(line, flush=True)


def full_builds(root: Path, times: int) -> None:
    """With and without the site, alternating, each in a fresh output folder."""
    walls: dict[str, list[float]] = {"with the site": [], "without the site": []}
    outputs: dict[str, str] = {}
    for n in range(times):
        for label, command in (
            ("with the site", [sys.executable, "build.py"]),
            ("without the site", [sys.executable, "-c", NO_SITE_PROBE]),
        ):
            out = root / f"dist-{label.split()[0]}-{n}"
            timing, done = run_timed([*command, "--jobs", "2", "--out", str(out)], cwd=root)
            if done.returncode != 0:
                raise RuntimeError(f"build failed ({label}):\n{done.stderr[-3000:]}")
            walls[label].append(timing.wall)
            outputs[label] = done.stdout.strip().splitlines()[-1]
    for label, values in walls.items():
        say(f"full build {label} (--jobs 2): {spread(values)}; last: {outputs[label]}")
    extra = statistics.median(walls["with the site"]) - statistics.median(walls["without the site"])
    say(f"the site's cost: {extra:+.2f} s on the median full build (wall clock: noisy on a shared machine); {load()}")
    stage, totals = [], []
    for n in range(times):  # the site stage's own time inside a full build: less noisy than a difference of walls
        done = subprocess.run(
            [sys.executable, "-c", STAGE_PROBE, "--jobs", "2", "--out", str(root / f"dist-stage-{n}")],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        spent, total, _ = done.stdout.split()[-3:]
        stage.append(float(spent))
        totals.append(float(total))
    say(
        f"the site stage inside a full build (planning, pages, catalog, copies of the PDFs): {spread(stage)} "
        f"of {statistics.median(totals):.2f} s ({100 * statistics.median(stage) / statistics.median(totals):.1f}%); "
        f"{load()}"
    )


class Server:
    """A `build.py serve` process and the lines it prints."""

    def __init__(self, root: Path):
        self.lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--port", "0", "--jobs", "2"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self.read, daemon=True).start()
        self.url = re.search(r"serving (\S+)", self.wait_for(lambda line: line.startswith("serving"))).group(1)

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, wanted, timeout: float = 300.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if wanted(line):
                return line
        raise RuntimeError("serve printed no line it was waited for")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def save_to_reload(root: Path, topic_id: str, saves: int) -> tuple[list[float], list[float]]:
    """(save -> reloaded page, save -> page written) for each save: the second as serve prints it (to 0.01 s)."""
    from playwright.sync_api import sync_playwright

    server = Server(root)
    try:
        server.wait_for(lambda line: line.startswith("watching"))
        time.sleep(3.0)  # the worker pool finishes starting
        topic = root / "handouts" / f"{topic_id}.yaml"
        original = topic.read_text(encoding="utf-8")
        seconds, written = [], []
        page_line = re.compile(rf"^site/{topic_id}/patient\.html: ([\d.]+) s after the save")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{server.url}{topic_id}/patient.html")
            for n in range(1, saves + 1):
                page.evaluate("window.notReloaded = true")
                topic.write_text(
                    re.sub(r"(?m)^title: (.*)$", rf"title: \1 edit {n}", original, count=1), encoding="utf-8"
                )
                saved = topic.stat().st_mtime
                page.wait_for_function("!window.notReloaded", timeout=60_000)
                page.wait_for_load_state("domcontentloaded")
                shown = (
                    page.evaluate(
                        "performance.timeOrigin + "
                        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                    )
                    / 1000
                )
                if f"edit {n}" not in page.locator("h1").text_content():
                    raise RuntimeError(f"save {n}: the reloaded page does not show the edit")
                seconds.append(shown - saved)
                line = server.wait_for(lambda line: page_line.match(line) is not None)
                written.append(float(page_line.match(line).group(1)))
                server.wait_for(lambda line: BUILT_RE.match(line) is not None)  # the PDFs followed
                time.sleep(0.5)
            browser.close()
        return seconds, written
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=int, default=20, help="topics in the library (default: %(default)s)")
    parser.add_argument(
        "--builds", type=int, default=3, help="full builds of each kind; 0: serve only (default: %(default)s)"
    )
    parser.add_argument("--saves", type=int, default=7, help="saves timed in serve (default: %(default)s)")
    parser.add_argument("--rev", help="measure the project at this git revision instead of the working tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handoutkit-web-bench-") as tmp:
        work = Path(tmp)
        source = synthetic.export_source(work / "source", args.rev)
        topics = synthetic.passing_topics(source, work, lenient=True)
        for count in sorted({2, args.topics}):
            root = work / f"library-{count}"
            root.mkdir()
            synthetic.make_library(source, root, count, topics)
            say(f"library: {count} topics ({', '.join(topics)} in turn); {load()}")
            if args.builds:
                full_builds(root, args.builds)
        root = work / f"library-{args.topics}"
        # Every build checks the decks before it writes anything (a note Anki could not update stops it):
        # timed with the library's deck over every topic, then without it.
        for deck in ("a deck over every topic", "no deck"):
            if deck == "no deck":
                for path in (root / "decks").glob("*"):
                    path.unlink()
            seconds, written = save_to_reload(root, "topic-001", args.saves)
            say(
                f"serve (--jobs 2, {args.topics} topics, {deck}, a title edit, {len(seconds)} saves): save -> "
                f"reloaded page {spread(seconds)} (target <= 0.5 s); each: {', '.join(f'{s:.3f}' for s in seconds)}; "
                f"of which save -> page written (serve's own line) median {statistics.median(written):.2f} s; {load()}"
            )


if __name__ == "__main__":
    main()
