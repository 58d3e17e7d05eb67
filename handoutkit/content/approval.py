"""Approval bound to text: who approved which words, and what changed since.

`build.py approve TOPIC --reviewer NAME` writes `approvals/TOPIC.json`: the
reviewer, the date, a fingerprint of the topic's claims (every printed word,
number, cite and quote, in order; not ids, layout or comments) and a copy of the
claims, so the review sheet can show the approved wording beside a new one
without git. A topic's state follows from that record:

    draft     no record
    approved  the record's fingerprint is the topic's
    changed   the topic changed since the record: every page says so, --release refuses it

The record lives beside the topics, not in them, so approving never rewrites
an author's file, and an edit can never carry an old approval along.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, display_path, format_field
from .claims import Claim, claims_of
from .model import Topic
from .sourcefiles import NotAFile, read_file

APPROVALS_DIR = "approvals"
RECORD_VERSION = 1


@dataclass(frozen=True)
class Record:
    reviewer: str
    approved: dt.date
    fingerprint: str
    claims: list[dict]  # {key, group, heading, content}, as approved


@dataclass(frozen=True)
class Change:
    """A claim that differs from the approved one: now (None if removed) and then (None if new)."""

    now: Claim | None
    then: dict | None


def fingerprint(claims: list[Claim]) -> str:
    canonical = json.dumps([c.content() for c in claims], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def record_path(root: Path, topic_id: str) -> Path:
    return root / APPROVALS_DIR / f"{topic_id}.json"


def make_record(topic: Topic, reviewer: str, day: dt.date) -> bytes:
    claims = claims_of(topic)
    data = {
        "version": RECORD_VERSION,
        "topic": topic.id,
        "reviewer": reviewer,
        "approved": day.isoformat(),
        "fingerprint": fingerprint(claims),
        "claims": [
            {"key": c.key, "at": format_field(c.loc), "group": c.group, "heading": c.heading, "content": c.content()}
            for c in claims
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def read_record(root: Path, topic_id: str) -> tuple[Record | None, list[Problem]]:
    """The topic's approval record, None if there is none; a damaged record is a problem, never a traceback."""
    path = record_path(root, topic_id)
    shown = display_path(path, root)
    try:
        data = json.loads(read_file(path))  # a regular file only: a named pipe would never answer
    except FileNotFoundError:
        return None, []
    except NotAFile as exc:
        return None, [Problem(shown, 1, 1, "", exc.strerror)]
    except (OSError, ValueError) as exc:
        return None, [
            Problem(
                shown,
                1,
                1,
                "",
                f"expected an approval record written by 'build.py approve', "
                f"found a file that does not read as JSON ({type(exc).__name__})",
            )
        ]
    try:
        record = Record(
            str(data["reviewer"]),
            dt.date.fromisoformat(data["approved"]),
            str(data["fingerprint"]),
            list(data["claims"]),
        )
        if data.get("topic") != topic_id or not all(isinstance(c, dict) and "content" in c for c in record.claims):
            raise ValueError("topic or claims")
    except (KeyError, TypeError, ValueError, AttributeError):
        return None, [
            Problem(
                shown,
                1,
                1,
                "",
                f"expected an approval record of topic '{topic_id}' with reviewer, "
                "approved, fingerprint and claims; approve the topic again",
            )
        ]
    return record, []


def approval_state(topic: Topic, record: Record | None) -> str:
    if record is None:
        return "draft"
    return "approved" if record.fingerprint == fingerprint(claims_of(topic)) else "changed"


def with_review(topic: Topic, record: Record | None) -> Topic:
    """The topic as its pages should describe it: the state, reviewer and date come from the record."""
    state = approval_state(topic, record)
    if record is None:
        review = topic.review.model_copy(update={"status": "draft"})  # a draft's own dates stay (the PDF's date)
    else:
        review = topic.review.model_copy(
            update={"status": state, "reviewer": record.reviewer, "last_reviewed": record.approved}
        )
    if review == topic.review:
        return topic  # the same object: watch keeps what every audience sees of an unchanged topic
    return topic.model_copy(update={"review": review})


def changes_since(topic: Topic, record: Record) -> list[Change]:
    """Claims new or reworded since approval, then claims removed; matched by content, so a renamed id is no change."""
    claims = claims_of(topic)
    approved = [c["content"] for c in record.claims]
    by_key = {c["key"]: c for c in record.claims}
    by_place = {c.get("at"): c for c in record.claims}  # an id renamed in the same edit: the claim in its place
    remaining = list(approved)
    changes = []
    for claim in claims:
        content = json.loads(json.dumps(claim.content()))  # the record's JSON form, for a fair comparison
        if content in remaining:
            remaining.remove(content)
        else:
            changes.append(Change(claim, by_key.get(claim.key) or by_place.get(format_field(claim.loc))))
    matched = {id(c.then) for c in changes if c.then is not None}
    for entry in record.claims:
        if entry["content"] in remaining and id(entry) not in matched:
            remaining.remove(entry["content"])
            changes.append(Change(None, entry))
    return changes
