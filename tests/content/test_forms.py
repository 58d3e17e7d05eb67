"""Forms a reader fills in (issue 21.3): the AD numbers box and the HO joint log, in the real editions.

The words come from the built PDFs; the empty rows to write in from the HTML the
PDF is made of (a ruled row has no text for a PDF reader to find).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main
from handoutkit.content.library import load_library
from handoutkit.editions.select import view_of
from handoutkit.pdf import HandoutRenderer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("forms") / "project"
    root.mkdir()
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(ROOT / name, root / name)
    for name in ("brands", "templates", "handouts"):
        shutil.copytree(ROOT / name, root / name)
    editions = [a for e in ("patient", "sci", "sci-large-print") for a in ("--edition", e)]
    assert main(["build", "--root", str(root), "--out", str(root / "dist"), "--paper", "letter", *editions]) == 0
    return root


def text_of(root: Path, topic: str, edition: str) -> str:
    with pymupdf.open(root / "dist" / "handouts" / topic / f"{topic}--{edition}--letter.pdf") as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def empty_rows(root: Path, topic: str, edition_id: str, caption: str) -> int:
    library = load_library(root)
    edition = next(e for e in library.editions if e.id == edition_id)
    html = HandoutRenderer(root).render_html(
        view_of(library, topic, edition.audience),
        edition,
        "letter",
        library.brand,
        topic_dir=root / "handouts",
        brand_dir=root / "brands",
    )
    table = html[html.index(caption) :]
    table = table[: table.index("</table>")]
    return len(re.findall(r"<tr>(?:\s*<td></td>)+\s*</tr>", table))


@pytest.mark.parametrize("edition", ["patient", "sci"])
def test_ad_plain_editions_have_a_box_for_the_readers_own_numbers(built, edition):
    text = text_of(built, "autonomic-dysreflexia", edition)
    whose = "my" if edition == "sci" else "their"
    assert f"{whose.capitalize()} normal top number:" in text
    # "More than 20 points above normal": act when the reading is over normal plus 20 (not "or more").
    act = "Act if my top number is over" if edition == "sci" else "Act if the top number is over"
    assert act in text and f"That is {whose} normal plus 20." in text


@pytest.mark.parametrize("edition", ["sci", "sci-large-print"])
def test_ho_sci_editions_print_a_joint_log_with_rows_to_write_in(built, edition):
    text = text_of(built, "heterotopic-ossification", edition)
    assert "My joint log" in text and "How far it moves" in text and "Same or less?" in text
    assert empty_rows(built, "heterotopic-ossification", edition, "My joint log") >= 3


def test_the_patient_edition_of_ho_has_no_joint_log(built):
    assert "My joint log" not in text_of(built, "heterotopic-ossification", "patient")
