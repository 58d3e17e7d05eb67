"""Where each site file goes, relative to the output folder, and the links between them.

dist/site/ is self-contained, so it can be published as it is:

    site/index.html                             the catalog
    site/TOPIC/EDITION.html                     a web edition
    site/TOPIC/TOPIC--EDITION--PAPER.pdf        a copy of the printed edition, to print from the site
    site/TOPIC/figures/FIGURE.EXT               a figure file the topic names
    site/logo.EXT                               the brand's logo

Imports nothing heavy: the build plan uses it.
"""

from __future__ import annotations

import posixpath

SITE = "site"
CATALOG = f"{SITE}/index.html"
PAPER_LABELS = {"letter": "US Letter", "a4": "A4", "id-1": "Wallet card size"}


def page_path(topic: str, edition: str) -> str:
    return f"{SITE}/{topic}/{edition}.html"


def pdf_copy_path(topic: str, edition: str, paper: str) -> str:
    return f"{SITE}/{topic}/{topic}--{edition}--{paper}.pdf"


def figure_path(topic: str, figure: str, suffix: str) -> str:
    return f"{SITE}/{topic}/figures/{figure}{suffix}"


def logo_path(suffix: str) -> str:
    return f"{SITE}/logo{suffix}"


def link(from_path: str, to_path: str) -> str:
    """A relative link between two site files, so the site works wherever it is published (and from file://)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path))


def page_url(site_url: str, topic: str, edition: str) -> str:
    """The address a QR code prints: the published site's address plus the page's place in it."""
    return f"{site_url.rstrip('/')}/{page_path(topic, edition).removeprefix(f'{SITE}/')}"
