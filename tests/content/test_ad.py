"""The autonomic dysreflexia topic, checked in the PDFs a reader gets.

AD is an emergency-first topic: the patient and SCI editions must open with the numbered
steps and the emergency number on page 1, fit one sheet, and cite their sources; the
professional editions must state the thresholds with units as the sources give them; the
wallet card must be two ID-1 sides. The topic is built alone in a copy of the project, so
another topic's state cannot hide a fault in this one (or cause one).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "autonomic-dysreflexia"
PLAIN = ("patient", "sci")
PAPERS = ("letter", "a4")
ID1_PT = (85.6 / 25.4 * 72, 54 / 25.4 * 72)
BUILT = ("patient", "sci", "clinician", "student", "wallet-card")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The AD topic's handouts and wallet card, built by the real CLI from a one-topic copy."""
    root = tmp_path_factory.mktemp("ad") / "project"
    root.mkdir()
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(ROOT / name, root / name)
    for name in ("brands", "templates"):
        shutil.copytree(ROOT / name, root / name)
    (root / "handouts").mkdir()
    shutil.copy(ROOT / "handouts" / f"{TOPIC}.yaml", root / "handouts")
    out = root / "dist"
    editions = [arg for edition in BUILT for arg in ("--edition", edition)]
    assert main(["build", "--root", str(root), "--out", str(out), "--topic", TOPIC, *editions]) == 0
    return out / "handouts" / TOPIC


def pdf(folder: Path, edition: str, paper: str) -> Path:
    return folder / f"{TOPIC}--{edition}--{paper}.pdf"


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [" ".join(page.get_text().split()) for page in doc]


RUNNING_LINES = re.compile(
    r"^(•$|\d+\.$|DRAFT - |SAMPLE - |CHANGED SINCE REVIEW|Autonomic dysreflexia · |edition, large print$|"
    r"Page \d+ of \d+$|For (learning|education)[ .])"
)


def flowing_text(path: Path) -> str:
    """The whole PDF as one line without the stamps and running footers, which pdf text puts
    between the words of a sentence that runs on to the next page."""
    with pymupdf.open(path) as doc:
        lines = [line.strip() for page in doc for line in page.get_text().splitlines()]
    return " ".join(" ".join(line for line in lines if line and not RUNNING_LINES.match(line)).split())


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_page_one_opens_with_the_numbered_steps_in_the_guideline_order(built, edition, paper):
    first = page_texts(pdf(built, edition, paper))[0]
    steps = first.index("What to do right now")
    your = "your " if edition == "sci" else "the "
    order = [
        first.index(s, steps)
        for s in (
            "Sit ",
            "Loosen tight clothes",
            f"Check {your}blood pressure about every 5 minutes",
            f"Empty {your}bladder",
            f"Call the emergency number if {your}top number is 150 or more",
            f"under 150, check {your}bowel",
            "skin",
        )
    ]
    assert order == sorted(order), order  # blood pressure before the bladder, the 150 branch before the bowel
    with pymupdf.open(pdf(built, edition, paper)) as doc:  # numbered: an ordered list of seven steps
        assert [m for m in doc[0].get_text().split() if m in {f"{n}." for n in range(1, 8)}][:7] == [
            f"{n}." for n in range(1, 8)
        ]
    assert "Emergency number: 911" in first
    assert steps < first.index("What it is") if "What it is" in first else True


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_plain_editions_fit_one_double_sided_sheet(built, edition, paper):
    with pymupdf.open(pdf(built, edition, paper)) as doc:
        assert doc.page_count <= 2


@pytest.mark.parametrize("edition", PLAIN)
def test_plain_editions_empty_the_bladder_and_tell_staff_about_erection_drugs(built, edition):
    text = flowing_text(pdf(built, edition, "letter"))
    # the bladder is emptied, not only looked at: a catheter changed or passed, with jelly, and no pressing on it
    assert "catheter (urine tube)" in text and "No urine in 2 to 3 minutes? Change it." in text
    assert "None in? Put one in." in text and "Use numbing jelly." in text and "press on" in text
    assert "I took Viagra, Cialis or a drug like them in the last 2 days." in text
    assert "more than 20 points above" in text and "20 to 40" not in text
    assert "plan the birth early" in text  # the plain line on pregnancy
    assert "chest pain, a fit, or trouble seeing or breathing" in text  # severe features: the emergency number at once
    assert "within a few days" not in text  # recurrent AD is not left for days
    assert "do the steps again" in text and "go to the emergency room" in text  # recurrent AD the same day
    assert "AD drug if" in text  # the person's own prescribed AD medicine
    assert "drop too low" in text and "raise" in text and "legs" in text  # low blood pressure after, and what to do
    assert "wait 5 minutes" in text.lower() and "Stop if signs get worse" in text  # the bowel check with jelly
    assert "below the injury" in text and "most often" in text  # skin signs placed; T6 usual, not absolute


