"""Web editions (dist/site/), the catalog, the QR code on paper and `build.py serve`.

What a browser shows is checked in a real one: Debian's chromium, headless, driven by
playwright (its own browser download is never used), with axe-core from npm (setup.sh
installs both). Without chromium these tests skip, except in CI, where they fail.

Two sites are built: the small test project with three topics (the full pipeline, real
PDFs; fast), and the real topics' pages (every edition of every shipped topic, no PDFs,
their quality gates not run: accessibility of the real pages is the program's job,
content quotas are not).
"""

from __future__ import annotations

import html
import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from handoutkit.cli import main, make_parser
from handoutkit.content.config import Brand
from handoutkit.content.library import load_library
from handoutkit.content.model import QUESTION_LISTS
from handoutkit.editions.select import select_edition
from handoutkit.make.pipeline import BuildOptions, Fresh, build
from handoutkit.pdf.html import (
    DRAFT_STAMP,
    SAMPLE_MARK,
    TEMPLATE,
    build_view,
    make_environment,
    render_template,
    wallet_view,
)
from handoutkit.pdf.render import WALLET_TEMPLATE
from handoutkit.web.paths import page_path
from handoutkit.web.preview import DEFAULT_HOST, warn_if_public
from handoutkit.web.render import WebRenderer
from handoutkit.web.view import TopicLinks, page_view

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SITE_URL = "https://clinic.example.org/handouts"
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4"
    "b40000000049454e44ae426082"
)


def need(what: str, present: bool) -> None:
    """Skip with the reason when a tool is missing on a developer's machine; in CI it must be there."""
    if present:
        return
    message = f"{what} is not installed; run ./setup.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# ----- projects ---------------------------------------------------------------------------------------

RED_FLAG = """red_flags:
  - id: bad-headache
    sign: A very bad headache.
    urgency: emergency
    action: Call the emergency number now.
    cites: [{source: src, quote: "A very bad headache is an emergency."}]
"""


def make_project(tmp_path: Path, site_url: str | None = SITE_URL) -> Path:
    """The test project with three topics: 'minimal', and two with the short names staff search for."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    text = (root / "handouts" / "minimal.yaml").read_text()
    text = text.replace(
        "        cites: [src]\n",
        "        cites: [src]\n      - paragraph: Clinicians read this line.\n"
        "        for: [clinician]\n        cites: [src]\n",
        1,
    )
    (root / "handouts" / "minimal.yaml").write_text(text.replace("sources:", RED_FLAG + "sources:", 1))
    for topic_id, title, alias in (
        ("autonomic-dysreflexia", "Autonomic dysreflexia", "AD"),
        ("heterotopic-ossification", "Heterotopic ossification", "HO"),
    ):
        variant = text.replace("id: minimal\n", f"id: {topic_id}\n").replace(
            "title: Minimal topic\n", f"title: {title}\nalso_called: [{alias}]\n"
        )
        (root / "handouts" / f"{topic_id}.yaml").write_text(variant)
    brand = (root / "brands" / "default.yaml").read_text()
    if site_url:
        (root / "brands" / "default.yaml").write_text(brand + f"site_url: {site_url}\n")
    return root


def options(root: Path, **kw) -> BuildOptions:
    return BuildOptions(root=root, out=root / "dist", jobs=2, **kw)


def manifest(root: Path) -> dict:
    return {e["path"]: e for e in json.loads((root / "dist" / "manifest.json").read_text())["outputs"]}


def site_files(root: Path) -> list[str]:
    site = root / "dist" / "site"
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("web"))
    report = build(options(root))
    assert report.problems == []
    return root


class PagesOnly(Fresh):
    """The real topics' web pages without their PDFs or quality gates (see the module docstring)."""

    def gate_library(self, library, strict, release):
        return [], []

    def order(self, jobs):
        return []


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("real") / "project"
    for name in ("handouts", "brands", "templates", "approvals"):  # no decks: not the site's business
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(REPO / name, root / name)
    build(BuildOptions(root=root, out=root / "dist"), PagesOnly())
    return root / "dist" / "site"


def pages_of(site: Path) -> list[Path]:
    return [site / "index.html"] + sorted(site.glob("*/*.html"))


