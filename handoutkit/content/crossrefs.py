"""Checks that need the whole file: ids unique, references resolve, files exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from ..errors import Problem
from .config import Brand, Deck, EditionsFile
from .decklock import lock_problems
from .evidence import evidence_problems
from .glyphs import glyph_problems
from .images import image_problem
from .model import BasicCard, ClozeCard, FigureBlock, GlossaryTerm, Item, TableBlock, Topic
from .source import Document
from .texts import placeholder_problems


def walk(obj: object, loc: tuple = ()) -> Iterator[tuple[tuple, BaseModel]]:
    """Every model object inside obj, with its location as the YAML spells it."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name, info in type(obj).model_fields.items():
            yield from walk(getattr(obj, name), loc + (info.alias or name,))
    elif isinstance(obj, (list, tuple)):
        for index, item in enumerate(obj):
            yield from walk(item, loc + (index,))
    elif isinstance(obj, dict):  # named entries (facts)
        for key, item in obj.items():
            yield from walk(item, loc + (key,))


def check_topic(topic: Topic, doc: Document, root: Path) -> list[Problem]:
    problems = []
    if topic.id != doc.path.stem:
        problems.append(doc.problem(("id",), f"expected '{doc.path.stem}' to match the file name, found '{topic.id}'"))
    for name in ("sections", "tips", "red_flags", "figures", "cards", "sources"):
        problems += duplicate_ids(doc, name, [item.id for item in getattr(topic, name)])
    problems += duplicate_ids(doc, "glossary", [g.term.lower() for g in topic.glossary], "term")
    problems += check_references(topic, doc)
    problems += check_previous_ids(topic, doc)
    problems += check_figure_files(topic, doc, root)
    problems += check_review(topic, doc)
    problems += check_wallet_card(topic, doc)
    problems += placeholder_problems(topic, doc) + glyph_problems(topic, doc, root)  # what a reader would see
    problems += evidence_problems(topic, doc)  # quotes where a person acts, every number in its quotes
    return problems


def check_previous_ids(topic: Topic, doc: Document) -> list[Problem]:
    """A previous id still in use would give two facts one deck note."""
    groups: dict[str, list[tuple[tuple, object]]] = {}  # cards, glossary terms, list items: ids are per group
    for loc, obj in walk(topic):
        group = (
            "cards"
            if isinstance(obj, (BasicCard, ClozeCard))
            else "glossary"
            if isinstance(obj, GlossaryTerm)
            else "items"
            if isinstance(obj, Item)
            else None
        )
        if group:
            groups.setdefault(group, []).append((loc, obj))
    problems = []
    for entries in groups.values():
        current = {obj.id for _, obj in entries if obj.id}
        for loc, obj in entries:
            for index, old in enumerate(obj.previous_ids):
                if old in current:
                    message = (
                        f"expected an id no longer in use, found '{old}', the id of another entry; "
                        "a previous id moves that entry's deck note here"
                    )
                    problems.append(doc.problem(loc + ("previous_ids", index), message))
    return problems


def check_wallet_card(topic: Topic, doc: Document) -> list[Problem]:
    """A wallet card holds short text: paragraphs, bullets and steps, each citing (it is clinical advice)."""
    if topic.wallet_card is None:
        return []
    problems = []
    for side in ("front", "back"):
        for index, block in enumerate(getattr(topic.wallet_card, side).blocks):
            loc = ("wallet_card", side, "blocks", index)
            if isinstance(block, (TableBlock, FigureBlock)):
                problems.append(
                    doc.problem(
                        loc,
                        "expected a paragraph, bullets or steps on a wallet card, found a "
                        + ("table" if isinstance(block, TableBlock) else "figure"),
                    )
                )
            elif not block.cites:
                problems.append(doc.problem(loc, "a wallet card block must cite a source; add cites: [source-id]"))
    return problems


def check_review(topic: Topic, doc: Document) -> list[Problem]:
    review, problems = topic.review, []
    if review.last_reviewed is not None and review.next_due <= review.last_reviewed:
        problems.append(
            doc.problem(
                ("review", "next_due"),
                f"expected a date after last_reviewed ({review.last_reviewed}), found {review.next_due}",
            )
        )
    return problems


def duplicate_ids(doc: Document, list_name: str, ids: list[str], key: str = "id") -> list[Problem]:
    problems, first_seen = [], {}
    for index, item_id in enumerate(ids):
        if item_id in first_seen:
            line = doc.positions.of_value((list_name, first_seen[item_id], key))[0]
            problems.append(
                doc.problem((list_name, index, key), f"duplicate {key} '{item_id}' (first used at line {line})")
            )
        else:
            first_seen[item_id] = index
    return problems


