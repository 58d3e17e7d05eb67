"""The text stage: a selected topic -> one HTML document, through Jinja2.

Everything the template needs is prepared here as plain data (the view), so
the template only lays things out. Autoescape is on and undefined names are
errors, so content can never become markup, and a typo in the template fails
loudly instead of printing nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..content.config import Brand, Edition
from ..content.crossrefs import walk
from ..content.model import (
    BLANK_RE,
    PATIENT_FACING,
    QUESTION_LISTS,
    URGENCIES,
    Bullets,
    FigureBlock,
    FormBlock,
    Paragraph,
    Steps,
    TableBlock,
    Topic,
    WriteInBlock,
)
from ..editions.select import text_of
from ..web.qr import qr_view
from .diagram import draw_diagram

TEMPLATE = "handout.html.j2"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DISCLAIMER = "For learning only. It does not replace advice from your own care team."
PROFESSIONAL_DISCLAIMER = "For education. It does not replace clinical judgement or local guidance."
PRINTED = ("sections", "tips", "red_flags", *QUESTION_LISTS, "glossary", "figures")  # what a handout prints (not cards)


@dataclass(frozen=True)
class Options:
    """Parts the renderer may leave out (or move) to keep an edition within its page budget and page 1 whole."""

    glossary: bool = True
    note_lines: int = 4
    compact: bool = False  # tighter leading and spacing (never below 1.25 in large print)
    urgent_first: bool = False  # what to do right now above the summary: when page 1 would not hold it otherwise


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_view(
    topic: Topic, edition: Edition, brand: Brand, files: dict[str, Path], options: Options = Options()
) -> dict[str, Any]:
    """The template's data. `files` maps figure ids and "logo" to paths already checked."""
    patient_facing = edition.audience in PATIENT_FACING
    cite = Citations(topic, shown=not patient_facing)
    figures = {figure.id: figure for figure in topic.figures}
    return {
        "lang": topic.language,
        "title": topic.title,
        "also_called": topic.also_called,
        "summary": topic.summary,
        "respelling": stress_parts(topic.pronunciation.respelling) if edition.show_respelling else None,
        "ipa": topic.pronunciation.ipa if edition.show_ipa else None,
        "urgent": [section_view(s, figures, files, cite) for s in topic.sections if s.urgent],
        "sections": [section_view(s, figures, files, cite) for s in topic.sections if not s.urgent],
        "tips": [{"text": t.text, "cites": cite(t)} for t in topic.tips],
        "help": help_tiers(topic, brand, patient_facing, cite),
        **{name: [text_of(q) for q in getattr(topic, name)] for name in QUESTION_LISTS},
        "glossary": [glossary_view(g, edition) for g in topic.glossary] if options.glossary else [],
        "sources": [source_view(s) for s in cite.sources],
        "review": {
            "status": topic.review.status,
            "last": long_date(topic.review.last_reviewed) if topic.review.last_reviewed else None,
            "next": long_date(topic.review.next_due),
            "reviewer": topic.review.reviewer,
            "stamp": review_stamp(topic),
            "iso": content_date(topic).isoformat(),
        },
        "brand": {
            "name": brand.name,
            "phone": brand.phone,
            "website": brand.website,
            "address": brand.address,
            "emergency_number": brand.emergency_number,
            "sample": SAMPLE_MARK if brand.is_sample else None,
            "logo": files["logo"].as_uri() if "logo" in files else None,
        },
        "edition": {
            "id": edition.id,
            "label": edition.label,
            "audience": edition.audience,
            "large_print": edition.large_print,
        },
        "help_first": patient_facing,  # patients meet when-to-get-help on page 1; professionals after the body
        "patient_facing": patient_facing,
        "note_lines": range(options.note_lines),
        "compact": options.compact,
        "urgent_first": options.urgent_first,
        "disclaimer": DISCLAIMER if patient_facing else PROFESSIONAL_DISCLAIMER,
        # Plain editions lead to their web page when the clinic publishes the site (large text, a screen reader).
        "qr": qr_view(brand.site_url, topic.id, edition.id) if patient_facing else None,
    }


DRAFT_STAMP = "DRAFT - not yet clinically reviewed"
DRAFT_STAMP_SHORT = "DRAFT - not yet reviewed"
SAMPLE_MARK = "SAMPLE - add your clinic's details in brands/"


