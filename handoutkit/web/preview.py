"""`build.py serve`: build, serve dist/site/ on localhost, and reload the open page on every save.

It is `watch` (make/watch.py, make/warm.py: the same warm state, the same
rebuild of what changed) with a web server beside it. The build writes the web
pages before it renders the PDFs, and tells the server each page it writes, so
the open page reloads as soon as its words are ready; the PDFs follow. Content
with problems shows its `path:line:col` messages on the page instead.
"""

from __future__ import annotations

import ipaddress
import sys

from ..errors import ContentError
from ..make.warm import WarmState
from .paths import SITE
from .render import WebRenderer
from .server import PreviewServer

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


class ServeState(WarmState):
    """watch's warm state, which also tells the server which page it just wrote."""

    def __init__(self, options, server: PreviewServer):
        super().__init__(options)
        self.server = server

    def written(self, path: str) -> None:
        if path.startswith(f"{SITE}/") and path.endswith(".html"):
            self.server.state.set_problems([])  # a build writes only content that loaded and passed the gates
            self.server.state.wrote(path.removeprefix(SITE))
        super().written(path)


def run_serve(options, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    from ..cli import watch_warm

    renderer = WebRenderer(options.root / "templates")
    server = PreviewServer(options.out / SITE, host, port, problem_page=renderer.problems)
    server.start()
    warn_if_public(host)
    print(f"serving {server.url} (the web pages of {options.out / SITE}); press Ctrl-C to stop", flush=True)
    state = ServeState(options, server)
    try:
        return watch_warm(options, state, rebuild=lambda: rebuild(options, state))
    finally:
        server.stop()


def rebuild(options, state: ServeState) -> None:
    """One build, as watch does it; its problems go to the terminal and onto the page."""
    from ..cli import print_problems
    from ..make.pipeline import build, print_report

    try:
        print_report(build(options, state))
        state.server.state.set_problems([])
    except ContentError as exc:
        print_problems(exc)
        state.server.state.set_problems([exc.line(p) for p in exc.problems])
    state.ready()


def warn_if_public(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        print(f"warning: serving on {host}: anyone who can reach this machine can read the drafts", file=sys.stderr)
