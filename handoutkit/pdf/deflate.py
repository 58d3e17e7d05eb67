"""PDF stream compression at zlib level 6, not the 9 pydyf asks for.

pydyf (WeasyPrint's PDF writer) compresses every content stream at level 9.
On our handouts level 6 writes the PDF 18-21% faster (5% of a whole render)
for files 2-3% bigger; level 1 would save little more time and make them
15-25% bigger. The bytes stay reproducible: the same input and zlib give the
same output. `active()` gives pydyf a zlib whose compressobj caps the level
while our renderer writes a PDF, and only then; outside the pydyf releases it
was checked against (PYDYF) it changes nothing (tests/test_pdf.py says so loudly).
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager

import pydyf

PYDYF = ("0.13.",)  # pydyf compresses through its module's `zlib` name in these releases

LEVEL = 6


class CappedZlib:
    """The part of zlib pydyf uses, with compressobj's level capped at LEVEL."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = -1, *args, **kwargs):
        return zlib.compressobj(LEVEL if level == -1 else min(level, LEVEL), *args, **kwargs)


@contextmanager
def active():
    """pydyf compresses at LEVEL inside the block; its own zlib again after it."""
    if not pydyf.__version__.startswith(PYDYF) or getattr(pydyf, "zlib", None) is not zlib:
        yield
        return
    pydyf.zlib = CappedZlib
    try:
        yield
    finally:
        pydyf.zlib = zlib
