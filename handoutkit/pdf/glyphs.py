"""The handout fonts: which characters they draw, and proof no other font was used.

Pango silently falls back to any installed font for a character the CSS fonts
lack, which would put a system font into the PDF and make output depend on
the machine. So content is checked against the fonts' character maps before
rendering (a ContentError naming the field), and the finished document's
fonts are checked after (a RenderError: the template or CSS slipped).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..content.glyphs import font_codepoints, font_files, missing_characters, unprintable
from ..content.texts import strings_of
from ..errors import format_field
from .errors import RenderError

#: Every family the CSS declares with @font-face; nothing else may reach a PDF.
HANDOUT_FAMILIES = frozenset({"Atkinson Hyperlegible", "DejaVu Sans Handout Subset"})


class GlyphCoverage:
    """The characters the fonts in one folder can draw, between them (the loader's rule, content.glyphs,
    applied again here because a renderer can be called without the loader)."""

    def __init__(self, fonts_dir: Path):
        self.codepoints = font_codepoints(*font_files(fonts_dir))  # cached: the loader read them already

    def missing(self, text: str) -> list[str]:
        return missing_characters(text, self.codepoints)

    def problems(self, named_texts: Iterator[tuple[str, str]]) -> list[tuple[str, str]]:
        """(field, message) for every text holding a character no handout font has."""
        return [(field, unprintable(char)) for field, text in named_texts for char in self.missing(text)]


def texts_of(obj: object, loc: tuple = ()) -> Iterator[tuple[str, str]]:
    """(field path, text) for every string inside a model object."""
    for where, text in strings_of(obj, loc):
        yield format_field(where), text


def check_document_fonts(document) -> None:
    """Raise RenderError if a laid-out WeasyPrint document used a font that is not ours."""
    strangers = sorted({font.family for font in document.fonts.values()} - HANDOUT_FAMILIES)
    if strangers:
        raise RenderError(f"the handout used fonts that are not in templates/fonts: {', '.join(strangers)}")