@pytest.fixture(scope="module")
def real_library(real_site):
    """The library the real site was built from (the same copy)."""
    return load_library(real_site.parents[1])


def editions_of(library, topic_id: str) -> list:
    return [e for e in library.editions if e.applies_to(library.topics[topic_id])]


def paper_view(topic, edition, brand) -> dict:
    """What the printed edition is made from: pdf/html.py's view of the selected topic (no figure files)."""
    if edition.format == "wallet-card":
        return wallet_view(topic, edition, brand)
    return build_view(topic, edition, brand, {})


class PageText(html.parser.HTMLParser):
    """A page's text as a reader gets it, with its white space collapsed (no style or script)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
        self.feed(page)
        self.close()
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


STAMP_RE = re.compile(r'<p class="stamp[^"]*">(.*?)</p>', re.S)


def stamp_texts(page: str) -> list[str]:
    """The marks a page prints, in order, each once (the wallet card prints its line on both sides)."""
    marks = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split()) for m in STAMP_RE.findall(page)]
    return list(dict.fromkeys(marks))


# ----- the site the build writes ------------------------------------------------------------------------


def test_the_site_holds_a_page_per_topic_and_edition_the_catalog_the_pdfs_and_nothing_else(built):
    topics = ("autonomic-dysreflexia", "heterotopic-ossification", "minimal")
    expected = ["index.html"] + [
        name
        for t in topics
        for name in (
            f"{t}/clinician.html",
            f"{t}/patient.html",
            *(f"{t}/{t}--{e}--{p}.pdf" for e in ("clinician", "patient") for p in ("a4", "letter")),
        )
    ]
    assert site_files(built) == sorted(expected)
    entries = manifest(built)
    assert entries["site/minimal/patient.html"]["kind"] == "web-page"
    assert entries["site/index.html"]["kind"] == "web-catalog"
    copy = entries["site/minimal/minimal--patient--a4.pdf"]
    assert (
        copy["kind"] == "web-pdf" and copy["sha256"] == entries["handouts/minimal/minimal--patient--a4.pdf"]["sha256"]
    )


def test_the_real_site_holds_a_page_for_every_topic_and_edition_and_only_the_files_the_content_names(
    real_site, real_library
):
    pages = {page_path(t, e.id) for t in real_library.topics for e in editions_of(real_library, t)}
    named = {f"site/{t}/figures/{f.id}" for t, topic in real_library.topics.items() for f in topic.figures if f.src}
    found = {f"site/{name}" for name in site_files(real_site.parents[1])}
    assert {f for f in found if f.endswith(".html")} == pages | {"site/index.html"}
    assert len(pages) >= 13  # AD: 7 editions with its wallet card, HO: 6
    others = {f.rsplit(".", 1)[0] for f in found if not f.endswith(".html")}
    assert others <= named | {"site/logo"}, others - named


# Where a view's words live: every string under these keys of pdf/html.py's view is printed, and must be
# on the web page too. Not words: ids, kinds, urgencies, drawings (the figures' alt text is checked in
# the browser, as a screen reader hears it), and the respelling's stressed parts (checked as the page shows them).
NOT_WORDS = frozenset({"kind", "id", "diagram", "src", "svg", "urgency", "alt", "cites", "aside", "respelling"})


def words_of(value, key: str | None = None) -> list[str]:
    if key in NOT_WORDS:
        return []
    if isinstance(value, dict):
        return [w for name, item in value.items() for w in words_of(item, name)]
    if isinstance(value, (list, tuple)):
        return [w for item in value for w in words_of(item, key)]
    if isinstance(value, str) and value.strip():
        return [" ".join(value.split())]
    return []


def printed_words(view: dict, wallet: bool) -> list[str]:
    """The words of the topic in a paper view: its content, not the page furniture around it."""
    if wallet:
        return words_of({"title": view["title"], "sides": view["sides"]})
    parts = ("title", "also_called", "summary", "ipa", "urgent", "sections", "tips", "help", "glossary")
    return words_of({name: view[name] for name in (*parts, *QUESTION_LISTS)})


def test_every_web_edition_says_every_word_its_printed_edition_is_made_from(real_site, real_library):
    """Same words, same audience rule: each page holds every text of the paper view of its edition's
    selection (sections, every kind of block, tips, help tiers, questions, glossary), and a page leaves
    out what its audience's selection leaves out (checked on the fixture: 'Clinicians read this line')."""
    missing, checked, kinds = {}, 0, set()
    for topic_id in sorted(real_library.topics):
        for edition in editions_of(real_library, topic_id):
            topic = select_edition(real_library.topics[topic_id], edition.audience)
            view = paper_view(topic, edition, real_library.brand)
            wallet = edition.format == "wallet-card"
            blocks = (
                [b for side in view["sides"] for b in side["blocks"]]
                if wallet
                else [b for s in view["urgent"] + view["sections"] for b in s["blocks"]]
            )
            kinds |= {b["kind"] for b in blocks} | {b["aside"]["kind"] for b in blocks if b.get("aside")}
            text = PageText((real_site.parents[1] / "dist" / page_path(topic_id, edition.id)).read_text()).text
            words = printed_words(view, wallet)
            checked += len(words)
            gone = [w for w in words if w not in text]
            if gone:
                missing[f"{topic_id}/{edition.id}"] = gone
    assert missing == {}
    assert checked > 500
    assert kinds == {"paragraph", "bullets", "steps", "table", "form", "write_in", "figure"}  # all the content uses


