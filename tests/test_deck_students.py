"""Decks for new and returning students (issue 23), shown in a real Anki collection.

- a first import has live notes only; the update file also carries retired notes;
- an answer that changed is tagged `<root>::changed::<date>` and reset with Forget/Reset;
  a reworded question with the same answer is not; a card turned round is refused;
- a note the student marked, flagged or edited still gets its correction and its
  retirement with the documented option (Update notes: Always), and what the
  student loses is what docs/students.md says;
- the first 20 new cards follow the deck's declared order whatever the subdecks are called;
- generated cards: no meaning card a hand-written card already teaches, say-it cards only for
  words worth it, no yes/no card, no sibling cloze showing another's answer (in a real browser);
- the Extra field (the why, the source's words) on the back;
- an upgrade from the release before this one, built from git with that release's own code.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_decks import (
    ALWAYS,
    FIXTURE,
    FIXTURE_DECK,
    HO_DECK,
    REPO,
    T0,
    T1,
    build,
    deck_named,
    import_apkg,
    make_project,
    new_collection,
    notes_by_guid,
    scheduling,
    visible_text,
)

from handoutkit.anki import deck_findings, dump_lock
from handoutkit.anki.ids import note_guid
from handoutkit.anki.notetypes import NOTETYPES
from handoutkit.anki.order import DAY
from handoutkit.anki.overlap import SHARED, written_cards
from handoutkit.anki.structure import says_itself
from handoutkit.anki.text import coverage, mentions, words
from handoutkit.content.library import load_library
from handoutkit.errors import ContentError
from handoutkit.make.pipeline import deck_change_lines

TOPIC = "handouts/deck-fixture.yaml"
DAY0 = "2023-11-15"  # the date of T1, the fixture's second build
IF_NEWER = 0  # Anki's default update condition


def uid(kind: str, item: str) -> str:
    return f"deck-fixture/student/{kind}/{item}"


def edit(root: Path, old: str, new: str, path: str = TOPIC) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", FIXTURE)


@pytest.fixture
def col(tmp_path):
    collection = new_collection(tmp_path / "col")
    yield collection
    collection.close()


def take(col, result, folder: Path, **options):
    """A returning student's import, as docs/students.md says: the update file, Update notes: Always."""
    return import_apkg(col, result.update, folder, **({"update_notes": ALWAYS} | options))


def note(col, kind: str, item: str):
    return notes_by_guid(col)[note_guid(uid(kind, item))]


def remove_gone_card(root: Path) -> None:
    edit(
        root,
        "  - id: card-in-hidden-section\n    front: Which section is this card from?\n"
        "    back: One the student edition does not show.\n    section: for-clinicians\n    cites: [book]\n",
        "",
    )


# ----- a file for each kind of student ---------------------------------------------------------------


def test_a_first_import_gets_live_notes_only_and_an_update_marks_the_old_copy_retired(project, tmp_path):
    first = build(project, FIXTURE_DECK, {}, T0)
    remove_gone_card(project)
    second = build(project, FIXTURE_DECK, first.lock, T1)
    assert second.counts["retired_total"] == 1

    newcomer = new_collection(tmp_path / "newcomer")
    import_apkg(newcomer, second.apkg, tmp_path)
    assert newcomer.find_notes("tag:FX::retired") == [] and "Retired" not in " ".join(
        visible_text(newcomer.get_card(c).question()) for c in newcomer.find_cards("")
    )
    assert newcomer.note_count() == second.counts["notes"]
    newcomer.close()

    returning = new_collection(tmp_path / "returning")
    import_apkg(returning, first.apkg, tmp_path)
    take(returning, second, tmp_path)
    retired = returning.find_notes("tag:FX::retired")
    assert [html.unescape(returning.get_note(n)["UID"]) for n in retired] == [uid("card", "card-in-hidden-section")]
    returning.close()