def review_stamp(topic: Topic, short: bool = False) -> str | None:
    """What every page says of the review: never "Reviewed" for a draft or for text edited since approval.

    `short` is the wallet card's: a draft or changed mark, and nothing for approved text (no room for a name).
    """
    review = topic.review
    if review.status == "draft":
        return DRAFT_STAMP_SHORT if short else DRAFT_STAMP
    if review.status == "changed":
        day = review.last_reviewed
        if short:  # the card has one line for it (beside SAMPLE on a sample brand): the mark and the date
            return f"CHANGED SINCE REVIEW {day.isoformat()}"
        return f"CHANGED SINCE REVIEW on {long_date(day)} - not yet re-approved"
    return None if short else f"Reviewed by {review.reviewer}, {long_date(review.last_reviewed)}"


def content_date(topic: Topic) -> dt.date:
    """The PDF's date, from the content (never the clock): the review, else the newest source read."""
    return topic.review.last_reviewed or max(s.accessed for s in topic.sources)


class Citations:
    """Source numbers for what an item cites; printed for professionals only."""

    def __init__(self, topic: Topic, shown: bool):
        # An edition lists the sources of what it prints, not every source of the topic.
        cited = {
            c.source
            for name in PRINTED
            for _, obj in walk(getattr(topic, name))
            for c in getattr(obj, "cites", None) or ()
        }
        self.sources = [source for source in topic.sources if source.id in cited]
        self.numbers = {source.id: index for index, source in enumerate(self.sources, start=1)}
        self.shown = shown

    def __call__(self, item: Any) -> list[int]:
        cites = getattr(item, "cites", None) or []
        return sorted({self.numbers[c.source] for c in cites}) if self.shown else []


def block_view(block: Any, figures: dict[str, Any], files: dict[str, Path], cite: Citations) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.paragraph, "cites": cite(block)}
    if isinstance(block, (Bullets, Steps)):
        items = block.bullets if isinstance(block, Bullets) else block.steps
        return {
            "kind": "bullets" if isinstance(block, Bullets) else "steps",
            "intro": block.intro,
            "items": [{"text": text_of(i), "cites": cite(i)} for i in items],
            "cites": cite(block),
            "aside": None,  # a picture drawn beside the list (with_asides)
        }
    if isinstance(block, TableBlock):
        table = block.table
        return {
            "kind": "table",
            "caption": table.caption,
            "header": table.header,
            "rows": table.rows,
            "cites": cite(block),
        }
    if isinstance(block, FigureBlock):
        return figure_view(figures[block.figure], files, cite)
    if isinstance(block, FormBlock):
        form = block.form
        return {
            "kind": "form",
            "caption": form.caption,
            "columns": form.columns,
            "rows": range(form.rows),
            "note": form.note,
            "cites": cite(block),
        }
    if isinstance(block, WriteInBlock):
        box = block.write_in
        return {
            "kind": "write_in",
            "title": box.title,
            "lines": [blank_parts(text_of(line)) for line in box.lines],
            "note": box.note,
            "cites": cite(block),
        }
    raise TypeError(f"no view for block {type(block).__name__}")


def blank_parts(line: str) -> list[str]:
    """A write-in line as its words and blanks, alternately: 'Act if it is ___ or more' -> ['Act if it is', 'or more'].

    A line with no blank gets one at its end, so every line has a place to write.
    """
    parts = [part.strip() for part in BLANK_RE.split(line)]
    return parts if len(parts) > 1 else parts + [""]


def figure_view(figure: Any, files: dict[str, Path], cite: Citations) -> dict[str, Any]:
    """A drawn figure carries its SVG inline; a file figure its (allow-listed) file URL."""
    drawn = figure.diagram is not None
    return {
        "kind": "figure",
        "id": figure.id,
        "diagram": figure.diagram,
        "alt": figure.alt,
        "caption": figure.caption,
        "cites": cite(figure),
        "svg": draw_diagram(figure, figure.alt) if drawn else None,
        "src": None if drawn else files[figure.id].as_uri(),
    }


def glossary_view(word: Any, edition: Edition) -> dict[str, Any]:
    return {
        "term": word.term,
        "respelling": stress_parts(word.respelling) if edition.show_respelling else None,
        "ipa": word.ipa if edition.show_ipa else None,
        "meaning": word.meaning,
    }


