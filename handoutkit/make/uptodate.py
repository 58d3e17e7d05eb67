"""Before a build knows anything changed: its options, its fingerprint, the no-op answer.

`build.py` with nothing changed should cost what it does, not what the program
weighs: this module imports no pydantic model, YAML loader, gate or WeasyPrint
(tests/test_noop.py pins that), so the command line can ask it first and
import the pipeline only when the fingerprint says something changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .keys import input_fingerprint, with_reads
from .manifest import is_intact, read_manifest_state
from .outfolder import check_out_folder
from .plan import Selection

DEFAULT_BRAND = "brands/default.yaml"  # the same as content.library.DEFAULT_BRAND, which costs pydantic to import


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    brand: Path | None = None
    selection: Selection = field(default_factory=Selection)
    jobs: int = 1
    force: bool = False
    strict: bool = False
    release: bool = False  # refuse drafts and a sample brand (the build that prints for patients)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BuildOptions:
        root = args.root.resolve()
        return cls(
            root=root,
            out=(args.out or root / "dist").resolve(),
            brand=args.brand.resolve() if args.brand else None,
            selection=Selection(
                tuple(args.topic or ()), tuple(args.edition or ()), tuple(args.paper or ()), args.shard
            ),
            jobs=args.jobs or os.cpu_count() or 1,
            force=args.force,
            strict=args.strict,
            release=args.release,
        )

    @property
    def brand_file(self) -> Path:
        return self.brand or self.root / DEFAULT_BRAND


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: int = 0
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    peak_worker_mb: float = 0.0
    render_seconds: list[float] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    decks: list[str] = field(default_factory=list)  # per deck: new, changed, retired notes

    def summary(self) -> str:
        return (
            f"built {len(self.built)}, up to date {self.skipped}, removed {len(self.removed)}, "
            f"failed {len(self.problems)}, quality warnings {len(self.warnings)}, in {self.seconds:.1f} s"
        )


def today() -> dt.date:
    """The day review dates are judged against; HANDOUTKIT_TODAY pins it (tests, rebuilds of old releases)."""
    pinned = os.environ.get("HANDOUTKIT_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def settings_of(options: BuildOptions) -> str:
    """The options that change what a build makes; today's date ages review dates."""
    return json.dumps([str(options.out), repr(options.selection), options.strict, options.release, today().isoformat()])


def build_fingerprint(options: BuildOptions) -> str:
    """The fixed inputs' fingerprint, after checking the output folder is one a build may write."""
    check_out_folder(options.root, options.out)
    return input_fingerprint(options.root, options.brand_file, settings_of(options))


def unchanged_report(options: BuildOptions, fingerprint: str, started: float) -> BuildReport | None:
    """The report of a build with nothing to do, or None when it has work (or --force)."""
    current = None if options.force else current_outputs(options.root, options.out, fingerprint)
    if current is None:
        return None
    return BuildReport(skipped=len(current), seconds=time.perf_counter() - started)


def noop_report(options: BuildOptions) -> BuildReport | None:
    """The whole no-op build: answered from the manifest and the inputs' hashes alone."""
    started = time.perf_counter()
    return unchanged_report(options, build_fingerprint(options), started)


def current_outputs(root: Path, out: Path, fingerprint: str) -> dict[str, dict] | None:
    """The outputs, when the last clean build had these exact inputs and every output is whole.

    The figures and logos that build's content named are hashed again too, wherever
    in the project they are (figures/, assets/): editing one makes the build run.
    """
    recorded, entries, reads = read_manifest_state(out)
    if (
        recorded
        and recorded == with_reads(fingerprint, root, reads)
        and entries
        and all(is_intact(e, out) for e in entries.values())
    ):
        return entries
    return None
