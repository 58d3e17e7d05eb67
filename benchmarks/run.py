#!/usr/bin/env python3
"""Benchmark the build and the author's loop on a synthetic library, fairly.

    .venv/bin/python benchmarks/run.py [--topics 100] [--loop-topics 20] [--per-pair 2] [--rev REV]

Everything runs on copies in a temporary folder (the project's code and
templates included), so nothing is written into the project and edits made to
the working tree while it runs do not change what it measures; --rev measures
the project as it was at a git revision instead.

Prints, each with the machine's load: renderer start-up and the no-op build
(medians of separate processes); warm render per edition; the author's loop in
`watch` (save -> first PDF, save -> all affected PDFs, for a patient-only edit
in a --loop-topics library); full builds with --jobs 1 and 2 (separate
processes, with CPU utilisation); a one-topic edit; a 10,000-note deck; and the
naive baseline, one `weasyprint` command per PDF, on a sample covering every
edition x paper pair, run one at a time and two at a time, so ours is compared
with it at equal parallelism.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loop
import naive
import synthetic
from measure import CORES, load, repeat_wall, run_timed, spread

STARTUP_PROBE = (
    "import sys, time; t0 = time.perf_counter(); from handoutkit.pdf import HandoutRenderer; "
    "t1 = time.perf_counter(); HandoutRenderer(sys.argv[1]); t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
)
BUILD_PROBE = (
    "import json, sys; from pathlib import Path; "
    "from handoutkit.cli import make_parser; from handoutkit.make.pipeline import BuildOptions, build; "
    "args = make_parser(Path.cwd()).parse_args(['build', *sys.argv[1:]]); "
    "r = build(BuildOptions.from_args(args)); "
    "print(json.dumps({'built': len(r.built), 'skipped': r.skipped, 'problems': [str(p) for p in r.problems], "
    "'peak_worker_mb': r.peak_worker_mb, 'render_seconds': r.render_seconds}))"
)


def say(line: str) -> None:
    print(line, flush=True)


def machine_line() -> str:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return (
        f"machine: {CORES} usable cores (nproc {nproc}), {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {load()} at the start"
    )


def timed_build(root: Path, *args: str) -> tuple[object, dict]:
    """build.py's build in its own process, as a user runs it; its timing and report."""
    timing, done = run_timed([sys.executable, "-c", BUILD_PROBE, *args], cwd=root)
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stderr[-4000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["problems"]:
        raise RuntimeError("build failed:\n" + "\n".join(report["problems"][:20]))
    return timing, report


def survive(part, *args) -> None:
    """Run one part; if it fails, say so and go on with the others (a long run keeps its other figures)."""
    try:
        part(*args)
    except Exception as exc:  # noqa: BLE001 - reported, then the next part runs
        say(f"FAILED: {part.__name__}: {exc}")


def startup(root: Path, times: int) -> None:
    rows = []
    for _ in range(times):
        done = subprocess.run(
            [sys.executable, "-c", STARTUP_PROBE, str(root)], cwd=root, capture_output=True, text=True, check=True
        )
        rows.append([float(x) for x in done.stdout.split()])
    say(
        f"renderer start-up, separate processes: import handoutkit.pdf (WeasyPrint) {spread([r[0] for r in rows])}; "
        f"HandoutRenderer() (fonts, CSS) {spread([r[1] for r in rows])} (target <= 0.3 s); {load()}"
    )


def warm_render(root: Path, repeat: int) -> None:
    """Median seconds per PDF per edition, in a renderer that has done one document already."""
    from handoutkit.content.library import load_library
    from handoutkit.editions.select import select_edition
    from handoutkit.make.engine import start_worker

    library = load_library(root)
    renderer = start_worker(root)
    for edition in library.editions:
        paper = edition.papers[0]
        taker = next(
            (t for t in sorted(library.topics) if getattr(edition, "applies_to", lambda t: True)(library.topics[t])),
            None,
        )
        if taker is None:
            continue
        topic = select_edition(library.topics[taker], edition.audience)
        kwargs = {"topic_dir": library.topic_path(taker).parent, "brand_dir": library.brand_path.parent}
        renderer.render_pdf(topic, edition, paper, library.brand, **kwargs)  # warm up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            renderer.render_pdf(topic, edition, paper, library.brand, **kwargs)
            times.append(time.perf_counter() - started)
        say(f"warm render, {edition.id:<20} {paper:<6} median {statistics.median(times):.3f} s per PDF; {load()}")


def author_loop(source: Path, work: Path, count: int, topics: tuple[str, ...], saves: int) -> None:
    root = work / "loop"
    root.mkdir()
    ids = synthetic.make_library(source, root, count, topics)
    timing, report = timed_build(root, "--jobs", "2", "--out", str(root / "dist"))
    say(
        f"author's loop library: {count} topics, built {report['built']} outputs in {timing.wall:.1f} s "
        f"({timing.utilisation()}); {load()}"
    )
    edited = ids[:: max(1, len(ids) // saves)][:saves]
    results = loop.measure_saves(root, root / "dist", edited, synthetic.edit_patient_only)
    firsts, lasts = [s.first for s in results], [s.last for s in results]
    say(
        f"author's loop (watch --jobs 2, {count} topics, patient-only edit, {len(results)} saves, "
        f"{'/'.join(str(s.pdfs) for s in results)} PDFs each): save -> first PDF {spread(firsts)} "
        f"(target <= 2.0 s, stretch 1.5 s); save -> all affected {spread(lasts)} (target <= 3.5 s); {load()}"
    )


def full_builds(root: Path) -> dict:
    jobs1, report1 = timed_build(root, "--jobs", "1", "--out", str(root / "dist1"))
    say(
        f"full build, --jobs 1: {jobs1.wall:.1f} s, {report1['built']} outputs ({jobs1.utilisation()}, "
        f"{report1['peak_worker_mb']:.0f} MB peak); {load()}"
    )
    jobs2, report2 = timed_build(root, "--jobs", "2", "--out", str(root / "dist2"))
    say(
        f"full build, --jobs 2: {jobs2.wall:.1f} s, {report2['built']} outputs ({jobs2.utilisation()}, "
        f"{report2['peak_worker_mb']:.0f} MB peak per worker); {load()}"
    )
    say(f"speed-up --jobs 2 over --jobs 1: {jobs1.wall / jobs2.wall:.2f}x (at most {CORES}x on {CORES} cores)")
    return {"jobs1": jobs1, "jobs2": jobs2, "report1": report1, "pdfs": report2["built"] - 1}


def noop_and_edit(root: Path, ids: list[str], jobs1_report: dict, repeat: int) -> None:
    walls = repeat_wall([sys.executable, "build.py", "--out", str(root / "dist2")], repeat, cwd=root)
    say(f"no-op build (python build.py, nothing changed): {spread(walls)} (target <= 0.3 s); {load()}")
    synthetic.edit_title(root / "handouts" / f"{ids[0]}.yaml")
    edit, report = timed_build(root, "--jobs", "2", "--out", str(root / "dist2"))
    rendered = statistics.mean(jobs1_report["render_seconds"]) * len(report["render_seconds"])
    say(
        f"one-topic edit (title, every edition of it): {edit.wall:.2f} s, rebuilt {report['built']} outputs "
        f"(their render time ~{rendered:.2f} s; {edit.utilisation()}); {load()}"
    )


def big_deck(root: Path, notes: int) -> None:
    from handoutkit.anki import build_deck, load_lock
    from handoutkit.content.library import load_library
    from handoutkit.make.pipeline import draw_figure

    library = load_library(root)
    topic_id = min(library.topics)
    topic = library.topics[topic_id]
    cards = [topic.cards[0].model_copy(update={"id": f"{topic.cards[0].id}-{n}"}) for n in range(notes)]
    library.topics = {topic_id: topic.model_copy(update={"cards": cards})}
    library.derived.clear()
    deck = library.decks[0].model_copy(update={"topics": [topic_id]})
    started = time.perf_counter()
    build_deck(deck, library, load_lock(root / "decks" / "none.lock.json"), now=1_800_000_000, draw=draw_figure)
    say(f"{notes:,}-note deck: {time.perf_counter() - started:.2f} s (target <= 5 s); {load()}")


def naive_baseline(root: Path, work: Path, per_pair: int, rounds: int, ours: dict) -> None:
    """The naive sample, one at a time and two at a time, alternating `rounds` times (the least disturbed run
    counts)."""
    from handoutkit.content.library import load_library

    library = load_library(root)
    counts = naive.pairs_of(library)
    commands = naive.write_inputs(library, naive.sample_jobs(library, per_pair), work / "naive")
    runs, walls = {1: [], 2: []}, {}
    for _ in range(rounds):
        for parallel in (1, 2):
            timing, per_pair_walls = naive.run_commands(commands, parallel)
            runs[parallel].append(timing)
            if parallel == 1:
                for pair, seconds in per_pair_walls.items():
                    walls.setdefault(pair, []).extend(seconds)
    one, two = (min(runs[n], key=lambda t: t.wall) for n in (1, 2))
    serial = naive.estimate_serial(walls, counts)
    parallel = serial * two.wall / one.wall
    say(
        f"naive `weasyprint` per PDF: sample of {len(commands)} covering all {len(counts)} edition x paper pairs "
        f"({per_pair} each), run {rounds}x each way; estimates for the library's {sum(counts.values())} PDFs "
        "weight each pair by its count"
    )
    for n, name in ((1, "one at a time"), (2, "two at a time")):
        say(
            f"naive, {name}: sample "
            + ", ".join(f"{t.wall:.1f} s ({t.utilisation()})" for t in runs[n])
            + f"; best {min(t.wall for t in runs[n]):.1f} s; {load()}"
        )
    per_pdf = statistics.median([w for ws in walls.values() for w in ws])
    say(
        f"naive estimates: one at a time {serial:.0f} s ({per_pdf:.2f} s median per PDF), "
        f"two at a time {parallel:.0f} s"
    )
    say(f"ours --jobs 1 vs naive one at a time: {serial / ours['jobs1'].wall:.1f}x faster")
    say(
        f"ours --jobs 2 vs naive two at a time (equal parallelism): {parallel / ours['jobs2'].wall:.1f}x faster "
        f"(target >= 4x; ours {ours['jobs2'].utilisation()}, naive {two.utilisation()})"
    )
    say(
        f"ours --jobs 2 vs naive one at a time (unequal: the old headline's comparison): "
        f"{serial / ours['jobs2'].wall:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=int, default=100, help="topics in the library for full builds and naive")
    parser.add_argument("--loop-topics", type=int, default=20, help="topics in the library watch runs on")
    parser.add_argument("--saves", type=int, default=5, help="saves timed in the author's loop")
    parser.add_argument("--per-pair", type=int, default=2, help="naive sample: PDFs per edition x paper pair")
    parser.add_argument("--naive-rounds", type=int, default=2, help="naive sample runs each way, alternating")
    parser.add_argument("--repeat", type=int, default=7, help="separate processes per start-up and no-op figure")
    parser.add_argument("--rev", help="measure the project at this git revision instead of the working tree")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="take every topic, even one that fails check (for a --rev whose content fails a gate)",
    )
    parser.add_argument(
        "--mix",
        action="append",
        choices=synthetic.TOPICS,
        help="only these topics in the library (repeatable; default: each that passes check)",
    )
    parser.add_argument("--only", choices=["startup", "loop"], help="just one part (development)")
    args = parser.parse_args()

    say(machine_line())
    with tempfile.TemporaryDirectory(prefix="handoutkit-bench-") as tmp:
        work = Path(tmp)
        source = synthetic.export_source(work / "source", args.rev)
        topics = synthetic.passing_topics(source, work / "checks", args.lenient)
        topics = tuple(t for t in topics if t in (args.mix or topics))
        if not topics:
            sys.exit("no topic passes check: nothing to benchmark")
        root = work / "library"
        root.mkdir()
        ids = synthetic.make_library(source, root, args.topics, topics)
        sys.path.insert(0, str(root))  # this process measures the copied code too
        say(
            f"source: {'git ' + args.rev if args.rev else 'working tree'} (copied); library of {args.topics} topics "
            f"({', '.join(topics)} in turn); "
            "every quality gate set to warning (they still run) so a draft or a timed edit never stops a timing"
        )
        startup(root, args.repeat)
        if args.only == "startup":
            return
        survive(author_loop, source, work, args.loop_topics, topics, args.saves)
        if args.only == "loop":
            return
        warm_render(root, args.repeat)
        ours = full_builds(root)
        survive(noop_and_edit, root, ids, ours["report1"], args.repeat)
        survive(big_deck, root, 10_000)
        naive_baseline(root, work, args.per_pair, args.naive_rounds, ours)


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1800000000")
    main()