def test_each_files_description_says_which_file_to_import(project, tmp_path):
    result = build(project, FIXTURE_DECK, {}, T0)
    for data, says in (
        (result.apkg, "This file (deck-fixture-students.apkg) is for a first import."),
        (result.update, "This file (deck-fixture-students--update.apkg) updates an earlier version"),
    ):
        c = new_collection(tmp_path / says[:12])
        import_apkg(c, data, tmp_path)
        description = visible_text(c.decks.by_name("Tests::Deck fixture")["desc"])
        assert (
            says in description
            and "Update notes: Always" in visible_text(c.decks.by_name("Tests::Deck fixture")["desc"])
            or "first import" in says
        )
        c.close()


# ----- a changed fact never hides under old reviews --------------------------------------------------


def test_a_changed_answer_is_tagged_listed_and_reset_a_reworded_question_is_not(project, col, tmp_path):
    first = build(project, FIXTURE_DECK, {}, T0)
    import_apkg(col, first.apkg, tmp_path)
    col.sched.set_due_date(col.find_cards(""), "30!")
    studied = scheduling(col)
    edit(project, "    back: In a joint.\n", "    back: In the joint lining.\n")  # the answer changes
    edit(project, "    front: What makes it worse?\n", "    front: What makes it get worse?\n")  # reworded, same answer
    edit(project, "{{c1::joint}}", "{{c1::joint lining}}")  # a cloze's hidden words change
    second = build(project, FIXTURE_DECK, first.lock, T1)

    changed = [uid("card", "basic-one"), uid("card", "two-deletions")]
    assert sorted(second.changes["changed"]) == sorted(changed + [uid("card", "basic-with-extra")])
    assert sorted(second.changes["answers"]) == changed
    assert second.lock["notes"][note_guid(uid("card", "basic-one"))]["answer"] == "Back: In the joint lining."
    assert second.lock["notes"][note_guid(uid("card", "basic-one"))]["changed"] == DAY0
    assert "changed" not in second.lock["notes"][note_guid(uid("card", "basic-with-extra"))]
    report = deck_change_lines(FIXTURE_DECK, second.counts, second.changes)
    assert report[1] == (
        f"  2 answers changed, tagged FX::changed::{DAY0} (students: Browse, select them, Forget): "
        "card/basic-one, card/two-deletions"
    )

    log = take(col, second, tmp_path)
    assert len(log.updated) == 3 and len(log.new) == 0
    tag = f"FX::changed::{DAY0}"
    assert sorted(html.unescape(col.get_note(n)["UID"]) for n in col.find_notes(f"tag:{tag}")) == changed
    assert tag not in note(col, "card", "basic-with-extra").tags
    assert scheduling(col) == studied  # the import itself keeps every schedule

    # docs/students.md step 4: search the tag, select all, Cards > Reset (Forget) with the position restored.
    reset = col.find_cards(f"tag:{tag}")
    col.sched.schedule_cards_as_new(reset, restore_position=True, reset_counts=False)
    after = scheduling(col)
    assert all(after[c][0] == 0 for c in reset) and len(reset) == 3  # basic-one and both cloze cards
    assert {c: s for c, s in after.items() if c not in reset} == {c: s for c, s in studied.items() if c not in reset}

    # The tag stays with the note until its answer changes again: a later build ships the same bytes.
    third = build(project, FIXTURE_DECK, second.lock, T1 + 86_400)
    assert third.update == second.update and third.lock == second.lock and third.changes["answers"] == []


def test_a_newcomer_never_sees_a_changed_tag(project, tmp_path):
    first = build(project, FIXTURE_DECK, {}, T0)
    edit(project, "    back: In a joint.\n", "    back: In the joint lining.\n")
    second = build(project, FIXTURE_DECK, first.lock, T1)
    c = new_collection(tmp_path / "c")
    import_apkg(c, second.apkg, tmp_path)
    assert not any("::changed::" in t for t in c.tags.all())
    c.close()


