"""Wiring: topic -> HTML -> laid-out document (within the page budget) -> PDF bytes.

One HandoutRenderer serves many documents: the Jinja environment, the parsed
CSS and the loaded fonts are built once. Each document gets its own fetcher
allowing exactly the templates folder plus the files that document shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import FatalURLFetchingError

from ..content.config import Brand, Edition
from ..content.crossrefs import check_project_file
from ..content.model import Topic
from ..errors import ContentError, Problem, display_path, quote
from . import columns, deflate
from .errors import RenderError, content_error
from .fetcher import AllowListFetcher
from .glyphs import GlyphCoverage, check_document_fonts, texts_of
from .html import Options, build_view, make_environment, render_template, wallet_view
from .logs import weasyprint_logs_as_errors
from .placement import CARD_EDGE_PX, PAPER_EDGE_PX, outside_printable, page_one_misses
from .styles import Styles

PDF_VARIANT = "pdf/ua-1"
WALLET_TEMPLATE = "wallet-card.html.j2"
PAPERS = ("letter", "a4", "id-1")
# Remembered fits; a build has one per topic, edition and paper. A dict, not functools.lru_cache: it keeps
# where a search for a fitting layout ended so the next search starts there; there is no pure function to cache.
MEMORY = 1024
# What to give up, in order, when an edition runs over its page budget. Each try
# is a full layout (most of a render's cost), so standard print starts at the
# compact spacing that two-page handouts need anyway; large print keeps its
# generous spacing first.
LARGE_PRINT_FALLBACKS = (
    Options(),
    Options(compact=True, note_lines=3),
    Options(compact=True, note_lines=3, glossary=False),
    Options(compact=True, note_lines=2, glossary=False),
)
STANDARD_FALLBACKS = LARGE_PRINT_FALLBACKS[1:]


@dataclass
class Job:
    """One document to render: what, in which format, and the files it may read."""

    topic: Topic
    edition: Edition
    paper: str
    brand: Brand
    topic_file: Path
    brand_dir: Path
    files: dict[str, Path]  # figure id or "logo" -> checked path inside the project

    @property
    def name(self) -> str:
        return f"{self.topic.id} ({self.edition.id}, {self.paper})"

    def key(self) -> str:
        """Everything that decides the layout, so a remembered fit is only reused for the same input."""
        parts = (
            self.topic.model_dump_json(),
            self.edition.model_dump_json(),
            self.paper,
            self.brand.model_dump_json(),
            str(sorted((k, str(v)) for k, v in self.files.items())),
        )
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@dataclass
class Fitted:
    html: str
    document: Document


class HandoutRenderer:
    """Renders selected topics as handout HTML and tagged, reproducible PDF."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.templates_dir = self.root / "templates"
        self.fetcher = AllowListFetcher(folders=[self.templates_dir])
        self.env = make_environment(self.templates_dir)
        self.coverage = GlyphCoverage(self.templates_dir / "fonts")
        with weasyprint_logs_as_errors("templates/handout.css"), fetch_refusals_as_errors():
            self.styles = Styles(self.templates_dir, self.fetcher)
        # Which fallback level fitted each input, so render_html then render_pdf of
        # the same document lays it out once more, not once per level again.
        self.fitted_levels: dict[str, int] = {}

    def render_html(
        self, topic: Topic, edition: Edition, paper: str, brand: Brand, *, topic_dir: Path, brand_dir: Path
    ) -> str:
        """The HTML of the handout as printed (after fitting it to the page budget)."""
        job = self.prepare(topic, edition, paper, brand, topic_dir, brand_dir)
        return self.fit(job).html

    def render_pdf(
        self, topic: Topic, edition: Edition, paper: str, brand: Brand, *, topic_dir: Path, brand_dir: Path
    ) -> bytes:
        """The handout as PDF/UA-1 bytes; the same input always gives the same bytes."""
        return self.render_pdf_pages(topic, edition, paper, brand, topic_dir=topic_dir, brand_dir=brand_dir)[0]

    def render_pdf_pages(
        self, topic: Topic, edition: Edition, paper: str, brand: Brand, *, topic_dir: Path, brand_dir: Path
    ) -> tuple[bytes, int]:
        """The PDF bytes and its page count (for the build's page-budget gate)."""
        job = self.prepare(topic, edition, paper, brand, topic_dir, brand_dir)
        document = self.fit(job).document
        return self.write(job, document), len(document.pages)

    # ----- stages -----------------------------------------------------------

    def prepare(
        self, topic: Topic, edition: Edition, paper: str, brand: Brand, topic_dir: Path, brand_dir: Path
    ) -> Job:
        """Check what content can break (paper, files, characters) before any layout."""
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
        topic_file = Path(topic_dir).resolve() / f"{topic.id}.yaml"
        files = {
            f.id: self.project_file(topic_dir, f.src, topic_file, f"figures.{f.id}.src")
            for f in topic.figures
            if f.src is not None
        }
        if brand.logo is not None:
            files["logo"] = self.project_file(brand_dir, brand.logo, Path(brand_dir), "logo")
        self.check_glyphs(topic, topic_file, brand, Path(brand_dir), edition)
        return Job(topic, edition, paper, brand, topic_file, Path(brand_dir).resolve(), files)

    def fit(self, job: Job) -> Fitted:
        """Lay out the fullest version that keeps within the edition's page budget, with page 1 whole.

        The fallbacks are tried in order (compact spacing, fewer note lines, no glossary), each
        with what to do right now in its place and, if page 1 would not hold it there, above the
        summary; the first that fits wins, else the most compact one is returned. Then what
        landed where is checked (placement.py): a ContentError when page 1 lacks the urgent
        section's heading or first step, or when anything runs off the page.
        """
        if job.edition.format == "wallet-card":  # two fixed sides: nothing to fall back on
            html = render_template(self.env, wallet_view(job.topic, job.edition, job.brand), WALLET_TEMPLATE)
            fitted = Fitted(html, self.layout(job, html))
        else:
            fitted = self.fit_handout(job)
        self.check_placement(job, fitted.document)
        return fitted

    def fit_handout(self, job: Job) -> Fitted:
        budget = job.edition.page_budget
        key = job.key()
        fallbacks = LARGE_PRINT_FALLBACKS if job.edition.large_print else STANDARD_FALLBACKS
        urgent = any(s.urgent for s in job.topic.sections)
        if urgent:
            fallbacks = tuple(o for level in fallbacks for o in (level, replace(level, urgent_first=True)))
        holds_page_one = None  # the most compact layout so far whose page 1 is whole
        for level in range(self.fitted_levels.get(key, 0), len(fallbacks)):
            view = build_view(job.topic, job.edition, job.brand, job.files, fallbacks[level])
            html = render_template(self.env, view)
            document = self.layout(job, html)
            if not urgent or not page_one_misses(document):
                holds_page_one = (level, html, document)
                if budget is None or len(document.pages) <= budget:
                    break
        # Over budget even at the last level: return the most compact version that keeps page 1
        # whole and let the build's page-budget gate report it (it knows the edition's gate level).
        if holds_page_one is not None:
            level, html, document = holds_page_one
        self.remember_level(key, level)
        return Fitted(html, document)

    def check_placement(self, job: Job, document: Document) -> None:
        """What a patient must see is on page 1, and nothing printed runs off the page or card."""
        where = f"the {job.edition.id} edition ({job.paper})"
        misses = page_one_misses(document) if any(s.urgent for s in job.topic.sections) else []
        if misses:
            section = next(s for s in job.topic.sections if s.urgent)
            raise content_error(
                job.topic_file,
                self.root,
                "sections",
                (
                    f"expected '{section.title}' whole on page 1 of {where}: its heading with the emergency number and "
                    f"its first step; found {' and '.join(misses)}; shorten what comes before it (the summary, the "
                    f"first "
                    "step) or the brand's name, address or logo"
                ),
            )
        edge = CARD_EDGE_PX if job.paper == "id-1" else PAPER_EDGE_PX
        problems = []
        for outside in outside_printable(document, edge):
            owner, field = self.owner_of(job, outside.text)
            margin = "the card's 3 mm margin" if job.paper == "id-1" else "the 0.5 in a printer leaves blank"
            problems.append(
                Problem(
                    display_path(owner, self.root),
                    1,
                    1,
                    field,
                    (
                        f"expected everything printed inside the page of {where}, clear of {margin}, found "
                        f"{quote(outside.text)} "
                        f"running {outside.mm:g} mm past the {outside.edge} edge on page {outside.page}; shorten it"
                    ),
                )
            )
        if problems:
            raise ContentError(problems)

    def owner_of(self, job: Job, text: str) -> tuple[Path, str]:
        """The file and field a printed line comes from: the field holding the longest run of its words
        (a line may be part of a field, hold one, or mix one with the template's words)."""
        words = text.split()
        footer = f"{job.topic.title} · {job.edition.label}"  # the running footer line, as handout.html.j2 prints it
        if " ".join(words) in footer:  # a title too long for one footer line: the words past the edge are the label's
            return job.topic_file, "title"
        named = [
            (owner, field, value)
            for owner, texts in ((job.topic_file, texts_of(job.topic)), (job.brand_dir, texts_of(job.brand)))
            for field, value in texts
        ]
        for size in range(len(words), min(len(words), 2) - 1, -1):
            for start in range(len(words) - size + 1):
                run = " ".join(words[start : start + size]).strip(" :·.,;")
                found = next(((owner, field) for owner, field, value in named if run and run in value), None)
                if found == (job.topic_file, "review.reviewer"):  # the approval record says who, not the topic
                    return self.root / "approvals" / f"{job.topic.id}.json", "reviewer"
                if found:
                    return found
        return job.topic_file, ""

    def remember_level(self, key: str, level: int) -> None:
        if len(self.fitted_levels) >= MEMORY:
            self.fitted_levels.clear()
        self.fitted_levels[key] = level

    def layout(self, job: Job, html: str) -> Document:
        fetcher = self.fetcher.with_files(job.files.values())
        with (
            weasyprint_logs_as_errors(job.name, blame=lambda message: self.blame_file(job, message)),
            fetch_refusals_as_errors(),
            columns.active(),
        ):
            return HTML(string=html, base_url=self.styles.base_url, url_fetcher=fetcher).render(
                font_config=self.styles.font_config,
                stylesheets=self.styles.for_format(job.paper, job.edition.large_print, job.edition.body_pt),
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
            )

    def write(self, job: Job, document: Document) -> bytes:
        with weasyprint_logs_as_errors(job.name), fetch_refusals_as_errors(), deflate.active():
            return document.write_pdf(
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                pdf_identifier=identifier(job),
                finisher=lambda doc, pdf: check_document_fonts(doc),
            )

    # ----- checks -----------------------------------------------------------

    def blame_file(self, job: Job, message: str) -> ContentError | None:
        """A WeasyPrint complaint about a figure or logo file is the content's error, not ours."""
        for name, path in job.files.items():
            if path.as_uri() in message or str(path) in message:
                owner, field = (job.brand_dir, "logo") if name == "logo" else (job.topic_file, f"figures.{name}.src")
                message = f"expected an image WeasyPrint can draw, found a file it cannot read: {message}"
                return content_error(owner, self.root, field, message)
        return None

    def project_file(self, base: Path, src: str, owner: Path, field: str) -> Path:
        """A file a topic or brand names, checked by the loader's own rule (renderers may be called directly)."""
        problem = check_project_file(src, Path(base), self.root)
        if problem:
            raise content_error(owner, self.root, field, problem)
        return (Path(base) / src).resolve()

    def check_glyphs(self, topic: Topic, topic_file: Path, brand: Brand, brand_dir: Path, edition: Edition) -> None:
        """Every character must be in the handout fonts, or Pango would quietly use a system font."""
        owners = (
            (topic_file, texts_of(topic)),
            (brand_dir, texts_of(brand)),
            (self.root / "editions.yaml", texts_of(edition, ("editions", edition.id))),
        )
        problems = [
            Problem(display_path(path, self.root), 1, 1, field, message)
            for path, texts in owners
            for field, message in self.coverage.problems(texts)
        ]
        if problems:
            raise ContentError(problems)


def identifier(job: Job) -> bytes:
    """A fixed file identifier per document (not random, not time-based)."""
    key = f"{job.topic.id}/{job.edition.id}/{job.paper}".encode()
    return hashlib.sha256(key).hexdigest()[:32].encode()


@contextmanager
def fetch_refusals_as_errors() -> Iterator[None]:
    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"WeasyPrint tried to read something outside the allow-list: {cause}") from exc
