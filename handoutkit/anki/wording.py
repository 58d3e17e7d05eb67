"""Cards whose wording gives the answer away: a yes/no question.

"Can a raised serum alkaline phosphatase confirm HO?" is answered "No" by a
student who knows only that cards like it exist to correct a belief; half the
time a guess is right, and the review tests nothing. An either/or question
("higher after brain injury or after SCI?") names both answers and is a fair
contrast; a yes/no question is not. Warned by `check`, refused by --strict.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .notes import NoteSpec
from .text import plain

YES_NO = re.compile(r"(is|are|was|were|does|do|did|can|could|should|will|would|has|have|may|must)\b", re.IGNORECASE)


def is_yes_no(question: str) -> bool:
    """A question whose last part (after a full stop, colon, semicolon or ', and') starts with a verb and
    offers no 'or': answered yes or no."""
    last = re.split(r"(?<=[.:;])\s+|,\s+and\s+", question.strip())[-1]
    return question.rstrip().endswith("?") and bool(YES_NO.match(last)) and not re.search(r"\bor\b", last)


def question_problems(specs: list[NoteSpec], docs: dict) -> list[Problem]:
    problems = []
    for spec in specs:
        if spec.kind != "card" or "Front" not in spec.fields:
            continue
        question = plain(spec.fields["Front"])
        if is_yes_no(question):
            problems.append(
                docs[spec.topic_id].problem(
                    spec.loc + ("front",),
                    (
                        f"expected a question a student answers with the fact, found a yes/no question in card "
                        f"'{spec.item}', which a guess answers half the time; ask what, which, why or how"
                    ),
                )
            )
    return problems
