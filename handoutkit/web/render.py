"""The web's text stage: a page view -> HTML bytes, through the same Jinja set-up as the PDFs
(autoescape on, undefined names are errors), with the templates in templates/web/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..pdf.html import make_environment

EDITION_TEMPLATE = "web/edition.html.j2"
WALLET_TEMPLATE = "web/wallet.html.j2"
CATALOG_TEMPLATE = "web/catalog.html.j2"
PROBLEMS_TEMPLATE = "web/problems.html.j2"


class WebRenderer:
    """One Jinja environment for every page of a build."""

    def __init__(self, templates_dir: Path):
        self.env = make_environment(Path(templates_dir))

    def page(self, view: dict[str, Any], wallet: bool = False) -> bytes:
        return self.render(WALLET_TEMPLATE if wallet else EDITION_TEMPLATE, view)

    def catalog(self, view: dict[str, Any]) -> bytes:
        return self.render(CATALOG_TEMPLATE, view)

    def problems(self, lines: list[str]) -> bytes:
        return self.render(PROBLEMS_TEMPLATE, {"lang": "en", "problems": lines})

    def render(self, template: str, view: dict[str, Any]) -> bytes:
        return self.env.get_template(template).render(**view).encode("utf-8")


@lru_cache(maxsize=4)
def web_renderer(templates_dir: Path) -> WebRenderer:
    """One renderer per templates folder for the life of the process: `serve` and `watch` build again on
    every save, and compiling the templates anew would cost each save about 0.1 s. Jinja still reads a
    template again when its file changes (auto_reload)."""
    return WebRenderer(templates_dir)
