"""Edition selection is a pure function: (topic, audience) -> what that audience sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutkit.content.library import load_topic
from handoutkit.content.model import AUDIENCES, Variants
from handoutkit.editions.prose import reading_order
from handoutkit.editions.select import select_edition, text_of

FIXTURE = Path(__file__).parent / "fixtures" / "select" / "audiences.yaml"


@pytest.fixture(scope="module")
def topic():
    loaded, _, problems = load_topic(FIXTURE, FIXTURE.parent)
    assert problems == []
    return loaded


def shown(topic, audience):
    """Every piece of text the audience would see, flattened, for easy assertions."""
    view = select_edition(topic, audience)
    texts = [view.summary, *(s.title for s in view.sections)]
    for section in view.sections:
        for block in section.blocks:
            if hasattr(block, "paragraph"):
                texts.append(block.paragraph)
            for item in getattr(block, "bullets", []):
                texts.append(text_of(item))
            if hasattr(block, "figure"):
                texts.append(f"figure:{block.figure}")
    texts += [t.text for t in view.tips]
    texts += [f"{r.sign} -> {r.action}" for r in view.red_flags]
    texts += [text_of(q) for q in view.questions]
    return texts


EXPECTED = {
    "patient": [
        "Everyone reads this summary.",
        "Shared section",
        "Everyone reads this paragraph.",
        "Only patients read this paragraph.",
        "Everyone reads this item.",
        "Patient wording of an item.",
        "figure:sites",
        "A tip for everyone.",
        "A warm, swollen leg. -> Call your care team today.",
        "A question for everyone?",
        "A question for patients and SCI?",
    ],
    "sci": [
        "Everyone reads this summary.",
        "Shared section for people with SCI",
        "Everyone reads this paragraph.",
        "Everyone reads this item.",
        "Default wording of an item.",
        "figure:sites",
        "A tip for everyone.",
        "A tip for people with SCI.",
        "A warm, swollen leg. -> Call your care team today.",
        "A question for everyone?",
        "A question for patients and SCI?",
    ],
    "clinician": [
        "Clinicians read this summary.",
        "Shared section",
        "Clinical detail",
        "Everyone reads this paragraph.",
        "Everyone reads this item.",
        "Default wording of an item.",
        "A list whose only item is for clinicians.",
        "Grades and timing for professionals.",
        "A tip for everyone.",
        "A warm, swollen leg. -> Rule out a blood clot with a duplex ultrasound.",
        "A question for everyone?",
    ],
    "student": [
        "Everyone reads this summary.",
        "Shared section",
        "Clinical detail",
        "Everyone reads this paragraph.",
        "Everyone reads this item.",
        "Only students read this item.",
        "Default wording of an item.",
        "Grades and timing for professionals.",
        "A tip for everyone.",
        "A warm, swollen leg. -> Call your care team today.",
        "A question for everyone?",
    ],
}


def test_every_audience_is_covered():
    assert set(EXPECTED) == set(AUDIENCES)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_selection_per_audience(topic, audience):
    assert shown(topic, audience) == EXPECTED[audience]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_variants_survive_selection(topic, audience):
    from handoutkit.content.crossrefs import walk

    view = select_edition(topic, audience)
    for _, obj in walk(view):
        assert not isinstance(obj, Variants)


def test_a_list_emptied_by_filtering_disappears(topic):
    patient = select_edition(topic, "patient")
    assert [len(s.blocks) for s in patient.sections] == [4]


def test_figures_hidden_from_an_audience_drop_their_references(topic):
    clinician = select_edition(topic, "clinician")
    assert clinician.figures == []
    assert not any(hasattr(b, "figure") for s in clinician.sections for b in s.blocks)


def test_selection_does_not_change_the_topic(topic):
    before = topic.model_dump()
    select_edition(topic, "patient")
    assert topic.model_dump() == before


TOPICS = sorted((Path(__file__).resolve().parents[1] / "handouts").glob("*.yaml")) + [FIXTURE]


@pytest.mark.parametrize("path", TOPICS, ids=lambda p: p.stem)
def test_what_the_gates_read_is_what_selection_prints(path):
    """reading_order filters in place (to keep YAML locations); it must agree with select_edition exactly."""
    topic, _, problems = load_topic(path, path.parent)
    assert problems == []
    for audience in AUDIENCES:
        in_place = [(p.role, p.text) for p in reading_order(topic, audience)]
        assert in_place == [(p.role, p.text) for p in reading_order(select_edition(topic, audience))]
