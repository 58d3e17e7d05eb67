"""What a card says, as words: the plain text of field HTML, and how much two texts share.

The deck's mechanical checks (a generated card that repeats a hand-written one,
an answer that changed, a card whose direction turned round) compare meaning
words, not characters: "A bisphosphonate." and "etidronate is a bisphosphonate"
share the one word that matters.
"""

from __future__ import annotations

import html
import re

TAG_RE = re.compile(r"<[^>]+>")
WORD_RE = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
# Words that carry no fact of their own: function words and the question words cards are made of.
STOP = frozenset(
    """
a about above after again all also am an and any are as at be because been before being below between both but by
can could did do does doing during each else few for from further had has have having he her here his how i if in
into is it its itself just may me might more most much must my no nor not of off on once only or other our out over
own same she should so some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your usually often called
""".split()
)


def plain(field_html: str) -> str:
    """Field HTML as the words a student reads: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG_RE.sub(" ", field_html)).split())


def words(text: str) -> list[str]:
    """The meaning words of text, lower case, singular, in order ("It is less specific." -> ['less', 'specific'])."""
    return [
        singular(w) for w in WORD_RE.findall(text.casefold()) if w not in STOP and not (len(w) == 1 and w.isalpha())
    ]


def singular(word: str) -> str:
    """'drugs' -> 'drug', 'NSAIDs' -> 'nsaid'; 'less', 'sepsis' and short words stay as they are."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us")) else word


def coverage(part: str, whole: str) -> float:
    """The share of part's meaning words that whole also has (0 when part has none)."""
    mine = set(words(part))
    return len(mine & set(words(whole))) / len(mine) if mine else 0.0


def mentions(text: str, term: str) -> bool:
    """Whether text names term, as written, without its bracketed abbreviation, or by that abbreviation."""
    folded = f" {' '.join(map(singular, WORD_RE.findall(text.casefold())))} "
    return any(
        f" {' '.join(map(singular, WORD_RE.findall(name.casefold())))} " in folded
        for name in names_of(term)
        if name.strip()
    )


def names_of(term: str) -> list[str]:
    """'fibrodysplasia ossificans progressiva (FOP)' -> [the whole, 'fibrodysplasia ossificans progressiva', 'FOP']."""
    match = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", term)
    return [term, match.group(1), match.group(2)] if match else [term]
