"""The preview's web server: dist/site/ on localhost, told by the build what it wrote.

Standard library only (http.server). Each HTML page it sends gets a small
script that listens for server-sent events and reloads the page when the build
writes that page again, or when the content turns bad or good again; while the
content has problems, every page is the list of `path:line:col` messages
instead of a stale preview. What the site holds on disk stays script-free: the
script is added on the way out.
"""

from __future__ import annotations

import json
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

EVENTS = "/__serve/events"
KEEPALIVE_SECONDS = 10.0
RELOAD_SCRIPT = """<script>
/* handoutkit serve: reload when this page is rebuilt (added by the preview server, not in dist/site). */
new EventSource("%s?v=%d&path=" + encodeURIComponent(location.pathname)).onmessage = function () { location.reload(); };
</script>
"""

NOT_BUILT = (
    b'<!DOCTYPE html><html lang="en"><title>Not built yet</title><body><main><h1>Not built yet</h1>'
    b"<p>This page has not been built (yet). It reloads by itself when it is.</p></main></body></html>"
)


class PreviewState:
    """What the build told the server: when each page was last written, and the content's problems."""

    def __init__(self):
        self.changed = threading.Condition()
        self.written: dict[str, int] = {}  # URL path ("/topic/patient.html") -> version it was last written at
        self.problems: list[str] = []
        self.problems_version = 0  # when the problems last appeared or went away

    @staticmethod
    def now() -> int:
        """Versions are wall-clock nanoseconds, so a page served before a restart of serve is still older."""
        return time.time_ns()

    def wrote(self, url_path: str) -> None:
        with self.changed:
            self.written[url_path] = self.now()
            self.changed.notify_all()

    def set_problems(self, lines: list[str]) -> None:
        with self.changed:
            if lines != self.problems:
                self.problems = list(lines)
                self.problems_version = self.now()
                self.changed.notify_all()

    def is_stale(self, url_path: str, version: int) -> bool:
        return self.written.get(url_path, 0) > version or self.problems_version > version

    def wait_until_stale(self, url_path: str, version: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.is_stale(url_path, version), timeout)


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, state: PreviewState, problem_page, **kwargs):
        self.state, self.problem_page = state, problem_page
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS:
            return self.send_events(parse_qs(url.query))
        path = url.path + "index.html" if url.path.endswith("/") else url.path
        if path.endswith(".html"):
            return self.send_page(path)
        return super().do_GET()

    def send_page(self, path: str) -> None:
        version = self.state.now()
        status, file = HTTPStatus.OK, Path(self.translate_path(path))
        if self.state.problems:
            body = self.problem_page(self.state.problems)
        elif file.is_file():
            body = file.read_bytes()
        else:  # the first build has not written it yet (or never will: a mistyped address)
            status, body = HTTPStatus.NOT_FOUND, NOT_BUILT
        script = (RELOAD_SCRIPT % (EVENTS, version)).encode()
        body = body.replace(b"</body>", script + b"</body>", 1) if b"</body>" in body else body + script
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_events(self, query: dict) -> None:
        """One event, `reload`, once this page (or the content's health) changes after `v`; pings meanwhile."""
        path = (query.get("path") or ["/index.html"])[0]
        path = path + "index.html" if path.endswith("/") else path
        version = int((query.get("v") or ["0"])[0] or 0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            while not self.state.wait_until_stale(path, version, KEEPALIVE_SECONDS):
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
            self.wfile.write(b"data: " + json.dumps({"reload": path}).encode() + b"\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview never shows yesterday's page or PDF
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal is for the build's own lines."""


class PreviewServer:
    """A threaded HTTP server for dist/site/ with the preview's reload events."""

    def __init__(self, site: Path, host: str, port: int, problem_page):
        self.state = PreviewState()
        handler = partial(PreviewHandler, directory=str(site), state=self.state, problem_page=problem_page)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True  # an open event stream never keeps serve from stopping
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="preview-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():  # shutdown() waits for serve_forever: a server never started would wait forever
            self.httpd.shutdown()
        self.httpd.server_close()
