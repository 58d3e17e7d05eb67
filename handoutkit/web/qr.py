"""The QR code a plain edition prints: it leads to the same edition on screen.

Drawn by segno as inline SVG (vector, so it prints sharp at any size and needs
no file). Printed only when the brand says where the site is published
(`site_url`); the address is printed beside it in words too, for a reader
without a phone camera.
"""

from __future__ import annotations

import io

import segno
from markupsafe import Markup

from .paths import page_url

QR_LABEL = "QR code: this handout on the web"


def qr_svg(url: str) -> Markup:
    """A QR code of `url` as inline SVG, with a title that names what it is (alt text in the tagged PDF)."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=4,
        title=QR_LABEL,
        svgclass="qr-code",
        lineclass=None,
    )
    svg = buffer.getvalue().decode("ascii")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def qr_view(site_url: str | None, topic_id: str, edition_id: str) -> dict | None:
    """What the handout template prints in its QR box, or None when the brand has no site address."""
    if not site_url:
        return None
    url = page_url(site_url, topic_id, edition_id)
    return {"url": url, "svg": qr_svg(url)}
