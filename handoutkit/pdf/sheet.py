"""The review sheets as PDF (PEMAT/CDC and clinical), through the same allow-list and log checks."""

from __future__ import annotations

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import AllowListFetcher
from .html import make_environment
from .logs import weasyprint_logs_as_errors

TEMPLATE, CLINICAL_TEMPLATE, STYLESHEET = "review-sheet.html.j2", "clinical-sheet.html.j2", "review-sheet.css"


def render_review_sheet(root: Path, view: dict, template: str = TEMPLATE) -> bytes:
    templates = Path(root).resolve() / "templates"
    fetcher = AllowListFetcher(folders=[templates])
    fonts = FontConfiguration()
    base = templates.as_uri() + "/"
    html = make_environment(templates).get_template(template).render(**view)
    with weasyprint_logs_as_errors("review sheet"):
        css = CSS(url=base + STYLESHEET, base_url=base, url_fetcher=fetcher, font_config=fonts)
        document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(font_config=fonts, stylesheets=[css])
        return document.write_pdf()
