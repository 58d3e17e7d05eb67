"""Printable handouts: a selected topic -> HTML (Jinja2) -> tagged PDF (WeasyPrint).

    renderer = HandoutRenderer(root)       # templates, CSS and fonts loaded once
    html = renderer.render_html(topic, edition, paper, brand, topic_dir=..., brand_dir=...)
    pdf = renderer.render_pdf(topic, edition, paper, brand, topic_dir=..., brand_dir=...)

Stages, one module each: html (view + template), diagram (figures we draw),
fetcher (what WeasyPrint may read), glyphs (font coverage and embedded fonts),
logs (WeasyPrint's log lines as errors), columns (WeasyPrint's column layout
without its throw-away trial pass), deflate (stream compression level), render (wiring, page budget, bytes).
"""

from .errors import RenderError
from .render import HandoutRenderer

__all__ = ["HandoutRenderer", "RenderError"]
