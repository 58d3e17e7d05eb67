"""The loader's promise to authors: every mistake is reported at once, as
`path:line:col: field: expected ..., found ...`, with exit status 1 and no traceback.

Each file in tests/fixtures/bad/ is a small topic with one kind of mistake; the
exact messages it must produce are pinned below.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.content.schema import handout_schema_json
from handoutkit.content.source import load_document
from handoutkit.errors import ContentError

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

EXPECTED = {
    "block-kind-typo": [
        "handouts/block-kind-typo.yaml:10:9: sections[0].blocks[0]: expected a block with exactly one of the keys paragraph, bullets, steps, table, figure, form, write_in, found the keys paragrph, cites; did you mean 'paragraph'?"
    ],
    "block-two-kinds": [
        "handouts/block-two-kinds.yaml:10:9: sections[0].blocks[0]: expected a block with exactly one of the keys paragraph, bullets, steps, table, figure, form, write_in, found the keys paragraph, bullets, cites"
    ],
    "card-unknown-section": [
        "handouts/card-unknown-section.yaml:16:14: cards[0].section: unknown section 'who-gets-it'; expected one of what-it-is"
    ],
    "card-without-cites": ["handouts/card-without-cites.yaml:13:5: cards[0].cites: required field is missing"],
    "cloze-without-deletion": [
        "handouts/cloze-without-deletion.yaml:15:11: cards[0].text: expected at least one deletion like {{c1::answer}}, found 'Nothing hidden here.'"
    ],
    "date-as-text": [
        "handouts/date-as-text.yaml:16:15: sources[0].accessed: expected a date like 2026-01-31, found 'last week'"
    ],
    "duplicate-card-id": [
        "handouts/duplicate-card-id.yaml:17:9: cards[1].id: duplicate id 'one' (first used at line 13)"
    ],
    "duplicate-key": [
        "handouts/duplicate-key.yaml:6:1: summary: duplicate key 'summary' (first at line 5); YAML would keep only the last one"
    ],
    "duplicate-section-id": [
        "handouts/duplicate-section-id.yaml:12:9: sections[1].id: duplicate id 'what-it-is' (first used at line 7)"
    ],
    "duplicate-source-id": [
        "handouts/duplicate-source-id.yaml:17:9: sources[1].id: duplicate id 'src' (first used at line 13)"
    ],
    "empty-file": ["handouts/empty-file.yaml:1:1: the file is empty; expected a mapping of fields"],
    "empty-summary": ["handouts/empty-summary.yaml:5:10: summary: expected text, found an empty value"],
    "figure-missing-file": [
        "handouts/figure-missing-file.yaml:14:10: figures[0].src: expected an existing file, found no file at 'figures/missing.svg'"
    ],
    "figure-outside-project": [
        "handouts/figure-outside-project.yaml:14:10: figures[0].src: expected a file inside the project, found '../../../../../../etc/passwd', which resolves outside it"
    ],
    "figure-src-and-diagram": [
        "handouts/figure-src-and-diagram.yaml:13:5: figures[0]: expected exactly one of 'src' (a file) or 'diagram' (drawn by the build)"
    ],
    "figure-url": [
        "handouts/figure-url.yaml:14:10: figures[0].src: expected a path relative to this file inside the project, found 'file:///etc/passwd'"
    ],
    "figure-without-alt": ["handouts/figure-without-alt.yaml:13:5: figures[0].alt: required field is missing"],
    "id-differs-from-file": [
        "handouts/id-differs-from-file.yaml:1:5: id: expected 'id-differs-from-file' to match the file name, found 'another-name'"
    ],
    "id-not-a-slug": [
        "handouts/id-not-a-slug.yaml:7:9: sections[0].id: expected a slug of lower-case letters, digits and single hyphens (like 'who-gets-it'), found 'What It Is'"
    ],
    "id-with-path": [
        "handouts/id-with-path.yaml:7:9: sections[0].id: expected a slug of lower-case letters, digits and single hyphens (like 'who-gets-it'), found '../etc'"
    ],
    "invalid-date": [
        "handouts/invalid-date.yaml:16:15: sources[0].accessed: expected a real date like 2026-01-31, found '2026-13-45' (month must be in 1..12)"
    ],
    "language-code": [
        "handouts/language-code.yaml:3:11: language: expected a language code like 'en' or 'en-US', found 'English'"
    ],
    "list-expected": ["handouts/list-expected.yaml:3:14: also_called: expected a list, found 'HO'"],
    "missing-review": ["handouts/missing-review.yaml:1:1: review: required field is missing"],
    "no-blocks": ["handouts/no-blocks.yaml:9:13: sections[0].blocks: expected at least 1 item, found an empty list"],
    "not-utf8": ["handouts/not-utf8.yaml:10:25: expected UTF-8 text, found byte 0xe9; save the file as UTF-8"],
    "respelling-without-stress": [
        "handouts/respelling-without-stress.yaml:4:15: pronunciation.respelling: expected the stressed syllable in capitals (like 'oss-if-ih-KAY-shun'), found 'min-ih-mul'"
    ],
    "review-due-before-review": [
        "handouts/review-due-before-review.yaml:20:13: review.next_due: expected a date after last_reviewed (2026-11-23), found 2025-01-01"
    ],
    "tab-indent": ["handouts/tab-indent.yaml:4:1: expected spaces for indentation, found a tab"],
    "table-row-width": [
        "handouts/table-row-width.yaml:15:15: sections[0].blocks[0].table.rows[1]: expected 2 cells, one per header column, found 1"
    ],
    "title-is-boolean": [
        "handouts/title-is-boolean.yaml:2:8: title: expected text, found true (quote it if you meant text)"
    ],
    "title-is-number": ["handouts/title-is-number.yaml:2:8: title: expected text, found the number 2024"],
    "unknown-audience-for": [
        "handouts/unknown-audience-for.yaml:11:15: sections[0].blocks[0].for[0]: expected one of patient, sci, clinician, student; found 'patients'; did you mean 'patient'?"
    ],
    "unknown-audience-variant": [
        "handouts/unknown-audience-variant.yaml:7:3: summary.clinican: unknown field 'clinican'; did you mean 'clinician'?"
    ],
    "unknown-cite": [
        "handouts/unknown-cite.yaml:11:17: sections[0].blocks[0].cites[0]: unknown source 'scr'; expected one of src"
    ],
    "unknown-figure-reference": [
        "handouts/unknown-figure-reference.yaml:12:17: sections[0].blocks[1].figure: unknown figure 'where-it-forms'; expected one of the ids under figures (there are none)"
    ],
    "unknown-key-near-miss": [
        "handouts/unknown-key-near-miss.yaml:1:1: summary: required field is missing",
        "handouts/unknown-key-near-miss.yaml:5:1: summery: unknown field 'summery'; did you mean 'summary'?",
    ],
    "unknown-key": [
        "handouts/unknown-key.yaml:3:1: colour: unknown field 'colour'; expected one of also_called, cards, facts, figures, glossary, id, language, pronunciation, questions, red_flags, review, sections, sources, summary, teach_back, tips, title, wallet_card"
    ],
    "yaml-syntax": [
        "handouts/yaml-syntax.yaml:6:9: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'"
    ],
}


def make_project(tmp_path: Path, *bad_files: Path, with_decks: bool = False) -> Path:
    """A copy of the small valid project, with the given topic files added."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    if not with_decks:
        shutil.rmtree(root / "decks")
    for path in bad_files:
        shutil.copy(path, root / "handouts" / path.name)
    return root