def section_view(section: Any, figures: dict[str, Any], files: dict[str, Path], cite: Citations) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "blocks": with_asides([block_view(b, figures, files, cite) for b in section.blocks]),
    }


ASIDE_DIAGRAMS = ("sitting-up", "spine-level")  # small pictures drawn at the right of the text they illustrate


def with_asides(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A small picture placed just before a list is drawn beside the list's first items, after its intro.

    Beside the intro it would narrow the one line that needs no picture and push the list down; beside
    step 1 it shows the step it pictures, and the lines it narrows are the short ones of a numbered list.
    """
    merged: list[dict[str, Any]] = []
    for view in views:
        before = merged[-1] if merged else None
        if view["kind"] in ("bullets", "steps") and before and before.get("diagram") in ASIDE_DIAGRAMS:
            view = {**view, "aside": merged.pop()}
        merged.append(view)
    return merged


def help_tiers(topic: Topic, brand: Brand, patient_facing: bool, cite: Citations) -> list[dict[str, Any]]:
    """The red flags grouped by urgency, most urgent first; a tier with no flags is left out.

    Each tier has one heading and one action, and that action names who to call and
    the number, so the heading and what the reader does can never disagree.
    """
    tiers = []
    for urgency in URGENCIES:
        flags = [f for f in topic.red_flags if f.urgency == urgency]
        if flags:
            heading, action = tier_wording(urgency, brand, patient_facing)
            tiers.append(
                {
                    "urgency": urgency,
                    "heading": heading,
                    "action": action,
                    "items": [{"sign": f.sign, "action": f.action, "cites": cite(f)} for f in flags],
                }
            )
    return tiers


def tier_wording(urgency: str, brand: Brand, patient_facing: bool) -> tuple[str, str]:
    emergency = brand.emergency_number
    if not patient_facing:
        return {
            "emergency": (f"Emergency: call {emergency}", "Send to the emergency department now."),
            "today": ("Same day", "Assess the same day."),
            "soon": ("Within days", "Review within a few days; do not wait for the next visit."),
        }[urgency]
    return {
        "emergency": (f"Call {emergency} now if…", f"Call {emergency} now. This is an emergency."),
        "today": ("Call your care team today if…", f"Call {brand.phone} today."),
        "soon": (
            "Tell your care team within a few days if…",
            "Tell them within a few days. Don't wait for your next visit.",
        ),
    }[urgency]


def source_view(source: Any) -> dict[str, Any]:
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "link": is_web(source.url),
        "date": source.date,
        "accessed": long_date(source.accessed),
    }


def stress_parts(respelling: str) -> list[list[tuple[str, bool]]]:
    """'het-er-oh-TOP-ik oss' -> words of pieces; a piece in capitals is stressed (printed bold).

    Words are kept whole on a line: a respelling broken at one of its hyphens misleads.
    """
    return [
        [(piece, piece.isupper() and piece.isalpha()) for piece in re.split(r"(-+)", word) if piece]
        for word in respelling.split()
    ]


def is_web(url: str | None) -> bool:
    """Only http(s) sources become links; anything else prints as plain text."""
    return bool(url) and re.match(r"^https?://[^\s\"'<>]+$", url) is not None


def long_date(date: dt.date) -> str:
    """'23 November 2026': the same in every locale, and unambiguous on A4 and Letter."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def render_template(env: jinja2.Environment, view: dict[str, Any], template: str = TEMPLATE) -> str:
    return env.get_template(template).render(**view)


def wallet_view(topic: Topic, edition: Edition, brand: Brand) -> dict[str, Any]:
    """A wallet card's two sides, from the topic's `wallet_card` as selected for the edition's audience."""
    card, cite = topic.wallet_card, Citations(topic, shown=False)
    return {
        "lang": topic.language,
        "title": topic.title,
        "summary": topic.summary,
        "sides": [
            {
                "title": side.title,
                "write_in": side.write_in,
                "blocks": [block_view(b, {}, {}, cite) for b in side.blocks],
            }
            for side in (card.front, card.back)
        ],
        "brand": {"name": brand.name, "phone": brand.phone, "sample": "SAMPLE" if brand.is_sample else None},
        "stamp": review_stamp(topic, short=True),
        "review": {"iso": content_date(topic).isoformat()},
        "edition": {"label": edition.label},
    }
