"""Files that travel inside the package: figures (files, or drawings as SVG) and the card font.

Names carry a hash of the content: Anki never overwrites a media file that
already exists under the same name, so a changed picture must get a new name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..content.images import NotAnImage, image_kind
from ..content.model import Figure
from ..errors import ContentError, Problem

FONTS_DIR = Path("templates") / "fonts"
# Latin covers English content; IPA falls back to the system fonts in card.css.
CARD_FONTS = {400: "atkinson-hyperlegible-latin-400-normal.woff2", 700: "atkinson-hyperlegible-latin-700-normal.woff2"}
FONT_FAMILY = "Atkinson Hyperlegible"


@dataclass(frozen=True)
class MediaFile:
    name: str
    data: bytes


def hashed_name(prefix: str, data: bytes, suffix: str) -> str:
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:12]}{suffix.lower()}"


def figure_media(maker, figure: Figure) -> MediaFile:
    """The figure as a media file: its own file, or the drawing the handouts show, as SVG."""
    if figure.src is not None:
        path = maker.base / figure.src
        data = path.read_bytes()
        check_media(data, maker.topic.id, figure.id)
        return MediaFile(hashed_name(maker.topic.id, data, path.suffix), data)
    if maker.draw is None:
        raise ValueError(f"{figure.id}: a drawn figure needs build_deck(draw=...) to render it")
    data = maker.draw(figure, maker.text(figure.alt))
    return MediaFile(hashed_name(maker.topic.id, data, ".svg"), data)


def check_media(data: bytes, topic_id: str, figure_id: str) -> None:
    """Only a real image is media (the loader checked it; a model made some other way is checked here)."""
    try:
        image_kind(data)
    except NotAnImage as exc:
        raise ContentError([Problem(f"handouts/{topic_id}.yaml", 1, 1, f"figures.{figure_id}.src", str(exc))]) from None


def card_fonts(root: Path) -> dict[int, MediaFile]:
    """The handouts' font for the cards, if the project has it.

    A leading underscore tells Anki the file is used by the templates, so its
    media check does not report it as unused.
    """
    fonts = {}
    for weight, file_name in CARD_FONTS.items():
        path = root / FONTS_DIR / file_name
        if path.is_file():
            data = path.read_bytes()
            fonts[weight] = MediaFile(hashed_name(f"_handoutkit-atkinson-{weight}", data, ".woff2"), data)
    return fonts


def font_faces(fonts: dict[int, MediaFile]) -> str:
    """@font-face rules for the card CSS, one per weight."""
    rules = []
    for weight, font in sorted(fonts.items()):
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
            f'src: url("{font.name}") format("woff2"); }}\n'
        )
    return "".join(rules)
