"""Where things landed on the laid-out pages, measured in WeasyPrint's boxes before any PDF is written.

Two promises a stylesheet alone cannot keep for every clinic's brand and every text:

- page 1 of an edition with an urgent section holds its heading (with the emergency
  number) and its first step, whole: a long clinic name, address or a tall logo must
  not push them to page 2 unnoticed;
- everything printed lies inside the page, clear of the edge a printer cannot print
  (0.5 in on paper) or the cut edge of a card (its 3 mm margin): a label that does not
  wrap, or a long name in the running header, would otherwise be cut off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

PX_PER_IN = 96  # CSS pixels, WeasyPrint's unit
PAPER_EDGE_PX = 0.5 * PX_PER_IN  # what home printers leave blank
CARD_EDGE_PX = 3 / 25.4 * PX_PER_IN  # a wallet card's margin: the cut edge
TOLERANCE_PX = 0.5  # rounding in line boxes; far below what a reader could see


@dataclass(frozen=True)
class Outside:
    page: int  # 1-based
    text: str
    edge: str  # "left", "top", "right", "bottom"
    mm: float  # how far past the printable area


def leaf_boxes(page) -> Iterator[boxes.Box]:
    """What paints content on a page: text and images (their containers only hold them)."""
    for box in page._page_box.descendants():
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
            yield box


def outside_printable(document: Document, edge_px: float) -> list[Outside]:
    """Each text or image that reaches past `edge_px` from a page's edge, the farthest first per text."""
    found: dict[str, Outside] = {}
    for number, page in enumerate(document.pages, start=1):
        limits = (edge_px, edge_px, page.width - edge_px, page.height - edge_px)
        for box in leaf_boxes(page):
            x0, y0 = box.border_box_x(), box.border_box_y()
            x1, y1 = x0 + box.border_width(), y0 + box.border_height()
            overs = {"left": limits[0] - x0, "top": limits[1] - y0, "right": x1 - limits[2], "bottom": y1 - limits[3]}
            edge, over = max(overs.items(), key=lambda item: item[1])
            if over > TOLERANCE_PX:
                text = getattr(box, "text", "").strip() or "an image"
                if text not in found or found[text].mm < px_to_mm(over):
                    found[text] = Outside(number, text, edge, px_to_mm(over))
    return sorted(found.values(), key=lambda o: (o.page, o.text))


def px_to_mm(px: float) -> float:
    return round(px / PX_PER_IN * 25.4, 1)


def urgent_parts(document: Document) -> list[tuple[str, object]]:
    """(name, element) of what page 1 must hold: the first urgent section's heading and its first step."""
    section = next(
        (
            box.element
            for page in document.pages
            for box in page._page_box.descendants()
            if getattr(box, "element_tag", None) == "section" and "urgent" in (box.element.get("class") or "").split()
        ),
        None,
    )
    if section is None:
        return []
    heading = next((child for child in section if child.tag == "h2"), None)
    first = next((el for el in section.iter("li")), None)  # a step, or the first item of a list
    if first is None:
        first = next((el for el in section.iter("p")), None)
    return [
        (name, el)
        for name, el in (("its heading with the emergency number", heading), ("its first step", first))
        if el is not None
    ]


def pages_showing(document: Document, element) -> set[int]:
    """The 1-based pages where any part of element (or what it holds) is laid out."""
    inside = {id(el) for el in element.iter()}
    return {
        number
        for number, page in enumerate(document.pages, start=1)
        for box in page._page_box.descendants()
        if id(getattr(box, "element", None)) in inside
    }


def page_one_misses(document: Document) -> list[str]:
    """What of the urgent section is not wholly on page 1 (empty when all of it is, or there is none)."""
    missing = []
    for name, element in urgent_parts(document):
        pages = pages_showing(document, element)
        if pages != {1}:
            where = f"page {max(pages)}" if pages else "no page"
            missing.append(f"{name} (on {where})")
    return missing