BLOCK_ELEMENTS = {  # each kind of block as the page shows it: one element per block
    "bullets": "ul.bullets",
    "steps": "ol.steps",
    "table": "main table:not(.form):not(.editions)",
    "form": "table.form",
    "write_in": "section.write-in-box",
    "figure": "figure.figure",
}


def test_the_marks_are_those_of_paper_in_every_review_state_and_brand(real_library, tmp_path):
    """DRAFT, CHANGED SINCE REVIEW, the reviewer's name and SAMPLE: each web edition's marks are the
    printed edition's, word for word and in order (its header; the wallet card's one line)."""
    import datetime as dt

    env = make_environment(real_library.root / "templates")
    renderer = WebRenderer(real_library.root / "templates")
    clinic = Brand(name="Northside Spine Clinic", phone="555-0100", emergency_number="911")
    assert not clinic.is_sample and real_library.brand.is_sample
    day = dt.date(2026, 12, 5)
    reviews = {
        "draft": {"status": "draft", "reviewer": None, "last_reviewed": None},
        "approved": {"status": "approved", "reviewer": "Dr Ana Ortiz", "last_reviewed": day},
        "changed": {"status": "changed", "reviewer": "Dr Ana Ortiz", "last_reviewed": day},
    }
    seen = set()
    for topic_id, original in sorted(real_library.topics.items()):
        for state, review in reviews.items():
            topic = original.model_copy(update={"review": original.review.model_copy(update=review)})
            for brand in (real_library.brand, clinic):
                for edition in editions_of(real_library, topic_id):
                    selected = select_edition(topic, edition.audience)
                    wallet = edition.format == "wallet-card"
                    paper = render_template(
                        env, paper_view(selected, edition, brand), WALLET_TEMPLATE if wallet else TEMPLATE
                    )
                    links = TopicLinks(topic_id, ((edition.id, edition.label, tuple(edition.papers)),))
                    page = renderer.page(page_view(selected, edition, brand, {}, links), wallet=wallet).decode()
                    assert stamp_texts(page) == stamp_texts(paper), (topic_id, state, brand.name, edition.id)
                    seen.update(stamp_texts(page))
    assert {DRAFT_STAMP, SAMPLE_MARK, "DRAFT - not yet reviewed · SAMPLE", "SAMPLE"} <= seen
    assert "CHANGED SINCE REVIEW on 5 December 2026 - not yet re-approved" in seen
    assert "Reviewed by Dr Ana Ortiz, 5 December 2026" in seen
    assert "CHANGED SINCE REVIEW 2026-12-05 · SAMPLE" in seen  # the wallet card's short mark


