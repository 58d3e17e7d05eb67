"""What a release build refuses: a sample clinic, and content no clinician has approved.

An ordinary build of a draft or with the sample brand is allowed (that is how
content is written), but its pages say DRAFT and SAMPLE; `--release`, for the
build that prints for real patients, refuses both with the field to fix.
"""

from __future__ import annotations

from ..errors import Problem
from .library import Library


def release_problems(library: Library) -> list[Problem]:
    return brand_problems(library) + [
        library.documents[topic_id].problem(
            ("review", "status"),
            f"expected an approved topic for a release, found status '{topic.review.status}'; a named clinician "
            "must approve it (review.status: approved, with reviewer and last_reviewed)",
        )
        for topic_id, topic in sorted(library.topics.items()) if topic.review.status != "approved"
    ]


def brand_problems(library: Library) -> list[Problem]:
    brand, doc = library.brand, library.brand_document
    problems = []
    if brand.sample:
        problems.append(doc.problem(("sample",), "expected a real clinic for a release, found a sample brand; "
                                    "copy it, fill in your clinic's details, delete `sample: true`, build with --brand"))
    for name in brand.placeholders():
        problems.append(doc.problem((name,), f"expected your clinic's real {name} for a release, "
                                    f"found placeholder text '{getattr(brand, name)}'"))
    return problems
