"""Anki decks, checked against the real Anki backend (the `anki` package).

Two projects: a copy of the repository's content (the heterotopic
ossification deck), and tests/fixtures/decks, a tiny topic whose every part
maps to a known number of notes and cards. Builds and the first import are
session-scoped; tests that re-import get their own collection.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import itertools
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from handoutkit.anki import NOTETYPES, build_deck, dump_lock, load_lock
from handoutkit.anki.ids import note_guid
from handoutkit.anki.lists import split_label
from handoutkit.anki.notetypes import BASIC, PRONUNCIATION, Field
from handoutkit.anki.overlap import repeated_by, written_cards
from handoutkit.anki.structure import says_itself
from handoutkit.content.library import load_library
from handoutkit.content.model import BasicCard, ClozeCard
from handoutkit.editions.select import is_for, resolve, select_edition
from handoutkit.errors import ContentError
from handoutkit.make.pipeline import draw_figure

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "decks"
HO_DECK = "rehabilitation-students"
FIXTURE_DECK = "deck-fixture-students"
T0 = 1_700_000_000  # the first build's `now` (before the import, as in real life)
T1 = T0 + 86_400  # a later build's `now`
ALWAYS = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS

# What the fixture topic makes for students (see the comments in its YAML).
EXPECTED_KINDS = {
    "title": {"notes": 1, "cards": 1},  # say it (what it means is a hand-written card's job)
    "glossary": {"notes": 2, "cards": 3},  # Arthro-thing: say it + meaning; X-ray says itself: meaning
    "item": {"notes": 2, "cards": 2},  # the study: items list, one note per item
    "step": {"notes": 2, "cards": 2},  # steps, each cued by the one before
    "card": {"notes": 4, "cards": 5},  # 2 basic, 1 cloze with c1 c2, 1 in a clinician section
}
ROOT_TAG = "FX"


# ----- projects, builds and collections -------------------------------------------


def make_project(root: Path, content: Path) -> Path:
    """A project in root: content's handouts/ and decks/, the repository's other files."""
    for name in ("handouts", "decks"):
        shutil.copytree(content / name, root / name)
    for name in ("brands", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "editions.yaml", root / "editions.yaml")
    return root


def deck_named(library, deck_id):
    return next(d for d in library.decks if d.id == deck_id)


def build(root: Path, deck_id: str, lock: dict, now: int, **options):
    library = load_library(root)
    return build_deck(deck_named(library, deck_id), library, lock, now=now, draw=draw_figure, **options)


def new_collection(folder: Path) -> Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


def import_apkg(col: Collection, apkg: bytes, folder: Path, **options):
    """Import like a student does; returns the import log."""
    path = folder / f"deck-{hashlib.sha256(apkg).hexdigest()[:8]}.apkg"
    path.write_bytes(apkg)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(**options))
    return col.import_anki_package(request).log


@pytest.fixture(scope="session")
def ho_root(tmp_path_factory):
    """A snapshot of the repository's content, so edits elsewhere cannot move under a test run."""
    return make_project(tmp_path_factory.mktemp("ho"), REPO)


@pytest.fixture(scope="session")
def ho_library(ho_root):
    return load_library(ho_root)


@pytest.fixture(scope="session")
def ho_build(ho_root):
    return build(ho_root, HO_DECK, {}, T0)