def test_a_lock_without_answers_tags_every_changed_note(project):
    """A lock written before answers were kept cannot tell a reworded question from a new answer: tag both."""
    first = build(project, FIXTURE_DECK, {}, T0)
    legacy = json.loads(json.dumps(first.lock))
    for entry in legacy["notes"].values():
        entry.pop("answer")
    edit(project, "    front: What makes it worse?\n", "    front: What makes it get worse?\n")
    second = build(project, FIXTURE_DECK, legacy, T1)
    assert second.changes["answers"] == [uid("card", "basic-with-extra")]


@pytest.mark.parametrize(
    ("front", "back"),
    [
        ("A joint is where it does what?", "Start."),  # asks what it gave, gives what it asked
        ("What, in a joint, does it do?", "Start there."),
    ],
)
def test_a_card_turned_round_is_refused_with_its_place(project, front, back):
    first = build(project, FIXTURE_DECK, {}, T0)
    edit(project, "    front: Where does it start?\n    back: In a joint.\n", f"    front: {front}\n    back: {back}\n")
    with pytest.raises(ContentError) as caught:
        build(project, FIXTURE_DECK, first.lock, T1)
    assert str(caught.value).startswith(
        "handouts/deck-fixture.yaml:95:9: cards[0].id: expected card 'basic-one' to ask what it asked before, found it "
        "asking what it answered ('In a joint.'); students' reviews are of the other direction: give it a new id"
    )
    edit(project, "  - id: basic-one\n", "  - id: where-it-starts-asked-round\n    new_fact: true\n")
    turned = build(project, FIXTURE_DECK, first.lock, T1)  # a new id: a new note, the old one retired
    assert turned.changes["retired"] == [uid("card", "basic-one")]
    assert turned.changes["new"] == [uid("card", "where-it-starts-asked-round")]


# ----- marked, flagged or edited notes still update ------------------------------------------------------


@pytest.fixture
def touched(project, tmp_path):
    """A student who studied the first build, then (after it was built) marked one note, edited another,
    flagged a card and marked the note the next build retires; and the next build, correcting all four."""
    first = build(project, FIXTURE_DECK, {}, T0)
    c = new_collection(tmp_path / "touched")
    import_apkg(c, first.apkg, tmp_path)
    c.sched.set_due_date(c.find_cards(""), "12!")
    for kind, item, change in (
        ("card", "basic-one", "mark"),
        ("card", "basic-with-extra", "edit"),
        ("card", "card-in-hidden-section", "mark"),
        ("card", "two-deletions", "flag"),
    ):
        n = note(c, kind, item)
        if change == "mark":
            n.tags.append("marked")
        elif change == "edit":
            n["Back"] += "<br>my mnemonic: rest rusts"
        else:
            c.set_user_flag_for_cards(3, n.card_ids())
        c.update_note(n) if change != "flag" else None
    studied = scheduling(c)
    edit(project, "    back: In a joint.\n", "    back: In the joint lining.\n")
    edit(project, "    back: Rest.\n", "    back: Rest, then stiffness.\n")
    edit(project, "{{c1::joint}}", "{{c1::joint lining}}")
    remove_gone_card(project)
    second = build(project, FIXTURE_DECK, first.lock, T1)
    yield c, second, studied
    c.close()


def test_with_update_notes_always_touched_notes_get_corrections_and_retirement(touched, tmp_path):
    c, second, studied = touched
    log = take(c, second, tmp_path)
    assert len(log.updated) == 4 and len(log.conflicting) == 0
    assert note(c, "card", "basic-one")["Back"] == "In the joint lining."
    assert note(c, "card", "basic-with-extra")["Back"] == "Rest, then stiffness."
    assert "joint lining" in note(c, "card", "two-deletions")["Text"]
    assert note(c, "card", "card-in-hidden-section").tags == ["FX::retired"]
    assert scheduling(c) == studied  # reviews, intervals and due dates kept
    assert {c.get_card(i).user_flag() for i in note(c, "card", "two-deletions").card_ids()} == {3}  # flags kept
    # What docs/students.md says the student loses on an updated note: their edit and their 'marked' tag.
    assert "my mnemonic" not in note(c, "card", "basic-with-extra")["Back"]
    assert "marked" not in note(c, "card", "basic-one").tags


