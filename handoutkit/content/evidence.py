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

QUOTE_FORM = 'cites: [{source: ID, quote: "the source\'s own words", where: "section or page"}]'


def evidence_problems(topic: Topic, doc: Document) -> list[Problem]:
    """What the loader refuses: unknown facts always; missing quotes and unquoted numbers unless evidence is partial."""
    problems = fact_ref_problems(topic, doc)
    if topic.review.evidence == "complete":
        problems += claim_problems(topic, doc)
    return problems


def claim_problems(topic: Topic, doc: Document) -> list[Problem]:
    """Every claim that lacks a required quote, and every number not in its claim's quotes."""
    claims = claims_of(topic)
    return [p for claim in claims for p in quote_problems(claim, doc)] + [
        p for claim in claims for p in number_problems(claim, doc)
    ]


def lacks_quote(claim: Claim) -> bool:
    return bool(claim.needs_quote) and not claim.quotes()


def unquoted_numbers(claim: Claim) -> list[tuple[tuple, list[str]]]:
    """(location, numbers) for each wording with a number none of the claim's quotes gives."""
    if not claim.cites or claim.derived:
        return []
    quoted = set().union(*(stated(c.quote, quote=True) for c in claim.quotes()))
    found = [(loc, sorted(stated(words) - quoted, key=sort_key)) for loc, _audience, words in claim.wordings()]
    return [(loc, missing) for loc, missing in found if missing]


def quote_problems(claim: Claim, doc: Document) -> list[Problem]:
    if not lacks_quote(claim):
        return []
    found = "no cites" if not claim.cites else "only source ids (" + ", ".join(c.source for c in claim.cites) + ")"
    return [
        doc.problem(
            claim.loc,
            f"expected at least one quote on {claim.needs_quote}, found {found}; "
            f"a reviewer must see the source's words: {QUOTE_FORM}",
        )
    ]


def number_problems(claim: Claim, doc: Document) -> list[Problem]:
    where = (
        "its quotes (" + ", ".join(dict.fromkeys(c.source for c in claim.quotes())) + ")"
        if claim.quotes()
        else "a quote: it cites only source ids (" + ", ".join(dict.fromkeys(c.source for c in claim.cites)) + ")"
    )
    return [
        doc.problem(
            loc,
            f"expected every number to stand in one of its quotes, found "
            f"{', '.join(shown(m) for m in missing)} not in {where}; quote the words that give it, "
            f'or say how it is derived: derived: "..."',
        )
        for loc, missing in unquoted_numbers(claim)
    ]


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
                problems.append(
                    doc.problem(loc, f"expected a fact's own words, found [[{name}]]; a fact cannot use another fact")
                )
            elif name not in topic.facts:
                known = ", ".join(names) if names else "the names under facts (there are none)"
                problems.append(doc.problem(loc, f"unknown fact '{name}' in [[{name}]]; expected one of {known}"))
    return problems
