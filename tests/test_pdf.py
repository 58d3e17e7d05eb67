"""The PDF handouts, checked on real PDFs of the real topic: text (pdftotext),
structure and fonts (pikepdf), sizes (pypdf), bytes.

Each PDF is rendered once per session and shared by the tests that read it.
"""

from __future__ import annotations

import collections
import io
import itertools
import logging
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pydyf
import pypdf
import pytest
import weasyprint.layout.block
from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes

from handoutkit.content.library import load_library
from handoutkit.content.model import Topic
from handoutkit.editions.select import select_edition
from handoutkit.errors import ContentError
from handoutkit.pdf import HandoutRenderer, RenderError, columns, deflate
from handoutkit.pdf.glyphs import HANDOUT_FAMILIES
from handoutkit.pdf.logs import weasyprint_logs_as_errors

ROOT = Path(__file__).resolve().parents[1]
TOPIC_ID = "heterotopic-ossification"
POINTS = {"letter": (612, 792), "a4": (595, 842)}
OUR_FONT_NAMES = {family.replace(" ", "-") for family in HANDOUT_FAMILIES}


@dataclass
class Rendered:
    path: Path
    data: bytes
    pages: int
    topic: Topic

    @property
    def text(self) -> str:
        """The PDF's text as pdftotext reads it, whitespace collapsed."""
        out = subprocess.run(["pdftotext", str(self.path), "-"], capture_output=True, text=True, check=True).stdout
        return " ".join(out.split())


@pytest.fixture(scope="session")
def library():
    return load_library(ROOT)


@pytest.fixture(scope="session")
def renderer() -> HandoutRenderer:
    return HandoutRenderer(ROOT)


@pytest.fixture(scope="session")
def render(library, renderer, tmp_path_factory):
    """render(edition_id, paper) -> Rendered, each rendered once per session."""
    folder, done = tmp_path_factory.mktemp("pdf"), {}

    def get(edition_id: str, paper: str = "letter") -> Rendered:
        if (edition_id, paper) not in done:
            edition = edition_by_id(library, edition_id)
            topic = select_edition(library.topics[TOPIC_ID], edition.audience)
            data, pages = renderer.render_pdf_pages(topic, edition, paper, library.brand, **dirs(library))
            path = folder / f"{edition_id}-{paper}.pdf"
            path.write_bytes(data)
            done[edition_id, paper] = Rendered(path, data, pages, topic)
        return done[edition_id, paper]

    return get


def edition_by_id(library, edition_id: str):
    return next(e for e in library.editions if e.id == edition_id)


def dirs(library) -> dict[str, Path]:
    return {"topic_dir": library.topic_path(TOPIC_ID).parent, "brand_dir": library.brand_path.parent}