def test_with_anki_s_default_if_newer_touched_notes_miss_their_correction(touched, tmp_path):
    """Why the docs say Always: 'If newer' compares times, and marking or editing makes the student's copy newer."""
    c, second, _ = touched
    log = take(c, second, tmp_path, update_notes=IF_NEWER)
    assert len(log.updated) == 1  # only the flagged cloze: a flag is card state, the note's time is the build's
    assert note(c, "card", "basic-one")["Back"] == "In a joint."
    assert "FX::retired" not in note(c, "card", "card-in-hidden-section").tags


def test_notes_of_the_students_own_are_never_touched(project, col, tmp_path):
    first = build(project, FIXTURE_DECK, {}, T0)
    import_apkg(col, first.apkg, tmp_path)
    mine = col.new_note(col.models.by_name("Basic"))
    mine["Front"], mine["Back"] = "Where does it start?", "My own words: think 'joint first'."
    mine.tags = ["mine"]
    col.add_note(mine, col.decks.id("Tests::Deck fixture"))
    written = col.get_note(mine.id).mod
    edit(project, "    back: In a joint.\n", "    back: In the joint lining.\n")
    take(col, build(project, FIXTURE_DECK, first.lock, T1), tmp_path)
    kept = col.get_note(mine.id)
    assert (kept["Back"], kept.tags, kept.mod) == ("My own words: think 'joint first'.", ["mine"], written)


# ----- generated cards -------------------------------------------------------------------------------


def test_a_meaning_card_a_hand_written_card_already_teaches_is_left_out(project, tmp_path):
    first = build(project, FIXTURE_DECK, {}, T0)
    assert first.counts["kinds"]["glossary"] == {"notes": 2, "cards": 3}
    edit(
        project,
        "cards:\n",
        "cards:\n  - id: what-arthro-thing-is\n    front: What is an Arthro-thing?\n"
        "    back: A joint thing.\n    cites: [book]\n",
    )
    second = build(project, FIXTURE_DECK, first.lock, T1)
    assert second.counts["kinds"]["glossary"] == {"notes": 2, "cards": 2}  # Arthro-thing: say it only
    assert second.counts["dropped_cards"] == 1  # a returning student's meaning card: Tools > Empty Cards
    c = new_collection(tmp_path / "c")
    import_apkg(c, first.apkg, tmp_path)
    take(c, second, tmp_path)
    empty = c.get_empty_cards()
    assert len(empty.notes) == 1
    c.remove_cards_and_orphaned_notes([cid for n in empty.notes for cid in n.card_ids])  # docs step 6
    assert c.get_empty_cards().report == "" and c.card_count() == second.counts["cards"]
    c.close()


def test_no_generated_meaning_card_repeats_a_hand_written_card(ho_build_now, ho_library_now):
    """Checked against the cards themselves: each meaning card in the deck, each hand-written card naming its term."""
    col = ho_build_now[1]
    deck = deck_named(ho_library_now, HO_DECK)
    meanings = 0
    for cid in col.find_cards('"note:Handout: Pronunciation" card:2'):
        n = col.get_card(cid).note()
        term, meaning = html.unescape(n["Term"]), visible_text(n["Meaning"])
        topic = ho_library_now.topics[html.unescape(n["UID"]).split("/")[0]]
        meanings += 1
        for card in written_cards(topic, deck.audience):
            if mentions(card.whole, term):
                assert (
                    len(words(meaning)) < 3
                    or max(coverage(meaning, card.whole), coverage(card.answer, meaning)) < SHARED
                ), (term, card.id)
                head = re.split(r"[;,.]", meaning)[0]
                assert not (len(words(head)) <= 2 and coverage(head, card.whole) == 1), (term, card.id)
    assert meanings


