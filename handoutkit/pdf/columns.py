"""Two-column layout without WeasyPrint's throw-away trial pass.

WeasyPrint 70 lays out every page's columns twice: a trial pass that measures
column heights for balancing, then the real pass. With `column-fill: auto` on
the last run of columns (our `.flow`) nothing is balanced, so the trial only
repeats the real pass and is thrown away; it costs a sixth of a two-column
handout's render time.

`active()` recompiles WeasyPrint's own `columns_layout` from its installed
source with that trial loop skipped when the columns cannot be balanced, and
points the block layout at it while our renderer lays out a handout, and only
then (nothing else in the process sees it). Recompiling rather than copying
keeps every other line upstream's. Outside the WeasyPrint versions it was
written for (WEASYPRINT), or if the source no longer has the exact loop it
expects, nothing is patched and layout stays upstream's: slower, never
different. tests/test_pdf.py fails loudly in either case, checks the patch
leaves no trace after a render, and that every edition's PDF is byte-identical
with and without it.

Our stylesheet has no footnotes; the trial pass also re-fits columns around
footnotes, so a sheet that adds `float: footnote` must drop this patch.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from functools import cache

import weasyprint
import weasyprint.layout.block as block_layout
import weasyprint.layout.column as column_layout

WEASYPRINT = ("70.",)  # the releases whose columns_layout this was written against (pyproject pins 70.x)
UPSTREAM = column_layout.columns_layout
TRIAL_LOOP = """\
        while True:
            # Remove extra excluded shapes introduced during the previous loop
"""
TRIAL_LOOP_WHEN_BALANCING = """\
        can_balance = (
            style['column_fill'] == 'balance' or
            index < columns_and_blocks[-1][0])
        while can_balance:
            # Remove extra excluded shapes introduced during the previous loop
"""


@cache
def without_trial_pass():
    """WeasyPrint's columns_layout, recompiled to skip the trial pass; None for another release or source."""
    if not weasyprint.__version__.startswith(WEASYPRINT):
        return None
    try:
        source = inspect.getsource(column_layout)
    except OSError:  # installed without sources
        return None
    if source.count(TRIAL_LOOP) != 1:
        return None
    namespace = {"__name__": column_layout.__name__, "__package__": column_layout.__package__}
    code = compile(source.replace(TRIAL_LOOP, TRIAL_LOOP_WHEN_BALANCING), column_layout.__file__, "exec")
    exec(code, namespace)  # noqa: S102 - WeasyPrint's own installed source, one loop condition changed
    return namespace["columns_layout"]


@contextmanager
def active():
    """The faster columns layout for the block of code inside."""
    faster = without_trial_pass()
    if faster is None:
        yield
        return
    block_layout.columns_layout = faster
    try:
        yield
    finally:
        block_layout.columns_layout = UPSTREAM
