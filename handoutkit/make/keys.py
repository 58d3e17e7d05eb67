"""Input hashes: an output is rebuilt exactly when what it depends on changes.

A handout's key covers its *selected* content (so a clinician-only edit leaves
patient editions alone), its edition, paper and brand, every template, CSS and
font file, the figure files it shows, the program's own code and the versions
of the libraries that render it.
"""

from __future__ import annotations

import hashlib
import sys
import weakref
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.sourcefiles import source_files, topic_files

if TYPE_CHECKING:  # annotations only: the no-op build must not import pydantic models
    from ..content.config import Brand, Deck, Edition
    from ..content.model import Topic

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole handoutkit package
PDF_LIBRARIES = ("weasyprint", "pydyf", "jinja2", "fonttools", "tinycss2", "cssselect2")
DECK_LIBRARIES = ("genanki",)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path, pattern: str = "*", exclude: tuple[str, ...] = ()) -> str:
    """One hash of every file's relative path and bytes under folder."""
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob(pattern)):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and "__pycache__" not in rel and not rel.startswith(exclude):
            parts += [rel, path.read_bytes()]
    return digest(*parts)


@cache
def versions(names: tuple[str, ...]) -> str:
    """The libraries' versions, as this process loaded them (an upgrade takes a new process to be used)."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return f"python={sys.version_info[:2]};" + ";".join(found)


@cache
def code_digest() -> str:
    """The program's own code, as loaded in this process (read once: the fingerprint and the keys both use it)."""
    return tree_digest(PACKAGE_DIR, "*.py")


_JSON: dict[int, str] = {}  # id(model) -> its JSON, while the model lives


def model_json(model) -> str:
    """A model's JSON, made once per model object: models are frozen, and a watch or serve save keys every
    output again from the same unchanged selections (the warm state keeps them), a few hundred dumps."""
    key = id(model)
    if key not in _JSON:
        _JSON[key] = model.model_dump_json(by_alias=True)
        weakref.finalize(model, _JSON.pop, key, None)
    return _JSON[key]


MAX_HASHED_BYTES = 64 * 1024 * 1024  # larger than any input the loader accepts: such a file fails the build anyway


def file_digest(path: Path) -> str:
    """A file's hash; for one too large to be an input, its size and time (never read a 2 GiB file per no-op)."""
    try:
        stat = path.stat()
        if not path.is_file():
            return "missing"
        if stat.st_size > MAX_HASHED_BYTES:
            return f"large:{stat.st_size}:{stat.st_mtime_ns}"
        return digest(path.read_bytes())
    except OSError:
        return "missing"


class KeyMaker:
    """Computes output keys; the shared parts are hashed once per build."""

    def __init__(self, root: Path):
        self.code = code_digest()
        self.handout_assets = digest(
            tree_digest(root / "templates", exclude=("cards/",)), self.code, versions(PDF_LIBRARIES)
        )
        # Decks embed the card font, so fonts count for them too.
        cards = digest(tree_digest(root / "templates" / "cards"), tree_digest(root / "templates" / "fonts"))
        self.deck_assets = digest(cards, self.code, versions(DECK_LIBRARIES))

    def handout_key(
        self, topic: Topic, topic_dir: Path, edition: Edition, paper: str, brand: Brand, brand_dir: Path
    ) -> str:
        figures = [file_digest(topic_dir / f.src) for f in topic.figures if f.src]
        logo = file_digest(brand_dir / brand.logo) if brand.logo else ""
        return digest(
            self.handout_assets,
            model_json(topic),
            model_json(edition),
            paper,
            model_json(brand),
            logo,
            *figures,
        )

    def deck_key(self, deck: Deck, selected_topics: list[Topic], topic_dirs: list[Path], lock_text: str) -> str:
        figures = [file_digest(d / f.src) for t, d in zip(selected_topics, topic_dirs) for f in t.figures if f.src]
        return digest(self.deck_assets, model_json(deck), *map(model_json, selected_topics), lock_text, *figures)


def input_paths(root: Path, brand_file: Path) -> list[Path]:
    """The files every build reads, at fixed places; the figures and logos topics name come on top (files_read).

    Only these: a folder is never hashed whole, so nothing else an author keeps
    there (notes, an output folder inside handouts/) counts, and `--brand /etc/x.yaml`
    reads one file, not /etc.
    """
    paths = topic_files(root)  # no editor's hidden lock or backup file (content/sourcefiles.py)
    paths += source_files(root / "approvals", "*.json")  # an approval changes every page's stamp
    paths += source_files(root / "decks") + source_files(root / "decks", "*.lock.json")
    templates = root / "templates"
    paths += sorted(p for p in templates.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    return paths + [root / "editions.yaml", root / "medical-terms.txt", brand_file]


def files_read(library) -> list[str]:
    """The project files the loaded library names (figures, the logo), relative to the root, sorted."""
    root = library.root
    found = {
        (library.topic_path(t).parent / f.src).resolve()
        for t, topic in library.topics.items()
        for f in topic.figures
        if f.src
    }
    if library.brand is not None and library.brand.logo:
        found.add((library.brand_path.parent / library.brand.logo).resolve())
    return sorted(p.relative_to(root).as_posix() for p in found if p.is_relative_to(root))


def input_fingerprint(root: Path, brand_file: Path, settings: str) -> str:
    """One hash of the files every build reads, the code, the libraries and the settings.

    With_reads adds the files the content names; when the result matches the last
    complete build's, that build's outputs are still right, and a rebuild can stop
    before parsing any YAML.
    """
    parts: list[bytes | str] = [settings, versions(PDF_LIBRARIES + DECK_LIBRARIES), code_digest(), str(brand_file)]
    for path in input_paths(root, brand_file):
        parts += [display(path, root), file_digest(path)]
    return digest(*parts)


def with_reads(fingerprint: str, root: Path, reads: list[str]) -> str:
    """The fingerprint plus the figures and logos the content names, wherever in the project they are."""
    return digest(fingerprint, *[part for rel in reads for part in (rel, file_digest(root / rel))])


def display(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