def test_say_it_cards_are_only_for_words_worth_saying(ho_build_now, ho_library_now):
    col = ho_build_now[1]
    deck = deck_named(ho_library_now, HO_DECK)
    terms = {}
    for cid in col.find_cards('"note:Handout: Pronunciation" card:1'):
        n = col.get_card(cid).note()
        term, respelling = html.unescape(n["Term"]), html.unescape(n["Respelling"])
        topic = ho_library_now.topics[html.unescape(n["UID"]).split("/")[0]]
        assert not term.isupper(), term  # an acronym is said letter by letter
        assert n["UID"].endswith("/title/pronunciation") or not set(term.casefold().split()) <= set(
            topic.title.casefold().split()
        ), term  # the topic's own card says its words
        assert respelling not in terms.values(), term  # no two cards with one respelling
        terms[term] = respelling
        glossary = next((g for g in topic.glossary if g.term == term), None)
        assert glossary is None or glossary.say or not says_itself(glossary.respelling, None, term, topic.title)
    assert terms and deck.audience == "student"


def test_no_hand_written_card_asks_a_yes_no_question(ho_library_now):
    assert [str(p) for gate, p in deck_findings(ho_library_now) if gate == "deck_questions"] == []


def test_a_yes_no_card_is_a_warning_and_strict_refuses_it(project, capsys):
    from handoutkit.cli import main

    (project / "decks" / f"{FIXTURE_DECK}.lock.json").write_bytes(dump_lock(build(project, FIXTURE_DECK, {}, T0).lock))
    shutil.copy(REPO / "medical-terms.txt", project / "medical-terms.txt")
    (project / "editions.yaml").write_text(
        "editions:\n  - id: patient\n    label: Patient\n    audience: patient\n"
        "    papers: [letter]\n    gates: {pemat: 'off', clear_communication: 'off', "
        "reading_level: 'off', plain_words: 'off'}\n"
    )
    edit(project, "    front: What makes it worse?\n", "    front: Does rest make it worse?\n")
    expected = (
        "handouts/deck-fixture.yaml:102:12: cards[1].front: expected a question a student answers with the fact, "
        "found a yes/no question in card 'basic-with-extra', which a guess answers half the time; ask what, "
        "which, why or how [deck_questions, {}]"
    )
    assert main(["check", "--root", str(project)]) == 0
    assert expected.format("warning") in capsys.readouterr().err.splitlines()
    assert main(["check", "--root", str(project), "--strict"]) == 1
    assert expected.format("error") in capsys.readouterr().err.splitlines()


def test_the_back_shows_the_why_and_the_sources_words_on_a_click(project, col, tmp_path):
    edit(
        project,
        "    extra: Movement helps.\n    figure: body-map\n    tags: [pearls]\n    cites: [book]\n",
        "    extra: Movement helps.\n    figure: body-map\n    tags: [pearls]\n"
        '    cites: [{source: book, quote: "Rest makes the joint worse.", where: p. 12}]\n',
    )
    import_apkg(col, build(project, FIXTURE_DECK, {}, T0).apkg, tmp_path)
    card = col.get_card(note(col, "card", "basic-with-extra").card_ids()[0])
    details = re.search(r"<details class=\"hk-extra\">(.*?)</details>", card.answer(), re.DOTALL)
    assert details and "<summary>More: why, and the source</summary>" in details.group(1)
    assert " ".join(visible_text(details.group(1)).split()).endswith(
        "Movement helps. \u201cRest makes the joint worse.\u201d Test Press, p. 12"
    )
    assert "Movement helps" not in card.question()  # the back only


def test_the_ho_deck_has_an_extra_on_most_cards(ho_build_now):
    col = ho_build_now[1]
    hand = col.find_notes("tag:Rehab::*::kind::card")
    with_extra = [n for n in hand if col.get_note(n)["Extra"]]
    assert len(with_extra) >= 0.6 * len(hand), (len(with_extra), len(hand))


def test_a_clozes_other_deletions_are_hidden_on_its_front_in_a_browser(fx_cloze_fronts):
    """What a student sees is what the browser draws: Anki puts every deletion's words in the question."""
    first, second = fx_cloze_fronts
    assert "joint" not in first and "rest" not in second
    assert "[...]" in first and "[...]" in second and "[what you do at night]" in second


