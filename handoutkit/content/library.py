"""Load a whole project: every topic, deck, the editions and a brand.

Only this package (through source) reads YAML. Every file is read and
checked before anything is rendered, and all problems are raised at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from ..errors import ContentError, Problem, display_path, quote
from .approval import APPROVALS_DIR, Record, read_record, with_review
from .config import Brand, Deck, Edition, EditionsFile
from .crossrefs import check_brand, check_decks, check_editions, check_topic
from .facts import resolve_facts
from .model import Topic
from .source import Document, load_document
from .sourcefiles import source_files, topic_files
from .validation import M, validate

HANDOUTS_DIR = "handouts"
DECKS_DIR = "decks"
EDITIONS_FILE = "editions.yaml"
DEFAULT_BRAND = "brands/default.yaml"


@dataclass
class Library:
    root: Path
    topics: dict[str, Topic] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # topic id -> its YAML, for positions
    editions: list[Edition] = field(default_factory=list)
    brand: Brand | None = None
    brand_path: Path | None = None
    brand_document: Document | None = None  # for positions in release checks
    decks: list[Deck] = field(default_factory=list)
    approvals: dict[str, Record] = field(default_factory=dict)  # topic id -> its approval record, if approved once
    # What is made from one topic alone, made once per build and kept by watch while the topic is unchanged:
    # (topic id, kind, ...) -> it (editions.view_of's selections, anki.topic_notes's notes).
    derived: dict[tuple, object] = field(default_factory=dict, repr=False)

    def topic_path(self, topic_id: str) -> Path:
        return self.documents[topic_id].path


class LibraryError(ContentError):
    """The problems of a library that did not load, with what did load.

    `library` holds every topic and deck that loaded, when the files every output reads
    (editions, the brand) did: a refused build withdraws what it can no longer vouch for
    (make/pipeline.py), not only what the problems name. None when those files failed.
    """

    def __init__(self, problems: list[Problem], library: Library | None):
        super().__init__(problems)
        self.library = library


def load_library(root: Path, brand_file: Path | None = None, topic_loader=None) -> Library:
    """Read and check every file under root; raise LibraryError (a ContentError) with all problems.

    topic_loader stands in for load_topic: watch passes one that keeps unchanged topics.
    """
    root = root.resolve()
    library = Library(root)
    problems: list[Problem] = []

    for path in topic_files(root):
        topic, doc, found = (topic_loader or load_topic)(path, root)
        problems += found
        if topic is not None:
            record, found = approval_of(topic, doc, root)
            problems += found
            topic = with_review(topic, record)
            if record is not None:
                library.approvals[topic.id] = record
            library.topics[topic.id] = topic
            library.documents[topic.id] = doc

    shared = load_shared(library, root, brand_file)  # what every output reads
    problems += shared
    problems += check_printed_parts(library)

    deck_docs = []
    for path in source_files(root / DECKS_DIR):
        deck, doc, found = load_one(path, root, Deck)
        problems += found
        if deck is not None:
            library.decks.append(deck)
            deck_docs.append(doc)
    topic_ids = {path.stem for path in topic_files(root)}
    problems += check_decks(library.decks, deck_docs, topic_ids)

    if problems:
        raise LibraryError(problems, None if shared else library)
    return library


def load_shared(library: Library, root: Path, brand_file: Path | None) -> list[Problem]:
    """The editions and the brand, into library; their problems."""
    editions, doc, problems = load_one(root / EDITIONS_FILE, root, EditionsFile)
    if editions is not None:
        library.editions = editions.editions
        problems += check_editions(editions, doc, root)

    brand_path = (brand_file or root / DEFAULT_BRAND).resolve()
    brand, doc, found = load_one(brand_path, root, Brand)
    problems += found
    if brand is not None:
        library.brand, library.brand_path, library.brand_document = brand, brand_path, doc
        problems += check_brand(brand, doc, root)
    return problems


def check_printed_parts(library: Library) -> list[Problem]:
    """A part an edition's layout always prints must keep something for the edition's audience.

    Selection drops what is for other audiences and then anything left empty; a wallet-card
    side whose every block is for someone else would print as a bare heading.
    """
    from ..editions.select import resolve  # editions.select imports this module

    problems = []
    audiences = sorted({e.audience for e in library.editions if e.format == "wallet-card"})
    for topic_id, topic in library.topics.items():
        if topic.wallet_card is None:
            continue
        for audience in audiences:
            for name in ("front", "back"):
                if not resolve(getattr(topic.wallet_card, name), audience).blocks:
                    problems.append(
                        library.documents[topic_id].problem(
                            ("wallet_card", name, "blocks"),
                            (
                                f"expected at least one block the {audience} wallet card prints, found none: every "
                                f"block "
                                f"of this side is for other audiences, so the side would print empty"
                            ),
                        )
                    )
    return problems


def load_topic(path: Path, root: Path) -> tuple[Topic | None, Document | None, list[Problem]]:
    """A checked topic with its named facts put into its texts."""
    topic, doc, problems = load_one(path, root, Topic)
    if topic is None:
        return None, doc, problems
    problems += check_topic(topic, doc, root)
    return (resolve_facts(topic) if not problems else None), doc, problems


def approval_of(topic: Topic, doc: Document, root: Path) -> tuple[Record | None, list[Problem]]:
    """The topic's approval record (read on every load: `approve` changes no topic file)."""
    record, problems = read_record(root, topic.id)
    if topic.review.status == "approved" and record is None and not problems:
        problems.append(
            doc.problem(
                ("review", "status"),
                f"expected an approval record bound to the text, found "
                f"none at {APPROVALS_DIR}/{topic.id}.json; a clinician approves with "
                f"'build.py approve {topic.id} --reviewer NAME' (set status: draft until then)",
            )
        )
    return record, problems


def load_one(path: Path, root: Path, model: type[M]) -> tuple[M | None, Document | None, list[Problem]]:
    """Parse and validate one file; the Document keeps positions for later checks."""
    try:
        doc = load_document(path, display_path(path, root))
    except ContentError as exc:
        return None, None, exc.problems
    instance, problems = validate(doc, model)
    if instance is not None:
        problems += booleans_taken_as_numbers(doc, instance)
    return instance, doc, problems


def booleans_taken_as_numbers(doc: Document, instance: M) -> list[Problem]:
    """pydantic reads a YAML boolean as 1 or 0 where a number is expected: `filled: yes` would draw one
    person. Every number the model holds where the file has true, false, yes, no, on or off is refused."""
    problems = []
    for loc, written in doc.positions.booleans.items():
        value = value_at(instance, loc)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            read_as = str(value_at(doc.data, loc)).lower()
            found = read_as if written.lower() == read_as else f"{quote(written)}, which YAML reads as {read_as}"
            problems.append(doc.problem(loc, f"expected a number, found {found}"))
    return problems


def value_at(obj: object, loc: tuple) -> object:
    """What a validated model (or plain data) holds at a YAML location; None when the shapes part."""
    for part in loc:
        if isinstance(obj, BaseModel):
            name = next((n for n, f in type(obj).model_fields.items() if part in (n, f.alias)), None)
            obj = getattr(obj, name) if name else None
        elif (isinstance(obj, dict) and part in obj) or (
            isinstance(obj, (list, tuple)) and isinstance(part, int) and part < len(obj)
        ):
            obj = obj[part]
        else:
            return None
    return obj
