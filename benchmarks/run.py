#!/usr/bin/env python3
"""Benchmark the build on a synthetic library made from the HO topic.

    .venv/bin/python benchmarks/run.py [--topics 100] [--naive-sample 24]

Prints, in one run: warm render time per PDF; a full build with --jobs 1 and
--jobs 2; a no-op rebuild; a rebuild after one edit; a 10,000-note deck; peak
memory per worker; and the same PDFs made by running the `weasyprint` command
once per file (timed on a sample, then scaled to the full count), with ratios.
Full builds run as separate processes, as a user runs them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TOPIC = "heterotopic-ossification"
COPIED = ("templates", "brands", "editions.yaml", "medical-terms.txt")


def make_library(root: Path, count: int) -> list[str]:
    """count copies of the HO topic with new ids, and one deck over all of them."""
    for name in COPIED:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    (root / "handouts").mkdir()
    (root / "decks").mkdir()
    text = (REPO / "handouts" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
    for extra in (REPO / "handouts").iterdir():  # figure files next to the topic
        if extra.is_dir():
            shutil.copytree(extra, root / "handouts" / extra.name)
    ids = [f"topic-{n:03d}" for n in range(1, count + 1)]
    for topic_id in ids:
        (root / "handouts" / f"{topic_id}.yaml").write_text(text.replace(f"id: {TOPIC}\n", f"id: {topic_id}\n", 1))
    (root / "decks" / "bench.yaml").write_text(
        f"id: bench\nname: Bench::All\ndeck_id: 1763924400777\ntopics: [{', '.join(ids)}]\n"
    )
    return ids


def timed_build(root: Path, *args: str) -> tuple[float, dict]:
    """Run build.py as its own process; return wall time and the build report."""
    code = (
        "import json, sys; from pathlib import Path; "
        "from handoutkit.cli import make_parser; from handoutkit.build.pipeline import BuildOptions, build; "
        "args = make_parser(Path(sys.argv[1])).parse_args(['build', *sys.argv[2:]]); "
        "r = build(BuildOptions.from_args(args)); "
        "print(json.dumps({'built': len(r.built), 'skipped': r.skipped, 'problems': [str(p) for p in r.problems], "
        "'peak_worker_mb': r.peak_worker_mb, 'render_seconds': r.render_seconds}))"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(root), *args], cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr}")
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])


def warm_render(root: Path, repeat: int) -> dict[str, float]:
    """Median seconds per PDF per edition, in a renderer that has done one document already."""
    from handoutkit.build.engine import start_worker
    from handoutkit.content.library import load_library
    from handoutkit.editions.select import select_edition

    library = load_library(root)
    renderer = start_worker(root)  # set up as a build's worker is
    topic_id = sorted(library.topics)[0]
    medians = {}
    for edition in library.editions:
        topic = select_edition(library.topics[topic_id], edition.audience)
        kwargs = dict(topic_dir=library.topic_path(topic_id).parent, brand_dir=library.brand_path.parent)
        renderer.render_pdf(topic, edition, "letter", library.brand, **kwargs)  # warm up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            renderer.render_pdf(topic, edition, "letter", library.brand, **kwargs)
            times.append(time.perf_counter() - started)
        medians[edition.id] = statistics.median(times)
    return medians


def naive_per_file(root: Path, sample: int) -> float:
    """Seconds per PDF when each is made by its own `weasyprint` command."""
    from handoutkit.content.library import load_library
    from handoutkit.editions.select import select_edition
    from handoutkit.pdf import HandoutRenderer
    from handoutkit.pdf.styles import format_css

    library = load_library(root)
    renderer = HandoutRenderer(root)
    work = root / "templates" / "naive"  # inside templates/, so relative URLs resolve as in our build
    work.mkdir()
    jobs = []
    for topic_id in sorted(library.topics):
        for edition in library.editions:
            for paper in edition.papers:
                jobs.append((topic_id, edition, paper))
    jobs = jobs[:: max(1, len(jobs) // sample)][:sample]
    for n, (topic_id, edition, paper) in enumerate(jobs):
        topic = select_edition(library.topics[topic_id], edition.audience)
        html = renderer.render_html(topic, edition, paper, library.brand,
                                    topic_dir=library.topic_path(topic_id).parent, brand_dir=library.brand_path.parent)
        (work / f"{n}.html").write_text(html, encoding="utf-8")
        (work / f"{n}.css").write_text(format_css(paper, edition.large_print, edition.body_pt), encoding="utf-8")
    weasyprint = Path(sys.executable).with_name("weasyprint")
    started = time.perf_counter()
    for n in range(len(jobs)):
        subprocess.run(
            [str(weasyprint), "-q", "-s", str(root / "templates" / "handout.css"), "-s", str(work / f"{n}.css"),
             "--pdf-variant", "pdf/ua-1", "--pdf-tags", str(work / f"{n}.html"), str(work / f"{n}.pdf")],
            check=True,
        )
    return (time.perf_counter() - started) / len(jobs)


def big_deck_seconds(root: Path, notes: int) -> float:
    from handoutkit.anki import build_deck
    from handoutkit.content.library import load_library

    library = load_library(root)
    topic_id = sorted(library.topics)[0]
    topic = library.topics[topic_id]
    template = topic.cards[0]
    cards = [template.model_copy(update={"id": f"{template.id}-{n}"}) for n in range(notes)]
    big = topic.model_copy(update={"cards": cards, "glossary": [], "tips": [], "red_flags": [], "sections": topic.sections})
    deck = library.decks[0].model_copy(update={"topics": [topic_id]})
    started = time.perf_counter()
    build_deck(deck, {topic_id: big}, root, {}, now=1_800_000_000)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--naive-sample", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="handoutkit-bench-") as tmp:
        root = Path(tmp)
        make_library(root, args.topics)
        print(f"synthetic library: {args.topics} topics (copies of {TOPIC}), every edition on letter and A4")

        medians = warm_render(root, args.repeat)
        for edition, seconds in medians.items():
            print(f"warm render, {edition:<22} median {seconds:.3f} s per PDF")
        two_page = statistics.median([medians[e] for e in ("patient", "sci") if e in medians])

        jobs1, report1 = timed_build(root, "--jobs", "1", "--out", str(root / "dist1"))
        jobs2, report2 = timed_build(root, "--jobs", "2", "--out", str(root / "dist2"))
        pdfs = report2["built"] - 1
        noop, noop_report = timed_build(root, "--jobs", "2", "--out", str(root / "dist2"))

        topic = root / "handouts" / "topic-001.yaml"
        marker = "title: Heterotopic ossification"
        topic.write_text(topic.read_text(encoding="utf-8").replace(marker, marker + " (edited)", 1), encoding="utf-8")
        edit, edit_report = timed_build(root, "--jobs", "2", "--out", str(root / "dist2"))
        # What that topic's outputs cost to render in the full --jobs 1 build.
        topic_render = statistics.mean(report1["render_seconds"]) * (edit_report["built"] - 1)

        deck_seconds = big_deck_seconds(root, 10_000)
        naive = naive_per_file(root, args.naive_sample)
        naive_total = naive * pdfs

    print(f"full build, {pdfs} PDFs + 1 deck, --jobs 1: {jobs1:.1f} s ({report1['peak_worker_mb']:.0f} MB peak)")
    print(f"full build, {pdfs} PDFs + 1 deck, --jobs 2: {jobs2:.1f} s ({report2['peak_worker_mb']:.0f} MB peak per worker)")
    print(f"speed-up --jobs 2 over --jobs 1: {jobs1 / jobs2:.2f}x (target >= 1.6x)")
    print(f"no-op rebuild: {noop:.2f} s, rendered {noop_report['built']} (target <= 1 s)")
    print(f"one-topic edit: {edit:.2f} s, rebuilt {edit_report['built']} outputs "
          f"(their render time {topic_render:.2f} s; target <= 2 x that + no-op = {2 * topic_render + noop:.2f} s)")
    print(f"10,000-note deck: {deck_seconds:.2f} s (target <= 5 s)")
    print(f"naive `weasyprint` once per file: {naive:.2f} s per PDF, {naive_total:.0f} s for {pdfs} PDFs (timed on {args.naive_sample})")
    print(f"ours (--jobs 2) vs naive: {naive_total / jobs2:.1f}x faster (target >= 8x)")
    print(f"warm render of a 2-page edition: median {two_page:.3f} s (target <= 0.1 s)")


if __name__ == "__main__":
    main()
