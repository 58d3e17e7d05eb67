"""Every message that prints what a user typed prints it inert and on one line (issue 26.2).

A newline, a tab, a terminal escape or a 5,000-character value must never split a
message, recolour a terminal or flood it, wherever the value lands: in a quoted
value, in a file path built from it, or in a usage error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from handoutkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
TYPED = {
    "newline": "nl\n",
    "tab": "a\tb",
    "escape": "a\x1b[31mred",
    "long": "x" * 5000,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "quality", root)
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def one_inert_line(text: str) -> None:
    assert "\x1b" not in text and "\t" not in text
    assert len(text) < 600, len(text)


@pytest.mark.parametrize("name", sorted(TYPED))
def test_new_with_a_strange_id_gives_one_inert_line_and_makes_nothing(project, capsys, name):
    assert main(["new", TYPED[name], "--root", str(project)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[1] == "1 problem found."
    one_inert_line(lines[0])
    assert lines[0].startswith("handouts/") and ": id: expected a topic id of at most 64" in lines[0]
    assert sorted(p.name for p in (project / "handouts").iterdir()) == ["sprain.yaml"]


@pytest.mark.parametrize("name", sorted(TYPED))
@pytest.mark.parametrize("command", [["build", "--topic"], ["build", "--edition"], ["review-sheet"], ["approve"]])
def test_usage_errors_echo_the_value_inert(project, capsys, name, command):
    args = [*command, TYPED[name], "--root", str(project)] + (["--reviewer", "Dr A"] if command == ["approve"] else [])
    assert main(args) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("build.py: error: unknown ")
    one_inert_line(lines[0])


@pytest.mark.parametrize("name", sorted(TYPED))
def test_a_refused_output_folder_is_printed_inert(project, tmp_path, capsys, name):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["build", "--root", str(project), "--out", str(blocker / TYPED[name])]) == 1
    lines = capsys.readouterr().err.splitlines()
    error = [line for line in lines if "cannot write" in line]
    assert len(error) == 1 and error[0].startswith("build.py: error: cannot write ")
    assert "\x1b" not in error[0] and "\t" not in error[0]
    assert not os.path.exists(str(blocker / TYPED[name]))