def struct_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in tree (reading) order."""
    found = []

    def visit(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                visit(child)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") != "/OBJR" and "/S" in node:
            found.append(node)
            if "/K" in node:
                visit(node.K)

    visit(pdf.Root.StructTreeRoot.K)
    return found


def all_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"]


def character_sizes(path: Path) -> collections.Counter:
    """Characters drawn at each effective font size (points) inside the page body,
    leaving out the running header and footer in the top and bottom inch."""
    sizes = collections.Counter()

    def visit(text, cm, tm, font, size):
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and 72 < y < height - 72:
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes[round(size * scale, 1)] += len(text.strip())

    for page in pypdf.PdfReader(path).pages:
        height = float(page.mediabox.height)
        page.extract_text(visitor_text=visit)
    return sizes


def word_boxes(path: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) for every word poppler finds."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(float(a), float(b), w) for a, b, w in re.findall(word, html)]


# ----- what the reader sees -------------------------------------------------------------


def test_patient_pdf_has_the_essentials_in_its_text(render, library):
    out = render("patient")
    text = out.text
    for expected in (
        "Heterotopic ossification",
        "How to say it",
        "het-er-oh-TOP-ik oss-if-ih-KAY-shun",
        "What nobody tells you",
        "When to get help",
        "Questions to ask your care team",
        "My notes",
        "My next appointment",
        "Sources",
        library.brand.name,
        library.brand.phone,
        "DRAFT - not yet clinically reviewed",
        "Heterotopic ossification · Patient edition",
        "It does not replace advice from your own care team",
        "Page 1 of 2" if out.pages == 2 else f"Page 1 of {out.pages}",
        f"Page {out.pages} of {out.pages}",
    ):
        assert expected in text, expected
    assert out.topic.summary.split(".")[0] in text
    assert all(flag.sign in text for flag in out.topic.red_flags)


def test_summary_comes_first(render):
    out = render("patient")
    text = out.text
    assert text.index(out.topic.title) < text.index(out.topic.summary[:40]) < text.index(out.topic.sections[0].title)


@pytest.mark.parametrize("edition_id", ["patient", "sci"])
def test_clinician_only_text_is_left_out_of_plain_editions(render, edition_id):
    assert "Brooker" not in render(edition_id).text


@pytest.mark.parametrize("edition_id", ["clinician", "student"])
def test_clinician_text_is_in_professional_editions(render, edition_id):
    text = render(edition_id).text
    assert "Brooker" in text
    assert "[1" in text  # sources are cited by number


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_page_size_is_the_paper(render, paper):
    with pikepdf.open(render("patient", paper).path) as pdf:
        for page in pdf.pages:
            width, height = (round(float(v)) for v in page.MediaBox[2:])
            assert (width, height) == POINTS[paper]


# ----- budget and type ---------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("edition_id", ["patient", "sci"])
def test_standard_plain_editions_fit_two_pages(render, library, edition_id, paper):
    out = render(edition_id, paper)
    assert edition_by_id(library, edition_id).page_budget == 2
    assert out.pages <= 2, f"{edition_id} on {paper}: {out.pages} pages"
    assert len(pypdf.PdfReader(out.path).pages) == out.pages


@pytest.mark.parametrize("edition_id", ["patient", "patient-large-print"])
def test_body_text_is_the_edition_size(render, library, edition_id):
    edition = edition_by_id(library, edition_id)
    sizes = character_sizes(render(edition_id).path)
    body_size, _ = sizes.most_common(1)[0]
    assert body_size == edition.body_pt
    at_least_body = sum(n for size, n in sizes.items() if size >= edition.body_pt)
    assert at_least_body / sum(sizes.values()) > 0.75
    if edition.large_print:
        assert edition.body_pt >= 18


def test_large_print_lines_are_at_most_six_inches(render):
    boxes = word_boxes(render("patient-large-print").path)
    span = max(b for _, b, _ in boxes) - min(a for a, _, _ in boxes)
    assert span <= 6 * 72 + 1


def laid_out(renderer, library, edition_id: str, paper: str = "letter"):
    """(box, classes of it and its ancestors) for every box in the page bodies, as laid out."""
    edition = edition_by_id(library, edition_id)
    topic = select_edition(library.topics[TOPIC_ID], edition.audience)
    job = renderer.prepare(topic, edition, paper, library.brand, **dirs(library))

    def walk(box, classes):
        if isinstance(box, boxes.MarginBox):
            return  # running header and footer: page furniture, not body text
        if box.element is not None and box.element_tag:
            classes = classes | set((box.element.get("class") or "").split())
        yield box, classes
        for child in getattr(box, "children", []):
            yield from walk(child, classes)

    for page in renderer.fit(job).document.pages:
        yield from walk(page._page_box, frozenset())


@pytest.mark.parametrize("edition_id", ["patient", "sci", "patient-large-print"])
def test_plain_editions_are_left_aligned_and_never_hyphenated(renderer, library, edition_id):
    texts = [box for box, _ in laid_out(renderer, library, edition_id) if isinstance(box, boxes.TextBox)]
    assert {b.style["hyphens"] for b in texts} == {"none"}
    assert {b.style["text_align_all"] for b in texts} == {"left"}


def test_large_print_is_one_column_big_and_well_spaced(renderer, library):
    found = list(laid_out(renderer, library, "patient-large-print"))
    assert all(box.style["column_count"] == "auto" for box, _ in found)
    texts = [(box, classes) for box, classes in found if isinstance(box, boxes.TextBox)]
    reading = [box for box, classes in texts if "sources" not in classes]  # the reference list may be smaller
    assert min(box.style["font_size"] for box in reading) * 0.75 >= 18  # CSS px -> pt
    assert min(leading(box) for box, _ in texts) >= 1.25


def leading(box) -> float:
    """Line height as a multiple of the font size, however the CSS gave it."""
    height = box.style["line_height"]
    if isinstance(height, (int, float)):
        return float(height)
    return height.value / box.style["font_size"] if height.unit == "px" else float(height.value)


def test_standard_editions_set_the_flow_in_two_columns(renderer, library):
    counts = {box.style["column_count"] for box, classes in laid_out(renderer, library, "patient") if "flow" in classes}
    assert 2 in counts


# ----- accessibility: tagged PDF/UA-1 -------------------------------------------------------


@pytest.mark.parametrize("edition_id", ["patient", "clinician"])
def test_pdf_is_tagged_pdf_ua(render, edition_id):
    out = render(edition_id)
    with pikepdf.open(out.path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == out.topic.language
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == out.topic.title
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_every_figure_has_its_alt_text(render):
    out = render("patient")
    with pikepdf.open(out.path) as pdf:
        figures = [e for e in struct_elements(pdf) if e.S == "/Figure"]
        assert figures, "the body-sites diagram should be tagged as a figure"
        assert all(str(f.get("/Alt", "")).strip() for f in figures)
        assert sorted(str(f.Alt) for f in figures) == sorted(f.alt for f in out.topic.figures)


@pytest.mark.parametrize("edition_id", ["patient", "clinician"])
def test_headings_are_in_order_and_match_the_html(render, renderer, library, edition_id):
    out = render(edition_id)
    with pikepdf.open(out.path) as pdf:
        tags = [int(str(e.S)[2:]) for e in struct_elements(pdf) if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert tags[0] == 1 and tags.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(tags))
    html = renderer.render_html(out.topic, edition_by_id(library, edition_id), "letter", library.brand, **dirs(library))
    assert tags == [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def test_figure_is_drawn_where_the_content_places_it(renderer, library):
    edition = edition_by_id(library, "patient")
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    html = renderer.render_html(topic, edition, "letter", library.brand, **dirs(library))
    figures = {f.id: f for f in topic.figures}
    placed = [(s, b.figure) for s in topic.sections for b in s.blocks if getattr(b, "figure", None)]
    assert len(placed) == len(figures) >= 2
    for section, figure_id in placed:
        figure = figures[figure_id]
        start = html.index(f'id="section-{section.id}"')
        end = html.index("</section>", start)
        assert f'id="figure-{figure.id}"' in html[start:end]
        assert f"<title>{figure.alt}</title>" in html[start:end]
        assert f"<figcaption>{figure.caption}</figcaption>" in html[start:end]


# ----- fonts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition_id", ["patient", "clinician", "patient-large-print"])
def test_every_font_is_embedded_and_ours(render, edition_id):
    with pikepdf.open(render(edition_id).path) as pdf:
        check_fonts(all_fonts(pdf))


def check_fonts(fonts: list[pikepdf.Dictionary]) -> None:
    assert fonts
    for font in fonts:
        name = str(font.BaseFont).split("+", 1)[-1]
        assert any(name.startswith(ours) for ours in OUR_FONT_NAMES), name
        if font.Subtype == "/Type0":
            descriptor = font.DescendantFonts[0].FontDescriptor
            embedded = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            assert embedded is not None, name
            family = TTFont(io.BytesIO(embedded.read_bytes()))["name"].getDebugName(1)
            assert family in HANDOUT_FAMILIES, family


def test_ipa_is_set_in_our_fallback_font(render):
    with pikepdf.open(render("clinician").path) as pdf:  # IPA is printed for professionals only
        names = {str(f.BaseFont).split("+", 1)[-1] for f in all_fonts(pdf)}
    assert "DejaVu-Sans-Handout-Subset" in names
    assert "ˈ" in render("clinician").text


def test_a_character_no_handout_font_has_is_a_content_error(renderer, library):
    edition = edition_by_id(library, "patient")
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    snowy = topic.model_copy(update={"summary": topic.summary + " ☃"})
    with pytest.raises(ContentError) as error:
        renderer.render_pdf(snowy, edition, "letter", library.brand, **dirs(library))
    [problem] = error.value.problems
    assert (problem.path, problem.field) == (f"handouts/{TOPIC_ID}.yaml", "summary")
    assert "U+2603 SNOWMAN" in problem.message


# ----- same input, same bytes -------------------------------------------------------------------


def test_same_input_gives_identical_bytes(render, renderer, library):
    first = render("patient")
    edition = edition_by_id(library, "patient")
    again = renderer.render_pdf(first.topic, edition, "letter", library.brand, **dirs(library))
    fresh = HandoutRenderer(ROOT).render_pdf(first.topic, edition, "letter", library.brand, **dirs(library))
    assert again == first.data
    assert fresh == first.data


def test_the_patches_apply_to_this_weasyprint_and_pydyf_and_only_while_we_render(render, library):
    """Fails loudly when a WeasyPrint or pydyf release changes what handoutkit/pdf/columns.py and deflate.py patch."""
    assert columns.without_trial_pass() is not None, (
        f"WeasyPrint {weasyprint.__version__}: its columns_layout source or version changed; "
        "update handoutkit/pdf/columns.py (or drop the patch)"
    )
    assert pydyf.__version__.startswith(deflate.PYDYF) and pydyf.zlib is zlib, (
        f"pydyf {pydyf.__version__} no longer compresses through its module's zlib: update handoutkit/pdf/deflate.py"
    )
    with columns.active(), deflate.active():
        seen = [weasyprint.layout.block.columns_layout, pydyf.zlib]
    assert seen == [columns.without_trial_pass(), deflate.CappedZlib]
    topic = render("patient").topic
    HandoutRenderer(ROOT).render_pdf(topic, edition_by_id(library, "patient"), "a4", library.brand, **dirs(library))
    assert weasyprint.layout.block.columns_layout is columns.UPSTREAM and pydyf.zlib is zlib  # nothing leaks


# sha256 of the upstream code each patch was written against: columns.py recompiles WeasyPrint's whole
# layout/column.py, and deflate.py swaps the zlib that pydyf's Stream.data compresses with.
PATCHED_SOURCES = {
    "weasyprint/layout/column.py": "83ae1a3e83596293e5ae66b81759f2ad6eff8e2e43058a1a980f7662b6c51d93",
    "pydyf.Stream.data": "bdc2bc513f286de7b7a7220a43e6085daa6ed0056d9c04e3c9b5abe40f3ecf81",
}


def test_the_patched_upstream_source_is_the_source_the_patches_were_written_for():
    """Any change to the patched code, even one the patches would still apply to, fails here: read the change,
    check handoutkit/pdf/columns.py or deflate.py against it, then record the new hash."""
    import hashlib
    import inspect

    import weasyprint.layout.column

    sources = {
        "weasyprint/layout/column.py": inspect.getsource(weasyprint.layout.column),
        "pydyf.Stream.data": inspect.getsource(pydyf.Stream.data.fget),
    }
    found = {name: hashlib.sha256(source.encode()).hexdigest() for name, source in sources.items()}
    changed = sorted(name for name in PATCHED_SOURCES if found[name] != PATCHED_SOURCES[name])
    assert not changed, (
        f"WeasyPrint {weasyprint.__version__} / pydyf {pydyf.__version__} changed {', '.join(changed)}: "
        f"the patches in handoutkit/pdf/ were written for other code; new hashes: {found}"
    )
    # deflate.CappedZlib offers pydyf only these two: a new use of zlib would fail mid-render
    assert set(re.findall(r"\bzlib\.(\w+)", inspect.getsource(pydyf))) <= {"compress", "compressobj"}


def long_topic(library, copies: int):
    """The patient HO topic with its sections repeated, to run over many pages."""
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    sections = [
        s.model_copy(update={"id": f"{s.id}-{n}", "blocks": [b for b in s.blocks if not hasattr(b, "figure")]})
        for n in range(copies)
        for s in topic.sections
    ]
    return topic.model_copy(update={"sections": [s for s in sections if s.blocks]})


@pytest.mark.parametrize("edition_id", ["patient", "sci", "clinician", "student", "long"])
def test_the_faster_column_layout_gives_weasyprints_bytes(render, library, edition_id):
    """Skipping WeasyPrint's trial pass must not move a single glyph, on either paper."""
    for paper in ("letter", "a4"):
        if edition_id == "long":  # columns that break over many pages
            edition, topic = edition_by_id(library, "patient"), long_topic(library, 3)
            ours = HandoutRenderer(ROOT).render_pdf(topic, edition, paper, library.brand, **dirs(library))
        else:
            edition, rendered = edition_by_id(library, edition_id), render(edition_id, paper)
            topic, ours = rendered.topic, rendered.data
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(columns, "without_trial_pass", lambda: None)  # WeasyPrint's own layout
            upstream = HandoutRenderer(ROOT).render_pdf(topic, edition, paper, library.brand, **dirs(library))
        assert ours == upstream, f"{edition_id} on {paper}"


