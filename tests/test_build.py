"""The build engine: manifest, incremental rebuilds, retiring, shards, the lock,
and a build killed mid-way."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.errors import ContentError
from handoutkit.make.lock import build_lock
from handoutkit.make.pipeline import BuildOptions, build
from handoutkit.make.plan import Selection, plan_outputs

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def make_project(tmp_path: Path, topics: int = 1) -> Path:
    """The small test project with the real templates, and `topics` copies of its topic."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    text = (root / "handouts" / "minimal.yaml").read_text()
    for n in range(2, topics + 1):
        (root / "handouts" / f"minimal-{n}.yaml").write_text(text.replace("id: minimal\n", f"id: minimal-{n}\n"))
    (root / "handouts" / "minimal.yaml").write_text(
        text.replace(
            "        cites: [src]\n",
            "        cites: [src]\n      - paragraph: Clinicians read this.\n        for: [clinician]\n        cites: [src]\n",
            1,
        )
    )
    return root


def options(root: Path, **kw) -> BuildOptions:
    return BuildOptions(root=root, out=root / "dist", **kw)


def manifest(root: Path) -> dict:
    return {e["path"]: e for e in json.loads((root / "dist" / "manifest.json").read_text())["outputs"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One project, built once; tests that change it work on their own copy."""
    root = make_project(tmp_path_factory.mktemp("built"))
    report = build(options(root))
    return root, report


def copy_of(built, tmp_path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(built[0], root)
    return root


def test_a_failing_gate_leaves_no_output_folder(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.setenv("HANDOUTKIT_TODAY", "2028-01-01")  # the review is overdue: an error
    with pytest.raises(ContentError, match="expected a review date still ahead"):
        build(options(root))
    assert not (root / "dist").exists()


def test_first_build_makes_every_output_and_a_matching_manifest(built):
    root, report = built
    entries = manifest(root)
    assert sorted(entries) == sorted(
        [
            "decks/minimal-students--update.apkg",  # for students of an earlier release (docs/students.md)
            "decks/minimal-students.apkg",
            "handouts/minimal/minimal--clinician--a4.pdf",
            "handouts/minimal/minimal--clinician--letter.pdf",
            "handouts/minimal/minimal--patient--a4.pdf",
            "handouts/minimal/minimal--patient--letter.pdf",
            # the web site (tests/test_web.py): the catalog, a page per edition, a copy of each PDF
            "site/index.html",
            "site/minimal/clinician.html",
            "site/minimal/minimal--clinician--a4.pdf",
            "site/minimal/minimal--clinician--letter.pdf",
            "site/minimal/minimal--patient--a4.pdf",
            "site/minimal/minimal--patient--letter.pdf",
            "site/minimal/patient.html",
        ]
    )
    assert sorted(report.built) == sorted(entries)
    for path, entry in entries.items():
        data = (root / "dist" / path).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert len(entry["input_hash"]) == 64
    pdf = entries["handouts/minimal/minimal--patient--letter.pdf"]
    assert (pdf["kind"], pdf["topic"], pdf["edition"], pdf["paper"]) == ("pdf", "minimal", "patient", "letter")
    assert pdf["pages"] >= 1
    assert pdf["quality"]["page_budget"] == 2
    assert entries["decks/minimal-students.apkg"]["kind"] == "apkg"


def test_a_no_op_rebuild_renders_nothing(built, tmp_path):
    root = copy_of(built, tmp_path)
    report = build(options(root))
    assert report.built == []
    assert report.skipped == 13  # 4 PDFs, the deck's 2 files, and the site's 7 files


def test_a_clinician_only_edit_rebuilds_only_clinician_outputs(built, tmp_path):
    root = copy_of(built, tmp_path)
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text().replace("Clinicians read this.", "Clinicians read this, corrected."))
    report = build(options(root))
    assert sorted(report.built) == [
        "handouts/minimal/minimal--clinician--a4.pdf",
        "handouts/minimal/minimal--clinician--letter.pdf",
        "site/minimal/clinician.html",
        "site/minimal/minimal--clinician--a4.pdf",
        "site/minimal/minimal--clinician--letter.pdf",
    ]


def test_a_template_edit_rebuilds_every_handout_but_not_the_deck(built, tmp_path):
    root = copy_of(built, tmp_path)
    css = root / "templates" / "handout.css"
    css.write_text(css.read_text() + "\n/* a harmless edit */\n")
    report = build(options(root))
    assert len(report.built) == 4 and all(p.endswith(".pdf") for p in report.built)


def test_force_rebuilds_everything(built, tmp_path):
    root = copy_of(built, tmp_path)
    assert len(build(options(root, force=True)).built) == 13


def test_a_damaged_output_is_rebuilt(built, tmp_path):
    root = copy_of(built, tmp_path)
    target = root / "dist" / "handouts/minimal/minimal--patient--a4.pdf"
    target.write_bytes(target.read_bytes()[:100])
    assert build(options(root)).built == ["handouts/minimal/minimal--patient--a4.pdf"]


def test_outputs_no_longer_produced_leave_dist_and_the_manifest(built, tmp_path):
    root = copy_of(built, tmp_path)
    editions = root / "editions.yaml"
    editions.write_text(editions.read_text().split("  - id: clinician")[0])
    report = build(options(root))
    assert sorted(report.removed) == [
        "handouts/minimal/minimal--clinician--a4.pdf",
        "handouts/minimal/minimal--clinician--letter.pdf",
        "site/minimal/clinician.html",
        "site/minimal/minimal--clinician--a4.pdf",
        "site/minimal/minimal--clinician--letter.pdf",
    ]
    assert not (root / "dist/handouts/minimal/minimal--clinician--a4.pdf").exists()
    assert "handouts/minimal/minimal--clinician--a4.pdf" not in manifest(root)


def test_a_filtered_build_keeps_what_it_was_not_asked_about(built, tmp_path):
    root = copy_of(built, tmp_path)
    report = build(options(root, selection=Selection(editions=("patient",)), force=True))
    assert len([p for p in report.built if p.startswith("handouts/")]) == 2 and report.removed == []
    assert len(manifest(root)) == 13


def test_shards_are_disjoint_and_cover_every_output(tmp_path):
    root = make_project(tmp_path, topics=6)
    library = load_library(root)
    everything = {o.path for o in plan_outputs(library, Selection())}
    shards = [{o.path for o in plan_outputs(library, Selection(shard=(i, 3)))} for i in (1, 2, 3)]
    assert set().union(*shards) == everything
    assert sum(len(s) for s in shards) == len(everything) == 6 * 4 + 2  # the deck's two files go together
    assert all(s for s in shards)


def test_a_second_build_on_the_same_folder_is_refused(built, tmp_path, capsys):
    root = copy_of(built, tmp_path)
    with build_lock(root / "dist"):
        status = main(["build", "--root", str(root)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"another build (pid {os.getpid()}) is writing to {root / 'dist'}" in err


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from handoutkit.make.lock import build_lock
with build_lock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(60)
"""


def test_the_lock_names_the_build_of_another_process_and_dies_with_it(built, tmp_path, capsys):
    """The lock is the kernel's (flock, through filelock): a build that is killed lets go of it at once,
    with no stale lock file to delete; the pid in the message is the other process's, not ours."""
    root = copy_of(built, tmp_path)
    (root / "dist" / ".build.lock").write_text("999999999")  # a longer pid left by an old build is overwritten
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(root / "dist")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline() == "holding\n"
        assert main(["build", "--root", str(root), "--force"]) == 1
        assert f"another build (pid {other.pid}) is writing to {root / 'dist'};" in capsys.readouterr().err
    finally:
        other.kill()
        other.wait()
    assert main(["build", "--root", str(root), "--force"]) == 0


def test_filelock_is_imported_only_when_a_build_locks():
    """filelock costs ~40 ms to import (ctypes, logging): a no-op build, which never locks, does not pay it."""
    script = "import sys, handoutkit.cli, handoutkit.make.pipeline; print('filelock' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_a_lock_that_cannot_be_made_is_an_output_error(tmp_path):
    from handoutkit.errors import OutputError

    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(OutputError) as caught, build_lock(tmp_path / "blocked" / "dist"):
        pass
    assert (
        str(caught.value)
        == f"cannot write {tmp_path / 'blocked' / 'dist'}: Not a directory; a file stands where a folder is needed"
    )


def test_a_build_killed_midway_leaves_whole_files_and_the_next_build_completes(tmp_path):
    root = make_project(tmp_path, topics=4)
    out = root / "dist"
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 3:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = list(out.rglob("*.pdf"))
    assert 3 <= len(written) < 16, "the kill should land mid-build"
    for pdf in written:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), f"{pdf} is truncated"

    report = build(options(root))
    assert report.problems == []
    assert (
        len(manifest(root)) == 18 + 25
    )  # 16 PDFs, the deck's 2 files; and the site: 8 pages, the catalog, 16 copies of the PDFs
    assert not list(out.rglob(".*.tmp"))
    for path, entry in manifest(root).items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]


