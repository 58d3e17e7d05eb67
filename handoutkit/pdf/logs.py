"""WeasyPrint's log lines as errors.

WeasyPrint only logs what it could not do (a missing image, alt text or
language, an unknown CSS property) and carries on; a handout built like that
is wrong in ways nobody sees. We collect the 'weasyprint' logger's warnings
and errors raised by this thread while rendering, then fail if there are any.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .errors import RenderError

WEASYPRINT = logging.getLogger("weasyprint")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def weasyprint_logs_as_errors(what: str, blame: Callable[[str], Exception | None] | None = None) -> Iterator[None]:
    """Run the body; raise if WeasyPrint logged a warning or error in it.

    `blame` may turn a log line into the error to raise instead (e.g. a ContentError
    for an image file in the content that WeasyPrint cannot read); otherwise RenderError.
    """
    collector = _Collector()
    old_level = WEASYPRINT.level
    if WEASYPRINT.getEffectiveLevel() > logging.WARNING:
        WEASYPRINT.setLevel(logging.WARNING)  # or warnings never reach any handler
    WEASYPRINT.addHandler(collector)
    try:
        yield
    finally:
        WEASYPRINT.removeHandler(collector)
        WEASYPRINT.setLevel(old_level)
    messages = [record.getMessage() for record in collector.records]
    for error in filter(None, map(blame or (lambda message: None), messages)):
        raise error
    if messages:
        lines = "\n".join(f"  {r.levelname.lower()}: {m}" for r, m in zip(collector.records, messages))
        raise RenderError(f"WeasyPrint reported problems while rendering {what}:\n{lines}")
