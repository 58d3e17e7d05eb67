"""Quality gates: each fires on content made to fail it, with its exact message,
and is silent on content that passes (tests/fixtures/quality, and the HO topic)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "quality"
TOPIC = "handouts/sprain.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOUTKIT_TODAY", "2026-11-23")
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def check(root: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    status = main(["check", "--root", str(root), *extra])
    return status, capsys.readouterr().err.splitlines()


def test_the_fixture_passes_every_gate(project, capsys):
    status = main(["check", "--root", str(project)])
    out = capsys.readouterr()
    assert status == 0 and out.err == ""
    assert out.out.splitlines()[-1].endswith("every quality gate passed (0 warnings)")


def test_the_repository_topics_pass_every_gate_and_warn_only_of_evidence_still_being_quoted(capsys):
    """Every gate passes; the only warnings are the evidence gaps of topics marked `evidence: partial`."""
    assert main(["check", "--root", str(REPO)]) == 0
    out = capsys.readouterr()
    library = load_library(REPO)
    partial = {f"handouts/{t}.yaml" for t, topic in library.topics.items() if topic.review.evidence == "partial"}
    for line in out.err.splitlines():
        assert line.endswith("[evidence, warning]") and line.split(":")[0] in partial, line


def test_reading_level_names_the_hardest_sentences(project, capsys):
    edit(
        project,
        TOPIC,
        "No one knows why some heal faster.",
        "Physiological rehabilitation necessitates comprehensive individualized therapeutic intervention. "
        "Proprioceptive retraining accelerates functional restoration considerably.",
    )
    status, err = check(project, capsys)
    assert status == 1
    assert err[0] == (
        "handouts/sprain.yaml:1:1: patient: expected a reading grade <= 6, found Flesch-Kincaid 4.79, SMOG 8.28; "
        "hardest sentences: 'Physiological rehabilitation necessitates comprehensive individualized therapeutic intervention.'; "
        "'Proprioceptive retraining accelerates functional restoration considerably.'; "
        "'You cannot put any weight on your foot.' [reading_level, error]"
    )


def test_plain_words_are_warnings_and_strict_makes_them_errors(project, capsys):
    edit(
        project,
        TOPIC,
        "          - You may see a bruise.",
        "          - You may see a bruise near the ligament.\n"
        "          - Your foot was hurt when you fell on the stairs at home last night in the dark and it may still be sore for a week or so.",
    )
    status, err = check(project, capsys)
    assert status == 0
    assert err == [
        "handouts/sprain.yaml:14:13: sections[0].blocks[1].bullets[1]: patient: 'ligament' is used here first without an explanation; explain it in the same sentence [plain_words, warning]",
        "handouts/sprain.yaml:15:13: sections[0].blocks[1].bullets[2]: patient: expected sentences of at most 20 words, found 28: 'Your foot was hurt when you fell on the stairs at home last night in the dark and it may still be sore for a week or so.' [plain_words, warning]",
        "handouts/sprain.yaml:15:13: sections[0].blocks[1].bullets[2]: patient: passive voice 'was hurt'; say who does what [plain_words, warning]",
    ]
    status, err = check(project, capsys, "--strict")
    assert status == 1
    assert err[-1] == "3 problems found."


def test_pemat_actionability(project, capsys):
    edit(project, "editions.yaml", "    page_budget: 2\n", "    page_budget: 2\n    gates: {pemat_min_percent: 100}\n")
    edit(project, TOPIC, "questions:\n  - When can I go back to sport?\n", "")
    status, err = check(project, capsys)
    assert status == 1
    assert err[0] == (
        "handouts/sprain.yaml:1:1: patient: expected PEMAT-P actionability >= 100% of the items checked "
        "automatically, found 4 of 5 (80%); not met: item 23 (a tangible tool) [pemat, error]"
    )


def test_cdc_clear_communication_index(project, capsys):
    edit(project, "editions.yaml", "    page_budget: 2\n", "    page_budget: 2\n    gates: {cdc_min_percent: 100}\n")
    edit(project, TOPIC, " No one knows why some heal faster.", "")
    status, err = check(project, capsys)
    assert status == 1
    assert err[0] == (
        "handouts/sprain.yaml:1:1: patient: expected CDC Clear Communication Index >= 100% of the items checked "
        "automatically, found 9 of 10 (90%); not met: item 11 (what is known and not known) [clear_communication, error]"
    )


def test_every_clinical_block_and_tip_cites_a_source(project, capsys):
    edit(
        project,
        TOPIC,
        "    text: Wear a firm shoe when you walk again.\n    cites: [src]\n",
        "    text: Wear a firm shoe when you walk again.\n",
    )
    edit(
        project,
        TOPIC,
        "          - You may see a bruise.\n        cites: [src]\n",
        "          - You may see a bruise.\n",
    )
    status, err = check(project, capsys)
    assert status == 1
    assert err[:-1] == [
        "handouts/sprain.yaml:13:13: sections[0].blocks[1].bullets[0]: patient: a list item has no source, nor has its block; add cites: [source-id] [citations, error]",
        "handouts/sprain.yaml:14:13: sections[0].blocks[1].bullets[1]: patient: a list item has no source, nor has its block; add cites: [source-id] [citations, error]",
        "handouts/sprain.yaml:24:5: tips[0]: patient: a tip has no source; add cites: [source-id] [citations, error]",
    ]


@pytest.mark.parametrize(
    "today, status, line",
    [
        (
            "2027-12-01",
            1,
            "handouts/sprain.yaml:51:13: review.next_due: patient: expected a review date still ahead, found next_due 2027-11-23, 8 days ago; review the content and move the date [review_date, error]",
        ),
        (
            "2027-10-01",
            0,
            "handouts/sprain.yaml:51:13: review.next_due: patient: review due in 53 days, on 2027-11-23 [review_date, warning]",
        ),
    ],
)
def test_review_dates(project, capsys, monkeypatch, today, status, line):
    monkeypatch.setenv("HANDOUTKIT_TODAY", today)
    result, err = check(project, capsys)
    assert (result, err[0]) == (status, line)


def test_template_text_colours_need_7_to_1_contrast(project, capsys):
    (project / "templates").mkdir()
    (project / "templates" / "handout.css").write_text(
        ":root { --muted: #777777; }\n"
        "body { color: #1a1a1a; }\n"
        ".note {\n  color: var(--muted);\n}\n"
        ".banner { background: #17405e; color: #ffffff; }\n"
    )
    status, err = check(project, capsys)
    assert status == 1
    assert err[:-1] == [
        "templates/handout.css:4:3: .note: expected text contrast >= 7:1, found 4.5:1 [contrast, error]"
    ]


def test_a_gate_set_off_is_silent(project, capsys):
    edit(project, "editions.yaml", "    page_budget: 2\n", '    page_budget: 2\n    gates: {citations: "off"}\n')
    edit(
        project,
        TOPIC,
        "    text: Wear a firm shoe when you walk again.\n    cites: [src]\n",
        "    text: Wear a firm shoe when you walk again.\n",
    )
    assert check(project, capsys) == (0, [])


def test_page_budget_stops_the_build_and_keeps_dist_whole(project, capsys):
    shutil.copytree(REPO / "templates", project / "templates")
    edit(project, "editions.yaml", "    page_budget: 2\n", "    page_budget: 1\n")
    filler = "".join(
        "      - paragraph: Rest, ice and gentle moves help you heal. Your care team can help you.\n        cites: [src]\n"
        for _ in range(60)
    )
    edit(project, TOPIC, "      - figure: ankle\n", "      - figure: ankle\n" + filler)
    status = main(["build", "--root", str(project)])
    problems = [line for line in capsys.readouterr().err.splitlines() if line.startswith("handouts/")]
    assert status == 1
    assert len(problems) == 1
    assert problems[0].startswith("handouts/sprain.yaml:1:1: patient on letter: expected at most 1 page, found ")
    assert not (project / "dist" / "handouts" / "sprain" / "sprain--patient--letter.pdf").exists()
