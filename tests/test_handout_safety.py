"""Handouts safe to hand to a patient: measured in the real PDFs (PyMuPDF spans), not in the CSS.

The SAMPLE and DRAFT marks on every page, the clinic's and the emergency number in the
help box, its tiers in order and near the front, type sizes in large print, margins for
home printers, --release, honest PEMAT/CDC counts and the review sheet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.editions.select import view_of
from handoutkit.pdf import HandoutRenderer
from handoutkit.quality.pemat import CDC_INDEX, PEMAT_ACTIONABILITY, PEMAT_UNDERSTANDABILITY

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "heterotopic-ossification"
SPRAIN = Path(__file__).parent / "fixtures" / "quality"
EDGE_PT = 36 - 0.05  # 0.5 in, what home printers leave blank (less PyMuPDF's rounding of a bbox)
LARGE_PT = 18
REAL_BRAND = 'name: Riverside Rehabilitation Clinic\nphone: 555-0134\nemergency_number: "999"\n'
EMERGENCY_FLAG = """  - id: chest-pain
    urgency: emergency
    sign: You have chest pain or trouble breathing.
    action: This could be a clot in your lungs.
    cites: [{source: src, quote: "Chest pain or breathlessness can mean a clot in the lungs."}]
  - id: stiff
    urgency: soon
    sign: Your ankle stays stiff for weeks.
    action: It may need more exercises.
    cites: [{source: src, quote: "Stiffness that lasts for weeks may need more exercises."}]
"""


def spans(path: Path):
    """(page number, page rect, span) for every text span in the PDF."""
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, start=1):
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if span["text"].strip():
                            yield number, page.rect, span


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [" ".join(page.get_text().split()) for page in doc]


@pytest.fixture(scope="module")
def repo_pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every edition of the HO topic on both papers, rendered from the repository with its sample brand."""
    library, renderer = load_library(ROOT), HandoutRenderer(ROOT)
    folder, found = tmp_path_factory.mktemp("safety"), {}
    for edition in (e for e in library.editions if e.format == "handout"):
        for paper in edition.papers:
            data = renderer.render_pdf(
                view_of(library, TOPIC, edition.audience),
                edition,
                paper,
                library.brand,
                topic_dir=library.topic_path(TOPIC).parent,
                brand_dir=library.brand_path.parent,
            )
            found[edition.id, paper] = folder / f"{edition.id}-{paper}.pdf"
            found[edition.id, paper].write_bytes(data)
    return found


def sprain_project(
    tmp_path: Path, flags: str = EMERGENCY_FLAG, brand: str | None = None, review: str | None = None
) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SPRAIN, root)
    shutil.copytree(ROOT / "templates", root / "templates")
    topic = root / "handouts" / "sprain.yaml"
    text = topic.read_text().replace("questions:\n", flags + "questions:\n", 1)
    if review:
        text = text[: text.index("review:\n")] + review
    topic.write_text(text)
    if brand:
        (root / "brands" / "default.yaml").write_text(brand)
    return root


def render_sprain(root: Path, tmp_path: Path) -> Path:
    library = load_library(root)
    edition = library.editions[0]
    data = HandoutRenderer(root).render_pdf(
        view_of(library, "sprain", edition.audience),
        edition,
        "letter",
        library.brand,
        topic_dir=root / "handouts",
        brand_dir=library.brand_path.parent,
    )
    path = tmp_path / "sprain.pdf"
    path.write_bytes(data)
    return path


# ----- marks on every page ------------------------------------------------------


def test_the_sample_brand_and_the_draft_are_marked_on_every_page_of_every_edition(repo_pdfs):
    for key, path in repo_pdfs.items():
        for number, text in enumerate(page_texts(path), start=1):
            assert "SAMPLE - add your clinic's details in brands/" in text, (key, number)
            assert "DRAFT - not yet clinically reviewed" in text, (key, number)
            assert "Reviewed 2" not in text and "Reviewed by" not in text, (key, number)


