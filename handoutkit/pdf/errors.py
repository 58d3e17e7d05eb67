"""Why a handout could not be rendered.

Content mistakes (a page budget overrun, a character no handout font has) are
ContentErrors with a Problem naming the topic file, like every other content
error. A RenderError is a fault in the renderer, its templates or its CSS: a
WeasyPrint warning, a refused fetch, a font that is not ours. It keeps its
traceback, as bugs should.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, Problem, display_path


class RenderError(RuntimeError):
    """The renderer, its templates or its CSS did something they must not."""


def content_error(topic_file: Path, root: Path, field: str, message: str) -> ContentError:
    """A ContentError about a whole topic file (no YAML positions reach the renderer)."""
    return ContentError([Problem(display_path(topic_file, root), 1, 1, field, message)])
