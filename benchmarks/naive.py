"""The naive baseline: one `weasyprint` command per PDF, on the same HTML and CSS our build prints.

The sample covers every edition x paper pair the library has (wallet cards on
id-1 included), so the estimate for the whole library weights each pair by how
many of its PDFs the library has. Inputs and outputs live in a work folder of
their own, outside the library and the project; the commands only read the
library's templates. The sample runs one command at a time and, like our build
on this machine, two at a time.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from measure import Stopwatch, Timing

WEASYPRINT = Path(sys.executable).with_name("weasyprint")


def pairs_of(library) -> Counter:
    """How many PDFs of each (edition, paper) the whole library has."""
    counts = Counter()
    for topic in library.topics.values():
        for edition in library.editions:
            if getattr(edition, "applies_to", lambda t: True)(topic):
                counts.update((edition.id, paper) for paper in edition.papers)
    return counts


def sample_jobs(library, per_pair: int) -> list[tuple[str, object, str]]:
    """per_pair topics for every (edition, paper) pair, spread over the library."""
    jobs = []
    for edition in library.editions:
        takers = [
            t for t in sorted(library.topics) if getattr(edition, "applies_to", lambda t: True)(library.topics[t])
        ]
        for paper in edition.papers:
            step = max(1, len(takers) // per_pair)
            jobs += [(topic_id, edition, paper) for topic_id in takers[::step][:per_pair]]
    return jobs


def write_inputs(library, jobs: list, work: Path) -> list[tuple[tuple[str, str], list[str]]]:
    """Each job's HTML (as our renderer prints it) and page CSS in work/; returns (pair, command) pairs."""
    from handoutkit.editions.select import select_edition
    from handoutkit.pdf import HandoutRenderer
    from handoutkit.pdf.styles import format_css

    renderer = HandoutRenderer(library.root)
    templates = library.root / "templates"
    work.mkdir(parents=True)
    commands = []
    for n, (topic_id, edition, paper) in enumerate(jobs):
        topic = select_edition(library.topics[topic_id], edition.audience)
        html = renderer.render_html(
            topic,
            edition,
            paper,
            library.brand,
            topic_dir=library.topic_path(topic_id).parent,
            brand_dir=library.brand_path.parent,
        )
        (work / f"{n}.html").write_text(html, encoding="utf-8")
        (work / f"{n}.css").write_text(format_css(paper, edition.large_print, edition.body_pt), encoding="utf-8")
        sheet = templates / ("wallet-card.css" if paper == "id-1" else "handout.css")
        commands.append(
            (
                (edition.id, paper),
                [
                    str(WEASYPRINT),
                    "-q",
                    "-u",
                    templates.as_uri() + "/",
                    "-s",
                    str(sheet),
                    "-s",
                    str(work / f"{n}.css"),
                    "--pdf-variant",
                    "pdf/ua-1",
                    "--pdf-tags",
                    str(work / f"{n}.html"),
                    str(work / f"{n}.pdf"),
                ],
            )
        )
    return commands


def run_commands(commands: list, parallel: int) -> tuple[Timing, dict]:
    """Run every command, `parallel` at a time; the batch's timing and each pair's wall seconds."""
    per_pair: dict = {}

    def run(item):
        pair, cmd = item
        with Stopwatch() as one:
            subprocess.run(cmd, check=True)
        per_pair.setdefault(pair, []).append(one.timing.wall)

    with Stopwatch() as batch, ThreadPoolExecutor(parallel) as pool:
        list(pool.map(run, commands))
    return batch.timing, per_pair


def estimate_serial(per_pair: dict, counts: Counter) -> float:
    """Seconds for the whole library one command at a time: each pair's median times its count."""
    return sum(statistics.median(per_pair[pair]) * count for pair, count in counts.items())
