"""Hostile content prints as text, and WeasyPrint reads nothing outside the allow-list.

Content is written by people and may be pasted from anywhere: markup in it must
never become markup in the handout, and no URL in it, a template or the CSS may
bring a file from elsewhere on the machine (or the network) into a PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pikepdf
import pytest
from weasyprint.urls import FatalURLFetchingError, fetch

from handoutkit.content.library import load_library
from handoutkit.content.model import Topic
from handoutkit.editions.select import select_edition
from handoutkit.pdf import HandoutRenderer, RenderError
from handoutkit.pdf.fetcher import AllowListFetcher, FetchRefused

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
TOPIC_ID = "heterotopic-ossification"
PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_bytes().split(b"\n")[0]  # e.g. b"root:x:0:0:root:/root:/bin/bash"

HOSTILE = {
    "title": '<script>alert("x")</script> Bone',
    "summary": '<img src="file:///etc/passwd"> <b>not bold</b> <style>@import url(file:///etc/passwd);</style>',
    "paragraph": '<a rel="attachment" href="file:///etc/passwd">attach me</a> '
    '<link rel="attachment" href="file:///etc/passwd">',
    "tip": '<iframe src="https://example.com/"></iframe> {{ 7 * 7 }} {% raw %}',
    "alt": '"><script>alert(1)</script><title>fake',
    "brand": '</p><base href="file:///etc/"><img src="passwd">',
}
# Tags the handout template itself writes; anything else in the HTML came from content.
TEMPLATE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "div",
    "p",
    "span",
    "header",
    "main",
    "h1",
    "h2",
    "h3",
    "section",
    "ul",
    "ol",
    "li",
    "strong",
    "sup",
    "figure",
    "figcaption",
    "svg",
    "polyline",
    "path",
    "circle",
    "line",
    "text",
    "g",
    "rect",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "a",
}


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


@pytest.fixture(scope="module")
def renderer():
    return HandoutRenderer(ROOT)


@pytest.fixture(scope="module")
def hostile(library) -> tuple[Topic, object]:
    """The real patient topic and brand with markup, template syntax and file URLs in their text."""
    content = select_edition(library.topics[TOPIC_ID], "patient").model_dump(by_alias=True, exclude_none=True)
    content["title"] = HOSTILE["title"]
    content["summary"] = HOSTILE["summary"]
    content["sections"][0]["blocks"].insert(0, {"paragraph": HOSTILE["paragraph"]})
    content["tips"][0]["text"] = HOSTILE["tip"]
    content["figures"][0]["alt"] = HOSTILE["alt"]
    content["sources"][0]["url"] = "file:///etc/passwd"
    content["sources"][1]["url"] = "javascript:alert(1)"
    content["sources"][2]["url"] = "https://example.org/ho"
    brand = library.brand.model_copy(update={"name": HOSTILE["brand"]})
    return Topic.model_validate(content), brand


@pytest.fixture(scope="module")
def hostile_html(renderer, library, hostile) -> str:
    topic, brand = hostile
    return renderer.render_html(topic, patient(library), "letter", brand, **dirs(library))


@pytest.fixture(scope="module")
def hostile_pdf(renderer, library, hostile, tmp_path_factory) -> Path:
    topic, brand = hostile
    path = tmp_path_factory.mktemp("hostile") / "hostile.pdf"
    # The clinician edition: it prints every source's URL (plain editions name publishers only).
    clinician = next(e for e in library.editions if e.id == "clinician")
    path.write_bytes(renderer.render_pdf(topic, clinician, "letter", brand, **dirs(library)))
    return path


def patient(library):
    return next(e for e in library.editions if e.id == "patient")


def dirs(library) -> dict[str, Path]:
    return {"topic_dir": library.topic_path(TOPIC_ID).parent, "brand_dir": library.brand_path.parent}


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


# ----- content markup stays text --------------------------------------------------------------


def test_content_markup_is_escaped_in_the_html(hostile_html):
    tags = Tags(hostile_html).tags
    assert {tag for tag, _ in tags} <= TEMPLATE_TAGS
    assert not [attrs for tag, attrs in tags if tag == "a" and not attrs.get("href", "").startswith("https://")]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Bone" in hostile_html
    assert "{{ 7 * 7 }} {% raw %}" in hostile_html  # template syntax in content is not run


def test_content_markup_prints_as_literal_text(hostile_pdf):
    text = pdf_text(hostile_pdf)
    for literal in (
        HOSTILE["title"],
        '<img src="file:///etc/passwd">',
        "<b>not bold</b>",
        '<a rel="attachment"',
        "{{ 7 * 7 }}",
        "file:///etc/passwd",
        "javascript:alert(1)",
        '<base href="file:///etc/">',
    ):
        assert literal in text, literal


def test_nothing_outside_the_project_gets_into_the_pdf(hostile_pdf):
    raw = hostile_pdf.read_bytes()
    with pikepdf.open(hostile_pdf) as pdf:
        assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names
        streams = b"".join(o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream))
        links = [a.A.URI for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert SECRET not in raw and SECRET not in streams
    assert b"/JavaScript" not in raw and b"/Launch" not in raw and b"/EmbeddedFile" not in raw
    uris = [str(uri) for uri in links]
    assert "https://example.org/ho" in uris  # the hostile topic's one web source is linked...
    assert all(uri.startswith("https://") for uri in uris)  # ...and file: and javascript: never are
    assert images == []  # the <img> tags in content were never loaded


def test_alt_text_with_markup_is_still_the_figure_alt(hostile_pdf):
    with pikepdf.open(hostile_pdf) as pdf:
        alts = [str(e.Alt) for e in pdf.objects if isinstance(e, pikepdf.Dictionary) and e.get("/S") == "/Figure"]
    assert HOSTILE["alt"] in alts  # the hostile alt, as text, on the figure it was given to
    assert not any("<" in alt and alt != HOSTILE["alt"] for alt in alts)


def test_jinja_autoescapes_and_refuses_undefined_names(renderer):
    assert renderer.env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        renderer.env.from_string("{{ missing }}").render()
    with pytest.raises(jinja2.UndefinedError):
        renderer.env.from_string("{{ x.nope }}").render(x={})


# ----- the fetcher --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"{TEMPLATES.as_uri()}/../../../../../etc/passwd",
        f"{TEMPLATES.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://otherhost/etc/passwd",
        "http://127.0.0.1/handout.css",
        "https://example.com/handout.css",
        "ftp://example.com/x",
        "data:text/css,body{}",
        f"{(ROOT / 'pyproject.toml').as_uri()}",  # inside the project, but not on the list
        f"{TEMPLATES.as_uri()}/no-such-file.css",
    ],
)
def test_fetcher_refuses_everything_off_the_list(url):
    fetcher = AllowListFetcher(folders=[TEMPLATES])
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    with pytest.raises(FatalURLFetchingError), fetch(fetcher, url):  # and WeasyPrint stops, not carries on
        pass


def test_fetcher_serves_templates_and_listed_files_only(tmp_path):
    figure, sibling = tmp_path / "figure.svg", tmp_path / "secret.txt"
    figure.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    sibling.write_text("secret")
    fetcher = AllowListFetcher(folders=[TEMPLATES]).with_files([figure])
    css = fetcher.fetch((TEMPLATES / "handout.css").as_uri())
    assert css.content_type == "text/css" and b"@font-face" in css.read()
    assert fetcher.fetch(figure.as_uri()).content_type == "image/svg+xml"
    with pytest.raises(FetchRefused):
        fetcher.fetch(sibling.as_uri())


def test_fetcher_follows_symlinks_before_deciding(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "passwd.css").symlink_to(PASSWD)
    with pytest.raises(FetchRefused):
        AllowListFetcher(folders=[templates]).fetch((templates / "passwd.css").as_uri())


# ----- templates and CSS are held to the same list ------------------------------------------------


def project_with_css(tmp_path: Path, extra_css: str) -> Path:
    root = tmp_path / "project"
    for name in ("templates", "handouts", "brands"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "editions.yaml", root / "editions.yaml")
    css = root / "templates" / "handout.css"
    css.write_text(extra_css + "\n" + css.read_text())  # first, so an @import is still valid
    return root


@pytest.mark.parametrize(
    "css",
    [
        '@import url("file:///etc/passwd");',
        '@import url("https://example.com/evil.css");',
        '@font-face { font-family: "Sneaky"; src: url("file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"); }',
    ],
)
def test_stylesheet_reaching_outside_fails_at_start_up(tmp_path, css):
    with pytest.raises(RenderError, match="outside the allow-list"):
        HandoutRenderer(project_with_css(tmp_path, css))


def test_stylesheet_image_outside_fails_the_render(tmp_path):
    root = project_with_css(tmp_path, 'main { background-image: url("file:///etc/passwd"); }')
    library = load_library(root)
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    with pytest.raises(RenderError, match="etc/passwd"):
        HandoutRenderer(root).render_pdf(
            topic, patient(library), "letter", library.brand, topic_dir=root / "handouts", brand_dir=root / "brands"
        )


def test_a_system_font_never_reaches_the_pdf(tmp_path):
    """A stylesheet naming an installed font is caught after layout: only our fonts may be embedded."""
    root = project_with_css(tmp_path, 'h1 { font-family: "DejaVu Serif"; }')
    library = load_library(root)
    topic = select_edition(library.topics[TOPIC_ID], "patient")
    with pytest.raises(RenderError, match="DejaVu Serif"):
        HandoutRenderer(root).render_pdf(
            topic, patient(library), "letter", library.brand, topic_dir=root / "handouts", brand_dir=root / "brands"
        )


def test_html_and_every_css_object_use_the_allow_list(renderer):
    assert isinstance(renderer.styles.fetcher, AllowListFetcher)
    assert renderer.styles.fetcher.folders == (TEMPLATES.resolve(),) and not renderer.styles.fetcher.files
    assert re.fullmatch(r"file:///.*/templates/", renderer.styles.base_url)


def test_every_read_goes_through_the_fetcher_and_stays_in_templates(monkeypatch, library):
    fetched = []
    original = AllowListFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(AllowListFetcher, "fetch", recording)
    fresh = HandoutRenderer(ROOT)
    fresh.render_pdf(
        select_edition(library.topics[TOPIC_ID], "patient"), patient(library), "letter", library.brand, **dirs(library)
    )
    assert f"{TEMPLATES.as_uri()}/handout.css" in fetched
    assert any(url.endswith(".ttf") for url in fetched)
    assert all(url.startswith(TEMPLATES.as_uri() + "/") for url in fetched), fetched
