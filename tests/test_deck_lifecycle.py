"""A student's collection outlives every build: each scenario here imports a
deck into a real Anki collection, studies it (reviews set), changes the
content as an author would, rebuilds against the lock, re-imports, and checks
what the student now has. See docs/students.md "Importing deck updates".
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from test_decks import (
    ALWAYS,
    FIXTURE,
    FIXTURE_DECK,
    T0,
    T1,
    build,
    import_apkg,
    make_project,
    new_collection,
    notes_by_guid,
    scheduling,
    visible_text,
)

from handoutkit.anki import History, check_decks, dump_lock, load_lock, read_history
from handoutkit.anki.ids import note_guid
from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.errors import ContentError
from handoutkit.make.pipeline import deck_change_line

T2 = T1 + 86_400
TOPIC = "handouts/deck-fixture.yaml"


def uid(kind: str, item: str, topic: str = "deck-fixture") -> str:
    return f"{topic}/student/{kind}/{item}"


def edit(root: Path, old: str, new: str, path: str = TOPIC) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


class Student:
    """One student's collection: imports builds as docs/students.md says, studies everything."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.col = new_collection(folder / "col")

    def take(self, result, **options):
        """The first import takes the newcomer's file; every later one the update file, 'Update notes: Always'."""
        if self.col.note_count() == 0:
            return import_apkg(self.col, result.apkg, self.folder, **options)
        return import_apkg(self.col, result.update, self.folder, **({"update_notes": ALWAYS} | options))

    def study(self) -> dict:
        self.col.sched.set_due_date(self.col.find_cards(""), "7!")
        return scheduling(self.col)

    def facts(self) -> dict[int, tuple[str, str]]:
        """card id -> (the note's UID, the card's answer text): what each studied card teaches."""
        out = {}
        for cid in self.col.find_cards(""):
            card = self.col.get_card(cid)
            out[cid] = (html.unescape(card.note()["UID"]), visible_text(card.answer()))
        return out

    def close(self):
        self.col.close()


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", FIXTURE)


@pytest.fixture
def student(tmp_path):
    s = Student(tmp_path)
    yield s
    s.close()


def test_a_rename_with_previous_ids_keeps_the_note_and_its_progress(project, student):
    first = build(project, FIXTURE_DECK, {}, T0)
    student.take(first)
    studied = student.study()
    edit(project, "  - id: basic-one\n", "  - id: where-it-starts\n    previous_ids: [basic-one]\n")
    second = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(second)
    assert len(log.new) == 0 and len(log.updated) == 1 and len(log.conflicting) == 0
    assert (second.counts["new"], second.counts["changed"], second.counts["retired"]) == (0, 1, 0)
    assert scheduling(student.col) == studied
    note = notes_by_guid(student.col)[note_guid(uid("card", "basic-one"))]
    assert note["UID"] == uid("card", "where-it-starts")
    # The next build finds the note by its new id: the rename is done.
    third = build(project, FIXTURE_DECK, second.lock, T2)
    assert third.lock == second.lock


