"""The no-op build (`build.py` with nothing changed) imports only what it needs:
no pydantic model, YAML loader, Jinja, WeasyPrint or genanki, and renders nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from handoutkit.cli import main

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pydantic", "yaml", "jinja2", "weasyprint", "genanki", "fontTools")
NOOP_PROBE = (
    "import sys; from handoutkit.cli import main; rc = main(sys.argv[1:]); "
    f"print(rc, sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
)


def make_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def test_a_noop_build_imports_nothing_heavy_and_a_change_builds(tmp_path, capsys):
    root = make_project(tmp_path)
    args = ["--root", str(root), "--out", str(tmp_path / "dist"), "--edition", "patient", "--paper", "letter"]
    assert main(args) == 0
    capsys.readouterr()

    noop = subprocess.run(
        [sys.executable, "-c", NOOP_PROBE, *args], check=False, capture_output=True, text=True, cwd=REPO
    )
    assert noop.returncode == 0, noop.stderr
    summary, probe = noop.stdout.strip().splitlines()
    assert summary.startswith("built 0, up to date ")
    assert probe == "0 []"

    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a save: new bytes
    again = subprocess.run(
        [sys.executable, "-c", NOOP_PROBE, *args], check=False, capture_output=True, text=True, cwd=REPO
    )
    assert again.returncode == 0, again.stderr
    assert "pydantic" in again.stdout.splitlines()[-1]  # the inputs changed: the build loaded them
