"""Tools a reader acts with (issue 21.3) and large print that works on page 1 (issue 21.4), in the built PDFs.

The AD plain editions picture the first action and where T6 is (tagged figures with alt text) and
carry a write-in box for the reader's own numbers; the HO SCI editions print a joint log with ruled
rows; the AD urgent heading, step 1 and the emergency number are on page 1 of every plain edition
and paper; HO's large-print page 1 is not half empty; every large-print edition keeps its budget.
Words come from the PDF's text; blanks and ruled rows, which have no text, from its drawings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.content.model import SPINE_LEVELS, Figure, Steps
from handoutkit.editions.select import text_of, view_of
from handoutkit.pdf.diagram import draw_diagram, spine_levels

ROOT = Path(__file__).resolve().parents[2]
AD, HO = "autonomic-dysreflexia", "heterotopic-ossification"
PLAIN = ("patient", "patient-large-print", "sci", "sci-large-print")
PAPERS = ("letter", "a4")
RULE = 2.5  # a drawn rule is thinner than this (pt); a table cell's frame or a blank's line


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every plain edition of both topics, on both papers, built from the project's own files."""
    root = tmp_path_factory.mktemp("reader-tools") / "project"
    root.mkdir()
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(ROOT / name, root / name)
    for name in ("brands", "templates", "handouts"):
        shutil.copytree(ROOT / name, root / name)
    editions = [arg for edition in PLAIN for arg in ("--edition", edition)]
    assert (
        main(["build", "--root", str(root), "--out", str(root / "dist"), "--topic", AD, "--topic", HO, *editions]) == 0
    )
    return root


def pdf_path(root: Path, topic: str, edition: str, paper: str) -> Path:
    return root / "dist" / "handouts" / topic / f"{topic}--{edition}--{paper}.pdf"


def words(page: pymupdf.Page) -> str:
    return " ".join(page.get_text().split())


