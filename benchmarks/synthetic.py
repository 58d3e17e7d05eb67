"""A synthetic library in a temporary folder: copies of the project's topics under new ids.

Everything is copied out of the project first (its code too), so the benchmark
never writes into the project's sources, and edits other people make to the
working tree while it runs do not change what it measures.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TOPICS = ("heterotopic-ossification", "autonomic-dysreflexia")  # mixed in turn, when each passes check
GATES = ("reading_level", "plain_words", "pemat", "clear_communication", "citations", "review_date", "page_budget")
PROJECT = ("handoutkit", "build.py", "templates", "brands", "editions.yaml", "medical-terms.txt", "handouts")


def export_source(dest: Path, rev: str | None) -> Path:
    """The project as it is (or at git revision `rev`), copied to dest: code, templates, content."""
    dest.mkdir(parents=True)
    if rev:
        tar = subprocess.run(["git", "archive", rev, *PROJECT], cwd=REPO, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(dest, filter="data")
        return dest
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def make_library(source: Path, root: Path, count: int, topics: tuple[str, ...], strict: bool = False) -> list[str]:
    """count topics (copies of `topics` in turn, new ids) and one student deck over all of them.

    The gates are warnings unless `strict` (they still run, so they cost what they cost): a
    draft over its page budget, or an edit the benchmark makes, never stops a timing.
    """
    for name in ("handoutkit", "build.py", "templates", "brands", "medical-terms.txt"):
        path = source / name
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, root / name)
    if strict:
        shutil.copy2(source / "editions.yaml", root / "editions.yaml")
    else:
        write_editions(source / "editions.yaml", root / "editions.yaml", GATES)
    (root / "handouts").mkdir()
    (root / "decks").mkdir()
    for extra in (source / "handouts").iterdir():  # figure files next to the topics
        if extra.is_dir():
            shutil.copytree(extra, root / "handouts" / extra.name)
    texts = [(source / "handouts" / f"{t}.yaml").read_text(encoding="utf-8") for t in topics]
    ids = [f"topic-{n:03d}" for n in range(1, count + 1)]
    for n, topic_id in enumerate(ids):
        text, original = texts[n % len(texts)], topics[n % len(topics)]
        (root / "handouts" / f"{topic_id}.yaml").write_text(
            re.sub(rf"(?m)^id: {re.escape(original)}$", f"id: {topic_id}", text, count=1), encoding="utf-8"
        )
    (root / "decks" / "bench.yaml").write_text(
        "id: bench\nname: Bench\ndeck_id: 1763924400777\naudience: student\n"
        f"include: [cards, pronunciation, glossary, lists]\ntopics: [{', '.join(ids)}]\n",
        encoding="utf-8",
    )
    return ids


def write_editions(source: Path, dest: Path, warn: tuple[str, ...]) -> None:
    """The project's editions with the `warn` gates as warnings (those not turned off)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for edition in data["editions"]:
        gates = edition.setdefault("gates", {})
        for gate in warn:
            if gates.get(gate) != "off":
                gates[gate] = "warning"
    dest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def passing_topics(source: Path, work: Path, lenient: bool = False) -> tuple[str, ...]:
    """The topics of TOPICS that exist and pass `build.py check` with the project's own gates
    (each alone, in a one-topic library); with `lenient`, every topic that exists."""
    found = []
    for topic in TOPICS:
        if not (source / "handouts" / f"{topic}.yaml").exists():
            continue
        root = work / f"check-{topic}"
        root.mkdir(parents=True)
        make_library(source, root, 1, (topic,), strict=not lenient)
        done = subprocess.run(
            [sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            found.append(topic)
        else:
            print(f"note: {topic} left out of the library: it does not pass check", file=sys.stderr)
    return tuple(found)


def edit_patient_only(path: Path) -> None:
    """Give the summary a patient wording of its own: only the patient editions change."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r"(?m)^summary:\n  default: (.*)\n", text)
    if block is not None:
        edited = text[: block.end()] + f"  patient: {block.group(1)} Read on.\n" + text[block.end() :]
    else:
        line = re.search(r"(?m)^summary: (.*)\n", text)
        edited = (
            text[: line.start()]
            + f"summary:\n  default: {line.group(1)}\n  patient: {line.group(1)} Read on.\n"
            + text[line.end() :]
        )
    path.write_text(edited, encoding="utf-8")


def edit_title(path: Path) -> None:
    """An edit every edition of the topic shows (one short word: the reading grades hardly move)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: (.*)$", r"title: \1 now", text, count=1), encoding="utf-8")