def test_page_streams_are_deflated_at_level_6(render):
    with pikepdf.open(io.BytesIO(render("patient").data)) as pdf:
        stream = pdf.pages[0].Contents
        assert stream.Filter == "/FlateDecode"
        assert stream.read_raw_bytes() == zlib.compress(stream.read_bytes(), deflate.LEVEL)


def test_dates_come_from_the_content_not_the_clock(render, library):
    """A draft has no review date: its PDFs carry the newest date a source was read."""
    newest = max(s.accessed for s in library.topics[TOPIC_ID].sources).strftime("%Y%m%d")
    assert library.topics[TOPIC_ID].review.status == "draft"
    with pikepdf.open(render("patient").path) as pdf:
        assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == f"D:{newest}"
        assert len(pdf.trailer.ID) == 2


# ----- the fitting ladder and other inputs ------------------------------------------------------


def small_topic(library) -> Topic:
    """The real topic cut down to its first two sections: plenty of room on two pages."""
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    return topic.model_copy(update={"sections": topic.sections[:2]})


def test_glossary_is_printed_when_there_is_room(renderer, library):
    edition = edition_by_id(library, "patient")
    topic = small_topic(library)
    html = renderer.render_html(topic, edition, "letter", library.brand, **dirs(library))
    assert "Words to know" in html
    assert all(g.term in html for g in topic.glossary)
    large = renderer.render_html(
        topic, edition_by_id(library, "patient-large-print"), "letter", library.brand, **dirs(library)
    )
    assert "Words to know" in large and " compact" not in large  # large print keeps its spacing when it fits


