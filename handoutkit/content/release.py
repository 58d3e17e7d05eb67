"""What a release build refuses: a sample clinic, and content no clinician has approved as it now reads.

An ordinary build of a draft or with the sample brand is allowed (that is how
content is written), but its pages say DRAFT and SAMPLE; `--release`, for the
build that prints for real patients, refuses both with the field to fix. An
approved topic edited since its approval is refused claim by claim, and so is
one whose review is overdue.
"""

from __future__ import annotations

import datetime as dt

from ..errors import Problem, quote
from .approval import changes_since
from .evidence import claim_problems
from .library import Library


def release_problems(library: Library, today: dt.date) -> list[Problem]:
    problems = brand_problems(library)
    for topic_id in sorted(library.topics):
        problems += topic_release_problems(library, topic_id, today)
    return problems


def topic_release_problems(library: Library, topic_id: str, today: dt.date) -> list[Problem]:
    topic, doc = library.topics[topic_id], library.documents[topic_id]
    review, problems = topic.review, []
    if review.status == "draft":
        problems.append(doc.problem(("review", "status"), (
            "expected an approved topic for a release, found status 'draft'; a named clinician approves it "
            f"with 'build.py approve {topic_id} --reviewer NAME' after reading 'build.py review-sheet {topic_id} --clinical'")))
    elif review.status == "changed":
        approved = f"approved by {review.reviewer} on {review.last_reviewed}"
        for change in changes_since(topic, library.approvals[topic_id]):
            if change.now is None:
                problems.append(doc.problem(("review",), f"expected the approved text, found a claim removed since it was "
                                                         f"{approved}: {change.then['key']}; approve the topic again"))
            else:
                what = "added" if change.then is None else "changed"
                problems.append(doc.problem(change.now.loc, f"expected the approved text, found a claim {what} since it "
                                                            f"was {approved}; approve the topic again"))
    if review.evidence == "partial":
        count = len(claim_problems(topic, doc))
        problems.append(doc.problem(("review", "evidence"), f"expected complete evidence for a release, found partial: "
                                                            f"{count} claims lack a quote or state a number not in their quotes"))
    if review.next_due < today:
        problems.append(doc.problem(("review", "next_due"), f"expected a review date still ahead for a release, found "
                                                            f"{review.next_due}, {(today - review.next_due).days} days ago"))
    return problems


def brand_problems(library: Library) -> list[Problem]:
    brand, doc = library.brand, library.brand_document
    problems = []
    if brand.sample:
        problems.append(doc.problem(("sample",), "expected a real clinic for a release, found a sample brand; "
                                    "copy it, fill in your clinic's details, delete `sample: true`, build with --brand"))
    for name in brand.placeholders():
        problems.append(doc.problem((name,), f"expected your clinic's real {name} for a release, "
                                    f"found placeholder text {quote(getattr(brand, name))}"))
    return problems
