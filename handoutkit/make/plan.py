"""What a build makes: one Output per topic x edition x paper, one per deck."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the no-op build must not import pydantic models
    from ..content.library import Library


@dataclass(frozen=True)
class Output:
    """One file the build makes; `path` is relative to the output folder."""

    path: str
    kind: str  # "pdf", "apkg", or a site file: "web-page", "web-catalog", "web-pdf", "web-file" (web/stage.py)
    topic: str | None = None
    edition: str | None = None
    paper: str | None = None
    deck: str | None = None


@dataclass(frozen=True)
class Selection:
    """The --topic/--edition/--paper/--shard filters; empty means everything."""

    topics: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    shard: tuple[int, int] = (1, 1)  # (I, N): this run builds shard I of N

    def wants(self, output: Output) -> bool:
        """Whether output falls inside these filters (used to retire stale outputs too)."""
        if output.kind == "apkg":
            # Asking for some topics, editions or papers leaves decks alone;
            # plan_outputs adds back the decks that hold a chosen topic.
            chosen = not (self.topics or self.editions or self.papers)
        else:
            # A PDF has all three; a site file is filtered by those it has (the catalog by none).
            chosen = all(
                not asked or value is None or value in asked
                for asked, value in (
                    (self.topics, output.topic),
                    (self.editions, output.edition),
                    (self.papers, output.paper),
                )
            )
        return chosen and in_shard(output.path, *self.shard)


def in_shard(path: str, index: int, count: int) -> bool:
    """Stable across runs and machines: the shard depends on the path alone."""
    digest = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big")
    return digest % count == index - 1


def pdf_path(topic: str, edition: str, paper: str) -> str:
    return f"handouts/{topic}/{topic}--{edition}--{paper}.pdf"


def plan_outputs(library: Library, selection: Selection) -> list[Output]:
    outputs = [
        Output(pdf_path(topic_id, edition.id, paper), "pdf", topic_id, edition.id, paper)
        for topic_id in sorted(library.topics)
        for edition in library.editions
        for paper in edition.papers
        if edition.applies_to(library.topics[topic_id])
    ]
    outputs = [o for o in outputs if selection.wants(o)]
    for deck in library.decks:
        output = Output(f"decks/{deck.id}.apkg", "apkg", deck=deck.id)
        holds_chosen_topic = set(deck.topics) & set(selection.topics) and not (selection.editions or selection.papers)
        if selection.wants(output) or (holds_chosen_topic and in_shard(output.path, *selection.shard)):
            # Two files from one build (anki/build.py): a first import's, and returning students'.
            outputs += [output, Output(deck_update_path(deck.id), "apkg", deck=deck.id)]
    return outputs


def deck_update_path(deck_id: str) -> str:
    """The deck file for students of an earlier release (live and retired notes, changed answers tagged)."""
    return f"decks/{deck_id}--update.apkg"
