"""Stylesheets: the shared handout.css, parsed once, and a small per-format sheet.

Parsing CSS also loads the @font-face fonts into the FontConfiguration, which
is the slow part; both are built once per renderer and reused for every
document. The per-format sheet (paper size, margins, body size) is generated
from numbers only, never from content, and cached per format.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from .fetcher import AllowListFetcher

STYLESHEET = "handout.css"
WALLET_STYLESHEET = "wallet-card.css"
PAPER_WIDTH_IN = {"letter": 8.5, "a4": 210 / 25.4}
PAGE_SIZE = {"letter": "letter", "a4": "A4", "id-1": "85.6mm 54mm"}  # id-1: ISO/IEC 7810 card size
CARD_MARGIN_MM = 3
LARGE_PRINT_MEASURE_IN = 6.0  # longest line in large print
STANDARD_SIDE_MARGIN_IN = 0.5
# Header and footer print inside the top and bottom margins, so each margin is the 0.5 in
# that home printers leave blank plus room for its lines: one header and two footer lines
# at 9-10 pt in standard print, two of each at 18 pt in large print.
STANDARD_TOP_IN, STANDARD_BOTTOM_IN = 0.75, 0.98
LARGE_PRINT_TOP_IN, LARGE_PRINT_BOTTOM_IN = 1.3, 1.4


class Styles:
    """handout.css and the per-format sheets, sharing one FontConfiguration."""

    def __init__(self, templates_dir: Path, fetcher: AllowListFetcher):
        self.font_config = FontConfiguration()
        self.fetcher = fetcher
        self.base_url = templates_dir.as_uri() + "/"
        # By URL, not filename: WeasyPrint opens a filename itself, a URL only through the fetcher.
        self.handout = CSS(
            url=self.base_url + STYLESHEET, base_url=self.base_url, url_fetcher=fetcher, font_config=self.font_config
        )
        self.format_sheet = lru_cache(maxsize=None)(self._format_sheet)
        self.wallet: CSS | None = None  # parsed on first use: most builds print no wallet card

    def for_format(self, paper: str, large_print: bool, body_pt: float) -> list[CSS]:
        if paper == "id-1":
            return [self.wallet_sheet(), self.format_sheet(paper, large_print, float(body_pt))]
        return [self.handout, self.format_sheet(paper, large_print, float(body_pt))]

    def wallet_sheet(self) -> CSS:
        if self.wallet is None:
            self.wallet = CSS(
                url=self.base_url + WALLET_STYLESHEET,
                base_url=self.base_url,
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        return self.wallet

    def _format_sheet(self, paper: str, large_print: bool, body_pt: float) -> CSS:
        return CSS(
            string=format_css(paper, large_print, body_pt),
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )


def format_css(paper: str, large_print: bool, body_pt: float) -> str:
    """Page size and margins for a paper, and the body size; large print keeps lines <= 6 in."""
    if paper == "id-1":
        return f"@page {{ size: {PAGE_SIZE[paper]}; margin: {CARD_MARGIN_MM}mm; }}\n"
    if large_print:
        side = max(0.75, (PAPER_WIDTH_IN[paper] - LARGE_PRINT_MEASURE_IN) / 2)
        top, bottom = LARGE_PRINT_TOP_IN, LARGE_PRINT_BOTTOM_IN
    else:
        side, top, bottom = STANDARD_SIDE_MARGIN_IN, STANDARD_TOP_IN, STANDARD_BOTTOM_IN
    return (
        f"@page {{ size: {PAGE_SIZE[paper]}; margin: {top}in {side:.3f}in {bottom}in; }}\n"
        f"body {{ font-size: {body_pt:g}pt; }}\n"
    )
