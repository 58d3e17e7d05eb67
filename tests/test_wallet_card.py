"""Wallet cards: a general output format any topic can use, two ID-1 sides, tagged and reproducible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pymupdf
import pytest

from handoutkit.cli import main

SPRAIN = Path(__file__).parent / "fixtures" / "quality"
ROOT = Path(__file__).resolve().parents[1]
ID1_PT = (85.6 / 25.4 * 72, 54 / 25.4 * 72)
CARD_EDITION = """  - id: wallet-card
    label: Wallet card
    audience: patient
    format: wallet-card
    papers: [id-1]
    page_budget: 2
"""
CARD = """wallet_card:
  front:
    title: I have a sprained ankle
    write_in: [Name, My usual blood pressure]
    blocks:
      - intro: "What to do:"
        steps: [Rest your foot for a day or two., Put ice on it for a short time.]
        cites: [{source: src, quote: "Rest the ankle for one or two days and ice it for short spells."}]
  back:
    title: For emergency staff
    blocks:
      - bullets: [Check the ankle for a break.]
        cites: [{source: src, quote: "Check for a fracture."}]
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SPRAIN, root)
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "editions.yaml").write_text((root / "editions.yaml").read_text() + CARD_EDITION)
    return root


def add_card(root: Path, card: str = CARD) -> None:
    topic = root / "handouts" / "sprain.yaml"
    topic.write_text(topic.read_text() + card)


def build(root: Path, out: Path) -> int:
    return main(["build", "--root", str(root), "--out", str(out)])


def test_a_topic_with_a_wallet_card_gets_two_id1_pages_tagged_with_fonts_embedded(project, tmp_path):
    add_card(project)
    assert build(project, tmp_path / "out") == 0
    path = tmp_path / "out" / "handouts" / "sprain" / "sprain--wallet-card--id-1.pdf"
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2
        for page in doc:
            assert (round(page.rect.width, 1), round(page.rect.height, 1)) == tuple(round(v, 1) for v in ID1_PT)
        front, back = (" ".join(p.get_text().split()) for p in doc)
        sizes = [
            s["size"]
            for p in doc
            for b in p.get_text("dict")["blocks"]
            for line in b.get("lines", [])
            for s in line["spans"]
            if s["text"].strip()
        ]
    assert "I have a sprained ankle" in front and "My usual blood pressure:" in front and "Rest your foot" in front
    assert "For emergency staff" in back and "Check the ankle for a break." in back
    assert "DRAFT - not yet reviewed" in front and "DRAFT - not yet reviewed" in back
    assert min(sizes) >= 7.49  # the smallest type on the card, stated in templates/wallet-card.css
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        fonts = [f for f in pdf.objects if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == "/FontDescriptor"]
        assert fonts and all("/FontFile2" in f or "/FontFile3" in f or "/FontFile" in f for f in fonts)


def test_the_wallet_card_is_reproducible(project, tmp_path):
    add_card(project)
    assert build(project, tmp_path / "a") == 0
    assert main(["build", "--root", str(project), "--out", str(tmp_path / "b"), "--force"]) == 0
    name = "handouts/sprain/sprain--wallet-card--id-1.pdf"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_topic_without_a_wallet_card_simply_gets_none(project, tmp_path):
    assert build(project, tmp_path / "out") == 0
    assert not list((tmp_path / "out").rglob("*wallet-card*"))
    assert (tmp_path / "out" / "handouts" / "sprain" / "sprain--patient--letter.pdf").exists()


def test_a_wallet_card_that_runs_over_two_sides_is_refused(project, tmp_path, capsys):
    long = CARD.replace("[Check the ankle for a break.]", "[" + ", ".join(["Check the ankle for a break"] * 30) + "]")
    add_card(project, long)
    assert build(project, tmp_path / "out") == 1
    assert "wallet-card" in capsys.readouterr().err


def test_a_table_on_a_wallet_card_and_an_uncited_block_are_content_errors(project, capsys):
    front_cites = (
        '        cites: [{source: src, quote: "Rest the ankle for one or two days and ice it for short spells."}]\n'
    )
    card = CARD.replace(front_cites + "  back:", "  back:").replace(
        '      - bullets: [Check the ankle for a break.]\n        cites: [{source: src, quote: "Check for a fracture."}]\n',
        "      - table: {caption: T, header: [A], rows: [[b]]}\n        cites: [src]\n",
    )
    add_card(project, card)
    assert main(["check", "--root", str(project)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        "handouts/sprain.yaml:58:9: wallet_card.front.blocks[0]: a wallet card block must cite a source; add cites: [source-id]"
        in err
    )
    assert (
        "handouts/sprain.yaml:63:9: wallet_card.back.blocks[0]: expected a paragraph, bullets or steps on a wallet card, found a table"
        in err
    )


def test_a_handout_edition_on_id1_paper_is_refused(project, capsys):
    editions = project / "editions.yaml"
    editions.write_text(editions.read_text().replace("    papers: [letter]\n", "    papers: [letter, id-1]\n", 1))
    assert main(["check", "--root", str(project)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "editions.yaml:7:13: editions[0].papers: a handout edition is printed on letter or a4 (id-1 is for wallet cards), found id-1"
    )
