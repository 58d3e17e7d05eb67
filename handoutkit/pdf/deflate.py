"""PDF stream compression at zlib level 6, not the 9 pydyf asks for.

pydyf (WeasyPrint's PDF writer) compresses every content stream at level 9.
On our handouts level 6 writes the PDF 18-21% faster (5% of a whole render)
for files 2-3% bigger; level 1 would save little more time and make them
15-25% bigger. The bytes stay reproducible: the same input and zlib give the
same output. `install()` gives pydyf a zlib whose compressobj caps the level;
nothing else in the process uses pydyf's reference to zlib.
"""

from __future__ import annotations

import zlib

import pydyf

LEVEL = 6


class CappedZlib:
    """The part of zlib pydyf uses, with compressobj's level capped at LEVEL."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = -1, *args, **kwargs):
        return zlib.compressobj(LEVEL if level == -1 else min(level, LEVEL), *args, **kwargs)


def install() -> None:
    pydyf.zlib = CappedZlib


def uninstall() -> None:
    pydyf.zlib = zlib