def figure_alts(path: Path) -> list[str]:
    """The /Alt of every /Figure in the PDF's structure tree (what a screen reader says)."""
    alts = []

    def visit(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                visit(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == "/Figure":
                alts.append(str(node.get("/Alt", "")).strip())
            if "/K" in node:
                visit(node.K)

    with pikepdf.open(path) as pdf:
        visit(pdf.Root.StructTreeRoot.K)
    return alts


def rules_below(page: pymupdf.Page, top: float, left: float, right: float, depth: float) -> list[float]:
    """The heights of the thin horizontal rules drawn under `top` (within `depth`) that reach into [left, right]."""
    heights = set()
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] == "re":
                rect = item[1]
            elif item[0] == "l":
                rect = pymupdf.Rect(item[1], item[2])
            else:
                continue
            if (
                top < rect.y0 < top + depth
                and rect.height < RULE
                and rect.width > 15
                and rect.x1 > left
                and rect.x0 < right
            ):
                heights.add(round(rect.y0))
    return sorted(heights)


def body_fill(page: pymupdf.Page) -> float:
    """How far down the page's body the lowest line of text reaches: 0 at the top of the body, 1 at the footer."""
    blocks = [b for b in page.get_text("blocks") if b[4].strip()]
    footer = min(b[1] for b in blocks if re.search(r"Page \d+ of \d+", b[4]))
    header = max(b[3] for b in blocks if b[4].startswith("DRAFT"))
    lowest = max(b[3] for b in blocks if header < b[1] and b[3] < footer)
    return (lowest - header) / (footer - header)


# ----- pictures that teach the action -----------------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_ad_plain_editions_picture_sitting_up_and_where_t6_is_with_alt_text(built, edition, paper):
    alts = figure_alts(pdf_path(built, AD, edition, paper))
    figures = {f.id: f for f in load_library(built).topics[AD].figures}
    audience = "sci" if edition.startswith("sci") else "patient"
    expected = {
        figures[name].alt if isinstance(figures[name].alt, str) else figures[name].alt.for_audience(audience)
        for name in ("sit-up-legs-down", "where-t6-is")
    }
    assert expected <= set(alts) and all(alts), alts


BODY_FILL = (0xE9 / 255, 0xED / 255, 0xF1 / 255)  # the drawn body's fill (diagram.FILL)


@pytest.mark.parametrize("edition", ["patient", "sci-large-print"])
def test_the_sitting_up_picture_stands_beside_step_1_inside_the_urgent_box(built, edition):
    with pymupdf.open(pdf_path(built, AD, edition, "letter")) as doc:
        page = doc[0]
        # Step 1's own words (the picture's caption, "Sit up, legs down.", says it more briefly).
        step = page.search_for("Sit up, legs down, until" if edition.startswith("sci") else "Sit them up,")[0]
        body = [
            d["rect"]
            for d in page.get_drawings()
            if d.get("fill") and all(abs(a - b) < 0.01 for a, b in zip(d["fill"], BODY_FILL))
        ]
    assert body, "no drawn person on page 1"
    picture = body[0]
    for rect in body[1:]:
        picture |= rect
    assert picture.x0 > step.x1 and picture.y0 < step.y1 + 20 and picture.y1 > step.y0  # at the right of step 1


def test_a_spine_level_figure_needs_its_level_and_draws_it():
    with pytest.raises(ValueError, match="level"):
        Figure(id="where", diagram="spine-level", alt="A spine")
    with pytest.raises(ValueError, match="level"):
        Figure(id="sit", diagram="sitting-up", alt="A person", level="T6")
    figure = Figure(id="where", diagram="spine-level", level="T4", alt="The back, T4 marked")
    svg = str(draw_diagram(figure, figure.alt))
    assert "<title>The back, T4 marked</title>" in svg and ">T4</text>" in svg
    assert tuple(spine_levels()) == SPINE_LEVELS  # the model accepts exactly the levels the drawing can mark


# ----- the reader's own numbers: a write-in box ---------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_ad_plain_editions_have_a_write_in_box_with_blank_lines_for_the_readers_numbers(built, edition, paper):
    own = "My" if edition.startswith("sci") else "Their"
    with pymupdf.open(pdf_path(built, AD, edition, paper)) as doc:
        page = next(p for p in doc if f"{own} normal top number:" in words(p))
        label = page.search_for(f"{own} normal top number:")[0]
        act = page.search_for("top number is over")[0]  # "more than 20 points": over normal plus 20, not "or more"
        text = words(page)
        # A ruled blank right after each label, on its line: where the reader writes the number.
        for words_before in (label, act):
            blank = [
                d["rect"]
                for d in page.get_drawings()
                if d["rect"].x0 >= words_before.x1 - 1
                and d["rect"].width > 40
                and d["rect"].x0 < words_before.x1 + 20
                and abs(d["rect"].y1 - words_before.y1) < 8
            ]
            assert blank, f"no line to write on after {words_before} on page {page.number + 1}"
    assert f"{own} numbers" in text and "plus 20" in text and "___" not in text


# ----- the HO joint log ---------------------------------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", ["sci", "sci-large-print"])
def test_ho_sci_editions_print_a_joint_log_with_headings_over_ruled_rows(built, edition, paper):
    with pymupdf.open(pdf_path(built, HO, edition, paper)) as doc:
        page = next(p for p in doc if "My joint log" in words(p))
        log = page.search_for("How far it moves")[0]
        # The four headings side by side in one row (each word may also stand elsewhere on the page).
        headings = [
            h
            for h in ("Date", "Joint", "Same or less?")
            if any(abs(hit.y1 - log.y1) < 30 for hit in page.search_for(h))
        ]
        rules = rules_below(page, log.y1 - 2, log.x0, log.x1, 200)
    assert headings == ["Date", "Joint", "Same or less?"]
    assert len(rules) >= 3, rules  # a rule under each empty row (3 rows to write in)


@pytest.mark.parametrize("edition", ["patient", "patient-large-print"])
def test_ho_patient_editions_have_no_joint_log(built, edition):
    with pymupdf.open(pdf_path(built, HO, edition, "letter")) as doc:
        assert not any("My joint log" in words(page) for page in doc)


# ----- page 1 ------------------------------------------------------------------------------------


def urgent_steps(root: Path, edition: str) -> list[str]:
    """The urgent section's steps as the edition's audience reads them (the wording is the content's)."""
    library = load_library(root)
    audience = next(e.audience for e in library.editions if e.id == edition)
    section = next(s for s in view_of(library, AD, audience).sections if s.urgent)
    steps = next(b for b in section.blocks if isinstance(b, Steps))
    return [" ".join(text_of(step).split()) for step in steps.steps]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_ad_urgent_heading_step_1_and_the_emergency_number_are_on_page_1(built, edition, paper):
    brand_number = load_library(built).brand.emergency_number
    steps = urgent_steps(built, edition)
    with pymupdf.open(pdf_path(built, AD, edition, paper)) as doc:
        first = words(doc[0])
    assert "What to do right now" in first and f"Emergency number: {brand_number}" in first
    assert steps[0] in first
    if "large-print" in edition:  # 18 pt: step 2 too, so step 1 is not alone at the foot of the page
        assert steps[1] in first


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", ["patient-large-print", "sci-large-print"])
def test_large_print_page_1_and_the_page_after_the_urgent_box_are_not_half_empty(built, edition, paper):
    with pymupdf.open(pdf_path(built, HO, edition, paper)) as doc:
        assert body_fill(doc[0]) > 0.7, "HO large print: page 1 half blank (the help box went to page 2)"
    last_step = urgent_steps(built, edition)[-1]
    with pymupdf.open(pdf_path(built, AD, edition, paper)) as doc:
        assert body_fill(doc[0]) > 0.8
        # The page where the urgent box ends goes on with what follows it, not a blank half page.
        end = next(p for p in doc if last_step in words(p))
        assert body_fill(end) > 0.6


@pytest.mark.parametrize("topic", [AD, HO])
@pytest.mark.parametrize("edition", PLAIN)
def test_every_plain_edition_keeps_its_page_budget(built, topic, edition):
    budget = next(e.page_budget for e in load_library(built).editions if e.id == edition)
    for paper in PAPERS:
        with pymupdf.open(pdf_path(built, topic, edition, paper)) as doc:
            assert len(doc) <= budget, (paper, len(doc))


# ----- what a PEMAT-P and CDC rating of the plain editions found missing (issue 21) ---------------


def figure_captions(root: Path, topic: str, audience: str) -> list[str]:
    """The caption of every figure the audience's editions print (PEMAT-P item 17: every visual has one)."""
    figures = view_of(load_library(root), topic, audience).figures
    return [" ".join(text_of(f.caption).split()) if f.caption else "" for f in figures]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_every_picture_of_a_plain_edition_prints_a_caption(built, edition, paper):
    audience = "sci" if edition.startswith("sci") else "patient"
    with pymupdf.open(pdf_path(built, AD, edition, paper)) as doc:
        first = words(doc[0])
    assert "Sit up, legs down." in first  # the sitting-up picture, beside step 1 inside the urgent box
    for topic in (AD, HO):
        captions = figure_captions(built, topic, audience)
        assert captions and all(captions), (topic, captions)
        with pymupdf.open(pdf_path(built, topic, edition, paper)) as doc:
            text = " ".join(words(page) for page in doc)
        for caption in captions:
            assert caption.split(".")[0] in text, caption


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_ad_plain_editions_say_what_doctors_know_and_do_not_know(built, edition, paper):
    # CDC index item 11: the steps are known to work; which drug is best is not.
    with pymupdf.open(pdf_path(built, AD, edition, paper)) as doc:
        text = " ".join(words(page) for page in doc)
    assert "Doctors know that when you do the numbered steps, most AD stops." in text
    assert "They do not know for sure which AD drug works best." in text


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", ["sci", "sci-large-print"])
def test_the_joint_log_says_how_to_fill_it_in(built, edition, paper):
    # PEMAT-P item 25: a table the reader acts with says how to use it.
    with pymupdf.open(pdf_path(built, HO, edition, paper)) as doc:
        page = next(p for p in doc if "My joint log" in words(p))
        assert "Each month, fill in one row per joint." in words(page)


@pytest.mark.parametrize("edition", ["patient", "patient-large-print"])
def test_ho_words_to_know_print_on_both_papers_alike(built, edition):
    # A clinic printing Letter got no glossary where A4 had one (the fit dropped it on one paper only).
    found = []
    for paper in PAPERS:
        with pymupdf.open(pdf_path(built, HO, edition, paper)) as doc:
            text = " ".join(words(page) for page in doc)
        found.append(("Words to know" in text, "How far a joint can bend and move." in text))
    assert found == [(True, True), (True, True)], found


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("edition", PLAIN)
def test_the_within_days_tier_does_not_say_the_next_visit_will_do(built, edition, paper):
    # M9: "within a few days, or at your next visit" let a fast-growing lump wait for months.
    with pymupdf.open(pdf_path(built, HO, edition, paper)) as doc:
        text = " ".join(words(page) for page in doc)
    assert "Tell them within a few days. Don't wait for your next visit." in text
    assert "or at your next visit" not in text


def icon_array_width(path: Path) -> float:
    """The width of HO's ten-person risk picture: the drawn shapes just above its caption."""
    with pymupdf.open(path) as doc:
        page = next(p for p in doc if "Of 10 people" in p.get_text())
        caption = page.search_for("Of 10 people")[0]
        shapes = [
            d["rect"]
            for d in page.get_drawings()
            if caption.y0 - 150 < d["rect"].y0 and d["rect"].y1 <= caption.y0 + 2 and d["rect"].width < 60
        ]
    assert shapes, path.name
    box = shapes[0]
    for shape in shapes[1:]:
        box |= shape
    return box.width


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("audience", ["patient", "sci"])
def test_the_risk_picture_is_not_smaller_in_large_print(built, audience, paper):
    # Patient-education review, large print: the icon array was 201 pt wide in large print, 238 in standard.
    standard = icon_array_width(pdf_path(built, HO, audience, paper))
    large = icon_array_width(pdf_path(built, HO, f"{audience}-large-print", paper))
    assert large >= standard * 1.2, (standard, large)