# ----- the order of new cards ---------------------------------------------------------------------------


def first_new_cards(col, count: int) -> list[tuple[str, int]]:
    """(UID, card number) of the new cards Anki shows, default options, answering Good to each."""
    col.decks.select(col.decks.id("Rehabilitation"))
    seen: list[tuple[str, int]] = []
    while len(seen) < count:
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        card = col.get_card(queued.cards[0].card.id)
        if card.type == 0:
            seen.append((html.unescape(card.note()["UID"]), card.ord))
        card.start_timer()
        col.sched.answerCard(card, 3)
    return seen


@pytest.mark.parametrize(
    "names", [None, {"heterotopic-ossification": "Aaa first", "autonomic-dysreflexia": "Zzz last"}]
)
def test_the_first_twenty_new_cards_follow_the_declared_order_whatever_the_subdecks_are_called(tmp_path, names):
    root = make_project(tmp_path / "project", REPO)
    if names:
        path = root / "decks" / f"{HO_DECK}.yaml"
        text = path.read_text(encoding="utf-8")
        for topic_id, name in names.items():
            text = re.sub(rf"(  {topic_id}: {{name: )[^,]+", rf"\g<1>{name}", text)
        path.write_text(text, encoding="utf-8")
    result = build(root, HO_DECK, {}, T0)
    c = new_collection(tmp_path / "c")
    import_apkg(c, result.apkg, tmp_path)
    shown = first_new_cards(c, DAY)
    assert shown == result.order[:DAY]
    library = load_library(root)
    deck = deck_named(library, HO_DECK)
    first_topic = deck.topics[0]
    assert shown[0][0] == f"{first_topic}/student/card/ad-definition"  # what it is, first
    assert all(u.startswith(first_topic + "/") for u, _ in shown)
    sections = [section_of(library, u) for u, _ in shown if "/card/" in u]
    ranks = [deck.order[first_topic].index(s) for s in sections]
    assert ranks == sorted(ranks), sections  # what it is, signs, numbers, what to do...
    assert len({u for u, _ in shown}) == DAY  # no two cards of one note on day one
    c.close()


def section_of(library, note_uid: str) -> str:
    topic_id, _, _, item = note_uid.split("/")
    return next(c.section for c in library.topics[topic_id].cards if c.id == item)


# ----- an upgrade from the release before this one ------------------------------------------------------

LOCK = f"decks/{HO_DECK}.lock.json"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def previous_release() -> str:
    """The commit that built the release students hold now: the committed lock's release `follows` it (builds of
    one day are one release); the oldest commit whose lock names it is where it was built (a later revert commits
    it again, with newer content, but students hold what was built then)."""
    held = json.loads(git("show", f"HEAD:{LOCK}"))["release"].get("follows")  # the release this one upgrades
    commits = git("log", "--format=%H", "--", LOCK).split()
    built = [c for c in commits if release_of_commit(c) == held]
    if held is None or not built:
        pytest.fail("no earlier release of the deck in the git history")
    return built[-1]


def release_of_commit(commit: str):
    try:
        return json.loads(git("show", f"{commit}:{LOCK}")).get("release", {}).get("mod")
    except (subprocess.CalledProcessError, ValueError):
        return None  # the lock deleted or broken in that commit: no release


