"""The benchmark compares fairly and never writes into the project (benchmarks/).

Behaviour only: no timing here (the benchmark prints figures, tests check what it runs).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from handoutkit.content.library import load_library

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import naive  # noqa: E402 (benchmarks/ is put on the path just above)
import synthetic  # noqa: E402


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fixture_library(tmp_path: Path):
    root = tmp_path / "library"
    shutil.copytree(REPO / "tests" / "fixtures" / "project", root)
    shutil.copytree(REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    text = (root / "handouts" / "minimal.yaml").read_text(encoding="utf-8")
    for n in range(2, 6):
        (root / "handouts" / f"minimal-{n}.yaml").write_text(text.replace("id: minimal\n", f"id: minimal-{n}\n"))
    return load_library(root)


def test_the_naive_sample_covers_every_edition_and_paper_pair(tmp_path):
    library = fixture_library(tmp_path)
    jobs = naive.sample_jobs(library, per_pair=2)
    pairs = [(edition.id, paper) for _, edition, paper in jobs]
    assert sorted(set(pairs)) == sorted(naive.pairs_of(library))
    assert all(pairs.count(pair) == 2 for pair in set(pairs))
    assert len({topic for topic, _, _ in jobs}) > 1  # spread over the library, not one topic


def test_the_naive_inputs_and_outputs_stay_out_of_the_sources(tmp_path):
    library = fixture_library(tmp_path)
    templates = library.root / "templates"
    before = files_under(templates)
    work = tmp_path / "naive"
    commands = naive.write_inputs(library, naive.sample_jobs(library, per_pair=1), work)
    written = [Path(arg) for _, cmd in commands for arg in cmd[-2:]]  # the HTML read and the PDF written
    assert all(path.is_relative_to(work) for path in written)
    assert files_under(templates) == before
    for _, cmd in commands:
        assert "-u" in cmd and cmd[cmd.index("-u") + 1] == templates.as_uri() + "/"  # fonts resolve as in our build


def test_the_synthetic_library_is_made_from_a_copy_outside_the_project(tmp_path):
    source = synthetic.export_source(tmp_path / "source", None)
    root = tmp_path / "library"
    root.mkdir()
    ids = synthetic.make_library(source, root, 3, ("heterotopic-ossification",))
    assert ids == ["topic-001", "topic-002", "topic-003"]
    assert (root / "handoutkit" / "cli.py").is_file() and (root / "build.py").is_file()  # the code is copied too
    assert not root.resolve().is_relative_to(REPO) and not source.resolve().is_relative_to(REPO)
    topic = root / "handouts" / "topic-002.yaml"
    assert "\nid: topic-002\n" in "\n" + topic.read_text(encoding="utf-8")
    synthetic.edit_patient_only(topic)
    assert "\n  patient: " in topic.read_text(encoding="utf-8")
