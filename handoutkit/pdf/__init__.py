"""Printable handouts: a selected topic -> HTML (Jinja2) -> tagged PDF (WeasyPrint).

    renderer = HandoutRenderer(root)       # templates, CSS and fonts loaded once
    html = renderer.render_html(topic, edition, paper, brand, topic_dir=..., brand_dir=...)
    pdf = renderer.render_pdf(topic, edition, paper, brand, topic_dir=..., brand_dir=...)

Stages, one module each: html (view + template), diagram (figures we draw),
fetcher (what WeasyPrint may read), glyphs (font coverage and embedded fonts),
logs (WeasyPrint's log lines as errors), render (wiring, page budget, bytes).
Two speed-ups to WeasyPrint, each tested: columns (its column layout without the
throw-away trial pass) and deflate (streams compressed at level 6, not 9).

May import: content, editions, errors.
"""

from .errors import RenderError
from .render import HandoutRenderer

__all__ = ["HandoutRenderer", "RenderError"]
