"""Teach-back questions: an optional list the model limits to professional editions (QUESTION_LISTS).

The field was added as the proof of one audience rule: the model declares it, the templates print it,
and selection, reading order, the evidence gates, the review sheet and the web page follow.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.claims import claims_of
from handoutkit.content.library import load_topic
from handoutkit.editions.prose import reading_order
from handoutkit.editions.select import select_edition

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
HEADING = "Teach-back: ask your patient to say it back"
TEACH_BACK = """teach_back:
  - What will you do first if the joint gets warm?
  - text: How often will you check the joint?
    cites: [src]
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.rmtree(root / "decks")
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text() + TEACH_BACK)
    return root


def loaded(root: Path):
    topic, _, problems = load_topic(root / "handouts" / "minimal.yaml", root)
    assert problems == []
    return topic


def pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


@pytest.mark.parametrize(("audience", "count"), [("clinician", 2), ("student", 2), ("patient", 0), ("sci", 0)])
def test_only_professionals_get_the_list(root, audience, count):
    topic = loaded(root)
    assert len(select_edition(topic, audience).teach_back) == count
    read = [p.text for p in reading_order(topic, audience) if p.loc[0] == "teach_back"]
    assert len(read) == count  # what the gates read is what the edition prints


def test_the_clinician_handout_and_page_print_it_and_the_patients_do_not(root, capsys):
    assert main(["build", "--root", str(root)]) == 0
    handouts, site = root / "dist" / "handouts" / "minimal", root / "dist" / "site" / "minimal"
    for paper in ("a4", "letter"):
        clinician = pdf_text(handouts / f"minimal--clinician--{paper}.pdf")
        assert HEADING in clinician and "How often will you check the joint?" in clinician
        assert "Teach-back" not in pdf_text(handouts / f"minimal--patient--{paper}.pdf")
    assert HEADING in (site / "clinician.html").read_text()
    assert "Teach-back" not in (site / "patient.html").read_text()


def test_its_claims_are_read_by_professionals_only_and_keep_their_place(root):
    claims = [c for c in claims_of(loaded(root)) if c.loc[0] == "teach_back"]
    assert [c.key for c in claims] == ["teach_back/0", "teach_back/1"]
    assert all(c.audiences == {"clinician", "student"} for c in claims)


def test_a_number_the_quote_does_not_hold_is_refused_where_it_stands(root, capsys):
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(
        topic.read_text().replace(
            "  - text: How often will you check the joint?\n    cites: [src]\n",
            "  - text: Will you check the joint every 7 days?\n"
            "    cites: [{source: src, quote: Check the joint often., where: page 1}]\n",
        )
    )
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().err.startswith(
        "handouts/minimal.yaml:24:11: teach_back[1].text: expected every number to stand in one of its quotes, "
        "found 7 not in its quotes (src)"
    )
