"""The build's site stage: dist/site/ planned, keyed and written with the handouts.

Each site file is an output in the manifest like a PDF, with a key of what it is
made from, so an unchanged page is not written again, a page whose topic changed
is, and the pages of a removed topic or edition are retired by the build. Pages
and the catalog are written before the PDFs render (a preview shows the words
at once); the copies of the PDFs follow the PDFs. Only the build's own pages and
PDFs and the files the content names (figures, the logo) reach the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.config import Edition
from ..content.crossrefs import check_project_file
from ..content.images import KINDS, check_image
from ..content.model import Topic
from ..editions.select import view_of
from ..make.keys import code_digest, digest, file_digest, model_json, tree_digest, versions
from ..make.plan import Output, pdf_path
from ..pdf.errors import content_error
from .paths import CATALOG, figure_path, logo_path, page_path, pdf_copy_path
from .render import WebRenderer, web_renderer
from .view import TopicLinks, catalog_entry, catalog_view, page_view

if TYPE_CHECKING:
    from ..make.pipeline import Build

WEB_LIBRARIES = ("jinja2", "markupsafe", "segno")
CATALOG_AUDIENCE = "patient"  # the catalog shows each topic as patients read it: staff hand it on in those words


@dataclass(frozen=True)
class Page:
    output: Output
    key: str
    topic: Topic  # selected for the edition's audience
    edition: Edition
    links: TopicLinks


@dataclass(frozen=True)
class FileCopy:
    output: Output
    source: Path  # a figure or logo file the content names, checked


class SiteStage:
    """Plans the site for one build run and writes it through the run (its manifest, its writer)."""

    def __init__(self, run: Build):
        self.run = run
        library = run.library
        self.root = library.root
        self.brand = library.brand
        self.brand_dir = library.brand_path.parent
        templates = self.root / "templates"
        self.assets = digest(
            tree_digest(templates / "web"), tree_digest(templates / "partials"), code_digest(), versions(WEB_LIBRARIES)
        )
        self.logo = self.plan_logo()
        self.files: dict[str, dict[str, Path]] = {}  # topic id -> figure id (and "logo") -> checked file
        self.links: dict[str, TopicLinks] = {t: self.plan_links(t) for t in sorted(library.topics)}
        self.pages = [p for t in sorted(library.topics) for p in self.plan_pages(t)]
        self.catalog = Output(CATALOG, "web-catalog")
        self.catalog_key = self.key_catalog()
        self.copies = [
            Output(pdf_copy_path(o.topic, o.edition, o.paper), "web-pdf", o.topic, o.edition, o.paper)
            for o in self.pdf_outputs()
        ]

    # ----- plan ---------------------------------------------------------------

    def editions_of(self, topic_id: str) -> list[Edition]:
        topic = self.run.library.topics[topic_id]
        return [e for e in self.run.library.editions if e.applies_to(topic)]

    def pdf_outputs(self) -> list[Output]:
        return [
            Output(pdf_path(t, e.id, p), "pdf", t, e.id, p)
            for t in sorted(self.run.library.topics)
            for e in self.editions_of(t)
            for p in e.papers
        ]

    def plan_logo(self) -> FileCopy | None:
        if self.brand.logo is None:
            return None
        source = self.checked_file(self.brand_dir, self.brand.logo, self.run.library.brand_path, "logo")
        return FileCopy(Output(logo_path(KINDS[check_image(source)]), "web-file"), source)

    def plan_links(self, topic_id: str) -> TopicLinks:
        topic, topic_file = self.run.library.topics[topic_id], self.run.library.topic_path(topic_id)
        files = {
            f.id: self.checked_file(topic_file.parent, f.src, topic_file, f"figures.{f.id}.src")
            for f in topic.figures
            if f.src is not None
        }
        self.files[topic_id] = dict(files, **({"logo": self.logo.source} if self.logo else {}))
        return TopicLinks(
            topic=topic_id,
            editions=tuple((e.id, e.label, tuple(e.papers)) for e in self.editions_of(topic_id)),
            figures={fid: figure_path(topic_id, fid, KINDS[check_image(path)]) for fid, path in files.items()},
            logo=self.logo.output.path if self.logo else None,
        )

    def plan_pages(self, topic_id: str) -> list[Page]:
        pages = []
        for edition in self.editions_of(topic_id):
            topic = view_of(self.run.library, topic_id, edition.audience)
            links = self.links[topic_id]
            key = digest(
                self.assets, "page", model_json(topic), model_json(edition), model_json(self.brand), repr(links)
            )
            pages.append(
                Page(
                    Output(page_path(topic_id, edition.id), "web-page", topic_id, edition.id),
                    key,
                    topic,
                    edition,
                    links,
                )
            )
        return pages

    def key_catalog(self) -> str:
        parts = [
            model_json(view_of(self.run.library, t, CATALOG_AUDIENCE)) + repr(links) for t, links in self.links.items()
        ]
        return digest(self.assets, "catalog", model_json(self.brand), *parts)

    def figure_copies(self) -> list[FileCopy]:
        copies = [
            FileCopy(Output(self.links[t].figures[fid], "web-file", t), path)
            for t, files in self.files.items()
            for fid, path in files.items()
            if fid != "logo"
        ]
        return copies + ([self.logo] if self.logo else [])

    def checked_file(self, base: Path, src: str, owner: Path, field: str) -> Path:
        """A file the content names, checked again by the loader's own rule (it may have changed since)."""
        problem = check_project_file(src, base, self.root)
        if problem:
            raise content_error(owner, self.root, field, problem)
        return (base / src).resolve()

    def wanted(self, outputs: list[Output]) -> list[Output]:
        return [o for o in outputs if self.run.options.selection.wants(o)]

    @property
    def outputs(self) -> list[Output]:
        """Every site file this run makes (the build retires what it made before and no longer does)."""
        planned = [p.output for p in self.pages] + [self.catalog] + [c.output for c in self.figure_copies()]
        return self.wanted(planned + self.copies)

    # ----- write --------------------------------------------------------------

    def write_pages(self) -> None:
        """The web editions, the catalog and the files they show: before the PDFs, which take longer."""
        wanted = set(self.outputs)
        for page in self.pages:
            if page.output in wanted and not self.run.is_up_to_date(page.output, page.key):
                view = page_view(page.topic, page.edition, self.brand, self.files[page.topic.id], page.links)
                self.run.record(
                    page.output, self.render().page(view, wallet=page.edition.format == "wallet-card"), page.key
                )
        if self.catalog in wanted and not self.run.is_up_to_date(self.catalog, self.catalog_key):
            self.run.record(self.catalog, self.render().catalog(self.catalog_view()), self.catalog_key)
        for copy in self.figure_copies():
            key = digest("file", file_digest(copy.source))
            if copy.output in wanted and not self.run.is_up_to_date(copy.output, key):
                self.run.record(copy.output, copy.source.read_bytes(), key)

    def copy_pdfs(self) -> None:
        """Each PDF this run has, copied into the site; the copy of a PDF that failed goes with it."""
        for copy in self.wanted(self.copies):
            entry = self.run.entries.get(pdf_path(copy.topic, copy.edition, copy.paper))
            if entry is None:
                self.run.withdraw(copy.path)
                continue
            key = digest("copy", entry["sha256"])
            if not self.run.is_up_to_date(copy, key):
                self.run.record(copy, (self.run.out / entry["path"]).read_bytes(), key)

    def changed(self, withdrawn_pdfs: set[str]) -> list[str]:
        """After a refused gate: the site files whose inputs changed since the last build (to withdraw)."""
        old = self.run.old
        keyed = [(p.output.path, p.key) for p in self.pages] + [(self.catalog.path, self.catalog_key)]
        changed = [path for path, key in keyed if path in old and old[path].get("input_hash") != key]
        copies = [c.path for c in self.copies if pdf_path(c.topic, c.edition, c.paper) in withdrawn_pdfs]
        return changed + [path for path in copies if path in old]

    # ----- helpers ------------------------------------------------------------

    def catalog_view(self) -> dict:
        entries = [
            catalog_entry(view_of(self.run.library, t, CATALOG_AUDIENCE), links) for t, links in self.links.items()
        ]
        return catalog_view(entries, self.brand, self.logo.output.path if self.logo else None)

    def render(self) -> WebRenderer:
        return web_renderer(self.root / "templates")
