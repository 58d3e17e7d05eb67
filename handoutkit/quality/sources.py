"""Sources and currency: every clinical block cites; the review is not overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..content.model import Bullets, Item, Paragraph, Steps, TableBlock, Topic


def uncited(topic: Topic) -> Iterator[tuple[tuple, str]]:
    """(location, what) for each clinical block, tip or red flag with no source."""
    for s, section in enumerate(topic.sections):
        for b, block in enumerate(section.blocks):
            loc = ("sections", s, "blocks", b)
            if isinstance(block, (Paragraph, TableBlock)) and not block.cites:
                yield loc, "a clinical block has no source"
            elif isinstance(block, (Bullets, Steps)) and not block.cites:
                entries = block.bullets if isinstance(block, Bullets) else block.steps
                name = "bullets" if isinstance(block, Bullets) else "steps"
                for i, entry in enumerate(entries):
                    if not (isinstance(entry, Item) and entry.cites):
                        yield loc + (name, i), "a list item has no source, nor has its block"
    for name in ("tips", "red_flags"):
        for i, item in enumerate(getattr(topic, name)):
            if not item.cites:
                yield (name, i), f"a {name[:-1].replace('_', ' ')} has no source"


def review_state(topic: Topic, today: dt.date, warn_days: int) -> tuple[str, str] | None:
    """('error'|'warning', message) when the review is overdue or nearly due."""
    due = topic.review.next_due
    if due < today:
        return (
            "error",
            f"expected a review date still ahead, found next_due {due}, {(today - due).days} days ago; review the "
            f"content and move the date",
        )
    if (due - today).days <= warn_days:
        return "warning", f"review due in {(due - today).days} days, on {due}"
    return None