def run_check(root: Path, capsys) -> tuple[int, list[str]]:
    status = main(["check", "--root", str(root)])
    return status, capsys.readouterr().err.splitlines()


def test_every_failure_kind_has_a_fixture():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_content_is_reported_exactly(name, tmp_path, capsys):
    root = make_project(tmp_path, BAD / f"{name}.yaml")
    status, err = run_check(root, capsys)
    count = len(EXPECTED[name])
    assert err == EXPECTED[name] + [f"{count} problem{'s' if count > 1 else ''} found."]
    assert status == 1


def test_all_errors_in_all_files_are_reported_in_one_run(tmp_path, capsys):
    names = ["duplicate-key", "unknown-cite", "title-is-number", "unknown-key-near-miss"]
    root = make_project(tmp_path, *(BAD / f"{n}.yaml" for n in names))
    status, err = run_check(root, capsys)
    expected = sorted(line for n in names for line in EXPECTED[n])
    assert status == 1
    assert err[:-1] == expected
    assert err[-1] == f"{len(expected)} problems found."


def test_a_bad_file_run_as_a_program_exits_1_without_traceback(tmp_path):
    root = make_project(tmp_path, BAD / "unknown-key-near-miss.yaml", BAD / "not-utf8.yaml")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "handouts/unknown-key-near-miss.yaml:5:1: summery: unknown field 'summery'; did you mean 'summary'?"
        in result.stderr
    )
    assert "handouts/not-utf8.yaml:10:25: expected UTF-8 text, found byte 0xe9; save the file as UTF-8" in result.stderr