@pytest.fixture(scope="session")
def ho_col(ho_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ho-col")
    col = new_collection(folder)
    import_apkg(col, ho_build.apkg, folder)
    yield col
    col.close()


@pytest.fixture(scope="session")
def fx_root(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fixture"), FIXTURE)


@pytest.fixture(scope="session")
def fx_build(fx_root):
    return build(fx_root, FIXTURE_DECK, {}, T0)


@pytest.fixture(scope="session")
def fx_col(fx_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fx-col")
    col = new_collection(folder)
    import_apkg(col, fx_build.apkg, folder)
    yield col
    col.close()


# ----- helpers -------------------------------------------------------------------


def visible_text(card_html: str) -> str:
    without_style = re.sub(r"<style>.*?</style>", "", card_html, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_style)).strip()


def notes_by_guid(col: Collection) -> dict:
    return {note.guid: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def scheduling(col: Collection) -> dict:
    return {cid: (c.type, c.queue, c.due, c.ivl) for cid in col.find_cards("") for c in [col.get_card(cid)]}


def assert_renders(col: Collection) -> None:
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        question, answer = card.question(), card.answer()
        for side in (question, answer):
            assert visible_text(side), f"card {cid} has an empty side"
            assert "{{" not in side and "}}" not in side, f"card {cid} shows template syntax: {side}"
            assert "unknown field" not in side.lower()


def handout_notetype_names(col: Collection) -> list[str]:
    return [nt.name for nt in col.models.all_names_and_ids()]


# ----- the fixture: every kind of note, counted -------------------------------------


def test_fixture_counts_by_kind(fx_build):
    assert fx_build.counts["kinds"] == EXPECTED_KINDS
    assert fx_build.counts["notes"] == sum(k["notes"] for k in EXPECTED_KINDS.values())
    assert fx_build.counts["cards"] == sum(k["cards"] for k in EXPECTED_KINDS.values())
    assert fx_build.counts["new"] == fx_build.counts["notes"]


def test_fixture_imports_with_the_defined_counts(fx_col, fx_build):
    assert fx_col.note_count() == 11
    assert fx_col.card_count() == 13
    assert fx_col.note_count() == fx_build.counts["notes"]
    assert fx_col.card_count() == fx_build.counts["cards"]
    assert_renders(fx_col)
    assert fx_col.get_empty_cards().report == ""


def test_fixture_deck_names_and_notetypes(fx_col):
    names = {d.name for d in fx_col.decks.all_names_and_ids()}
    assert {"Tests", "Tests::Deck fixture"} <= names
    for definition in NOTETYPES:
        notetype = fx_col.models.get(definition.id)
        assert notetype["name"] == definition.name
        assert [(f["name"], f["id"]) for f in notetype["flds"]] == [(f.name, f.id) for f in definition.fields]
        assert [(t["name"], t["id"]) for t in notetype["tmpls"]] == [(t.name, t.id) for t in definition.templates]


def test_fixture_media_is_complete_and_used(fx_col, fx_build):
    check = fx_col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    names = json.loads(zipfile.ZipFile(io.BytesIO(fx_build.apkg)).read("media")).values()
    svg = sorted(n for n in names if n.endswith(".svg"))
    digest = hashlib.sha256((FIXTURE / "handouts" / "figures" / "joint.svg").read_bytes()).hexdigest()[:12]
    assert f"deck-fixture-{digest}.svg" in svg and len(svg) == 2  # the file, and the drawn body-sites figure
    for name in svg:
        assert len(fx_col.find_notes(f'"Front:*{name}*"')) == 1


def test_a_drawn_figure_is_the_handouts_svg_on_its_card(fx_col):
    note = notes_by_guid(fx_col)[note_guid("deck-fixture/student/card/basic-with-extra")]
    name = re.search(r'src="([^"]+\.svg)"', note["Front"]).group(1)
    svg = (Path(fx_col.media.dir()) / name).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<title>Hips and knees marked on a body outline.</title>" in svg
    assert 'alt="Hips and knees marked on a body outline."' in note["Front"]


def test_audience_limited_content_stays_out(fx_col):
    text = " ".join(visible_text(fx_col.get_card(c).answer()) for c in fx_col.find_cards(""))
    assert "Only clinicians see this" not in text and "Clinician label" not in text
    assert "Clinicians only?" not in text
    # Tips and red flags are worded for patients: not in a student deck by default.
    assert "A tip for patients only" not in text and "Move a little every day" not in text
    assert "The joint is hot and red" not in text
    # A card from a section students do not see keeps that section's heading.
    assert "For clinicians" in text


def test_fields_are_escaped_html_but_deletions_stay_live(fx_col):
    notes = notes_by_guid(fx_col)
    term = notes[note_guid("deck-fixture/student/glossary/x-ray-scan")]
    assert term["Term"] == "X-ray &amp; &lt;scan&gt;"
    cloze = notes[note_guid("deck-fixture/student/card/two-deletions")]
    assert cloze["Text"] == "It starts in a {{c1::joint}} and gets worse with {{c2::rest::what you do at night}}."


def test_every_note_says_where_it_came_from(fx_col):
    for note in notes_by_guid(fx_col).values():
        assert note["Source"] and note["Handout"] == "Fixture condition" and note["UID"]
        assert note.guid == note_guid(html.unescape(note["UID"]))
    card = notes_by_guid(fx_col)[note_guid("deck-fixture/student/card/basic-one")]
    assert card["Section"] == "What it is"
    assert card["Source"] == "Test Press: <i>The Book of Joints</i>"


def test_every_tag_is_under_the_decks_root(fx_col):
    notes = notes_by_guid(fx_col)
    for note in notes.values():
        assert all(" " not in tag and tag.startswith(f"{ROOT_TAG}::") for tag in note.tags), note.tags
        assert f"{ROOT_TAG}::fixture-tag" in note.tags
    card = notes[note_guid("deck-fixture/student/card/basic-one")]
    assert set(card.tags) == {"FX::kind::card", "FX::section::what-it-is", "FX::fixture-tag"}
    assert "FX::pearls" in notes[note_guid("deck-fixture/student/card/basic-with-extra")].tags
    assert [t.name for t in fx_col.tags.tree().children] == [ROOT_TAG]


def new_card_order(col: Collection) -> list[str]:
    """The UIDs of new cards in the order Anki's scheduler gathers them (by position)."""
    cards = sorted((col.get_card(cid) for cid in col.find_cards("is:new")), key=lambda c: (c.due, c.ord))
    return [html.unescape(c.note()["UID"]) for c in cards]


def test_new_cards_start_with_clinical_content_and_spread_the_words(fx_col):
    order = new_card_order(fx_col)
    assert "/card/" in order[0] or "/step/" in order[0] or "/item/" in order[0]
    vocab = [i for i, uid in enumerate(order) if "/glossary/" in uid or "/title/" in uid]
    assert vocab and vocab[0] > 0
    assert max(b - a for a, b in itertools.pairwise(vocab)) > 1  # never all in a row


def test_pronunciation_speaks_and_only_for_words_worth_saying(fx_col):
    say_it = fx_col.models.get(PRONUNCIATION.id)["tmpls"][0]
    assert "{{tts en_US:Term}}" in say_it["afmt"]
    card = next(fx_col.get_card(c) for c in fx_col.find_cards('"Term:Arthro-thing" card:1'))
    assert [(t.field_text, t.lang) for t in card.answer_av_tags()] == [("Arthro-thing", "en_US")]
    assert "AR-throh-thing" in card.answer()
    assert [fx_col.get_card(c).ord for c in fx_col.find_cards('"Term:X-ray*"')] == [1]  # meaning only


@pytest.mark.parametrize(
    ("respelling", "say", "self_evident"),
    [
        ("BOHN skan", None, True),
        ("RAYNJ uv MOH-shun", None, True),
        ("spas-TISS-ih-tee", None, False),
        ("DEEP VAYN throm-BOH-sis", None, False),
        ("EN-sedz", True, False),
        ("FIZ-ih-kul THAIR-uh-pee", False, True),
        ("DEE-vee-tee", None, True),
    ],
)
def test_say_it_cards_for_words_of_three_syllables_or_an_authors_say(respelling, say, self_evident):
    term = "DVT" if respelling == "DEE-vee-tee" else "a term"
    assert says_itself(respelling, say, term) is self_evident


def test_a_studied_list_item_stands_alone(fx_col):
    note = notes_by_guid(fx_col)[note_guid("deck-fixture/student/item/rest-rule")]
    front = visible_text(fx_col.get_card(note.card_ids()[0]).question())
    assert "What helps:" in front and "Rest" in front
    assert "Ice" not in front and "one day at most" not in front  # no neighbours, no answer
    assert note["Back"] == "one day at most."
    ice = notes_by_guid(fx_col)[note_guid("deck-fixture/student/item/ice")]
    assert ice["Back"] == "cools the joint for 15 minutes."


def test_a_step_is_cued_by_the_step_before(fx_col):
    notes = notes_by_guid(fx_col)
    first = visible_text(
        fx_col.get_card(notes[note_guid("deck-fixture/student/step/rest-the-joint")].card_ids()[0]).question()
    )
    second = notes[note_guid("deck-fixture/student/step/call-your-care-team")]
    assert "What is the first step?" in first and "Rest the joint" not in first
    question = visible_text(fx_col.get_card(second.card_ids()[0]).question())
    assert "After: Rest the joint." in question and "Call your care team" not in question


@pytest.mark.parametrize(
    ("item", "parts"),
    [
        (
            "Deep vein thrombosis (DVT): a warm leg could be either.",
            ("Deep vein thrombosis (DVT)", "a warm leg could be either."),
        ),
        ("A joint infection. It is rare: see below.", None),  # a sentence before the colon is no label
        ("Fever, sometimes 103 °F, most often at night.", None),
    ],
)
def test_a_studied_item_is_label_colon_detail(item, parts):
    assert split_label(item) == parts


# ----- the heterotopic ossification deck --------------------------------------------


def test_course_deck_imports_with_the_counts_the_content_defines(ho_col, ho_build, ho_library):
    deck = deck_named(ho_library, HO_DECK)
    expected = {"title": 0, "glossary": [0, 0], "card": [0, 0]}
    for topic_id in deck.topics:
        written = ho_library.topics[topic_id]
        topic = select_edition(written, deck.audience)
        in_glossary = any(g.term.lower() == written.title.lower() for g in written.glossary if is_for(g, deck.audience))
        expected["title"] += not in_glossary and not says_itself(written.pronunciation.respelling, None, written.title)
        terms = [g for g in written.glossary if is_for(g, deck.audience)]
        cards = written_cards(written, deck.audience)
        said = {g.term for g in terms if not says_itself(g.respelling, g.say, g.term, written.title)}
        meant = {g.term for g in terms if not repeated_by(g.term, resolve(g.meaning, deck.audience), cards)}
        expected["glossary"][0] += len(said | meant)
        expected["glossary"][1] += len(said) + len(meant)
        deletions = [
            len(set(re.findall(r"\{\{c([1-9]\d*)::", c.text))) for c in topic.cards if isinstance(c, ClozeCard)
        ]
        expected["card"][0] += len(topic.cards)
        expected["card"][1] += sum(isinstance(c, BasicCard) for c in topic.cards) + sum(deletions)
    kinds = ho_build.counts["kinds"]
    assert kinds["title"] == {"notes": expected["title"], "cards": expected["title"]}
    assert kinds["glossary"] == dict(zip(("notes", "cards"), expected["glossary"]))
    assert kinds["card"] == dict(zip(("notes", "cards"), expected["card"]))
    assert "tip" not in kinds and "red-flag" not in kinds
    assert ho_col.note_count() == ho_build.counts["notes"]
    assert ho_col.card_count() == ho_build.counts["cards"]


def test_ho_cards_render_and_media_is_clean(ho_col):
    assert_renders(ho_col)
    assert ho_col.get_empty_cards().report == ""
    check = ho_col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []


def test_the_course_deck_holds_every_card_and_a_tag_per_topic(ho_col, ho_library):
    deck = deck_named(ho_library, HO_DECK)
    assert [d.name for d in ho_col.decks.all_names_and_ids() if d.name != "Default"] == ["Rehabilitation"]
    for cid in ho_col.find_cards(""):
        card = ho_col.get_card(cid)
        topic_id = html.unescape(card.note()["UID"]).split("/")[0]
        assert ho_col.decks.name(card.did) == "Rehabilitation"
        assert all(t.startswith(deck.topic_prefix(topic_id) + "::") for t in card.note().tags)
    for tag in ("HO", "AD"):  # a student studies one topic from its tag (a filtered deck, or Browse)
        assert ho_col.find_cards(f"tag:Rehab::{tag}::*")


# ----- corrections reach students; progress stays -----------------------------------


def edit_one_answer(root: Path, library) -> BasicCard:
    """Append ' Corrected.' to one hand-written basic card's answer in the YAML text."""
    path = root / "handouts" / "heterotopic-ossification.yaml"
    text = path.read_text(encoding="utf-8")
    for card in library.topics["heterotopic-ossification"].cards:
        if isinstance(card, BasicCard) and card.for_ is None and isinstance(card.back, str):
            for written in (f"back: {card.back}\n", f'back: "{card.back}"\n'):
                if text.count(written) == 1:
                    path.write_text(text.replace(written, f"back: {card.back} Corrected.\n"), encoding="utf-8")
                    return card
    pytest.fail("no hand-written basic card with a plain one-line answer to edit")


def test_a_correction_updates_exactly_that_note_and_keeps_progress(tmp_path):
    root = make_project(tmp_path / "project", REPO)
    first = build(root, HO_DECK, {}, T0)
    col = new_collection(tmp_path / "col")
    import_apkg(col, first.apkg, tmp_path)
    col.sched.set_due_date(col.find_cards(""), "5!")  # as if studied: review cards, 5-day interval
    studied = scheduling(col)
    before = {guid: (n.mod, n.fields) for guid, n in notes_by_guid(col).items()}

    edited = edit_one_answer(root, load_library(root))
    second = build(root, HO_DECK, first.lock, T1)
    log = import_apkg(col, second.apkg, tmp_path)

    guid = note_guid(f"heterotopic-ossification/student/card/{edited.id}")
    assert [n.id.nid for n in log.updated] == [notes_by_guid(col)[guid].id]
    assert len(log.new) == 0 and len(log.conflicting) == 0
    assert len(log.duplicate) == first.counts["notes"] - 1
    after = notes_by_guid(col)
    assert after[guid]["Back"] == html.escape(f"{edited.back} Corrected.")
    assert after[guid].mod == T1 > before[guid][0]
    assert {g: (n.mod, n.fields) for g, n in after.items() if g != guid} == {
        g: v for g, v in before.items() if g != guid
    }
    assert col.note_count() == first.counts["notes"]
    assert scheduling(col) == studied
    assert all(ivl == 5 for *_, ivl in studied.values())
    col.close()


def test_an_unchanged_rebuild_is_the_same_package_and_imports_as_nothing_new(ho_build, ho_root, tmp_path):
    again = build(ho_root, HO_DECK, ho_build.lock, T1)
    assert again.apkg == ho_build.apkg
    assert again.lock == ho_build.lock
    assert again.counts["unchanged"] == again.counts["notes"]
    col = new_collection(tmp_path)
    import_apkg(col, ho_build.apkg, tmp_path)
    log = import_apkg(col, again.apkg, tmp_path)
    assert len(log.new) == 0 and len(log.updated) == 0 and len(log.conflicting) == 0
    assert len(log.duplicate) == ho_build.counts["notes"]
    col.close()


def test_a_changed_card_changes_only_its_lock_entry(tmp_path):
    root = make_project(tmp_path, REPO)
    first = build(root, HO_DECK, {}, T0)
    edited = edit_one_answer(root, load_library(root))
    second = build(root, HO_DECK, first.lock, T1)
    guid = note_guid(f"heterotopic-ossification/student/card/{edited.id}")
    changed = {g for g in first.lock["notes"] if first.lock["notes"][g] != second.lock["notes"][g]}
    assert changed == {guid}
    assert second.lock["notes"][guid]["mod"] == T1
    assert second.lock["notes"][guid]["hash"] != first.lock["notes"][guid]["hash"]
    assert second.lock["notetypes"] == first.lock["notetypes"]
    assert (second.counts["changed"], second.counts["new"]) == (1, 0)


def test_a_changed_note_moves_strictly_forward_even_if_the_clock_does_not(fx_root, fx_build):
    guid = note_guid("deck-fixture/student/card/basic-one")
    lock = json.loads(json.dumps(fx_build.lock))
    lock["notes"][guid]["hash"] = "from-older-content"
    lock["notes"][guid]["mod"] = T1  # later than the `now` below
    rebuilt = build(fx_root, FIXTURE_DECK, lock, T0)
    assert rebuilt.lock["notes"][guid]["mod"] == T1 + 1
    others = {g: e for g, e in rebuilt.lock["notes"].items() if g != guid}
    assert others == {g: e for g, e in fx_build.lock["notes"].items() if g != guid}


def test_removed_notes_stay_in_the_lock_as_retired(fx_root, fx_build):
    lock = json.loads(json.dumps(fx_build.lock))
    gone = {
        "uid": "deck-fixture/student/card/gone",
        "hash": "x",
        "mod": T0,
        "notetype": BASIC.id,
        "cards": [0],
        "label": "Gone?",
    }
    lock["notes"]["gone-guid"] = gone
    rebuilt = build(fx_root, FIXTURE_DECK, lock, T1)
    assert (
        rebuilt.lock["notes"]["gone-guid"]["retired"] == "1970-01-02" or rebuilt.lock["notes"]["gone-guid"]["retired"]
    )
    assert rebuilt.lock["notes"]["gone-guid"]["mod"] == T1
    assert (rebuilt.counts["retired"], rebuilt.counts["retired_total"]) == (1, 1)
    again = build(fx_root, FIXTURE_DECK, rebuilt.lock, T1 + 100)
    assert again.lock == rebuilt.lock and again.apkg == rebuilt.apkg and again.counts["retired"] == 0


# ----- note type changes --------------------------------------------------------


def test_a_new_field_merges_into_the_students_note_type(tmp_path, ho_root, ho_build):
    col = new_collection(tmp_path)
    import_apkg(col, ho_build.apkg, tmp_path)
    basic_plus = dataclasses.replace(BASIC, fields=BASIC.fields + (Field("Mnemonic", 1763924401104),))
    notetypes = tuple(basic_plus if d.key == "basic" else d for d in NOTETYPES)
    changed = build(ho_root, HO_DECK, ho_build.lock, T1, notetypes=notetypes)
    assert changed.lock["notetypes"][str(BASIC.id)]["mod"] == T1
    basic_notes = len(col.find_notes(f"mid:{BASIC.id}"))

    merged = import_apkg(col, changed.apkg, tmp_path, merge_notetypes=True)
    names = handout_notetype_names(col)
    assert len(names) == len(set(names))
    assert [n for n in names if n.startswith("Handout")] == sorted(d.name for d in NOTETYPES)
    assert "Mnemonic" in [f["name"] for f in col.models.get(BASIC.id)["flds"]]
    assert len(merged.conflicting) == 0 and len(merged.new) == 0
    assert col.note_count() == ho_build.counts["notes"]
    # Anki's merge rewrites the Basic notes, dating them to the import, so their new
    # content only arrives with "Update notes: Always" (what students are told to use
    # for a release that changes a note type's fields).
    assert len(merged.updated) == 0
    always = import_apkg(col, changed.apkg, tmp_path, merge_notetypes=True, update_notes=ALWAYS)
    assert len(always.updated) == basic_notes and len(always.conflicting) == 0
    assert {col.get_note(n).mod for n in col.find_notes(f"mid:{BASIC.id}")} == {T1}
    assert handout_notetype_names(col) == names
    col.close()


def test_changed_card_css_reaches_students(tmp_path):
    root = make_project(tmp_path / "project", FIXTURE)
    first = build(root, FIXTURE_DECK, {}, T0)
    css = root / "templates" / "cards" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.hk-test-marker { color: red; }\n", encoding="utf-8")
    second = build(root, FIXTURE_DECK, first.lock, T1)
    assert {k: e["mod"] for k, e in second.lock["notetypes"].items()} == {str(d.id): T1 for d in NOTETYPES}
    assert second.lock["notes"] == first.lock["notes"]
    col = new_collection(tmp_path / "col")
    import_apkg(col, first.apkg, tmp_path)
    log = import_apkg(col, second.apkg, tmp_path)
    assert len(log.updated) == 0
    assert ".hk-test-marker" in col.models.get(BASIC.id)["css"]
    col.close()


# ----- same input, same bytes ----------------------------------------------------


def test_same_content_and_lock_give_identical_bytes(fx_root, fx_build):
    assert build(fx_root, FIXTURE_DECK, {}, T0).apkg == fx_build.apkg
    archive = zipfile.ZipFile(io.BytesIO(fx_build.apkg))
    assert [i.filename for i in archive.infolist()][:2] == ["collection.anki2", "media"]
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_identical_bytes_in_another_process(fx_root, fx_build):
    """Another process has another hash seed: no set or dict order may leak into the bytes."""
    script = (
        "import hashlib, sys; from pathlib import Path; from handoutkit.content.library import load_library; "
        "from handoutkit.anki import build_deck; root = Path(sys.argv[1]); lib = load_library(root); "
        f"deck = next(d for d in lib.decks if d.id == {FIXTURE_DECK!r}); "
        "from handoutkit.make.pipeline import draw_figure; "
        f"print(hashlib.sha256(build_deck(deck, lib, {{}}, now={T0}, draw=draw_figure).apkg).hexdigest())"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", script, str(fx_root)]
    out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, check=True)
    assert out.stdout.strip() == hashlib.sha256(fx_build.apkg).hexdigest()


# ----- content the deck cannot use --------------------------------------------------


def build_edited_fixture(root: Path, old: str, new: str):
    make_project(root, FIXTURE)
    path = root / "handouts" / "deck-fixture.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return build(root, FIXTURE_DECK, {}, T0)


def test_a_cloze_card_without_a_numbered_deletion_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        build_edited_fixture(tmp_path, "{{c1::joint}} and gets worse with {{c2::rest::", "{{c0::joint}} and {{c0::")
    assert str(caught.value) == (
        "handouts/deck-fixture.yaml:110:11: cards[2].text: expected deletions numbered from c1 (like {{c1::answer}}), "
        "found none in card 'two-deletions'"
    )


def test_glossary_terms_that_give_one_card_id_are_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        build_edited_fixture(tmp_path, "term: Arthro-thing", "term: X ray (scan)")
    assert str(caught.value) == (
        "handouts/deck-fixture.yaml:81:5: glossary[1]: expected a deck id of its own, found 'glossary/x-ray-scan', "
        "also given to the entry at line 76; add an `id:` to one of them"
    )


def test_a_studied_item_without_a_label_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        build_edited_fixture(tmp_path, '"Ice: cools the joint for 15 minutes."', "Ice cools the joint.")
    assert str(caught.value) == (
        "handouts/deck-fixture.yaml:43:13: sections[1].blocks[1].bullets[0]: expected 'label: detail' (a list with "
        "study: items makes one card per item, asking for the detail), found 'Ice cools the joint.'"
    )


# ----- the lock file ------------------------------------------------------------


def test_lock_round_trips_and_is_empty_when_missing(tmp_path, fx_build):
    assert load_lock(tmp_path / "missing.lock.json") == {}
    path = tmp_path / "deck.lock.json"
    path.write_bytes(dump_lock(fx_build.lock))
    assert load_lock(path) == fx_build.lock
    assert dump_lock(load_lock(path)) == path.read_bytes()


def test_a_broken_lock_is_a_content_error_with_its_position(tmp_path):
    path = tmp_path / "deck.lock.json"
    path.write_text('{\n  "version": 1,\n<<<<<<< HEAD\n}\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_lock(path)
    assert str(caught.value).startswith(f"{path}:3:1: expected the deck lock the build writes, found invalid JSON")


def test_a_draft_topic_is_stamped_draft_in_the_deck_description_students_see(ho_col):
    decks = [ho_col.decks.get(d.id) for d in ho_col.decks.all_names_and_ids() if d.name.startswith("Rehabilitation")]
    assert decks
    for deck in decks:
        assert "DRAFT - not yet clinically reviewed:" in deck["desc"], deck["name"]