def test_a_page_is_the_edition_s_own_selection_with_the_marks_of_paper(built):
    patient = (built / "dist/site/minimal/patient.html").read_text()
    clinician = (built / "dist/site/minimal/clinician.html").read_text()
    assert "Clinicians read this line." in clinician and "Clinicians read this line." not in patient
    pdf = pdf_text(built / "dist/handouts/minimal/minimal--patient--letter.pdf")
    for page in (patient, clinician):
        assert f'<p class="stamp stamp-draft">{DRAFT_STAMP}</p>' in page and DRAFT_STAMP in pdf
    assert SAMPLE_MARK not in pdf and 'class="stamp stamp-sample"' not in patient  # the test brand is a real clinic's
    assert '<html lang="en"' in patient and patient.count("<h1>") == 1
    assert "<script" not in patient and "<script" not in clinician  # no page needs a script


def test_the_clinic_s_numbers_are_tel_links(built):
    page = (built / "dist/site/minimal/patient.html").read_text()
    assert '<a href="tel:5550100">555-0100</a>' in page
    assert 'Call <a href="tel:911">911</a> now. This is an emergency.' in page  # the help box's emergency tier


def test_a_sample_brand_and_a_changed_approval_are_marked_on_the_web_as_on_paper(built, tmp_path, monkeypatch):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    brand = root / "brands" / "default.yaml"
    brand.write_text("sample: true\n" + brand.read_text())
    monkeypatch.setenv("HANDOUTKIT_TODAY", "2026-12-05")
    assert main(["approve", "minimal", "--root", str(root), "--reviewer", "Dr Ana Ortiz"]) == 0
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text().replace("A plain paragraph.", "A plainer paragraph."))
    assert build(options(root)).problems == []
    pdf = pdf_text(root / "dist/handouts/minimal/minimal--patient--letter.pdf")
    page = (root / "dist/site/minimal/patient.html").read_text()
    stamp = "CHANGED SINCE REVIEW on 5 December 2026 - not yet re-approved"
    assert stamp in pdf and f'<p class="stamp stamp-changed">{stamp}</p>' in page
    assert SAMPLE_MARK in pdf and f'<p class="stamp stamp-sample">{escape(SAMPLE_MARK)}</p>' in page
    catalog = (root / "dist/site/index.html").read_text()
    assert stamp in catalog and "Review:</span> DRAFT" in catalog  # each topic's own state


def test_a_page_is_rewritten_when_its_topic_changes_and_a_removed_topic_s_pages_go(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    topic = root / "handouts" / "autonomic-dysreflexia.yaml"
    topic.write_text(topic.read_text().replace("A short main message.", "A shorter main message."))
    report = build(options(root))
    site = sorted(p for p in report.built if p.startswith("site/") and p.endswith(".html"))
    assert site == [
        "site/autonomic-dysreflexia/clinician.html",
        "site/autonomic-dysreflexia/patient.html",
        "site/index.html",
    ]
    assert "A shorter main message." in (root / "dist/site/index.html").read_text()
    topic.unlink()
    report = build(options(root))
    assert not (root / "dist/site/autonomic-dysreflexia").exists()
    assert not any(p.startswith("site/autonomic-dysreflexia/") for p in manifest(root))
    assert "site/autonomic-dysreflexia/patient.html" in report.removed
    assert "Autonomic dysreflexia" not in (root / "dist/site/index.html").read_text()


def test_only_the_files_the_content_names_reach_the_site(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    (root / "handouts" / "pictures").mkdir()
    (root / "handouts" / "pictures" / "knee.png").write_bytes(PNG_1X1)
    (root / "handouts" / "pictures" / "notes.png").write_bytes(PNG_1X1)  # in the folder, named by nothing
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(
        topic.read_text()
        .replace(
            "sources:",
            (
                "figures:\n  - id: knee\n    src: pictures/knee.png\n    alt: A knee.\n    caption: The knee.\n"
                "    cites: [src]\nsources:"
            ),
            1,
        )
        .replace(
            "      - paragraph: A plain paragraph.\n",
            "      - figure: knee\n      - paragraph: A plain paragraph.\n",
            1,
        )
    )
    assert build(options(root)).problems == []
    assert [f for f in site_files(root) if not f.endswith((".html", ".pdf"))] == ["minimal/figures/knee.png"]
    assert (root / "dist/site/minimal/figures/knee.png").read_bytes() == PNG_1X1
    assert '<img src="figures/knee.png" alt="A knee.">' in (root / "dist/site/minimal/patient.html").read_text()


def test_site_url_must_be_an_https_address(built, tmp_path, capsys):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    brand = root / "brands" / "default.yaml"
    brand.write_text(brand.read_text().replace(SITE_URL, "http://clinic.example.org/handouts"))
    assert main(["check", "--root", str(root)]) == 1
    assert (
        "brands/default.yaml:4:11: site_url: expected an https:// address of the published site, like "
        "'https://clinic.example.org/handouts', found 'http://clinic.example.org/handouts'"
    ) in capsys.readouterr().err


# ----- the QR code on paper ---------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def decode_qr(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on the PDF's pages, as a phone would read it: rendered at 150 dpi, decoded by zbar."""
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, sorted(tmp_path.glob("page*.png")))],
        check=False,
        capture_output=True,
        text=True,
    )  # zbarimg exits 4 when it finds none
    return found.stdout.split()


