"""Evidence gates: the claims a reader acts on show their source's words, and every number stands in them.

- A quote is required (a bare source id is not enough) on every statement of an
  urgent section, every red flag, every step of a step list and every wallet-card
  line: what a person does in an emergency must be checkable in minutes.
- Every number of a cited statement, in every audience's wording, stands in one
  of its quotes (numbers.py says what counts as the same number), unless the
  statement says how it was derived (`derived: "..."`).
- A named fact (`[[name]]`) must exist; its number is checked at the fact.
"""

from __future__ import annotations

from ..errors import Problem
from .claims import Claim, claims_of
from .model import Topic
from .numbers import FACT_REF, shown, stated
from .source import Document
from .texts import strings_of

QUOTE_FORM = "cites: [{source: ID, quote: \"the source's own words\", where: \"section or page\"}]"


def evidence_problems(topic: Topic, doc: Document) -> list[Problem]:
    claims = claims_of(topic)
    return (fact_ref_problems(topic, doc)
            + [p for claim in claims for p in quote_problems(claim, doc)]
            + [p for claim in claims for p in number_problems(claim, doc)])


def quote_problems(claim: Claim, doc: Document) -> list[Problem]:
    if not claim.needs_quote or claim.quotes():
        return []
    found = "no cites" if not claim.cites else "only source ids (" + ", ".join(c.source for c in claim.cites) + ")"
    return [doc.problem(claim.loc, f"expected at least one quote on {claim.needs_quote}, found {found}; "
                                   f"a reviewer must see the source's words: {QUOTE_FORM}")]


def number_problems(claim: Claim, doc: Document) -> list[Problem]:
    if not claim.cites or claim.derived:
        return []
    quoted = set().union(*(stated(c.quote, quote=True) for c in claim.quotes()))
    problems = []
    for loc, _audience, words in claim.wordings():
        missing = sorted(stated(words) - quoted, key=sort_key)
        if missing:
            numbers = ", ".join(shown(m) for m in missing)
            where = ("its quotes (" + ", ".join(dict.fromkeys(c.source for c in claim.quotes())) + ")"
                     if claim.quotes() else "a quote: it cites only source ids (" + ", ".join(c.source for c in claim.cites) + ")")
            problems.append(doc.problem(loc, f"expected every number to stand in one of its quotes, found {numbers} "
                                             f"not in {where}; quote the words that give it, or say how it is "
                                             f"derived: derived: \"...\""))
    return problems


def sort_key(token: str) -> tuple:
    return (token.startswith("label:"), len(token), token)


def fact_ref_problems(topic: Topic, doc: Document) -> list[Problem]:
    """Every [[name]] names a fact; a fact's own text uses none (one level, so each number has one home)."""
    names = sorted(topic.facts)
    problems = []
    for loc, text in strings_of(topic):
        for match in FACT_REF.finditer(text):
            name = match.group(1)
            if loc[:1] == ("facts",):
                problems.append(doc.problem(loc, f"expected a fact's own words, found [[{name}]]; a fact cannot use another fact"))
            elif name not in topic.facts:
                known = ", ".join(names) if names else "the names under facts (there are none)"
                problems.append(doc.problem(loc, f"unknown fact '{name}' in [[{name}]]; expected one of {known}"))
    return problems
