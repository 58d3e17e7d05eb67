"""The clinic's numbers as tel: links, wherever the page says them.

On a phone a patient taps the number instead of copying it. Only the brand's
own numbers are linked (the clinic's phone and the emergency number), and only
where they stand as a whole number, never inside a longer one.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape


def tel_href(number: str) -> str | None:
    """'555-0100' -> 'tel:5550100'; a leading + is kept; None for text with no digit (a sample's placeholder)."""
    digits = re.sub(r"[^\d]", "", number)
    if not digits:
        return None
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"


def number_pattern(numbers: list[str]) -> re.Pattern | None:
    """One pattern for the numbers that can be dialled, the longest first (so '112' never splits '1120')."""
    dialled = sorted({n for n in numbers if tel_href(n)}, key=len, reverse=True)
    if not dialled:
        return None
    return re.compile(r"(?<![\w+])(" + "|".join(re.escape(n) for n in dialled) + r")(?!\w)")


def link_numbers(text: str, pattern: re.Pattern | None) -> str | Markup:
    """The text with each number made a tel: link; escaped, and unchanged when it names none."""
    if pattern is None or isinstance(text, Markup) or not pattern.search(text):
        return text
    parts, last = [], 0
    for match in pattern.finditer(text):
        number = match.group(1)
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<a href="{}">{}</a>').format(tel_href(number), number))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