def test_a_plain_edition_prints_a_qr_code_that_scans_to_its_web_page(built, tmp_path):
    need("zbarimg (zbar-tools)", shutil.which("zbarimg") is not None)
    handouts = built / "dist" / "handouts" / "heterotopic-ossification"
    url = f"{SITE_URL}/heterotopic-ossification/patient.html"
    for paper in ("letter", "a4"):
        (tmp_path / paper).mkdir()
        assert decode_qr(handouts / f"heterotopic-ossification--patient--{paper}.pdf", tmp_path / paper) == [url]
    words = "".join(pdf_text(handouts / "heterotopic-ossification--patient--letter.pdf").split())
    assert f"Readitonline(scanthecode):{url}" in words  # the address in words too, for a reader with no camera
    (tmp_path / "clinician").mkdir()
    assert decode_qr(handouts / "heterotopic-ossification--clinician--letter.pdf", tmp_path / "clinician") == []


def test_without_a_site_url_no_qr_code_is_printed(tmp_path):
    need("zbarimg (zbar-tools)", shutil.which("zbarimg") is not None)
    root = make_project(tmp_path, site_url=None)
    assert build(options(root, selection=_selection(topics=("minimal",), editions=("patient",)))).problems == []
    pdf = root / "dist/handouts/minimal/minimal--patient--letter.pdf"
    assert decode_qr(pdf, tmp_path) == [] and "Read it online" not in pdf_text(pdf)


def _selection(**kw):
    from handoutkit.make.plan import Selection

    return Selection(**kw)