def check_references(topic: Topic, doc: Document) -> list[Problem]:
    sources = [s.id for s in topic.sources]
    figures = {f.id for f in topic.figures}
    sections = {s.id for s in topic.sections}
    problems = []
    for loc, obj in walk(topic):
        for index, cite in enumerate(getattr(obj, "cites", None) or []):
            if cite.source not in sources:
                at = loc + ("cites", index) + (("source",) if cite.quote else ())
                problems.append(
                    doc.problem(at, f"unknown source '{cite.source}'; expected one of {', '.join(sources)}")
                )
        if isinstance(obj, (FigureBlock, BasicCard, ClozeCard)) and obj.figure and obj.figure not in figures:
            problems.append(
                doc.problem(
                    loc + ("figure",),
                    f"unknown figure '{obj.figure}'; "
                    f"expected one of {', '.join(sorted(figures)) or 'the ids under figures (there are none)'}",
                )
            )
        if getattr(obj, "section", None) and obj.section not in sections:
            problems.append(
                doc.problem(
                    loc + ("section",),
                    f"unknown section '{obj.section}'; expected one of {', '.join(sorted(sections))}",
                )
            )
        if isinstance(obj, TableBlock):
            width = len(obj.table.header)
            for index, row in enumerate(obj.table.rows):
                if len(row) != width:
                    problems.append(
                        doc.problem(
                            loc + ("table", "rows", index),
                            f"expected {width} cells, one per header column, found {len(row)}",
                        )
                    )
    return problems


def check_figure_files(topic: Topic, doc: Document, root: Path) -> list[Problem]:
    problems = []
    for index, figure in enumerate(topic.figures):
        if figure.src is not None:
            problem = check_project_file(figure.src, doc.path.parent, root)
            if problem:
                problems.append(doc.problem(("figures", index, "src"), problem))
    return problems


def check_project_file(src: str, base: Path, root: Path) -> str | None:
    """Why src may not be used (outside the project, or missing), or None."""
    if "://" in src or src.startswith("/"):
        return f"expected a path relative to this file inside the project, found '{src}'"
    target = (base / src).resolve()
    if not target.is_relative_to(root.resolve()):
        return f"expected a file inside the project, found '{src}', which resolves outside it"
    if not target.is_file():
        return f"expected an existing file, found no file at '{src}'"
    problem = image_problem(target)  # by content, not name: only real images reach a PDF or a deck
    return f"{problem} ('{src}')" if problem else None


def check_editions(editions: EditionsFile, doc: Document, root: Path | None = None) -> list[Problem]:
    problems = duplicate_ids(doc, "editions", [e.id for e in editions.editions])
    for index, edition in enumerate(editions.editions):
        card = edition.format == "wallet-card"
        wrong = [p for p in edition.papers if (p == "id-1") != card]
        if wrong:
            expected = "only id-1 (85.6 x 54 mm)" if card else "letter or a4 (id-1 is for wallet cards)"
            problems.append(
                doc.problem(
                    ("editions", index, "papers"),
                    f"a {edition.format} edition is printed on {expected}, found {', '.join(wrong)}",
                )
            )
    return problems + (glyph_problems(editions, doc, root) if root is not None else [])


def check_brand(brand: Brand, doc: Document, root: Path) -> list[Problem]:
    problems = placeholder_problems(brand, doc) + glyph_problems(brand, doc, root)
    if brand.logo is None:
        return problems
    problem = check_project_file(brand.logo, doc.path.parent, root)
    return problems + ([doc.problem(("logo",), problem)] if problem else [])


def check_decks(decks: list[Deck], docs: list[Document], topics: set[str]) -> list[Problem]:
    problems, seen_ids, seen_names = [], {}, {}
    for deck, doc in zip(decks, docs):
        if deck.id != doc.path.stem:
            problems.append(
                doc.problem(("id",), f"expected '{doc.path.stem}' to match the file name, found '{deck.id}'")
            )
        for index, topic_id in enumerate(deck.topics):
            if topic_id not in topics:
                problems.append(
                    doc.problem(
                        ("topics", index),
                        f"unknown topic '{topic_id}'; "
                        f"expected one of {', '.join(sorted(topics)) or '(no valid topics)'}",
                    )
                )
        ids = [(deck.deck_id, ("deck_id",))] + [
            (s.deck_id, ("subdecks", t, "deck_id")) for t, s in deck.subdecks.items()
        ]
        for value, seen, loc in [(v, seen_ids, loc) for v, loc in ids] + [(deck.name, seen_names, ("name",))]:
            field = loc[-1]
            if value in seen:
                problems.append(
                    doc.problem(
                        loc, f"expected a {field} no other deck uses, found {value!r}, also used by {seen[value]}"
                    )
                )
            seen[value] = doc.shown
        problems += check_subdecks(deck, doc)
        lock = doc.path.with_name(f"{doc.path.stem}.lock.json")
        problems += lock_problems(lock, doc.shown.removesuffix(".yaml") + ".lock.json")
    return problems


def check_subdecks(deck: Deck, doc: Document) -> list[Problem]:
    """A course deck puts every topic in a subdeck of its own, or none."""
    if not deck.subdecks:
        return []
    problems = [
        doc.problem(("subdecks", t), f"expected one of the deck's topics ({', '.join(deck.topics)}), found '{t}'")
        for t in deck.subdecks
        if t not in deck.topics
    ]
    missing = [t for t in deck.topics if t not in deck.subdecks]
    if missing:
        problems.append(
            doc.problem(("subdecks",), f"expected a subdeck for every topic, found none for {', '.join(missing)}")
        )
    return problems
