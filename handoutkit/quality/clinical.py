"""The clinical review sheet's data: every claim with its wording per edition and the words it rests on.

A reviewing clinician reads what a person acts on first (urgent steps, red
flags, the wallet card), then every number, then the rest section by section.
Each claim shows how each edition words it, each quote with its source's title,
address and access date, and, when the topic was approved before, whether the
claim changed since and what the approved words were.
"""

from __future__ import annotations

import datetime as dt

from ..content.approval import Change, changes_since
from ..content.claims import Claim, claims_of
from ..content.library import Library
from ..content.model import AUDIENCES, Topic
from ..content.numbers import stated

GROUP_TITLES = {
    "urgent": "Urgent: what to do now",
    "red-flags": "Red flags: when to get help",
    "wallet-card": "Wallet card",
    "numbers": "Numbers, thresholds and doses",
    "title": "Title and main message",
    "sections": "Sections",
    "tips": "What nobody tells you (tips)",
    "questions": "Questions to ask",
    "glossary": "Glossary",
    "figures": "Figures",
    "cards": "Student flashcards",
}
NUMBER_GROUPS = ("facts", "sections", "tips", "questions", "glossary", "cards")  # their numbered claims move up


def clinical_sheet_view(library: Library, topic_id: str, today: dt.date) -> dict:
    topic = library.topics[topic_id]
    record = library.approvals.get(topic_id)
    changes = changes_since(topic, record) if record is not None and topic.review.status == "changed" else []
    changed = {c.now.loc: c for c in changes if c.now is not None}
    claims = [c for c in claims_of(topic) if is_reviewed(c) or c.loc in changed]
    path = library.documents[topic_id]
    groups: dict[str, list[dict]] = {}
    for claim in claims:
        groups.setdefault(display_group(claim), []).append(
            claim_view(claim, topic, library, path, changed.get(claim.loc))
        )
    cited = [c for c in claims if c.cites]
    return {
        "title": topic.title,
        "topic_id": topic_id,
        "file": path.shown,
        "today": today.isoformat(),
        "state": topic.review.status,
        "reviewer": topic.review.reviewer,
        "approved": topic.review.last_reviewed.isoformat() if topic.review.last_reviewed else None,
        "next_due": topic.review.next_due.isoformat(),
        "counts": {
            "claims": len(claims),
            "cited": len(cited),
            "quoted": sum(1 for c in cited if c.quotes()),
            "numbers": sum(1 for c in cited if has_number(c)),
            "changed": len(changes),
        },
        "removed": [removed_view(c) for c in changes if c.now is None],
        "groups": [{"title": GROUP_TITLES[name], "claims": groups[name]} for name in GROUP_TITLES if name in groups],
    }


def is_reviewed(claim: Claim) -> bool:
    """Headings are words, not claims; they count for approval but would only crowd the sheet."""
    return not claim.key.endswith("/title") or bool(claim.cites)


def has_number(claim: Claim) -> bool:
    return any(stated(words) for _, _, words in claim.wordings())


def display_group(claim: Claim) -> str:
    if claim.group in NUMBER_GROUPS and (claim.group == "facts" or has_number(claim)):
        return "numbers"
    return claim.group


def claim_view(claim: Claim, topic: Topic, library: Library, doc, change: Change | None) -> dict:
    line = doc.positions.of_value(claim.loc)[0]
    sources = {s.id: s for s in topic.sources}
    return {
        "where": f"{doc.shown}:{line}",
        "heading": claim.heading,
        "key": claim.key,
        "wordings": wordings_view(claim, library),
        "quotes": [
            {"quote": c.quote, "where": c.where, "source": source_view(sources[c.source])} for c in claim.quotes()
        ],
        "bare": [source_view(sources[i]) for i in dict.fromkeys(c.source for c in claim.cites if not c.quote)],
        "derived": claim.derived,
        "changed": change is not None,
        "approved_words": approved_words(change.then) if change and change.then else None,
        "new": change is not None and change.then is None,
    }


def wordings_view(claim: Claim, library: Library) -> list[dict]:
    """Each distinct wording with the editions that print it (standard and large print share one)."""
    by_words: dict[str, list[str]] = {}
    for audience in AUDIENCES:
        words = " / ".join(claim.wording_for(audience))
        labels = [e.label for e in library.editions if e.audience == audience and prints(e, claim)]
        if words and labels:
            by_words.setdefault(words, []).extend(labels)
    return [{"editions": ", ".join(labels), "text": words} for words, labels in by_words.items()]


def prints(edition, claim: Claim) -> bool:
    """A wallet card prints its own lines and nothing else; a handout everything but those."""
    return (edition.format == "wallet-card") == (claim.group == "wallet-card")


def approved_words(entry: dict) -> list[dict]:
    """Each approved wording, with the audience it was for when a text had several."""
    out = []
    for text in entry["content"]["texts"]:
        if isinstance(text, dict):
            out.extend({"audience": name, "text": words} for name, words in text.items())
        else:
            out.append({"audience": None, "text": text})
    return out


def removed_view(change: Change) -> dict:
    return {"key": change.then["key"], "heading": change.then.get("heading", ""), "words": approved_words(change.then)}


def source_view(source) -> dict:
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "accessed": source.accessed.isoformat(),
    }
