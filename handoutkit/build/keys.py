"""Input hashes: an output is rebuilt exactly when what it depends on changes.

A handout's key covers its *selected* content (so a clinician-only edit leaves
patient editions alone), its edition, paper and brand, every template, CSS and
font file, the figure files it shows, the program's own code and the versions
of the libraries that render it.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

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


def versions(names: tuple[str, ...]) -> str:
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


def model_json(model) -> str:
    return model.model_dump_json(by_alias=True)


def file_digest(path: Path) -> str:
    return digest(path.read_bytes()) if path.is_file() else "missing"


class KeyMaker:
    """Computes output keys; the shared parts are hashed once per build."""

    def __init__(self, root: Path):
        self.code = code_digest()
        self.handout_assets = digest(tree_digest(root / "templates", exclude=("cards/",)), self.code, versions(PDF_LIBRARIES))
        # Decks embed the card font, so fonts count for them too.
        cards = digest(tree_digest(root / "templates" / "cards"), tree_digest(root / "templates" / "fonts"))
        self.deck_assets = digest(cards, self.code, versions(DECK_LIBRARIES))

    def handout_key(self, topic: Topic, topic_dir: Path, edition: Edition, paper: str, brand: Brand, brand_dir: Path) -> str:
        figures = [file_digest(topic_dir / f.src) for f in topic.figures if f.src]
        logo = file_digest(brand_dir / brand.logo) if brand.logo else ""
        return digest(
            self.handout_assets, model_json(topic), model_json(edition), paper,
            model_json(brand), logo, *figures,
        )

    def deck_key(self, deck: Deck, selected_topics: list[Topic], topic_dirs: list[Path], lock_text: str) -> str:
        figures = [file_digest(d / f.src) for t, d in zip(selected_topics, topic_dirs) for f in t.figures if f.src]
        return digest(self.deck_assets, model_json(deck), *map(model_json, selected_topics), lock_text, *figures)


INPUT_FILES = ("handouts", "decks", "templates", "editions.yaml", "medical-terms.txt")


def input_fingerprint(root: Path, brand_file: Path, settings: str) -> str:
    """One hash of every file a build reads, the code, the libraries and the settings.

    When it matches the last complete build's, that build's outputs are still
    right, and a rebuild can stop before parsing any YAML.
    """
    parts: list[bytes | str] = [settings, versions(PDF_LIBRARIES + DECK_LIBRARIES), code_digest()]
    for name in INPUT_FILES:
        path = root / name
        parts += [name, tree_digest(path) if path.is_dir() else file_digest(path)]
    brand_dir = brand_file.parent
    parts += [tree_digest(brand_dir) if brand_dir.is_dir() else "", str(brand_file)]
    return digest(*parts)
