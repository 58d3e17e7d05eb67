"""Figure and logo files: real images, checked by content, within a size.

A figure may be any file inside the project, so its name proves nothing: a
`src: ../.env` once put a secret into every deck as "media". Only PNG, JPEG,
GIF and WebP (by their magic bytes and a readable size; Pillow reads the header)
and SVG (parsed by defusedxml, which refuses entities; an <svg> root, nothing
fetched from outside the file) are images. Sizes are bounded because WeasyPrint's cost grows with them
(an 8.7 MB SVG took 42 s and 880 MB per PDF). docs/authors.md "Limits" states the numbers.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser
from PIL import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_SVG_BYTES = 512 * 1024
MAX_SVG_ELEMENTS = 10_000
MAX_PIXELS = 25_000_000  # e.g. 5000 x 5000: a decompression bomb is small on disk and huge in memory

KINDS = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp", "svg": ".svg"}
SVG_NS = "http://www.w3.org/2000/svg"
# Pictures embedded in an SVG as data: URLs are self-contained; anything else must be a #fragment.
EMBEDDED_RE = re.compile(r"\s*data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class NotAnImage(ValueError):
    """Why a file may not be a figure or logo (the message names what was found)."""


def image_problem(path: Path) -> str | None:
    """Why the file at path is not a figure this build will draw, or None."""
    try:
        check_image(path)
    except NotAnImage as exc:
        return str(exc)
    return None


def check_image(path: Path) -> str:
    """The image's kind ('png', 'svg', ...); NotAnImage if the file is not one we accept."""
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise NotAnImage(
                f"expected an image file of at most {MAX_IMAGE_BYTES // 1024 // 1024} MiB, found {mib(size)}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise NotAnImage(f"expected a readable image file, found one that cannot be read ({exc.strerror})") from None
    return image_kind(data)


def image_kind(data: bytes) -> str:
    """The kind of image `data` holds, checked as far as its size; NotAnImage otherwise."""
    kind, size = raster_size(data)
    if kind is not None:
        if size is None:
            raise NotAnImage(f"expected a whole {kind.upper()} image, found one whose size cannot be read")
        width, height = size
        if width * height > MAX_PIXELS:
            raise NotAnImage(
                f"expected an image of at most {MAX_PIXELS // 1_000_000} million pixels, found {width} x {height}"
            )
        return kind
    if looks_like_xml(data):
        check_svg(data)
        return "svg"
    raise NotAnImage("expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose content is none of these")


def mib(size: int) -> str:
    return f"{math.ceil(size / 1024 / 1024 * 100) / 100:.2f} MiB"  # rounded up: never "5.00" for over 5


# ----- raster images: Pillow reads the header (kind and size) without decoding pixels --------

PILLOW_KINDS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"GIF87a": "gif", b"GIF89a": "gif", b"\xff\xd8\xff": "jpeg"}


def raster_size(data: bytes) -> tuple[str | None, tuple[int, int] | None]:
    """(kind, (width, height)) for PNG, JPEG, GIF, WebP; (kind, None) if truncated; (None, None) if none."""
    kind = magic_kind(data)
    if kind is None:
        return None, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # our own bound is checked by the caller
            with Image.open(io.BytesIO(data), formats=list(PILLOW_KINDS)) as image:
                return PILLOW_KINDS.get(image.format, kind), image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAnImage(
            f"expected an image of at most {MAX_PIXELS // 1_000_000} million pixels, found more than "
            f"{Image.MAX_IMAGE_PIXELS // 1_000_000} million"
        ) from None
    except (OSError, ValueError, SyntaxError):  # Pillow's word for "not a whole image of this kind"
        return kind, None


def magic_kind(data: bytes) -> str | None:
    """The kind the first bytes claim: a file that claims none is not a raster image, whatever Pillow could read."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    return "webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None


# ----- SVG: parsed, with everything that would reach outside the file refused --------


def looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def check_svg(data: bytes) -> None:
    if len(data) > MAX_SVG_BYTES:
        raise NotAnImage(
            f"expected an SVG of at most {MAX_SVG_BYTES // 1024} KiB, found {len(data) // 1024} KiB; "
            "simplify it or save it as PNG"
        )
    SvgCheck().run(data)


class SvgCheck:
    """One pass of defusedxml's parser over the file, with this class as its target; the first problem stops it.

    defusedxml refuses what would make the parse itself unsafe (entity declarations: billion laughs, external
    entities); this class refuses what would make WeasyPrint read another file (href, src, url(), @import, an
    <?xml-stylesheet?>) and bounds the work (the element count).
    """

    def __init__(self):
        self.elements = 0
        self.in_style = 0
        self.style_text: list[str] = []  # checked whole at </style>: a comment can split "@imp<!---->ort"

    def run(self, data: bytes) -> None:
        parser = DefusedXMLParser(target=self, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        try:
            parser.feed(data)
            parser.close()
        except ParseError as exc:
            raise NotAnImage(
                f"expected an SVG image, found a file that is not well-formed XML "
                f"({expat.ErrorString(exc.code)} at line {exc.position[0]})"
            ) from None
        except EntitiesForbidden as exc:
            raise NotAnImage(f"expected an SVG without entity declarations, found <!ENTITY {exc.name}>") from None
        except ExternalReferenceForbidden:
            raise NotAnImage("expected an SVG that reads no other file, found an external entity") from None

    def pi(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise NotAnImage("expected an SVG that reads no other file, found an <?xml-stylesheet?> instruction")

    def start(self, tag: str, attributes: dict) -> None:
        self.elements += 1
        namespace, local = split_name(tag)
        if self.elements == 1 and (local != "svg" or namespace not in ("", SVG_NS)):
            raise NotAnImage(f"expected an SVG image (an <svg> root element), found a <{local}> root")
        if self.elements > MAX_SVG_ELEMENTS:
            raise NotAnImage(
                f"expected an SVG of at most {MAX_SVG_ELEMENTS} elements, found more; simplify it or save it as PNG"
            )
        self.in_style += local == "style"
        for attribute, value in attributes.items():
            attr_local = split_name(attribute)[1]
            if attr_local in ("href", "src") and not (value.startswith("#") or EMBEDDED_RE.match(value)):
                raise NotAnImage(
                    f"expected an SVG that reads no other file, found <{local} {attr_local}="
                    f'"{value[:60]}">; embed the picture or remove it'
                )
            self.check_css(value, f"the {attr_local} of <{local}>")

    def end(self, tag: str) -> None:
        if split_name(tag)[1] == "style":
            self.in_style -= 1
            self.check_css("".join(self.style_text), "a <style> element")
            self.style_text.clear()

    def data(self, text: str) -> None:
        if self.in_style:
            self.style_text.append(text)

    def close(self) -> None:
        if not self.elements:
            raise NotAnImage("expected an SVG image, found XML without elements")

    def check_css(self, css: str, where: str) -> None:
        if "@import" in css.lower():
            raise NotAnImage(f"expected an SVG that reads no other file, found @import in {where}")
        for target in CSS_URL_RE.findall(css):
            if not (target.startswith("#") or EMBEDDED_RE.match(target)):
                raise NotAnImage(f"expected an SVG that reads no other file, found url({target[:60]}) in {where}")


def split_name(name: str) -> tuple[str, str]:
    """ElementTree's "{namespace}local" as (namespace, local)."""
    namespace, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
    return namespace, local
