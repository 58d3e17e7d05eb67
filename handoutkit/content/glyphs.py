"""Characters the handout fonts cannot print, found at load time with their line.

Pango would quietly draw such a character with a system font, so the renderer
refuses it; finding it here means `check` says so too, at the field's own
`path:line:col`, before any build. The rule lives here, and pdf/glyphs.GlyphCoverage applies it again at render:
every character in templates/fonts/*.ttf, or one that prints as space or nothing.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from ..errors import Problem
from .source import Document
from .texts import strings_of

FONTS_DIR = Path("templates") / "fonts"
SILENT_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # drawn as space or nothing
ASCII_PRINTABLE = frozenset(range(0x20, 0x7F))


def glyph_problems(model: BaseModel, doc: Document, root: Path, loc: tuple = ()) -> list[Problem]:
    codepoints = font_codepoints(*font_files(root / FONTS_DIR))
    if not codepoints:  # a project without the fonts (some test projects): the renderer will say so
        return []
    problems, ascii_covered = [], ASCII_PRINTABLE <= codepoints
    for where, text in strings_of(model, loc):
        if ascii_covered and text.isascii():  # most text: nothing to look up
            continue
        problems += [doc.problem(where, unprintable(char)) for char in missing_characters(text, codepoints)]
    return problems


def missing_characters(text: str, codepoints: frozenset[int]) -> list[str]:
    """The characters of text no handout font draws (space-like and invisible ones need no glyph)."""
    return sorted({c for c in text if ord(c) not in codepoints and unicodedata.category(c) not in SILENT_CATEGORIES})


def unprintable(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return (
        f"expected characters the handout fonts can print, found '{char}' "
        f"(U+{ord(char):04X} {name}); use words or a common character instead"
    )


def font_files(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Each font's path, size and time: the cache key, so an edited font is read again."""
    found = []
    for path in sorted(folder.glob("*.ttf")):
        stat = path.stat()
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


@cache
def font_codepoints(*files: tuple[str, int, int]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(code for path, _, _ in files for code in TTFont(path).getBestCmap())