def approve(root: Path, reviewer: str, day: str, monkeypatch) -> None:
    monkeypatch.setenv("HANDOUTKIT_TODAY", day)
    assert main(["approve", "sprain", "--root", str(root), "--reviewer", reviewer]) == 0
    monkeypatch.delenv("HANDOUTKIT_TODAY")


def test_a_real_brand_and_an_approved_topic_print_no_marks_and_name_the_reviewer(tmp_path, monkeypatch):
    root = sprain_project(tmp_path, brand=REAL_BRAND)
    approve(root, "Dr Ana Ortiz, PM&R", "2026-11-20", monkeypatch)
    pdf = render_sprain(root, tmp_path)
    for text in page_texts(pdf):
        assert "SAMPLE" not in text and "DRAFT" not in text
        assert "Reviewed by Dr Ana Ortiz, PM&R, 20 November 2026" in text


def test_the_help_box_has_the_tiers_in_order_each_with_its_number(tmp_path):
    pdf = render_sprain(sprain_project(tmp_path, brand=REAL_BRAND), tmp_path)
    text = " ".join(page_texts(pdf))
    box = text[text.index("When to get help") :]
    headings = ["Call 999 now if…", "Call your care team today if…", "Tell your care team within a few days if…"]
    positions = [box.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Call 999 now. This is an emergency." in box
    assert "Call 555-0134 today." in box and "Your care team: Riverside Rehabilitation Clinic, 555-0134" in box
    assert (
        box.index("chest pain")
        < box.index(headings[1])
        < box.index("any weight")
        < box.index(headings[2])
        < box.index("stays stiff")
    )


def test_a_tier_with_no_flags_is_not_shown(tmp_path):
    pdf = render_sprain(sprain_project(tmp_path, flags=""), tmp_path)
    text = " ".join(page_texts(pdf))
    assert "Call your care team today if…" in text
    assert "now if…" not in text and "within a few days if…" not in text


def test_patient_editions_show_the_help_box_on_page_1_or_top_of_page_2_and_large_print_within_3(repo_pdfs):
    for (edition, paper), path in repo_pdfs.items():
        if edition.startswith(("patient", "sci")):
            pages = page_texts(path)
            first = next(i for i, t in enumerate(pages, start=1) if "When to get help" in t)
            if "large-print" in edition:
                assert first <= 3, (edition, paper)
                whole = pages[first - 1]
                assert any(
                    t in whole for t in ("now if…", "today if…", "within a few days if…")
                )  # the box may continue between tiers
            else:
                assert first == 1 or pages[1].index("When to get help") < 300, (edition, paper, first)


# ----- type sizes and margins, measured ---------------------------------------------


def test_large_print_is_18_pt_or_more_everywhere_with_no_italics(repo_pdfs):
    for (edition, paper), path in repo_pdfs.items():
        if "large-print" in edition:
            small = [(n, round(s["size"], 1), s["text"]) for n, _, s in spans(path) if s["size"] < LARGE_PT - 0.05]
            italic = [(n, s["text"]) for n, _, s in spans(path) if s["flags"] & pymupdf.TEXT_FONT_ITALIC]
            assert not small, (edition, paper, small[:5])
            assert not italic, (edition, paper, italic[:5])


def test_no_text_within_half_an_inch_of_any_paper_edge(repo_pdfs):
    for key, path in repo_pdfs.items():
        for number, rect, span in spans(path):
            x0, y0, x1, y1 = span["bbox"]
            nearest = min(x0, y0, rect.width - x1, rect.height - y1)
            assert nearest >= EDGE_PT, (key, number, round(nearest, 1), span["text"])


def test_large_print_footer_is_one_or_two_lines(repo_pdfs):
    for (edition, paper), path in repo_pdfs.items():
        if "large-print" in edition:
            with pymupdf.open(path) as doc:
                page = doc[0]
                bottom = page.rect.height - 1.4 * 72  # the large-print bottom margin
                lines = {round(s["bbox"][1]) for n, _, s in spans(path) if n == 1 and s["bbox"][1] > bottom}
            assert 1 <= len(lines) <= 2, (edition, paper, lines)


def test_ipa_only_in_professional_editions(repo_pdfs):
    ipa = "IPA: /"
    assert ipa not in " ".join(page_texts(repo_pdfs["patient", "letter"]))
    assert ipa not in " ".join(page_texts(repo_pdfs["sci", "letter"]))
    assert ipa in " ".join(page_texts(repo_pdfs["clinician", "letter"]))


# ----- release, scores, review sheet -------------------------------------------------


def test_release_refuses_the_sample_brand_and_a_draft(tmp_path, capsys):
    root = sprain_project(tmp_path)
    (root / "brands" / "default.yaml").write_text("sample: true\n" + REAL_BRAND)
    assert main(["check", "--root", str(root), "--release"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "brands/default.yaml:1:9: sample: expected a real clinic for a release, found a sample brand; copy it, "
        "fill in your clinic's details, delete `sample: true`, build with --brand",
        "handouts/sprain.yaml:62:11: review.status: expected an approved topic for a release, found status 'draft'; "
        "a named clinician approves it with 'build.py approve sprain --reviewer NAME' after reading "
        "'build.py review-sheet sprain --clinical'",
    ]
    assert main(["build", "--root", str(root), "--release", "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_release_refuses_placeholder_clinic_details(tmp_path, capsys):
    root = sprain_project(tmp_path, brand='name: Your clinic name\nphone: 555-0100\nemergency_number: "911"\n')
    assert main(["check", "--root", str(root), "--release"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "brands/default.yaml:1:7: name: expected your clinic's real name for a release, "
        "found placeholder text 'Your clinic name'"
    )


def test_release_builds_an_approved_topic_with_a_real_brand(tmp_path, monkeypatch):
    root = sprain_project(tmp_path, brand=REAL_BRAND)
    approve(root, "Dr Ana Ortiz", "2026-11-20", monkeypatch)
    assert main(["build", "--root", str(root), "--release", "--out", str(tmp_path / "out")]) == 0


def test_the_report_says_how_many_items_were_checked_not_a_percentage_of_everything(capsys):
    root = SPRAIN
    assert main(["report", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "PEMAT-P U" in out and "checked of 17" in out and "checked of 7" in out and "checked of 20" in out
    assert "100%" not in out


def test_the_instruments_list_every_item_of_the_print_versions():
    assert [i.number for i in PEMAT_UNDERSTANDABILITY] == [*range(1, 13), *range(15, 20)]
    assert [i.number for i in PEMAT_ACTIONABILITY] == list(range(20, 27))
    assert [i.number for i in CDC_INDEX] == list(range(1, 21))


def test_explicit_steps_need_steps_addressed_to_the_reader(tmp_path, capsys):
    root = sprain_project(tmp_path)
    topic = root / "handouts" / "sprain.yaml"
    topic.write_text(topic.read_text().replace("Rest your foot for a day or two.", "A day or two of rest."))
    assert main(["check", "--root", str(root)]) == 1  # the sprain has no other tool to act on: below the floor
    assert "not met: item 22 (actions broken into explicit steps)" in capsys.readouterr().err
    main(["report", "--root", str(root)])
    assert "3/5 checked of 7" in capsys.readouterr().out


def test_review_sheet_lists_every_item_with_blanks(tmp_path):
    out = tmp_path / "out"
    assert main(["review-sheet", "sprain", "--root", str(sprain_project(tmp_path)), "--out", str(out)]) == 0
    text = " ".join(page_texts(out / "review-sheets" / "sprain.pdf"))
    for name in ("PEMAT-P understandability", "PEMAT-P actionability", "CDC Clear Communication Index"):
        assert f"{name}: program" in text
    assert "nothing distracts from the purpose" in text and "for a person" in text
    assert "probabilities explained in words or a visual" in text


def test_review_sheet_of_an_unknown_topic_is_a_usage_error(capsys):
    assert main(["review-sheet", "nope", "--root", str(SPRAIN)]) == 2
    assert capsys.readouterr().err.strip() == "build.py: error: unknown topic 'nope'; expected one of sprain"


def test_a_glossary_term_the_edition_never_uses_is_left_out_with_a_warning(tmp_path, capsys):
    root = sprain_project(tmp_path)
    topic = root / "handouts" / "sprain.yaml"
    topic.write_text(
        topic.read_text().replace(
            "figures:\n",
            "glossary:\n  - {term: ligament, respelling: LIG-uh-ment, meaning: A band that holds bones., cites: [src]}\nfigures:\n",
            1,
        )
    )
    assert main(["check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert (
        "glossary[0].term: patient: 'ligament' is not used in this edition's text, so it is left out of its glossary [plain_words, warning]"
        in err
    )
    assert "ligament" not in " ".join(page_texts(render_sprain(root, tmp_path)))


def test_an_action_that_contradicts_its_tier_is_a_warning(tmp_path, capsys):
    flags = EMERGENCY_FLAG.replace("It may need more exercises.", "Call your team right away.")
    assert main(["check", "--root", str(sprain_project(tmp_path, flags=flags))]) == 0
    assert (
        "the action says 'right away', but urgency 'soon' tells the reader to tell the care team within "
        "a few days; reword the action or change the urgency [help_tiers, warning]"
    ) in capsys.readouterr().err


def test_a_risk_is_shown_as_a_picture_of_people_with_its_words(repo_pdfs):
    import pikepdf

    with pikepdf.open(repo_pdfs["sci", "letter"]) as pdf:
        alts = [str(e.Alt) for e in pdf.objects if isinstance(e, pikepdf.Dictionary) and e.get("/S") == "/Figure"]
    assert "Ten people in a row. Two are filled in, one is half filled in, and seven are empty." in alts
    assert "Of 10 people with a spinal cord injury, 2 or 3 get HO. The other 7 or 8 do not." in " ".join(
        page_texts(repo_pdfs["sci", "letter"])
    )


def test_an_icon_array_that_does_not_add_up_is_a_content_error(tmp_path, capsys):
    root = sprain_project(tmp_path)
    topic = root / "handouts" / "sprain.yaml"
    topic.write_text(
        topic.read_text().replace(
            "figures:\n",
            """figures:
  - id: odds
    diagram: icon-array
    filled: 9
    possible: 3
    total: 10
    alt: People.
    cites: [src]
""",
            1,
        )
    )
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "handouts/sprain.yaml:47:5: figures[0]: expected filled + possible <= total, found 9 + 3 > 10"
    )


@pytest.mark.parametrize("edition_id", ["patient-large-print", "sci-large-print"])
def test_urgent_steps_and_the_emergency_number_start_on_page_1_in_large_print_too(tmp_path, edition_id):
    library, renderer = load_library(ROOT), HandoutRenderer(ROOT)
    edition = next(e for e in library.editions if e.id == edition_id)
    topic = next(t for t in library.topics.values() if any(s.urgent for s in t.sections))
    path = tmp_path / "urgent.pdf"
    path.write_bytes(
        renderer.render_pdf(
            view_of(library, topic.id, edition.audience),
            edition,
            "letter",
            library.brand,
            topic_dir=library.topic_path(topic.id).parent,
            brand_dir=library.brand_path.parent,
        )
    )
    first = page_texts(path)[0]
    urgent = next(s for s in view_of(library, topic.id, edition.audience).sections if s.urgent)
    assert urgent.title in first and f"Emergency number: {library.brand.emergency_number}" in first
    first_step = urgent.blocks[[type(b).__name__ for b in urgent.blocks].index("Steps")].steps[0]
    assert " ".join(str(getattr(first_step, "text", first_step)).split()[:4]) in first
