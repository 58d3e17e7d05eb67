"""A web page's data: the PDF's own view of the selected topic, plus what a screen adds.

The words, the audience rule, the figures, the help tiers and the review stamp
come from pdf/html.py's build_view (and wallet_view for a wallet card), given
the topic exactly as selection produced it: nothing here decides what an
audience sees. The web adds links (to the catalog, the other editions, the
PDFs to print), the clinic's numbers as tel: links, and site addresses for
figure files in place of the renderer's file:// URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.config import Brand, Edition
from ..content.model import Topic
from ..pdf.html import SAMPLE_MARK, build_view, review_stamp, wallet_view
from .links import link_numbers, number_pattern, tel_href
from .paths import CATALOG, PAPER_LABELS, link, page_path, pdf_copy_path

LINKED_FIELDS = frozenset({"text", "intro", "sign", "action", "heading", "summary"})  # where a number may be said


@dataclass(frozen=True)
class TopicLinks:
    """What a topic's pages link to: its editions (id, label, papers) and its files' places in the site."""

    topic: str
    editions: tuple[tuple[str, str, tuple[str, ...]], ...]
    figures: dict[str, str] = field(default_factory=dict)  # figure id -> site path
    logo: str | None = None  # the brand's logo, site path

    def pdfs(self, edition_id: str, here: str) -> list[dict[str, str]]:
        papers = next(p for e, _, p in self.editions if e == edition_id)
        return [
            {"paper": PAPER_LABELS.get(paper, paper), "href": link(here, pdf_copy_path(self.topic, edition_id, paper))}
            for paper in papers
        ]


def page_view(
    topic: Topic, edition: Edition, brand: Brand, files: dict[str, Path], links: TopicLinks
) -> dict[str, Any]:
    """One web edition: `topic` is the edition's selection (editions.select.view_of)."""
    here = page_path(topic.id, edition.id)
    if edition.format == "wallet-card":
        view = wallet_view(topic, edition, brand)
        blocks = [b for side in view["sides"] for b in side["blocks"]]
        # The card prints its marks on one line ("DRAFT - not yet reviewed · SAMPLE"): so does its page.
        line = " · ".join(mark for mark in (view["stamp"], view["brand"]["sample"]) if mark)
        marks = [(topic.review.status if view["stamp"] else "sample", line)]
    else:
        view = build_view(topic, edition, brand, files)
        blocks = [b for s in view["urgent"] + view["sections"] for b in s["blocks"]]
        marks = [(view["review"]["status"], view["review"]["stamp"]), ("sample", view["brand"]["sample"])]
    view["stamps"] = stamps(marks)  # what the printed page's header says, word for word
    for block in blocks:
        if block["kind"] == "figure" and block.get("src"):
            block["src"] = link(here, links.figures[block["id"]])
    view["brand"] = brand_view(brand, here, links.logo)
    view["web"] = {
        "here": here,
        "catalog": link(here, CATALOG),
        "editions": [
            {"label": label, "href": link(here, page_path(topic.id, e)), "current": e == edition.id}
            for e, label, _ in links.editions
        ],
        "pdfs": links.pdfs(edition.id, here),
        "large_print": edition.large_print,
    }
    return link_clinic_numbers(view, number_pattern([brand.phone, brand.emergency_number]))


def stamps(marks: list[tuple[str, str | None]]) -> list[dict[str, str]]:
    return [{"kind": kind, "text": text} for kind, text in marks if text]


def brand_view(brand: Brand, here: str, logo: str | None) -> dict[str, Any]:
    return {
        "name": brand.name,
        "phone": brand.phone,
        "phone_href": tel_href(brand.phone),
        "emergency_number": brand.emergency_number,
        "emergency_href": tel_href(brand.emergency_number),
        "website": brand.website,
        "address": brand.address,
        "sample": SAMPLE_MARK if brand.is_sample else None,
        "logo": link(here, logo) if logo else None,
    }


def link_clinic_numbers(value: Any, pattern, key: str | None = None) -> Any:
    """Every text field of the view with the clinic's numbers as tel: links (in place; returns the view)."""
    if isinstance(value, dict):
        for name, item in value.items():
            value[name] = link_clinic_numbers(item, pattern, name)
    elif isinstance(value, list):
        value[:] = [link_clinic_numbers(item, pattern, key) for item in value]
    elif isinstance(value, str) and key in LINKED_FIELDS:
        return link_numbers(value, pattern)
    return value


def catalog_entry(topic: Topic, links: TopicLinks) -> dict[str, Any]:
    """One topic in the catalog: `topic` as the patient edition shows it (plain words for staff too)."""
    stamp = review_stamp(topic)
    return {
        "id": topic.id,
        "title": topic.title,
        "also_called": topic.also_called,
        "summary": topic.summary,
        "lang": topic.language,
        "review": {"status": topic.review.status, "stamp": stamp},
        "names": " ".join([topic.title, *topic.also_called, topic.id.replace("-", " ")]).lower(),
        "editions": [
            {"id": e, "label": label, "href": link(CATALOG, page_path(topic.id, e)), "pdfs": links.pdfs(e, CATALOG)}
            for e, label, _ in links.editions
        ],
    }


def catalog_view(entries: list[dict[str, Any]], brand: Brand, logo: str | None) -> dict[str, Any]:
    """The catalog: topics by title, and an index of every name and short name (found without a script)."""
    names = [(name, t) for t in entries for name in (t["title"], *t["also_called"])]
    return {
        "lang": "en",
        "brand": brand_view(brand, CATALOG, logo),
        "stamps": stamps([("sample", SAMPLE_MARK if brand.is_sample else None)]),
        "topics": sorted(entries, key=lambda t: t["title"].lower()),
        "index": sorted(names, key=lambda pair: (pair[0].lower(), pair[1]["id"])),
    }
