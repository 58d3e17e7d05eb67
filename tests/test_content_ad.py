"""The autonomic dysreflexia topic, checked in the PDFs a reader gets.

AD is an emergency-first topic: the patient and SCI editions must open with the numbered
steps and the emergency number on page 1, fit one sheet, and cite their sources; the
professional editions must state the thresholds with units as the sources give them; the
wallet card must be two ID-1 sides. The topic is built alone in a copy of the project, so
another topic's state cannot hide a fault in this one (or cause one).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_page_one_opens_with_the_numbered_steps_and_the_emergency_number(built, edition, paper):
    first = page_texts(pdf(built, edition, paper))[0]
    steps = first.index("What to do right now")
    order = [first.index(s) for s in ("Sit ", "Loosen or take off", "bladder:", "bowel", "skin",
                                        "check your blood pressure" if edition == "sci" else "check blood pressure",
                                        "Call the emergency number")]
    assert steps < order[0] and order == sorted(order)
    with pymupdf.open(pdf(built, edition, paper)) as doc:  # numbered: an ordered list of seven steps
        assert [m for m in doc[0].get_text().split() if m in {f"{n}." for n in range(1, 8)}][:7] == \
            [f"{n}." for n in range(1, 8)]
    assert "Emergency number: 911" in first
    assert "Call 911 now if" in first  # the emergency tier of the help box is on page 1 too
    assert steps < first.index("What it is")  # the urgent steps come before the explanation


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_plain_editions_fit_one_double_sided_sheet(built, edition, paper):
    with pymupdf.open(pdf(built, edition, paper)) as doc:
        assert doc.page_count <= 2


def test_the_carer_is_told_what_to_do_and_the_sci_reader_is_spoken_to(built):
    patient = " ".join(page_texts(pdf(built, "patient", "letter")))
    sci = " ".join(page_texts(pdf(built, "sci", "letter")))
    assert "Sit them up, and lower their legs if you can." in patient
    assert "Sit up, and lower your legs if you can." in sci
    assert "catheter (urine tube)" in patient and "catheter (urine tube)" in sci
    assert "20 to 40 mmHg (points)" in patient and "20 to 40 mmHg (points)" in sci


def test_sources_are_at_least_four_with_urls_and_access_dates(built):
    topic = load_library(ROOT).topics[TOPIC]
    assert len(topic.sources) >= 4
    assert all(source.url and source.url.startswith("http") for source in topic.sources)
    assert {str(source.accessed) for source in topic.sources} == {"2026-12-01"}
    assert topic.review.status == "draft"
    plain = " ".join(page_texts(pdf(built, "patient", "a4")))
    assert len({source.publisher for source in topic.sources if source.publisher in plain}) >= 4
    clinician = " ".join(page_texts(pdf(built, "clinician", "a4")))
    assert clinician.count("Accessed 1 December 2026") >= 4


def test_clinician_edition_gives_thresholds_with_units_and_the_sequence(built):
    text = " ".join(page_texts(pdf(built, "clinician", "letter")))
    assert "at or above T6" in text
    assert "more than 20 mmHg above the usual baseline" in text
    assert "about 100 mmHg" in text
    assert "stays at or above 150 mmHg" in text
    assert "every 1 to 2 minutes" in text
    assert "at least 2 hours" in text
    assert "splanchnic" in text
    assert "sit the person up at once" in text and "Sit them up" not in text  # a clinician's voice


def test_student_edition_has_objectives_first_and_a_self_check(built):
    text = " ".join(page_texts(pdf(built, "student", "letter")))
    assert "Learning objectives" in text and "Self-check" in text
    assert text.index("Acute management, in order") < text.index("Learning objectives") < text.index("What it is")
    assert "Why does a lesion below T6 rarely cause AD?" in text


def test_wallet_card_is_two_id1_sides_with_write_ins_signs_steps_and_staff_notes(built):
    path = built / f"{TOPIC}--wallet-card--id-1.pdf"
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2
        for page in doc:
            assert (round(page.rect.width, 1), round(page.rect.height, 1)) == tuple(round(v, 1) for v in ID1_PT)
    front, back = page_texts(path)
    assert "I may have autonomic dysreflexia (AD)" in front and "This is a medical emergency." in front
    for label in ("Name:", "My level of injury:", "My usual blood pressure:", "Emergency contact:"):
        assert label in front
    assert "Sit me up, lower my legs, loosen anything tight." in front
    assert "For emergency staff" in back and "more than 20 mmHg" in back and "150 mmHg" in back


def test_every_card_cites_a_source_and_names_a_shown_section():
    topic = load_library(ROOT).topics[TOPIC]
    sections = {section.id for section in topic.sections}
    ids = [card.id for card in topic.cards]
    assert len(ids) == len(set(ids)) >= 25
    assert all(card.cites and card.section in sections for card in topic.cards)
