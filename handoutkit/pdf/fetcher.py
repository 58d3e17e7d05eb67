"""The only way WeasyPrint reads anything: local files on an allow-list.

WeasyPrint's default fetcher follows file://, http(s):// and redirects, so a
stray URL in a template or stylesheet could put any file on the machine, or a
web page, into a handout. This fetcher serves `file:` URLs whose real path
(symlinks resolved) lies inside an allowed folder or is an allowed file, and
refuses everything else. Refusals are fatal: rendering stops instead of
logging and carrying on without the resource.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MIME_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


class FetchRefused(ValueError):
    """A URL the allow-list does not cover."""


class AllowListFetcher(URLFetcher):
    """Serves files under `folders` and the exact `files`; nothing else, no network."""

    def __init__(self, folders: Iterable[Path] = (), files: Iterable[Path] = ()):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.folders = tuple(Path(f).resolve() for f in folders)
        self.files = frozenset(Path(f).resolve() for f in files)

    def with_files(self, files: Iterable[Path]) -> AllowListFetcher:
        """This allow-list plus some files, e.g. one document's figures."""
        return AllowListFetcher(self.folders, self.files | {Path(f).resolve() for f in files})

    def allows(self, path: Path) -> bool:
        real = path.resolve()
        return real in self.files or any(real.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.local_path(url)
        mime = MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"})

    def local_path(self, url: str) -> Path:
        """The allowed file a URL names, or FetchRefused."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url!r}: only files inside the project are read")
        path = Path(url2pathname(unquote(parts.path)))
        if not path.is_absolute() or not self.allows(path) or not path.resolve().is_file():
            raise FetchRefused(f"refused to fetch {url!r}: not a file on the renderer's allow-list")
        return path.resolve()