def test_an_overlong_topic_comes_back_compact_with_its_page_count(renderer, library):
    edition = edition_by_id(library, "patient")
    long = long_topic(library, 3)
    data, pages = renderer.render_pdf_pages(long, edition, "letter", library.brand, **dirs(library))
    assert pages > edition.page_budget  # reported, not raised: the build's gate decides
    assert data.startswith(b"%PDF-1.7")
    html = renderer.render_html(long, edition, "letter", library.brand, **dirs(library))
    assert " compact" in html and "Words to know" not in html


def make_project(tmp_path: Path) -> Path:
    """A copy of the real project (templates, editions, brand, topic) to change safely."""
    root = tmp_path / "project"
    for name in ("templates", "handouts", "brands"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "editions.yaml", root / "editions.yaml")
    return root


def write_png(path: Path, size=(120, 80)) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (40, 90, 140)).save(path, format="PNG")


def test_figure_files_and_logo_are_embedded_with_alt_text(tmp_path):
    root = make_project(tmp_path)
    write_png(root / "handouts" / "figures" / "scan.png")
    write_png(root / "brands" / "logo.png", (200, 60))
    library = load_library(root)
    content = select_edition(library.topics[TOPIC_ID], "patient").model_dump(by_alias=True, exclude_none=True)
    scan = {"id": "scan", "src": "figures/scan.png", "alt": "A bone scan of a hip.", "caption": "A scan."}
    content["figures"].append(scan)
    content["sections"][0]["blocks"].append({"figure": "scan"})
    topic = Topic.model_validate(content)
    brand = library.brand.model_copy(update={"logo": "logo.png"})
    edition = edition_by_id(library, "patient")
    data = HandoutRenderer(root).render_pdf(
        topic, edition, "letter", brand, topic_dir=root / "handouts", brand_dir=root / "brands"
    )
    with pikepdf.open(io.BytesIO(data)) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        alts = {str(e.Alt) for e in struct_elements(pdf) if e.S == "/Figure"}
    assert len(images) >= 2
    assert {"A bone scan of a hip.", f"Logo of {brand.name}", topic.figures[0].alt} <= alts


