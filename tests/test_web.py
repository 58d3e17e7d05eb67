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

from handoutkit.cli import main
from handoutkit.make.pipeline import BuildOptions, Fresh, build
from handoutkit.pdf.html import DRAFT_STAMP, SAMPLE_MARK

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
    page.get_by_label("Find a topic by name or short name").fill("ho")
    assert visible_topics(page) == ["Heterotopic ossification"]
    page.get_by_label("Find a topic by name or short name").fill("minim")
    assert visible_topics(page) == ["Minimal topic"]
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