# What an author might write over each line `new` leaves to be rewritten.
OWN_WORDS = {
    "FIRST-word": "PRESH-ur in-JUR-eez",
    "Tell the reader the main point in one or two short lines.": "A pressure sore is skin hurt by long pressure.",
    "Say what it is. Use short words. Talk to the reader as you.": "It starts as a red spot that does not fade. You can stop it.",
    "Write one thing you should know.": "Check your skin each day.",
    "Write one more thing you should know.": "Change how you sit or lie often.",
    "Say what is not known yet, if that is true for you.": "We do not know why some sores heal slowly.",
    "Write a tip that helps you day to day.": "A hand mirror helps you see your back.",
    "Write the first thing to do, starting with a verb.": "Check your skin each night.",
    "Write the next thing to do.": "Tell your team if a red spot does not fade.",
    "Write a sign that you need help fast.": "The spot is open or wet.",
    "Say what the picture shows.": "The hip, where sores often start.",
    "Write a question a student should answer.": "Where do pressure sores often start?",
    "Write the answer.": "Over bony parts like the hip.",
    "Copy the source's words that say this.": "Look at your skin every night; tell us of a red spot that does not fade.",
    "Write the page's title": "Pressure injuries",
    "Write who published it": "A clinic",
}


def test_new_scaffolds_a_topic_that_passes_check_once_its_placeholders_are_rewritten(tmp_path, capsys):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "brands", root / "brands")
    shutil.copytree(REPO / "templates", root / "templates")
    assert main(["new", "pressure-injuries", "--root", str(root)]) == 0
    topic = root / "handouts" / "pressure-injuries.yaml"
    assert main(["check", "--root", str(root)]) == 1  # the placeholders (see test_hardening.py)
    text = topic.read_text()
    for placeholder, words in OWN_WORDS.items():
        text = text.replace(placeholder, words)
    topic.write_text(text)
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().err
    assert main(["new", "pressure-injuries", "--root", str(root)]) == 1
    assert "a topic with this id exists already; it was left as it is" in capsys.readouterr().err


