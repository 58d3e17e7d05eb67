"""When-to-get-help tiers: a red flag's own action must not contradict its tier.

The help box prints each tier's heading and action ("Call 911 now", "Call your care
team today", "Tell your care team within a few days"); a flag in the "soon" tier
whose action says "right away" sends the reader two messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..content.model import AUDIENCES, Text, Topic

EMERGENCY_WORDS = r"\b(911|999|112|000|emergency|ambulance|right away|at once|immediately|now)\b"
TODAY_WORDS = r"\b(today|same day|right away|at once|immediately)\b"
LATER_WORDS = r"\b(soon|next visit|next appointment|few days|this week|when you can)\b"
CONTRADICTIONS = {  # tier: words that send the reader to another tier
    "emergency": re.compile(LATER_WORDS + r"|\btoday\b", re.IGNORECASE),
    "today": re.compile(r"\b(911|999|112|emergency|ambulance)\b|" + LATER_WORDS, re.IGNORECASE),
    "soon": re.compile(EMERGENCY_WORDS + "|" + TODAY_WORDS, re.IGNORECASE),
}
TIER_NAMES = {
    "emergency": "call the emergency number now",
    "today": "call the care team today",
    "soon": "tell the care team within a few days",
}


def contradicting_actions(topic: Topic) -> Iterator[tuple[int, str, str]]:
    """(index, urgency, the words that contradict it) for each red flag whose action fights its tier.

    Every wording counts, not only the default: an audience's own wording ("Call now" for
    people with SCI under "within a few days") is what that audience reads.
    """
    for index, flag in enumerate(topic.red_flags):
        for wording in wordings(flag.action):
            found = CONTRADICTIONS[flag.urgency].search(wording)
            if found:
                yield index, flag.urgency, found.group(0)
                break


def wordings(text: Text) -> list[str]:
    """A text as each audience may read it: the plain text, or the default and every audience's own."""
    if isinstance(text, str):
        return [text]
    return [text.default] + [getattr(text, a) for a in AUDIENCES if getattr(text, a, None)]
