"""What a note answers, so a changed fact never hides under old reviews.

Anki keeps a card's interval when a re-import corrects its note: a student who
learned "every 5 minutes" 40 days ago next sees the card in weeks. So the lock
keeps each note's answer side as text (the back of a basic card, the hidden
words of a cloze, a word's respelling and meaning), and when a build changes
it, the note is tagged `<root>::changed::<date>` in the file for returning
students: they find those cards in the Browser and reset them with Forget. A
reworded question whose answer is the same is not tagged. The Extra field (the
why, the source's words) is not part of the answer.

A card whose direction turns round (what it asked is now given, and what it
gave is now asked) is a new card under an old id: refused, like a change of
note type, so the author gives it a new id and the old note is retired.
"""

from __future__ import annotations

import re

from .markup import DELETION_RE
from .text import coverage, plain, words

ANSWER_FIELDS = {"basic": ("Back",), "pronunciation": ("Respelling", "IPA", "Meaning")}
TURNED = 0.6  # the share of an answer's words found in the other direction's question
PART = re.compile(r"(?:^| \| )([A-Za-z0-9]+): ")


def answer_of(notetype_key: str, fields: dict[str, str]) -> str:
    """The answer side as plain text, one named part per card's answer: 'Back: In a joint.',
    'c1: joint | c2: rest', 'Respelling: SPLANK-nik | Meaning: Of the gut...'. Empty parts are left out."""
    if notetype_key == "cloze":
        parts = [
            (f"c{m.group(1)}", plain(m.group(2)))
            for m in sorted(DELETION_RE.finditer(fields.get("Text", "")), key=lambda m: int(m.group(1)))
        ]
    else:
        parts = [(name, plain(fields.get(name, ""))) for name in ANSWER_FIELDS.get(notetype_key, ("Back",))]
    return " | ".join(f"{name}: {value}" for name, value in dict(parts).items() if value)


def parts_of(answer: str) -> dict[str, str]:
    """'c1: joint | c2: rest' -> {'c1': 'joint', 'c2': 'rest'}."""
    names = list(PART.finditer(answer))
    return {
        m.group(1): answer[m.end() : names[i + 1].start() if i + 1 < len(names) else len(answer)]
        for i, m in enumerate(names)
    }


def answer_changed(old: str, new: str) -> bool:
    """Whether a card both versions have answers differently: a card gained (a new deletion, a meaning)
    or dropped (a say-it card for an easy word) is not a changed answer."""
    before, after = parts_of(old), parts_of(new)
    return any(before[name] != after[name] for name in before.keys() & after.keys())


def words_of(answer: str) -> str:
    return " ".join(parts_of(answer).values()) or answer


def question_of(label: str) -> str:
    """A note's label as its question: a cloze label's [answers] hidden again."""
    return re.sub(r"\[[^\]]*\]", "[...]", label)


def turned_round(old_label: str, old_answer: str, new_label: str, new_answer: str) -> bool:
    """Whether the new card asks what the old one gave and gives what it asked (brooker-1 asking the number,
    then the description)."""
    old_answer, new_answer = words_of(old_answer), words_of(new_answer)
    if not (words(old_answer) and words(new_answer)) or coverage(new_answer, old_answer) >= TURNED:
        return False
    return (
        coverage(old_answer, question_of(new_label)) >= TURNED
        and coverage(new_answer, question_of(old_label)) >= TURNED
    )
