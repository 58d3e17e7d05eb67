"""What a release build refuses: a sample clinic, and content no clinician has approved as it now reads.

An ordinary build of a draft or with the sample brand is allowed (that is how
content is written), but its pages say DRAFT and SAMPLE; `--release`, for the
build that prints for real patients, refuses both with the field to fix. An
approved topic edited since its approval is refused claim by claim, and so is
one whose review is overdue.
"""

from __future__ import annotations

import datetime as dt

from ..errors import Problem, display_path, quote
from .approval import changes_since, record_path
from .evidence import claim_problems
from .library import Library
from .printable import KINDS, reviewer_problem


def release_problems(library: Library, today: dt.date) -> list[Problem]:
    problems = brand_problems(library)
    for topic_id in sorted(library.topics):
        problems += topic_release_problems(library, topic_id, today)
    return problems


def topic_release_problems(library: Library, topic_id: str, today: dt.date) -> list[Problem]:
    topic, doc = library.topics[topic_id], library.documents[topic_id]
    review, problems = topic.review, []
    if review.status == "draft":
        problems.append(
            doc.problem(
                ("review", "status"),
                (
                    "expected an approved topic for a release, found status 'draft'; a named clinician approves it "
                    f"with 'build.py approve {topic_id} --reviewer NAME' after reading 'build.py review-sheet "
                    f"{topic_id} --clinical'"
                ),
            )
        )
    elif review.status == "changed":
        approved = f"approved by {review.reviewer} on {review.last_reviewed}"
        for change in changes_since(topic, library.approvals[topic_id]):
            if change.now is None:
                problems.append(
                    doc.problem(
                        ("review",),
                        f"expected the approved text, found a claim removed since it was "
                        f"{approved}: {change.then['key']}; approve the topic again",
                    )
                )
            else:
                what = "added" if change.then is None else "changed"
                problems.append(
                    doc.problem(
                        change.now.loc,
                        f"expected the approved text, found a claim {what} since it "
                        f"was {approved}; approve the topic again",
                    )
                )
    if review.evidence == "partial":
        count = len(claim_problems(topic, doc))
        problems.append(
            doc.problem(
                ("review", "evidence"),
                f"expected complete evidence for a release, found partial: "
                f"{count} claims lack a quote or state a number not in their quotes",
            )
        )
    if review.next_due < today:
        problems.append(
            doc.problem(
                ("review", "next_due"),
                f"expected a review date still ahead for a release, found "
                f"{review.next_due}, {(today - review.next_due).days} days ago",
            )
        )
    return problems


def brand_problems(library: Library) -> list[Problem]:
    brand, doc = library.brand, library.brand_document
    problems = []
    if brand.sample:
        problems.append(
            doc.problem(
                ("sample",),
                "expected a real clinic for a release, found a sample brand; "
                "copy it, fill in your clinic's details, delete `sample: true`, build with --brand",
            )
        )
    for name, why in brand.unfit():  # content/printable.py: a stand-in, or not the kind of value the field prints
        value = quote(getattr(brand, name))
        if why == "placeholder":
            message = (
                f"expected your clinic's real {name.replace('_', ' ')} for a release, found placeholder text {value}"
            )
        else:
            message = f"expected {KINDS[name]} for a release, found {value}"
        problems.append(doc.problem((name,), message))
    return problems


def approval_problems(library: Library, today: dt.date) -> list[Problem]:
    """What every page prints of an approval, refused when it cannot be true or is a stand-in.

    `approve` refuses these, but approvals/TOPIC.json is a file anyone can edit, and a
    clock or HANDOUTKIT_TODAY set ahead writes a date still to come.
    """
    problems = []
    for topic_id, record in sorted(library.approvals.items()):
        shown = display_path(record_path(library.root, topic_id), library.root)
        why = reviewer_problem(record.reviewer)
        if why is not None:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "reviewer",
                    f"{why}; a release prints it on every page: the clinician "
                    f"approves again with 'build.py approve {topic_id} --reviewer NAME'",
                )
            )
        if record.approved > today:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "approved",
                    f"expected an approval dated on or before today "
                    f"({today.isoformat()}) for a release, found {record.approved.isoformat()}, a date "
                    f"still to come; approve the topic again",
                )
            )
    return problems