def test_a_removed_card_stays_as_the_same_note_tagged_retired(project, student):
    first = build(project, FIXTURE_DECK, {}, T0)
    student.take(first)
    studied = student.study()
    edit(
        project,
        "  - id: basic-one\n    front: Where does it start?\n    back: In a joint.\n    figure: joint-picture\n"
        "    section: what-it-is\n    cites: [book]\n",
        "",
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(second)
    assert len(log.new) == 0 and len(log.updated) == 1
    assert student.col.note_count() == first.counts["notes"]
    assert scheduling(student.col) == studied
    guid = note_guid(uid("card", "basic-one"))
    retired = notes_by_guid(student.col)[guid]
    assert retired.tags == ["FX::retired"]
    front = visible_text(student.col.get_card(retired.card_ids()[0]).question())
    assert front.startswith("Retired on 2023-11-15: this card is no longer in the handout."), front
    assert "search the Browser for tag:FX::retired, select all" in " ".join(front.replace(" ,", ",").split())
    assert "It asked: Where does it start?" in front
    assert student.col.find_notes("tag:FX::retired") == [retired.id]
    assert second.lock["notes"][guid]["retired"] == "2023-11-15"
    assert second.counts["retired"] == 1 and second.changes["retired"] == [uid("card", "basic-one")]


def test_inserting_an_item_and_a_term_at_the_top_moves_no_studied_card(project, student):
    first = build(project, FIXTURE_DECK, {}, T0)
    student.take(first)
    student.study()
    before = student.facts()
    edit(
        project,
        '          - "Ice: cools the joint for 15 minutes."\n',
        '          - "Heat: never on a hot joint."\n          - "Ice: cools the joint for 15 minutes."\n',
    )
    edit(
        project,
        "glossary:\n",
        "glossary:\n  - {term: Bursa, respelling: BUR-suh, meaning: A small sac of fluid., cites: [book]}\n",
    )
    edit(
        project,
        "      - steps:\n          - Rest the joint.\n",
        "      - steps:\n          - Stop what you are doing.\n          - Rest the joint.\n",
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    student.take(second)
    after = student.facts()
    assert set(before) <= set(after)
    for cid, (was_uid, was_answer) in before.items():
        assert after[cid][0] == was_uid  # every studied card still teaches its own fact
        assert after[cid][1] == was_answer or was_uid == uid("step", "rest-the-joint")  # only its cue changed
    assert sorted(second.changes["new"]) == [
        uid("glossary", "bursa"),
        uid("item", "heat"),
        uid("step", "stop-what-you-are-doing"),
    ]
    assert second.changes["changed"] == [uid("step", "rest-the-joint")]  # "What is the first step?" -> "After: Stop..."


def test_a_nine_item_list_makes_nine_notes_and_a_tenth_item_one_more(project, student):
    items = "".join(f'          - "Item {n}: detail {n}."\n' for n in range(1, 10))
    edit(
        project,
        "      - bullets: [one, two, three, four, five, six, seven, eight, nine]\n",
        f"      - bullets:\n{items}        study: items\n",
    )
    first = build(project, FIXTURE_DECK, {}, T0)
    assert first.counts["kinds"]["item"]["notes"] == 2 + 9
    student.take(first)
    edit(
        project,
        '          - "Item 9: detail 9."\n',
        '          - "Item 9: detail 9."\n          - "Item 10: detail 10."\n',
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(second)
    assert len(log.new) == 1 and len(log.updated) == 0 and second.counts["retired"] == 0
    assert len(student.col.find_notes('"UID:deck-fixture/student/item/item-*"')) == 10


def test_basic_to_cloze_under_one_id_is_refused_by_check_with_file_and_line(project, capsys):
    first = build(project, FIXTURE_DECK, {}, T0)
    (project / "decks" / f"{FIXTURE_DECK}.lock.json").write_bytes(dump_lock(first.lock))
    edit(
        project,
        "    front: What makes it worse?\n    back: Rest.\n",
        '    type: cloze\n    text: "It gets worse with {{c1::rest}}."\n',
    )
    assert main(["check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert (
        "handouts/deck-fixture.yaml:102:11: cards[1].type: expected a Handout: Basic note as published, found a "
        "Handout: Cloze note under id 'basic-with-extra'; Anki cannot change a note's type on import: give it a new id "
        "(the old note is then retired)"
    ) in err
    with pytest.raises(ContentError):
        build(project, FIXTURE_DECK, first.lock, T1)


def test_removing_a_cloze_number_is_refused(project):
    first = build(project, FIXTURE_DECK, {}, T0)
    edit(project, " and gets worse with {{c2::rest::what you do at night}}.", ", then gets worse.")
    with pytest.raises(ContentError) as caught:
        build(project, FIXTURE_DECK, first.lock, T1)
    assert str(caught.value) == (
        "handouts/deck-fixture.yaml:110:11: cards[2].text: expected the published deletions c1, c2, found c2 missing in "
        "card 'two-deletions'; students' c2 card would stay with a blank front: give the card a new id (the old note is "
        "then retired), or keep the numbers"
    )


def test_a_retired_card_id_is_never_reused_but_previous_ids_bring_the_note_back(project, student):
    card = "  - id: basic-one\n    front: Where does it start?\n    back: In a joint.\n"
    first = build(project, FIXTURE_DECK, {}, T0)
    edit(project, card, "  - id: gone-for-now\n    front: Where does it start?\n    back: In a joint.\n")
    second = build(project, FIXTURE_DECK, first.lock, T1)  # basic-one retired, gone-for-now new
    edit(project, "  - id: gone-for-now\n", "  - id: basic-one\n")
    with pytest.raises(ContentError) as caught:
        build(project, FIXTURE_DECK, second.lock, T2)
    assert "expected an id never used before, found 'basic-one', the id of a card retired on 2023-11-15" in str(
        caught.value
    )
    edit(project, "  - id: basic-one\n", "  - id: where-it-starts\n    previous_ids: [basic-one]\n")
    third = build(project, FIXTURE_DECK, second.lock, T2)
    student.take(first)
    log = student.take(third)
    assert len(log.updated) == 1 and "retired" not in third.lock["notes"][note_guid(uid("card", "basic-one"))]


def test_the_printed_change_counts_match_anki_import_log(project, student):
    first = build(project, FIXTURE_DECK, {}, T0)
    log = student.take(first)
    assert printed_counts(first) == (len(log.new), len(log.updated), 0)
    student.study()
    edit(project, "    back: Rest.\n", "    back: Rest, and sitting still.\n")  # changed
    edit(project, "  - term: X-ray & <scan>\n    respelling: EKS-ray\n    meaning: A picture of bone.\n", "")  # retired
    edit(
        project,
        "          - Call your care team.\n",
        "          - Call your care team.\n          - Write down what happened.\n",
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(second)
    new, changed, retired = printed_counts(second)
    assert (new, changed + retired) == (len(log.new), len(log.updated))
    assert (new, changed, retired) == (1, 1, 1)
    assert len(log.duplicate) == second.counts["unchanged"]


def printed_counts(result) -> tuple[int, int, int]:
    line = deck_change_line("decks/deck-fixture-students.apkg", result.counts)
    return tuple(int(n) for n in re.match(r".*: (\d+) new, (\d+) changed, (\d+) retired notes", line).groups())


# ----- an undone correction reaches students -------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def release(repo: Path, now: int, message: str, history: bool = True):
    """Build against the committed lock, write and commit the lock, as a release does."""
    lock_path = repo / "decks" / f"{FIXTURE_DECK}.lock.json"
    result = build(
        repo, FIXTURE_DECK, load_lock(lock_path), now, history=read_history(lock_path) if history else History()
    )
    lock_path.write_bytes(dump_lock(result.lock))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return result


def test_a_reverted_correction_reaches_students(project, student):
    git(project, "init", "-q")
    first = release(project, T0, "first release")
    student.take(first)
    studied = student.study()
    guid = note_guid(uid("card", "basic-with-extra"))
    edit(project, "    back: Rest.\n", "    back: Rest, as a rule.\n")
    corrected = release(project, T1, "correct a card")
    student.take(corrected)
    assert "as a rule" in notes_by_guid(student.col)[guid]["Back"]

    git(project, "revert", "--no-edit", "HEAD")  # restores the topic file and the lock
    assert "as a rule" not in (project / TOPIC).read_text(encoding="utf-8")
    # The lock alone would say "unchanged, old time": Anki would keep the correction.
    lock_only = build(project, FIXTURE_DECK, load_lock(project / "decks" / f"{FIXTURE_DECK}.lock.json"), T2)
    assert lock_only.counts["changed"] == 0 and lock_only.lock["notes"][guid]["mod"] == T0
    restored = release(project, T2, "release the revert")
    assert restored.counts["changed"] == 1 and restored.changes["changed"] == [uid("card", "basic-with-extra")]
    assert restored.lock["notes"][guid]["mod"] == T2 > T1
    log = student.take(restored)
    assert len(log.updated) == 1 and len(log.new) == 0
    assert notes_by_guid(student.col)[guid]["Back"] == "Rest."
    assert scheduling(student.col) == studied
    # And the build after it is quiet again: the lock it wrote already says T2.
    lock_path = project / "decks" / f"{FIXTURE_DECK}.lock.json"
    again = build(project, FIXTURE_DECK, load_lock(lock_path), T2 + 10, history=read_history(lock_path))
    assert again.counts["changed"] == 0 and again.lock == restored.lock


# ----- topics leave and join decks; course decks -------------------------------------


def add_second_topic(root: Path) -> None:
    text = (root / TOPIC).read_text(encoding="utf-8")
    text = text.replace("id: deck-fixture\ntitle: Fixture condition", "id: second-fixture\ntitle: Second condition")
    (root / "handouts" / "second-fixture.yaml").write_text(text, encoding="utf-8")


COURSE = """id: deck-fixture-students
name: Tests
deck_id: 1763924499002
audience: student
tag: FX
topics: [deck-fixture, second-fixture]
subdecks:
  deck-fixture: {name: Deck fixture, deck_id: 1763924499001, tag: One}
  second-fixture: {name: Second fixture, deck_id: 1763924499003, tag: Two}
"""


def test_a_course_deck_puts_new_cards_in_itself_tags_each_topic_and_keeps_the_old_decks_progress(project, student):
    first = build(project, FIXTURE_DECK, {}, T0)  # the one-topic deck "Tests::Deck fixture"
    student.take(first)
    studied = student.study()
    add_second_topic(project)
    (project / "decks" / f"{FIXTURE_DECK}.yaml").write_text(COURSE, encoding="utf-8")
    course = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(course)
    assert len(log.new) == course.counts["notes"] // 2 and len(log.conflicting) == 0
    col = student.col
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        topic = "One" if card.note()["UID"].startswith("deck-fixture/") else "Two"
        # Studied cards stay where they were (Anki never moves a card); new ones go to the course deck itself,
        # so Anki's deck-by-deck gathering cannot reorder the topics by name.
        assert col.decks.name(card.did) == ("Tests::Deck fixture" if cid in studied else "Tests")
        assert all(t.startswith(f"FX::{topic}::") for t in card.note().tags)
    assert {cid: s for cid, s in scheduling(col).items() if cid in studied} == studied
    assert "<p>Flashcards from the handouts: Fixture condition, Second condition." in col.decks.by_name("Tests")["desc"]


def test_a_topic_removed_from_a_deck_retires_its_notes(project, student):
    add_second_topic(project)
    (project / "decks" / f"{FIXTURE_DECK}.yaml").write_text(COURSE, encoding="utf-8")
    first = build(project, FIXTURE_DECK, {}, T0)
    student.take(first)
    (project / "decks" / f"{FIXTURE_DECK}.yaml").write_text(
        COURSE.replace("topics: [deck-fixture, second-fixture]", "topics: [deck-fixture]").replace(
            "  second-fixture: {name: Second fixture, deck_id: 1763924499003, tag: Two}\n", ""
        ),
        encoding="utf-8",
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    log = student.take(second)
    assert second.counts["retired"] == first.counts["notes"] // 2 == len(log.updated)
    retired = student.col.find_notes("tag:FX::retired")
    assert {html.unescape(student.col.get_note(n)["UID"]).split("/")[0] for n in retired} == {"second-fixture"}


def test_check_decks_is_clean_for_a_fresh_project(project):
    assert check_decks(load_library(project)) == []
