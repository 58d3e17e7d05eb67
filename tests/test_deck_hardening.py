"""A deck never forgets who a student's card is, and a lock never gives a traceback (issue 22).

The class "decks lose a student's identity, progress or corrections silently":
a deleted lock, git missing or refusing the checkout, previous_ids naming no
published note, a retired id given to other words, a lock written before the
deck file. And the deck lock's tracebacks: a broken lock in git history, a
hand-edited lock (wrong types, a release that is not one, deep nesting).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from test_decks import FIXTURE, FIXTURE_DECK, REPO, T0, T1, build, make_project

from handoutkit.anki import dump_lock, load_lock, read_history
from handoutkit.cli import main
from handoutkit.errors import ContentError

TOPIC = "handouts/deck-fixture.yaml"
LOCK = f"decks/{FIXTURE_DECK}.lock.json"
EDITIONS = """editions:
  - id: patient
    label: Patient edition
    audience: patient
    papers: [letter]
    gates: {pemat: "off", clear_communication: "off", reading_level: "off", plain_words: "off"}
"""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def edit(root: Path, old: str, new: str, path: str = TOPIC) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def git(root: Path, *args: str) -> str:
    env = dict(GIT_ENV, PATH=os.environ.get("PATH", "/usr/bin:/bin"), HOME=str(root))
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def project(tmp_path):
    """The deck fixture as a project whose handout gates are off (it is written for card counts)."""
    root = make_project(tmp_path / "project", FIXTURE)
    shutil.copy(REPO / "medical-terms.txt", root / "medical-terms.txt")
    (root / "editions.yaml").write_text(EDITIONS)
    return root


def release(root: Path, now: int, message: str):
    """Build against the lock on disk, write the lock, commit everything: a release."""
    result = build(root, FIXTURE_DECK, load_lock(root / LOCK), now, history=read_history(root / LOCK))
    (root / LOCK).write_bytes(dump_lock(result.lock))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return result


@pytest.fixture
def published(project):
    """A git project that released twice: a card renamed with previous_ids, and one removed (retired)."""
    git(project, "init", "-q")
    release(project, T0, "first release")
    edit(project, "  - id: basic-one\n", "  - id: where-it-starts\n    previous_ids: [basic-one]\n")
    edit(
        project,
        "  - id: card-in-hidden-section\n    front: Which section is this card from?\n"
        "    back: One the student edition does not show.\n    section: for-clinicians\n    cites: [book]\n",
        "",
    )
    release(project, T1, "rename one card, retire another")
    return project


# ----- a deleted lock --------------------------------------------------------------------------------

LOST = (
    "decks/deck-fixture-students.lock.json:1:1: expected the deck lock the build writes, found none, though git "
    "has published versions of it; without it renamed notes get new ids (duplicates, lost progress) and retired "
    "notes lose their notice: restore it from version control (git log -- decks/deck-fixture-students.lock.json "
    "lists them)"
)


@pytest.mark.parametrize("how", ["deleted", "deleted-and-committed"])
def test_a_deleted_lock_is_refused_by_check_and_build(published, capsys, how):
    (published / LOCK).unlink()
    if how == "deleted-and-committed":
        git(published, "commit", "-q", "-am", "drop the lock")
    assert main(["check", "--root", str(published)]) == 1
    assert LOST in capsys.readouterr().err.splitlines()
    assert main(["build", "--root", str(published), "--out", str(published / "dist")]) == 1
    assert LOST in capsys.readouterr().err.splitlines()
    assert not (published / "dist" / "decks").exists()
    with pytest.raises(ContentError, match="found none, though git has published versions"):
        build(published, FIXTURE_DECK, {}, T1, history=read_history(published / LOCK))


def test_without_the_lock_the_renamed_note_would_have_got_a_new_id(published):
    """What the refusal prevents: the same content with no lock gives the renamed card another GUID."""
    with_lock = build(published, FIXTURE_DECK, load_lock(published / LOCK), T1)
    without = build(published, FIXTURE_DECK, {}, T1)
    assert set(with_lock.lock["notes"]) - {g for g, e in with_lock.lock["notes"].items() if e.get("retired")} != set(
        without.lock["notes"]
    )


def test_a_new_deck_with_no_lock_yet_builds(project):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "content only")
    assert main(["check", "--root", str(project)]) == 0
    assert read_history(project / LOCK).versions == {}


# ----- git missing or refusing the checkout ---------------------------------------------------------------


def fake_git(folder: Path, script: str | None) -> str:
    """A PATH whose `git` is the given shell script, or that has no git at all."""
    folder.mkdir()
    if script is not None:
        path = folder / "git"
        path.write_text("#!/bin/sh\n" + script)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(folder)


@pytest.mark.parametrize(
    ("script", "says"),
    [
        (None, "git is not installed"),
        (
            "echo \"fatal: detected dubious ownership in repository at '$2'\" >&2\necho 'To add an exception for this "
            "directory, call:' >&2\nexit 128\n",
            "git refuses the repository, which another user owns; allow it with git "
            "config --global --add safe.directory ",
        ),
        ("echo 'fatal: unable to read tree' >&2\nexit 128\n", "git failed (fatal: unable to read tree)"),
    ],
)
def test_a_lock_history_git_cannot_read_is_said_and_refused_by_strict(
    published, tmp_path, monkeypatch, capsys, script, says
):
    monkeypatch.setenv("PATH", fake_git(tmp_path / "bin", script))
    history = read_history(published / LOCK)
    assert history.unread is not None and history.unread.startswith(says)
    result = build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 1, history=history)
    assert result.warnings == [
        f"decks/{FIXTURE_DECK}.lock.json: cannot read the lock's history ({history.unread}), "
        "so a reverted correction may not reach students"
    ]
    assert main(["check", "--root", str(published)]) == 0
    assert "[deck_history, warning]" in capsys.readouterr().err
    assert main(["check", "--root", str(published), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "[deck_history, error]" in err and says in err and "Traceback" not in err


def test_a_project_outside_git_has_no_history_and_no_warning(project):
    history = read_history(project / LOCK)
    assert (history.versions, history.unread) == ({}, None)


# ----- previous_ids naming no published note -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "  - id: basic-with-extra\n",
            "  - id: what-worsens-it\n    previous_ids: [basic-with-extr]\n",
            "cards[1].previous_ids",
        ),
        (
            "  - term: Arthro-thing\n",
            "  - term: Arthro-thingy\n    previous_ids: [arthro-thin]\n",
            "glossary[0].previous_ids",
        ),
        (
            '          - "Ice: cools the joint for 15 minutes."\n',
            '          - text: "Cold: cools the joint for 15 minutes."\n            previous_ids: [icy]\n',
            "sections[1].blocks[1].bullets[0].previous_ids",
        ),
    ],
)
def test_previous_ids_naming_no_published_note_is_an_error(published, old, new, where):
    edit(published, old, new)
    with pytest.raises(ContentError) as caught:
        build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 1)
    message = str(caught.value)
    assert f": {where}: expected the id of a published " in message
    assert "which no note of this deck ever had; students' progress cannot follow it" in message


def test_previous_ids_naming_a_published_note_carries_it_on(published, tmp_path):
    edit(published, "  - term: Arthro-thing\n", "  - term: Arthro-thingy\n    previous_ids: [arthro-thing]\n")
    result = build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 1)
    assert (result.counts["new"], result.counts["retired"]) == (0, 0)


# ----- a retired id given to other words ------------------------------------------------------------------

TERM = "  - term: X-ray & <scan>\n    respelling: EKS-ray\n    meaning: A picture of bone.\n"


def test_a_retired_glossary_id_given_to_another_term_is_an_error(published):
    edit(published, TERM, "")
    release(published, T1 + 10, "drop the X-ray term")
    edit(
        published,
        "glossary:\n",
        "glossary:\n  - term: X-ray scan\n    respelling: EKS-ray skan\n    meaning: Any scan made with X-rays.\n",
    )
    with pytest.raises(ContentError) as caught:
        build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 20)
    assert str(caught.value) == (
        "handouts/deck-fixture.yaml:75:5: glossary[0]: expected an id never used before, found 'x-ray-scan', the id of "
        "'X-ray & <scan>', retired on 2023-11-15; give this entry an `id:` of its own (students' reviews of the old one "
        "would follow it)"
    )
    edit(published, "  - term: X-ray scan\n", "  - id: x-ray-any-scan\n    term: X-ray scan\n")
    assert build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 20).counts["new"] == 1


def test_the_same_term_back_again_brings_its_note_back(published, tmp_path):
    edit(published, TERM, "")
    first = release(published, T1 + 10, "drop the X-ray term")
    edit(published, "glossary:\n", "glossary:\n" + TERM)
    back = build(published, FIXTURE_DECK, load_lock(published / LOCK), T1 + 20)
    assert back.counts["new"] == 0 and back.counts["changed"] == 1
    assert first.counts["retired"] == 1


# ----- the lock is written after the deck files ---------------------------------------------------------


@pytest.mark.parametrize("refused", [f"decks/{FIXTURE_DECK}.apkg", f"decks/{FIXTURE_DECK}--update.apkg"])
def test_a_refused_deck_write_leaves_the_lock_as_it_was(project, capsys, refused):
    (project / LOCK).write_bytes(dump_lock(build(project, FIXTURE_DECK, {}, T0).lock))
    before = (project / LOCK).read_bytes()
    edit(project, "    back: In a joint.\n", "    back: In the joint lining.\n")
    (project / "dist" / refused).mkdir(parents=True)  # a folder where the file must go: the write is refused
    assert main(["build", "--root", str(project), "--out", str(project / "dist")]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert (project / LOCK).read_bytes() == before
    (project / "dist" / refused).rmdir()
    assert main(["build", "--root", str(project), "--out", str(project / "dist")]) == 0
    after = load_lock(project / LOCK)
    assert after != json.loads(before) and (project / "dist" / refused).is_file()


# ----- no traceback from a lock ---------------------------------------------------------------------------


def test_broken_locks_in_git_history_are_passed_over(published, capsys):
    good = (published / LOCK).read_text()
    for broken in (
        '{\n<<<<<<< HEAD\n  "version": 2,\n=======\n>>>>>>> other\n}\n',
        '{"version": 2, "notes": []}',
        '{"version": 2, "notes": {"g": [1, 2]}, "notetypes": "x"}',
        "[" * 50_000 + "]" * 50_000,
        '"just a string"',
    ):
        (published / LOCK).write_text(broken)
        git(published, "commit", "-q", "-am", "a broken lock")
    (published / LOCK).write_text(good)
    git(published, "commit", "-q", "-am", "the lock restored")
    history = read_history(published / LOCK)
    assert history.versions and history.unread is None
    assert main(["check", "--root", str(published), "--strict"]) == 0
    assert main(["build", "--root", str(published), "--out", str(published / "dist")]) == 0
    assert "Traceback" not in capsys.readouterr().err


def mangle(lock: dict, how: str) -> str:
    guid = sorted(lock["notes"])[0]
    if how == "cards as strings":
        lock["notes"][guid]["cards"] = ["0"]
    elif how == "card number out of range":
        lock["notes"][guid]["cards"] = [-1]
    elif how == "notetype as true":
        lock["notes"][guid]["notetype"] = True
    elif how == "mod as text":
        lock["notes"][guid]["mod"] = "1700000000"
    elif how == "label as a number":
        lock["notes"][guid]["label"] = 5
    elif how == "answer as a list":
        lock["notes"][guid]["answer"] = ["a"]
    elif how == "a note as a list":
        lock["notes"][guid] = [1, 2]
    elif how == "release as text":
        lock["release"] = "2023-11-14"
    elif how == "release change list of numbers":
        lock["release"] = {"mod": T0, "new": [1], "changed": [], "retired": []}
    elif how == "notetype without hash":
        lock["notetypes"][sorted(lock["notetypes"])[0]].pop("hash")
    elif how == "deep nesting":
        return '{"version": 2, "notes": ' + "[" * 100_000 + "]" * 100_000 + "}"
    elif how == "version as text":
        lock["version"] = "2"
    return json.dumps(lock)


@pytest.mark.parametrize(
    "how",
    [
        "cards as strings",
        "card number out of range",
        "notetype as true",
        "mod as text",
        "label as a number",
        "answer as a list",
        "a note as a list",
        "release as text",
        "release change list of numbers",
        "notetype without hash",
        "deep nesting",
        "version as text",
    ],
)
def test_a_hand_edited_lock_is_a_content_error_never_a_traceback(project, capsys, how):
    lock = build(project, FIXTURE_DECK, {}, T0).lock
    (project / LOCK).write_text(mangle(lock, how))
    for command in (["check"], ["build", "--out", str(project / "dist")]):
        assert main([*command, "--root", str(project)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert "decks/deck-fixture-students.lock.json:" in err and "expected the deck lock the build writes" in err
    with pytest.raises(ContentError):
        load_lock(project / LOCK)