BUILD_OLD = """
import importlib, json, sys
from pathlib import Path
root = Path.cwd()
from handoutkit.content.library import load_library
from handoutkit.anki import build_deck
stage = "make" if (root / "handoutkit" / "make").is_dir() else "build"  # renamed in issue 24.4
draw_figure = importlib.import_module(f"handoutkit.{stage}.pipeline").draw_figure
assert all(Path(m.__file__).is_relative_to(root) for n, m in sys.modules.items() if n.startswith("handoutkit") and m.__file__)
library = load_library(root)
deck = next(d for d in library.decks if d.id == sys.argv[1])
lock = json.loads((root / "decks" / (sys.argv[1] + ".lock.json")).read_text())
sys.stdout.buffer.write(build_deck(deck, library, lock, now=lock["release"]["mod"], draw=draw_figure).apkg)
"""


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory):
    """A student who studied every card of the previous release (built from git by its own code) imports
    this release's update file (built from today's content against the committed lock), as the docs say."""
    if not (REPO / ".git").exists():
        pytest.skip("the upgrade test needs the repository's git history")
    folder = tmp_path_factory.mktemp("upgrade")
    commit = previous_release()
    old_root = folder / "old"
    old_root.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
    env = {"PYTHONPATH": str(old_root), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder)}
    old = subprocess.run(
        [sys.executable, "-c", BUILD_OLD, HO_DECK], cwd=old_root, env=env, check=True, capture_output=True, timeout=300
    ).stdout
    root = make_project(folder / "new", REPO)
    new = build(root, HO_DECK, json.loads(git("show", f"HEAD:{LOCK}")), T1 + 400 * 86_400)

    col = new_collection(folder / "col")
    import_apkg(col, old, folder)
    col.sched.set_due_date(col.find_cards(""), "3-60!")  # studied: review cards, 3 to 60 days
    before = {cid: card_state(col, cid) for cid in col.find_cards("")}
    answers = {cid: card_answer(col, cid) for cid in before}
    log = take(col, new, folder)
    yield col, old, new, before, answers, log
    col.close()


def card_state(col, cid: int) -> tuple:
    card = col.get_card(cid)
    return card.nid, card.ord, card.type, card.queue, card.due, card.ivl


def card_answer(col, cid: int) -> str:
    """What one card asks the student to recall, read from its note's fields (not the deck's own code)."""
    card = col.get_card(cid)
    n, name = card.note(), col.models.get(card.note().mid)["name"]
    if name == "Handout: Cloze":
        hidden = re.findall(r"\{\{c(\d+)::(.+?)(?:::.+?)?\}\}", n["Text"])
        return " ".join(text for number, text in hidden if int(number) == card.ord + 1)
    if name == "Handout: Pronunciation":
        return (n["Respelling"] + " " + n["IPA"]).strip() if card.ord == 0 else n["Meaning"]
    return n["Back"]


def test_an_upgrade_keeps_every_review(upgrade):
    col, _, _, before, _, log = upgrade
    assert len(log.conflicting) == 0
    assert {cid: card_state(col, cid) for cid in before} == before


def test_an_upgrade_tags_every_retired_note(upgrade):
    col, _, new, _, _, _ = upgrade
    retired = {g for g, e in new.lock["notes"].items() if e.get("retired")}
    notes = notes_by_guid(col)
    held = retired & set(notes)
    assert held and all(notes[g].tags == ["Rehab::retired"] for g in held)


def test_an_upgrade_tags_every_changed_answer_and_no_other(upgrade):
    """A card the student studied whose answer is now different carries a changed tag; one whose answer is the
    same carries none from this release."""
    col, _, new, before, answers, _ = upgrade
    release_day = max(e.get("changed", "") for e in new.lock["notes"].values())
    for cid in before:
        n = col.get_card(cid).note()
        now = card_answer(col, cid)
        if "Rehab::retired" in n.tags or not now:  # retired, or a card the version dropped (Empty Cards)
            continue
        tags = [t for t in n.tags if "::changed::" in t]
        if visible_text(now) != visible_text(answers[cid]):
            assert tags, html.unescape(n["UID"])  # the student's old answer changed: the note says so
        elif not any(
            visible_text(card_answer(col, c)) != visible_text(answers[c]) for c in n.card_ids() if c in answers
        ):
            assert f"Rehab::changed::{release_day}" not in tags, html.unescape(n["UID"])