def test_deck_edition_and_brand_files_are_checked_too(tmp_path, capsys):
    root = make_project(tmp_path, with_decks=True)
    (root / "decks" / "minimal-students.yaml").write_text(
        "id: minimal-students\nname: Tests::Minimal\ndeck_id: 1763924400999\ntopics: [minmal]\n"
    )
    (root / "decks" / "copy.yaml").write_text(
        "id: copy\nname: Tests::Minimal\ndeck_id: 1763924400999\ntopics: [minimal]\n"
    )
    (root / "editions.yaml").write_text(
        "editions:\n  - id: patient\n    label: Patient\n    audience: patients\n    body_pt: 9\n"
    )
    (root / "brands" / "default.yaml").write_text('name: Test clinic\nphon: 555-0100\nemergency_number: "911"\n')
    status, err = run_check(root, capsys)
    assert status == 1
    assert err[:-1] == [
        "brands/default.yaml:1:1: phone: required field is missing",
        "brands/default.yaml:2:1: phon: unknown field 'phon'; did you mean 'phone'?",
        "decks/minimal-students.yaml:2:7: name: expected a name no other deck uses, found 'Tests::Minimal', also used by decks/copy.yaml",
        "decks/minimal-students.yaml:3:10: deck_id: expected a deck_id no other deck uses, found 1763924400999, also used by decks/copy.yaml",
        "decks/minimal-students.yaml:4:10: topics[0]: unknown topic 'minmal'; expected one of minimal",
        "editions.yaml:4:15: editions[0].audience: expected one of patient, sci, clinician, student; found 'patients'; did you mean 'patient'?",
        "editions.yaml:5:14: editions[0].body_pt: expected a number >= 12, found the number 9",
    ]


def test_missing_brand_file_given_on_the_command_line(tmp_path, capsys):
    root = make_project(tmp_path)
    status = main(["build", "--root", str(root), "--brand", str(root / "brands" / "nope.yaml")])
    err = capsys.readouterr().err.splitlines()
    assert status == 2  # a usage error before anything runs: no output is withdrawn for a typo
    assert err == [
        f"build.py: error: --brand '{root / 'brands' / 'nope.yaml'}': expected a brand file (YAML), found nothing"
    ]


def test_duplicate_keys_are_found_at_any_depth(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n  b:\n    - c: 1\n      c: 2\n")
    with pytest.raises(ContentError) as caught:
        load_document(path, "deep.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "deep.yaml:4:7: a.b[0].c: duplicate key 'c' (first at line 3); YAML would keep only the last one"
    ]


def test_every_tab_is_reported(tmp_path):
    path = tmp_path / "tabs.yaml"
    path.write_text("a:\n\tb: 1\nc:\n  \td: 2\n")
    with pytest.raises(ContentError) as caught:
        load_document(path, "tabs.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "tabs.yaml:2:1: expected spaces for indentation, found a tab",
        "tabs.yaml:4:3: expected spaces for indentation, found a tab",
    ]


def test_the_valid_fixture_project_loads():
    library = load_library(FIXTURES / "project")
    assert list(library.topics) == ["minimal"]
    assert library.decks[0].deck_id == 1763924400999


def test_repository_content_is_valid(capsys):
    assert main(["check", "--root", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("ok: 2 topics, 7 editions, 1 deck")


def test_schema_command_prints_the_committed_schema(capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == handout_schema_json()
    assert printed == (REPO / "schema" / "handout.schema.json").read_text(), (
        "run: python build.py schema > schema/handout.schema.json"
    )


def test_repository_topics_validate_against_the_schema():
    schema = json.loads((REPO / "schema" / "handout.schema.json").read_text())
    for path in sorted((REPO / "handouts").glob("*.yaml")):
        data = load_document(path, path.name).data
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_the_schema_rejects_what_the_loader_rejects():
    schema = json.loads((REPO / "schema" / "handout.schema.json").read_text())
    data = load_document(BAD / "unknown-key-near-miss.yaml", "x").data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_a_deck_tag_with_a_trailing_newline_is_refused(tmp_path, capsys):
    root = make_project(tmp_path, with_decks=True)
    deck = next((root / "decks").glob("*.yaml"))
    deck.write_text(deck.read_text() + 'tag: "HO\\n"\n')
    status, err = run_check(root, capsys)
    assert status == 1
    assert any(
        line.endswith("tag: expected one tag word of letters, digits, '-' or '_' (like 'HO'), found 'HO\\n'")
        for line in err
    ), err
