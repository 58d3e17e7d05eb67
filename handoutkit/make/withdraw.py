"""No stale handout that looks current: outputs whose inputs now have errors leave dist/.

When a rebuild is refused (a content error, a failing gate, a render error), an
old PDF of the changed content would otherwise stay in dist/ and be printed as
if it were current. Such outputs are removed, file and manifest entry; outputs
whose inputs did not change stay, as the last good build left them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..content.source import load_document
from ..errors import ContentError, Problem
from .lock import BuildLocked, build_lock
from .manifest import MANIFEST, read_manifest_state, write_manifest


def withdraw_for_problems(root: Path, out: Path, problems: list[Problem]) -> list[str]:
    """After a library that did not load: remove the outputs that read a file with a problem."""
    if not (out / MANIFEST).is_file():
        return []
    try:
        with build_lock(out):
            _, entries, _ = read_manifest_state(out)
            hit = outputs_hit(problems, entries, root)
            for path in hit:
                remove_output(out, path)
                entries.pop(path)
            if hit:
                write_manifest(out, entries)
    except BuildLocked:  # the other build will judge these outputs itself
        return []
    tell(out, hit)
    return hit


def outputs_hit(problems: list[Problem], entries: dict[str, dict], root: Path) -> list[str]:
    """Recorded outputs that read a file named by a problem."""
    topics, decks, shared = set(), set(), False
    for problem in problems:
        folder, _, name = problem.path.partition("/")
        if folder == "handouts" and name.endswith(".yaml") and "/" not in name:
            topics.add(name.removesuffix(".yaml"))
        elif folder == "decks" and "/" not in name:
            decks.add(name.removesuffix(".yaml").removesuffix(".lock.json"))
        else:  # editions.yaml, the brand, a template: every handout reads it
            shared = True
    hit = []
    for path, entry in entries.items():
        if entry.get("kind") in ("pdf", "web-page", "web-pdf", "web-file") and (shared or entry.get("topic") in topics):
            hit.append(path)  # a site file with no topic (the logo) is hit by a shared file's problem
        elif entry.get("kind") == "web-catalog" and (shared or topics):  # it shows every topic's summary
            hit.append(path)
        elif entry.get("kind") == "apkg" and (
            entry.get("deck") in decks or deck_topics(root, entry.get("deck")) & topics
        ):
            hit.append(path)
    return sorted(hit)


def deck_topics(root: Path, deck_id: str | None) -> set[str]:
    path = root / "decks" / f"{deck_id}.yaml"
    try:
        data = load_document(path, path.name).data
    except ContentError:
        return set()
    topics = data.get("topics") if isinstance(data, dict) else None
    return {t for t in topics if isinstance(t, str)} if isinstance(topics, list) else set()


def remove_output(out: Path, rel: str) -> None:
    target = (out / rel).resolve()
    if target.is_relative_to(out.resolve()):
        target.unlink(missing_ok=True)


def tell(out: Path, removed: list[str]) -> None:
    if removed:
        count = len(removed)
        print(
            f"removed {count} output{'s' if count != 1 else ''} from {out} whose inputs have errors, "
            "so no stale copy looks current",
            file=sys.stderr,
        )
