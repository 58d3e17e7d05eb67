"""A card renamed without previous_ids is caught before students lose its reviews (issue 26.1).

The build would retire the studied note and add an identical one at zero; instead
it warns with both ids and the line to add, `check --strict` and `--release`
refuse it, and once previous_ids is added the note (and the student's progress
in a real Anki collection) carries on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_decks import FIXTURE, FIXTURE_DECK, T0, build, import_apkg, make_project, new_collection, scheduling

from handoutkit.anki import dump_lock
from handoutkit.cli import main

TOPIC = "handouts/deck-fixture.yaml"
LOCK = f"decks/{FIXTURE_DECK}.lock.json"


def edit(root: Path, old: str, new: str) -> None:
    file = root / TOPIC
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def released(tmp_path):
    """The fixture deck built once, its lock committed next to it, and a student who studied every card."""
    root = make_project(tmp_path / "project", FIXTURE)
    shutil_copy_terms(root)
    first = build(root, FIXTURE_DECK, {}, T0)
    (root / LOCK).write_bytes(dump_lock(first.lock))
    col = new_collection(tmp_path / "student")
    import_apkg(col, first.apkg, tmp_path)
    col.sched.set_due_date(col.find_cards(""), "7!")
    yield root, col, scheduling(col), tmp_path
    col.close()


def shutil_copy_terms(root: Path) -> None:
    """The deck fixture is written for card counts, not as a patient handout: its handout gates are off here."""
    import shutil

    shutil.copy(Path(__file__).resolve().parents[1] / "medical-terms.txt", root / "medical-terms.txt")
    (root / "editions.yaml").write_text(EDITIONS)


EDITIONS = """editions:
  - id: patient
    label: Patient edition
    audience: patient
    papers: [letter]
    gates: {pemat: "off", clear_communication: "off", reading_level: "off", plain_words: "off"}
"""


EXPECTED = (
    "handouts/deck-fixture.yaml:{line}:9: cards[0].id: expected previous_ids: [basic-one] or new_fact: true, "
    "found card 'where-it-starts' with the text of card 'basic-one', which this build retires; students would "
    "restart it at zero: add previous_ids: [basic-one] to keep their reviews, or new_fact: true if it is a new fact"
)


def rename_line(root: Path) -> int:
    lines = (root / TOPIC).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if "id: where-it-starts" in line)


def test_a_rename_without_previous_ids_warns_and_strict_and_release_refuse_it(released, capsys):
    root, *_ = released
    edit(root, "  - id: basic-one\n", "  - id: where-it-starts\n")
    expected = EXPECTED.format(line=rename_line(root))
    assert main(["check", "--root", str(root)]) == 0
    assert expected + " [deck_renames, warning]" in capsys.readouterr().err.splitlines()
    assert main(["check", "--root", str(root), "--strict"]) == 1
    assert expected + " [deck_renames, error]" in capsys.readouterr().err.splitlines()
    assert main(["check", "--root", str(root), "--release"]) == 1  # refused too (besides a release's own refusals)
    assert expected + " [deck_renames, error]" in capsys.readouterr().err.splitlines()
    assert main(["build", "--root", str(root), "--out", str(root / "dist"), "--strict", "--edition", "patient"]) == 1
    assert not (root / "dist").exists() or not any((root / "dist").rglob("*.apkg"))


def test_a_card_marked_new_fact_is_not_a_rename(released, capsys):
    root, *_ = released
    edit(root, "  - id: basic-one\n", "  - id: where-it-starts\n    new_fact: true\n")
    assert main(["check", "--root", str(root), "--strict"]) == 0
    assert "deck_renames" not in capsys.readouterr().err


def test_adding_previous_ids_keeps_the_note_and_the_students_progress(released, capsys):
    root, col, studied, folder = released
    edit(root, "  - id: basic-one\n", "  - id: where-it-starts\n    previous_ids: [basic-one]\n")
    assert main(["check", "--root", str(root), "--strict"]) == 0
    capsys.readouterr()
    from handoutkit.anki import load_lock

    second = build(root, FIXTURE_DECK, load_lock(root / LOCK), T0 + 86_400)
    assert (second.counts["new"], second.counts["retired"]) == (0, 0)
    log = import_apkg(col, second.apkg, folder)
    assert len(log.new) == 0
    assert scheduling(col) == studied
