"""The build, top to bottom: load -> plan -> render -> write.

Everything is rendered before anything is written, so a content problem found
while rendering (say, a figure without alt text) leaves dist/ as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import Deck, Edition
from .library import Library, load_library
from .select import select_edition
from .writer import write_atomic

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    brand: Path | None = None
    topics: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "BuildOptions":
        root = args.root.resolve()
        return cls(
            root=root,
            out=(args.out or root / "dist").resolve(),
            brand=args.brand.resolve() if args.brand else None,
            topics=tuple(args.topic or ()),
            editions=tuple(args.edition or ()),
            papers=tuple(args.paper or ()),
        )


@dataclass(frozen=True)
class Output:
    """One file the build makes; `path` is relative to the output folder."""

    path: str
    kind: str  # "pdf" or "apkg"
    topic: str | None = None
    edition: str | None = None
    paper: str | None = None
    deck: str | None = None


@dataclass
class Built:
    output: Output
    data: bytes
    pages: int | None = None
    extra: dict = field(default_factory=dict)


def plan_outputs(library: Library, options: BuildOptions) -> list[Output]:
    outputs = []
    for topic_id in sorted(library.topics):
        if options.topics and topic_id not in options.topics:
            continue
        for edition in library.editions:
            if options.editions and edition.id not in options.editions:
                continue
            for paper in edition.papers:
                if options.papers and paper not in options.papers:
                    continue
                path = f"handouts/{topic_id}/{topic_id}--{edition.id}--{paper}.pdf"
                outputs.append(Output(path, "pdf", topic_id, edition.id, paper))
    for deck in library.decks:
        if options.topics and not set(deck.topics) & set(options.topics):
            continue
        outputs.append(Output(f"decks/{deck.id}.apkg", "apkg", deck=deck.id))
    return outputs


def run_build(options: BuildOptions) -> int:
    started = time.perf_counter()
    library = load_library(options.root, options.brand)
    outputs = plan_outputs(library, options)
    built = render_all(library, outputs)
    for item in built:
        write_atomic(options.out / item.output.path, item.data)
    write_atomic(options.out / MANIFEST, manifest_json(built))
    elapsed = time.perf_counter() - started
    pdfs = sum(1 for b in built if b.output.kind == "pdf")
    print(f"built {pdfs} handouts and {len(built) - pdfs} decks into {options.out} in {elapsed:.1f} s")
    return 0


def render_all(library: Library, outputs: list[Output]) -> list[Built]:
    from .pdf import HandoutRenderer

    renderer = HandoutRenderer(library.root)
    editions = {e.id: e for e in library.editions}
    decks = {d.id: d for d in library.decks}
    built = []
    for output in outputs:
        if output.kind == "pdf":
            built.append(render_handout(renderer, library, output, editions[output.edition]))
        else:
            built.append(build_deck_output(library, output, decks[output.deck]))
    return built


def render_handout(renderer, library: Library, output: Output, edition: Edition) -> Built:
    topic = select_edition(library.topics[output.topic], edition.audience)
    data = renderer.render_pdf(
        topic, edition, output.paper, library.brand,
        topic_dir=library.topic_path(output.topic).parent, brand_dir=library.brand_path.parent,
    )
    return Built(output, data, pages=count_pages(data))


def build_deck_output(library: Library, output: Output, deck: Deck) -> Built:
    from .anki import build_deck, load_lock

    lock_path = library.root / "decks" / f"{deck.id}.lock.json"
    result = build_deck(deck, library.topics, library.root, load_lock(lock_path), now=build_time())
    lock_text = json.dumps(result.lock, indent=1, sort_keys=True) + "\n"
    if not lock_path.exists() or lock_path.read_text(encoding="utf-8") != lock_text:
        write_atomic(lock_path, lock_text.encode("utf-8"))
    return Built(output, result.apkg, extra={"counts": result.counts})


def build_time() -> int:
    """Now, unless SOURCE_DATE_EPOCH pins it for a reproducible build."""
    return int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())


def count_pages(pdf: bytes) -> int:
    # WeasyPrint writes one /Type /Page object per page; /Pages is the tree root.
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def manifest_json(built: list[Built]) -> bytes:
    entries = []
    for item in built:
        entry = {k: v for k, v in asdict(item.output).items() if v is not None}
        entry.update(bytes=len(item.data), sha256=hashlib.sha256(item.data).hexdigest())
        if item.pages is not None:
            entry["pages"] = item.pages
        entry.update(item.extra)
        entries.append(entry)
    return (json.dumps({"outputs": entries}, indent=2, sort_keys=True) + "\n").encode("utf-8")