# ----- in a real browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    need("Debian's chromium", CHROMIUM.exists())
    need("axe-core (npm)", AXE.exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def test_the_catalog_and_every_web_edition_pass_axe_with_no_serious_violation(browser, real_site):
    page = browser.new_page()
    results, serious = {}, []
    for path in pages_of(real_site):
        page.goto(path.as_uri())
        violations = axe_violations(page)
        name = path.relative_to(real_site).as_posix()
        results[name] = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in violations]
        serious += [
            f"{name}: {v['id']}: {v['help']} at {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    print("axe-core violations per page:", json.dumps(results, indent=1))
    assert len(results) == 1 + len(list(real_site.glob("*/*.html"))) > 10
    assert serious == []


HEADING_SKIPS = """() => {
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => Number(h.tagName[1]));
  return [levels.filter(l => l === 1).length, levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1).length];
}"""


def test_every_page_has_one_h1_and_headings_that_skip_no_level(browser, real_site):
    page = browser.new_page()
    found = {}
    for path in pages_of(real_site):
        page.goto(path.as_uri())
        found[path.relative_to(real_site).as_posix()] = tuple(page.evaluate(HEADING_SKIPS))
    assert set(found.values()) == {(1, 0)}, found


def test_every_page_has_its_landmarks_and_its_language(browser, real_site, real_library):
    page = browser.new_page()
    found = {}
    for path in pages_of(real_site):
        page.goto(path.as_uri())
        name = path.relative_to(real_site).as_posix()
        topic = real_library.topics.get(name.split("/")[0])
        found[name] = (
            *(page.get_by_role(role).count() for role in ("banner", "main", "contentinfo")),
            page.evaluate("document.documentElement.lang") == (topic.language if topic else "en"),
            page.get_by_role("navigation").count() >= 1,
        )
    assert set(found.values()) == {(1, 1, 1, True, True)}, found


def test_every_block_shows_as_its_element_and_every_figure_is_named_by_its_alt_text(browser, real_site, real_library):
    """Lists as lists, tables as tables with captions, write-in boxes, figures: one element per block of
    the paper view, and each drawing a named image (what a screen reader says is the figure's alt text)."""
    page = browser.new_page()
    wrong, figures = {}, 0
    for topic_id in sorted(real_library.topics):
        for edition in editions_of(real_library, topic_id):
            view = paper_view(
                select_edition(real_library.topics[topic_id], edition.audience), edition, real_library.brand
            )
            wallet = edition.format == "wallet-card"
            blocks = (
                [b for side in view["sides"] for b in side["blocks"]]
                if wallet
                else [b for s in view["urgent"] + view["sections"] for b in s["blocks"]]
            )
            blocks += [b["aside"] for b in blocks if b.get("aside")]
            page.goto((real_site.parents[1] / "dist" / page_path(topic_id, edition.id)).as_uri())
            name = f"{topic_id}/{edition.id}"
            for kind, selector in BLOCK_ELEMENTS.items():
                count = page.locator(selector).count()
                if count != sum(b["kind"] == kind for b in blocks):
                    wrong[f"{name} {kind}"] = count
            for block in blocks:
                if block["kind"] == "figure":
                    figures += 1
                    if page.get_by_role("img", name=block["alt"], exact=True).count() != 1:
                        wrong[f"{name} figure {block['id']}"] = "not named by its alt text"
                if (
                    block["kind"] in ("table", "form")
                    and not page.locator("caption", has_text=block["caption"]).count()
                ):
                    wrong[f"{name} {block['kind']} caption"] = block["caption"]
    assert wrong == {}
    assert figures >= 10


def test_printed_from_the_browser_a_page_keeps_its_marks_and_drops_its_links(browser, built):
    page = browser.new_page()
    page.goto((built / "dist/site/minimal/patient.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".stamp-draft").text_content() == DRAFT_STAMP and page.locator(".stamp-draft").is_visible()
    assert not page.get_by_role("link", name="All handouts").first.is_visible()
    assert not page.locator(".edition-nav").is_visible()


def test_no_page_scrolls_sideways_on_a_320_px_screen(browser, real_site):
    """320 CSS px is also what a 1280 px window shows at 400% zoom (WCAG 1.4.10 Reflow)."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    wide = {}
    for path in pages_of(real_site):
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path.relative_to(real_site).as_posix()] = width
    assert wide == {}


BLANKS = """() => [...document.querySelectorAll('.write-in-line .blank')].map(b => {
  const box = b.getBoundingClientRect(), style = getComputedStyle(b);
  return [box.width, style.borderBottomStyle, parseFloat(style.borderBottomWidth)];
})"""


def test_every_blank_to_write_in_is_a_visible_line_on_a_phone(browser, real_site):
    """A write-in blank is an empty span: without its own rule it would vanish from the sentence."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    blanks = []
    for path in sorted(real_site.glob("*/*.html")):
        page.goto(path.as_uri())
        blanks += page.evaluate(BLANKS)
    assert len(blanks) >= 4  # AD's numbers box in its four plain editions
    assert all(width >= 40 and style == "solid" and line >= 1 for width, style, line in blanks), blanks


def visible_topics(page) -> list[str]:
    return page.eval_on_selector_all("li.topic:not([hidden]) h2", "els => els.map(e => e.textContent)")


def test_the_catalog_finds_a_topic_by_its_short_name(browser, built):
    page = browser.new_page()
    page.goto((built / "dist/site/index.html").as_uri())
    assert visible_topics(page) == ["Autonomic dysreflexia", "Heterotopic ossification", "Minimal topic"]
    page.get_by_label("Find a topic by name or short name").fill("AD")
    assert visible_topics(page) == ["Autonomic dysreflexia"]
    assert page.get_by_role("status").text_content() == "1 topic found"
    assert page.locator(".name-index").is_hidden()  # the index of every name would list the others
    page.get_by_label("Find a topic by name or short name").fill("ho")
    assert visible_topics(page) == ["Heterotopic ossification"]
    page.get_by_label("Find a topic by name or short name").fill("minim")
    assert visible_topics(page) == ["Minimal topic"]
    page.get_by_label("Find a topic by name or short name").fill("")
    assert page.locator(".name-index").is_visible() and len(visible_topics(page)) == 3
    page.goto((built / "dist/site/index.html").as_uri() + "?q=HO")
    assert visible_topics(page) == ["Heterotopic ossification"]


def test_the_catalog_works_without_javascript(browser, built):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((built / "dist/site/index.html").as_uri())
    assert not page.get_by_label("Find a topic by name or short name").is_visible()  # no box that cannot work
    assert visible_topics(page) == ["Autonomic dysreflexia", "Heterotopic ossification", "Minimal topic"]
    page.get_by_role("link", name="AD", exact=True).click()  # the index names each topic by its short names
    assert page.url.endswith("#topic-autonomic-dysreflexia")
    context.close()


def test_every_pdf_link_opens_a_pdf_in_two_clicks_from_the_catalog(browser, built):
    page = browser.new_page()
    site = built / "dist" / "site"
    links = {}
    for path in pages_of(site):
        page.goto(path.as_uri())
        for href in page.eval_on_selector_all("a[href$='.pdf']", "els => els.map(e => e.href)"):
            links[href] = path.name
    assert len(links) == 12  # 3 topics x 2 editions x 2 papers, each linked from the catalog and its page
    for href in links:
        target = Path(href.removeprefix("file://"))
        assert target.is_file() and target.read_bytes().startswith(b"%PDF-"), href
    page.goto((site / "index.html").as_uri())
    link = page.get_by_role("link", name="US Letter PDF of Heterotopic ossification, Patient edition")
    assert link.get_attribute("href") == "heterotopic-ossification/heterotopic-ossification--patient--letter.pdf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_listens_on_this_machine_only_unless_told_otherwise(tmp_path, capsys):
    from handoutkit.web.server import PreviewServer

    args = make_parser(REPO).parse_args(["serve"])
    assert args.host == DEFAULT_HOST == "127.0.0.1" and args.port == 8000
    server = PreviewServer(tmp_path, args.host, 0, problem_page=lambda lines: b"")
    try:
        assert server.httpd.server_address[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    finally:
        server.stop()  # never started: stops at once
    for host in ("127.0.0.1", "::1", "localhost"):
        warn_if_public(host)
    assert capsys.readouterr().err == ""
    warn_if_public("0.0.0.0")  # --host 0.0.0.0: allowed, with a warning
    assert "anyone who can reach this machine can read the drafts" in capsys.readouterr().err


def test_serve_reloads_the_open_page_after_a_save_and_shows_problems_on_it(browser, built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "build.py"),
            "serve",
            "--root",
            str(root),
            "--port",
            str(free_port()),
            "--jobs",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = process.stdout.readline()
        url = re.search(r"serving (http://\S+)", first)
        assert url and url.group(1).startswith("http://127.0.0.1:"), first  # this machine only, by default
        page = browser.new_page()
        page.goto(url.group(1) + "minimal/patient.html")
        assert page.locator("h1").text_content() == "Minimal topic"
        topic = root / "handouts" / "minimal.yaml"
        text = topic.read_text()
        for title, expected in (
            ("title: Minimal topic, saved", "Minimal topic, saved"),
            ("title: [broken", "Problems in the content"),
            ("title: Minimal topic", "Minimal topic"),
        ):
            topic.write_text(text.replace("title: Minimal topic", title, 1))
            page.wait_for_function(
                f"document.querySelector('h1') && document.querySelector('h1').textContent == {expected!r}",
                timeout=20_000,
            )
            if expected == "Problems in the content":
                assert re.match(
                    r"handouts/minimal\.yaml:\d+:\d+: YAML syntax error", page.locator("main li").first.text_content()
                )
        assert "Problems" not in page.content()
    finally:
        process.terminate()
        process.wait(timeout=20)