def test_an_upgrade_leaves_no_blank_card_once_the_docs_steps_are_done(upgrade, tmp_path):
    col, _, new, _, _, _ = upgrade
    assert len(col.get_empty_cards().notes) == new.lock["release"]["dropped_cards"]  # the release says so
    # docs/students.md steps 5 and 6: delete the retired notes, then Tools > Empty Cards.
    col.remove_notes(col.find_notes("tag:Rehab::retired"))
    empty = col.get_empty_cards()
    col.remove_cards_and_orphaned_notes([cid for n in empty.notes for cid in n.card_ids])
    assert col.get_empty_cards().report == ""
    fresh = new_collection(tmp_path / "fresh")
    import_apkg(fresh, new.apkg, tmp_path)
    live = {(n.guid, o) for n in notes_by_guid(fresh).values() for o in (fresh.get_card(c).ord for c in n.card_ids())}
    mine = {(n.guid, o) for n in notes_by_guid(col).values() for o in (col.get_card(c).ord for c in n.card_ids())}
    assert mine == live  # the same cards a newcomer gets
    fresh.close()


# ----- fixtures for the real deck ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ho_root_now(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("ho-now"), REPO)


@pytest.fixture(scope="module")
def ho_library_now(ho_root_now):
    return load_library(ho_root_now)


@pytest.fixture(scope="module")
def ho_build_now(ho_root_now, tmp_path_factory):
    result = build(ho_root_now, HO_DECK, {}, T0)
    folder = tmp_path_factory.mktemp("ho-now-col")
    c = new_collection(folder)
    import_apkg(c, result.apkg, folder)
    yield result, c
    c.close()


@pytest.fixture(scope="module")
def fx_cloze_fronts(tmp_path_factory):
    """The fixture's two-deletion cloze, each card's front as headless chromium shows it."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; run ./setup.sh")
        pytest.skip("chromium is not installed; run ./setup.sh")
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("cloze")
    root = make_project(folder / "project", FIXTURE)
    c = new_collection(folder / "col")
    import_apkg(c, build(root, FIXTURE_DECK, {}, T0).apkg, folder)
    css = c.models.get(NOTETYPES[1].id)["css"]
    cards = sorted((c.get_card(i) for i in c.find_cards(f'"UID:{uid("card", "two-deletions")}"')), key=lambda k: k.ord)
    pages = [
        f"<html><head><style>{css}</style></head><body><div class='card'>{k.question()}</div></body></html>"
        for k in cards
    ]
    c.close()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium))
        page = browser.new_page()
        shown = []
        for content in pages:
            page.set_content(content)
            # The text a reader gets, with each hidden deletion's stand-in where it stands.
            shown.append(
                page.evaluate("""() => {
                for (const span of document.querySelectorAll('.hk-question .cloze-inactive')) {
                    const style = getComputedStyle(span), before = getComputedStyle(span, '::before');
                    if (style.visibility === 'hidden' && before.visibility === 'visible' && span.offsetWidth > 0)
                        span.replaceWith(JSON.parse(before.content));
                }
                return document.querySelector('.hk-question').innerText;
            }""")
            )
        browser.close()
    return shown


def test_a_second_build_the_same_day_adds_to_the_release_and_a_next_day_starts_a_new_one():
    from handoutkit.anki.describe import same_day_release

    day = 1796471214  # 2026-12-05, 11:46 UTC
    first = {"mod": day, "new": ["a"], "changed": ["b"], "answers": ["b"], "retired": [], "dropped_cards": 3}
    second = {
        "mod": day + 3600,
        "new": ["c"],
        "changed": ["b", "d"],
        "answers": [],
        "retired": ["e"],
        "dropped_cards": 1,
        "content": "x",
    }
    assert same_day_release(first, second) == {
        "mod": day,
        "content": "x",
        "new": ["a", "c"],
        "changed": ["b", "d"],
        "answers": ["b"],
        "retired": ["e"],
        "dropped_cards": 4,
    }
    next_day = {**second, "mod": day + 86400}
    assert same_day_release(first, next_day) == {**next_day, "follows": day}  # the release it upgrades
    assert same_day_release({**first, "follows": 1}, second)["follows"] == 1  # still the same release
    assert same_day_release(None, second) == second