def test_the_carer_is_told_what_to_do_and_the_sci_reader_is_spoken_to(built):
    patient = " ".join(page_texts(pdf(built, "patient", "letter")))
    sci = " ".join(page_texts(pdf(built, "sci", "letter")))
    assert "Sit them up, legs down, until blood pressure is normal." in patient
    assert "Sit up, legs down, until your blood pressure is normal." in sci


def test_sources_have_urls_and_access_dates_and_the_2020_guideline_is_cited(built):
    topic = load_library(ROOT).topics[TOPIC]
    assert all(source.url and source.url.startswith("http") for source in topic.sources)
    assert topic.review.status == "draft"
    clinician = " ".join(page_texts(pdf(built, "clinician", "a4")))
    assert "Preventing the Highs and Lows" in clinician and "Accessed 5 December 2026" in clinician


@pytest.mark.parametrize("edition", ["clinician", "student"])
def test_professional_editions_give_the_order_the_nitrate_warning_and_pregnancy(built, edition):
    text = flowing_text(pdf(built, edition, "letter"))
    steps = text[text.index("Acute management, in order") :]
    order = [
        steps.index(s)
        for s in (
            "Check the blood pressure",
            "every 1 to 2 minutes",
            "Empty the bladder",
            "150 mmHg or more",
            "Then the bowel",
            "other causes",
        )
    ]
    assert order == sorted(order), order  # the drug branch at 150 mmHg comes before the bowel check
    assert "catheterise" in steps and "lidocaine jelly" in steps and "replace a blocked catheter" in steps
    assert "Do not press on the bladder" in steps
    assert "wait about 5 minutes" in steps and "Stop if AD gets worse" in steps  # the bowel check's safety
    assert (
        "No nitrate if sildenafil or vardenafil was taken in the last 24 hours, or tadalafil in the last 48 hours"
        in text
    )
    assert "sildenafil (Viagra) or vardenafil (Levitra), or within 48 hours of tadalafil (Cialis)" in text
    assert "watch for low blood pressure" in text and "lay the person down and raise the legs" in text
    assert "in children a rise of 15 mmHg" in text  # the adult thresholds are said to be adult ones
    assert "pre-eclampsia" in text and "epidural or spinal anaesthesia from the onset of labour" in text
    assert "more than 20 mmHg above the usual baseline points to AD, with or without symptoms" in text
    assert "beta-blocker" not in text and "last resort" not in text
    assert "at least 2 hours" in text and "splanchnic" in text
    assert "sit the person up at once" in text and "Sit them up" not in text  # a clinician's voice


def test_student_edition_has_objectives_first_and_a_self_check(built):
    text = " ".join(page_texts(pdf(built, "student", "letter")))
    assert "Learning objectives" in text and "Self-check" in text
    assert text.index("Acute management, in order") < text.index("Learning objectives") < text.index("What it is")
    assert "Why does a lesion below T6 less often cause AD?" in text


def test_wallet_card_tells_a_bystander_to_call_and_never_contradicts_itself(built):
    path = built / f"{TOPIC}--wallet-card--id-1.pdf"
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2
        for page in doc:
            assert (round(page.rect.width, 1), round(page.rect.height, 1)) == tuple(round(v, 1) for v in ID1_PT)
    front, back = page_texts(path)
    assert "I may have autonomic dysreflexia (AD)" in front and "call the emergency number" in front.lower()
    for label in ("Name and emergency contact:", "My level of injury:", "My normal blood pressure:", "My AD medicine:"):
        assert label in front
    nitrate = "No nitrates 24 h after Viagra or Levitra, 48 h after Cialis."
    assert nitrate in front and nitrate in back  # one named fact, the same words on both sides
    assert "about every 5 minutes" in front and "every 1 to 2 minutes" in back and "Staff check" in back
    assert "every 1 to 2 minutes" not in front and "every 5 minutes" not in back
    assert "Empty my bladder" in front and "Bladder first, lidocaine jelly: catheterise" in back
    assert "Don't press on bladder" in back
    assert "150 mmHg or more: treat before bowel check" in back
    assert "Watch me 2 h. Low BP: remove nitrate, lie me flat, legs up." in back
    assert "consider admission" in back and "pre-eclampsia" in back
    assert "Full guideline: Consortium for Spinal Cord Medicine, pva.org." in back
    assert front.index("Sit me up") < front.index("Check my blood pressure") < front.index("Empty my bladder")


def test_every_card_cites_a_source_and_names_a_shown_section():
    topic = load_library(ROOT).topics[TOPIC]
    sections = {section.id for section in topic.sections}
    ids = [card.id for card in topic.cards]
    assert len(ids) == len(set(ids)) >= 25
    assert all(card.cites and card.section in sections for card in topic.cards)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_the_two_hour_watch_is_on_page_1_where_the_episode_ends(built, edition, paper):
    # m8 (patient-education review): "keep watching for 2 hours" sat in a sidebar on page 2; the
    # help box's same-day tier, on page 1, now says it after the signs went away.
    first = page_texts(pdf(built, edition, paper))[0]
    assert "The signs went away with the steps." in first
    assert "Tell them the signs and what you did. Watch for 2 hours." in first