def test_watch_rebuilds_after_a_save_and_not_otherwise(tmp_path, stop):
    from handoutkit.make.watch import watch

    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    topic = root / "handouts" / "minimal.yaml"
    builds = []

    def rebuild():
        builds.append(time.monotonic())
        if len(builds) == 1:  # the author saves once, after the first build
            time.sleep(0.01)
            topic.write_text(topic.read_text().replace("A plain paragraph.", "A saved paragraph."))
        stop.quiet_for(1.5)

    watch(root, rebuild, stop_event=stop)
    assert len(builds) == 2


def test_an_unknown_topic_or_edition_filter_is_a_usage_error(tmp_path, capsys):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root), "--topic", "minimall"]) == 2
    assert capsys.readouterr().err == "build.py: error: unknown topic 'minimall'; expected one of minimal\n"
    assert main(["build", "--root", str(root), "--edition", "nurse"]) == 2
    assert capsys.readouterr().err == "build.py: error: unknown edition 'nurse'; expected one of patient, clinician\n"
    assert not (root / "dist").exists()


def test_brand_option_builds_every_edition_for_another_clinic(built, tmp_path):
    from pypdf import PdfReader

    root = copy_of(built, tmp_path)
    (root / "brands" / "riverside.yaml").write_text(
        'name: Riverside Rehabilitation Clinic\nphone: 555-0134\nemergency_number: "911"\nwebsite: riverside.example.org\n'
    )
    report = build(options(root, brand=root / "brands" / "riverside.yaml"))
    assert sorted(p for p in report.built if p.endswith(".pdf")) == sorted(
        p for p in manifest(root) if p.endswith(".pdf")
    )
    for path in report.built:
        if path.endswith(".pdf"):
            text = " ".join((page.extract_text() or "") for page in PdfReader(root / "dist" / path).pages)
            assert "Riverside Rehabilitation Clinic" in text and "555-0134" in text and "riverside.example.org" in text
            assert "Test clinic" not in text
