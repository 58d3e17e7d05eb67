"""Every printed statement of a topic as a claim: its wording, where it stands, what it cites.

One walk over the topic serves three readers: the evidence gates (a quote where
one is required, every number in a quote), the clinical review sheet (each claim
with its wording per audience and its quotes) and approval (a fingerprint of the
claims, and which ones changed since).

A list item without cites of its own rests on its block's cites, as the handout
prints it; audiences narrow as `for:` narrows, from section to block to item.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import (
    AUDIENCES,
    QUESTION_LISTS,
    BasicCard,
    Bullets,
    Cite,
    FigureBlock,
    Item,
    Limited,
    Paragraph,
    Steps,
    TableBlock,
    Topic,
    Variants,
    wording_for,
)
from .texts import strings_of

# Groups, in the order a clinical reviewer reads them: what is done in an emergency first.
GROUPS = (
    "urgent",
    "red-flags",
    "wallet-card",
    "facts",
    "sections",
    "tips",
    "questions",
    "glossary",
    "figures",
    "cards",
    "title",
)


NOT_WORDS = frozenset({"for", "id", "previous_ids", "cites", "derived"})  # strings that never print


@dataclass(frozen=True)
class Claim:
    loc: tuple  # where it stands, as the YAML spells it (for path:line:col)
    key: str  # a stable name: ids where the content has them, positions elsewhere
    group: str
    heading: str  # the section (or box) it prints under, in default wording
    texts: tuple[tuple[tuple, object], ...]  # (location, Text) of each printed text
    cites: tuple[Cite, ...] = ()
    derived: str | None = None
    needs_quote: str | None = None  # why a quote is required here, if it is
    audiences: frozenset[str] = field(default=frozenset(AUDIENCES))

    def wordings(self) -> Iterator[tuple[tuple, str, str]]:
        """(location, audience or 'default', words) for each wording of each text."""
        for loc, text in self.texts:
            if isinstance(text, Variants):
                for name in ("default", *AUDIENCES):
                    words = getattr(text, name)
                    if words is not None:
                        yield (loc + (name,) if name != "default" else loc + ("default",)), name, words
            else:
                yield loc, "default", text

    def wording_for(self, audience: str) -> list[str]:
        """What `audience` reads of this claim; empty when their editions leave it out."""
        if audience not in self.audiences:
            return []
        return [wording_for(t, audience) for _, t in self.texts]

    def quotes(self) -> list[Cite]:
        return [c for c in self.cites if c.quote]

    def content(self) -> dict:
        """What approval binds: the words, the cites with their quotes, the reason a number is derived, who reads it."""
        return {
            "texts": [t.model_dump(exclude_none=True) if isinstance(t, Variants) else t for _, t in self.texts],
            "cites": [c.model_dump(exclude_none=True) for c in self.cites],
            "derived": self.derived,
            "for": sorted(self.audiences),
        }


def audiences_of(obj: object, inherited: frozenset[str]) -> frozenset[str]:
    """Who sees obj: those who see its container and whom it is shown to (model.Limited.shown_to)."""
    return frozenset(a for a in inherited if not isinstance(obj, Limited) or obj.shown_to(a))


def claims_of(topic: Topic) -> list[Claim]:
    """Every claim of the topic, in reading order within each group, groups in GROUPS order."""
    found = list(walk_topic(topic))
    return sorted(found, key=lambda c: GROUPS.index(c.group))  # stable: reading order kept inside a group


def walk_topic(topic: Topic) -> Iterator[Claim]:
    everyone = frozenset(AUDIENCES)
    yield Claim(("title",), "title", "title", "Title", ((("title",), topic.title),))
    yield Claim(("summary",), "summary", "title", "Summary", ((("summary",), topic.summary),))
    for s, section in enumerate(topic.sections):
        loc, seen = ("sections", s), audiences_of(section, everyone)
        group = "urgent" if section.urgent else "sections"
        heading = default_words(section.title)
        yield Claim(
            loc + ("title",),
            f"sections/{section.id}/title",
            group,
            heading,
            ((loc + ("title",), section.title),),
            audiences=seen,
        )
        for b, block in enumerate(section.blocks):
            why = "an urgent step" if section.urgent else None
            yield from block_claims(
                block, loc + ("blocks", b), f"sections/{section.id}/blocks/{b}", group, heading, seen, why
            )
    yield from listed(
        topic.red_flags,
        "red_flags",
        "red-flags",
        "When to get help",
        lambda f: (("sign", f.sign), ("action", f.action)),
        "a red flag",
        everyone,
    )
    if topic.wallet_card is not None:
        card, seen = topic.wallet_card, audiences_of(topic.wallet_card, everyone)
        for side in ("front", "back"):
            loc, part = ("wallet_card", side), getattr(card, side)
            heading = f"Wallet card, {side}"
            texts = ((loc + ("title",), part.title),) + tuple(
                (loc + ("write_in", i), label) for i, label in enumerate(part.write_in)
            )
            yield Claim(loc + ("title",), f"wallet_card/{side}/title", "wallet-card", heading, texts, audiences=seen)
            for b, block in enumerate(part.blocks):
                yield from block_claims(
                    block,
                    loc + ("blocks", b),
                    f"wallet_card/{side}/blocks/{b}",
                    "wallet-card",
                    heading,
                    seen,
                    "a wallet-card line",
                )
    for name, fact in topic.facts.items():
        loc = ("facts", name)
        yield Claim(
            loc,
            f"facts/{name}",
            "facts",
            "Named facts",
            ((loc + ("text",), fact.text),),
            tuple(fact.cites),
            fact.derived,
        )
    yield from listed(
        topic.tips, "tips", "tips", "What nobody tells you", lambda t: (("text", t.text),), None, everyone
    )
    for name, spec in QUESTION_LISTS.items():
        readers = everyone & spec.audiences
        for q, question in enumerate(getattr(topic, name)):
            loc = (name, q)
            if isinstance(question, Item):
                yield Claim(
                    loc,
                    f"{name}/{question.id or q}",
                    "questions",
                    spec.heading,
                    ((loc + ("text",), question.text),),
                    tuple(question.cites),
                    question.derived,
                    audiences=audiences_of(question, readers),
                )
            else:
                yield Claim(loc, f"{name}/{q}", "questions", spec.heading, ((loc, question),), audiences=readers)
    for g, term in enumerate(topic.glossary):
        loc = ("glossary", g)
        yield Claim(
            loc,
            f"glossary/{term.id or term.term}",
            "glossary",
            "Glossary",
            ((loc + ("term",), term.term), (loc + ("meaning",), term.meaning)),
            tuple(term.cites),
            term.derived,
            audiences=audiences_of(term, everyone),
        )
    yield from listed(
        topic.figures,
        "figures",
        "figures",
        "Figures",
        lambda f: (("alt", f.alt),) + ((("caption", f.caption),) if f.caption else ()),
        None,
        everyone,
    )
    for c, card in enumerate(topic.cards):
        loc = ("cards", c)
        fields = (("front", card.front), ("back", card.back)) if isinstance(card, BasicCard) else (("text", card.text),)
        fields += (("extra", card.extra),) if card.extra else ()
        yield Claim(
            loc,
            f"cards/{card.id}",
            "cards",
            "Student cards",
            tuple((loc + (n,), t) for n, t in fields),
            tuple(card.cites),
            card.derived,
            audiences=audiences_of(card, frozenset({"student"})),
        )


def listed(items, name: str, group: str, heading: str, texts_of, why: str | None, seen) -> Iterator[Claim]:
    for i, item in enumerate(items):
        loc = (name, i)
        yield Claim(
            loc,
            f"{name}/{item.id}",
            group,
            heading,
            tuple((loc + (f,), t) for f, t in texts_of(item)),
            tuple(item.cites),
            item.derived,
            why,
            audiences_of(item, seen),
        )


def block_claims(block, loc: tuple, key: str, group: str, heading: str, seen, why: str | None) -> Iterator[Claim]:
    """A block's claims: a paragraph or table is one; a list is its intro plus one per item."""
    seen = audiences_of(block, seen)
    if isinstance(block, FigureBlock):
        return
    if isinstance(block, Paragraph):
        yield Claim(
            loc,
            key,
            group,
            heading,
            ((loc + ("paragraph",), block.paragraph),),
            tuple(block.cites),
            block.derived,
            why,
            seen,
        )
    elif isinstance(block, TableBlock):
        table, tloc = block.table, loc + ("table",)
        texts = ((tloc + ("caption",), table.caption),) + tuple(
            (tloc + ("header", i), h) for i, h in enumerate(table.header)
        )
        texts += tuple((tloc + ("rows", r, c), cell) for r, row in enumerate(table.rows) for c, cell in enumerate(row))
        yield Claim(loc, key, group, heading, texts, tuple(block.cites), block.derived, why, seen)
    elif isinstance(block, (Bullets, Steps)):
        name = "steps" if isinstance(block, Steps) else "bullets"
        why = why or ("a step" if isinstance(block, Steps) else None)
        if block.intro is not None:
            yield Claim(
                loc + ("intro",),
                key + "/intro",
                group,
                heading,
                ((loc + ("intro",), block.intro),),
                tuple(block.cites),
                block.derived,
                None,
                seen,
            )
        for i, entry in enumerate(getattr(block, name)):
            iloc = loc + (name, i)
            if isinstance(entry, Item):
                cites = tuple(entry.cites) or tuple(block.cites)  # an item without cites rests on its block's
                yield Claim(
                    iloc,
                    f"{key}/{name}/{entry.id or i}",
                    group,
                    heading,
                    ((iloc + ("text",), entry.text),),
                    cites,
                    entry.derived or block.derived,
                    why,
                    audiences_of(entry, seen),
                )
            else:
                yield Claim(
                    iloc,
                    f"{key}/{name}/{i}",
                    group,
                    heading,
                    ((iloc, entry),),
                    tuple(block.cites),
                    block.derived,
                    why,
                    seen,
                )
    else:  # a block kind without clinical statements of its own shape (a form to fill in): its words still count
        texts = tuple((at, text) for at, text in strings_of(block, loc) if not NOT_WORDS & set(at[len(loc) :]))
        if texts:
            yield Claim(
                loc,
                key,
                group,
                heading,
                texts,
                tuple(getattr(block, "cites", ())),
                getattr(block, "derived", None),
                why,
                seen,
            )


def default_words(text: object) -> str:
    return text.default if isinstance(text, Variants) else str(text)