def test_an_unreadable_image_is_a_content_error_naming_the_file(tmp_path):
    root = make_project(tmp_path)
    (root / "brands" / "logo.png").write_text("not a picture")
    library = load_library(root)
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    brand = library.brand.model_copy(update={"logo": "logo.png"})
    with pytest.raises(ContentError) as error:
        HandoutRenderer(root).render_pdf(
            topic,
            edition_by_id(library, "patient"),
            "letter",
            brand,
            topic_dir=root / "handouts",
            brand_dir=root / "brands",
        )
    [problem] = error.value.problems
    assert (problem.path, problem.field) == ("brands", "logo")
    assert "logo.png" in problem.message


def test_bytes_do_not_depend_on_where_the_project_is(tmp_path, renderer, library):
    edition = edition_by_id(library, "patient")
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    here = renderer.render_pdf(topic, edition, "a4", library.brand, **dirs(library))
    root = make_project(tmp_path)
    there = HandoutRenderer(root).render_pdf(
        topic, edition, "a4", library.brand, topic_dir=root / "handouts", brand_dir=root / "brands"
    )
    assert here == there


def test_weasyprint_warnings_become_errors():
    with pytest.raises(RenderError, match="something odd"), weasyprint_logs_as_errors("a test"):
        logging.getLogger("weasyprint").warning("something odd")
    with weasyprint_logs_as_errors("a test"):
        logging.getLogger("weasyprint").info("progress is fine")
