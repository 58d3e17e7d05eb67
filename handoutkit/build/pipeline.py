"""The build, top to bottom: load -> plan -> key -> render what changed -> write.

Everything is validated before anything renders. Each output is written
atomically as it is made, and the manifest records it, so a build that is
interrupted leaves whole files and the next build completes the job.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..content.library import DEFAULT_BRAND, Library, load_library
from ..editions.select import view_of
from ..errors import ContentError, Problem, UsageError
from ..quality import page_budget_finding
from .engine import HandoutJob, Renderers
from .keys import KeyMaker, files_read, input_fingerprint, with_reads
from .lock import build_lock
from .manifest import is_current, is_intact, make_entry, read_manifest, read_manifest_state, write_manifest
from .outfolder import check_out_folder
from .plan import Output, Selection, plan_outputs
from .progress import Progress
from .report import gate_library, raise_deck_problems, today
from .withdraw import remove_output, tell, withdraw_for_problems
from .writer import TEMP_SUFFIX, write_atomic

MANIFEST_EVERY_SECONDS = 1.0


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    brand: Path | None = None
    selection: Selection = Selection()
    jobs: int = 1
    force: bool = False
    strict: bool = False
    release: bool = False  # refuse drafts and a sample brand (the build that prints for patients)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "BuildOptions":
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


def run_build(options: BuildOptions) -> int:
    report = build(options)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for line in report.decks:
        print(line)
    print(report.summary())
    return 1 if report.problems else 0


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    check_out_folder(options.root, options.out)
    fingerprint = input_fingerprint(options.root, options.brand or options.root / DEFAULT_BRAND, settings_of(options))
    current = None if options.force else current_outputs(options.root, options.out, fingerprint)
    if current is not None:
        return BuildReport(skipped=len(current), seconds=time.perf_counter() - started)
    try:
        library = load_library(options.root, options.brand)
        check_deck_locks(library)  # a corrupt lock stops the build before any PDF is written
    except ContentError as exc:
        withdraw_for_problems(options.root, options.out, exc.problems)
        raise
    check_selection(library, options.selection)
    reads = files_read(library)  # hashed now, before rendering reads them: an edit during the build is seen next time
    fingerprint = with_reads(fingerprint, options.root, reads)
    with build_lock(options.out), Renderers(options.root, options.jobs) as renderers:
        remove_stray_temp_files(options.out)
        run = Build(library, options, fingerprint, reads)
        plan = run.plan()
        renderers.start(len(plan.jobs))  # workers load WeasyPrint while the gates run
        try:
            cards, findings = gate_library(library, options.strict, options.release)  # nothing is written when a gate fails
            run.report.warnings = [f for f in findings if f.level == "warning"]
            run.set_quality({(c.topic, c.edition): c.as_dict() for c in cards})
            raise_deck_problems(library)  # a note Anki could not update stops the build before anything is written
        except ContentError:
            run.withdraw_changed(plan)  # a refused rebuild leaves no old copy of what changed
            raise
        run.run(plan, renderers)
    run.report.seconds = time.perf_counter() - started
    return run.report


@dataclass
class Plan:
    outputs: list[Output]
    jobs: list[HandoutJob]  # the handouts to render: the rest are up to date
    decks: list[Output]


class Build:
    """One run: knows the old manifest and fills in the new one."""

    def __init__(self, library: Library, options: BuildOptions, fingerprint: str, reads: list[str] = ()):
        self.library, self.options, self.fingerprint = library, options, fingerprint
        self.reads = list(reads)  # the figures and logos the content names, for the next no-op check
        self.report = BuildReport()
        self.quality: dict = {}  # (topic, edition) -> quality card, from the gates
        self.up_to_date: list[str] = []
        self.out = options.out
        self.old = read_manifest(self.out)
        # Entries this run is not asked about are kept as they are.
        self.entries = {p: e for p, e in self.old.items() if not options.selection.wants(output_of(e))}
        self.keys = KeyMaker(library.root)
        self.last_manifest_write = 0.0

    def plan(self) -> Plan:
        outputs = plan_outputs(self.library, self.options.selection)
        jobs = self.handout_jobs([o for o in outputs if o.kind == "pdf"])
        return Plan(outputs, jobs, [o for o in outputs if o.kind == "apkg"])

    def set_quality(self, quality: dict) -> None:
        self.quality = quality
        for path in self.up_to_date:
            self.entries[path] = self.with_quality(self.entries[path])

    def run(self, plan: Plan, renderers: Renderers) -> None:
        progress = Progress(len(plan.jobs) + len(plan.decks))
        completed = False
        try:
            self.render_handouts(plan.jobs, renderers, progress)
            self.build_decks(plan.decks, progress)
            self.retire({o.path for o in plan.outputs})
            completed = True
        finally:
            progress.close()
            if completed or self.entries != self.old:
                # Only a complete, clean run vouches for every output.
                clean = completed and not self.report.problems
                write_manifest(self.out, self.entries, self.fingerprint if clean else None, self.reads if clean else ())

    def handout_jobs(self, outputs: list[Output]) -> list[HandoutJob]:
        library, jobs = self.library, []
        editions = {e.id: e for e in library.editions}
        brand_dir = library.brand_path.parent
        for output in outputs:
            edition = editions[output.edition]
            topic, topic_dir = view_of(library, output.topic, edition.audience), library.topic_path(output.topic).parent
            key = self.keys.handout_key(topic, topic_dir, edition, output.paper, library.brand, brand_dir)
            if self.is_up_to_date(output, key):
                continue
            jobs.append(HandoutJob(output, key, topic, edition, library.brand, topic_dir, brand_dir))
        return jobs

    def is_up_to_date(self, output: Output, key: str) -> bool:
        entry = self.old.get(output.path)
        if not self.options.force and is_current(entry, key, self.out):
            self.entries[output.path] = self.with_quality(dict(entry))
            self.up_to_date.append(output.path)
            self.report.skipped += 1
            return True
        return False

    def render_handouts(self, jobs: list[HandoutJob], renderers: Renderers, progress: Progress) -> None:
        for result in renderers.render(jobs):
            output = result.job.output
            self.report.peak_worker_mb = max(self.report.peak_worker_mb, result.peak_rss_mb)
            budget = page_budget_finding(self.library, output.topic, result.job.edition, output.paper, result.pages or 0)
            if budget is not None and (budget.level == "error" or self.options.strict):
                result.problems.append(budget.problem)
            elif budget is not None:
                self.report.warnings.append(budget)
            if result.problems:
                self.report.problems += result.problems
                self.withdraw(output.path)
            else:
                self.record(output, result.data, result.job.key, pages=result.pages)
                self.report.render_seconds.append(result.seconds)
            progress.advance(output.path, result.seconds)

    def build_decks(self, outputs: list[Output], progress: Progress) -> None:
        if not outputs:
            return
        from ..anki import build_deck, load_lock, read_history

        decks = {d.id: d for d in self.library.decks}
        for output in outputs:
            started = time.perf_counter()
            deck = decks[output.deck]
            lock_path = self.library.root / "decks" / f"{deck.id}.lock.json"
            key = self.deck_key(deck, lock_path)
            if self.is_up_to_date(output, key):
                continue
            result = build_deck(deck, self.library, load_lock(lock_path), now=build_time(), draw=draw_figure,
                                history=read_history(lock_path))
            write_lock(lock_path, result.lock)
            self.report.decks.append(deck_change_line(output.path, result.counts))
            self.report.warnings += result.warnings
            # What the file holds, and what it changed against the lock it was built from.
            self.record(output, result.apkg, self.deck_key(deck, lock_path), cards=result.counts, changes=result.changes)
            progress.advance(output.path, time.perf_counter() - started)

    def deck_key(self, deck, lock_path: Path) -> str:
        # The lock holds each note's modification time, so it is an input too;
        # the key is taken after the build has updated it.
        topics = [view_of(self.library, t, deck.audience) for t in deck.topics]
        dirs = [self.library.topic_path(t).parent for t in deck.topics]
        lock_text = lock_path.read_text(encoding="utf-8") if lock_path.exists() else ""
        return self.keys.deck_key(deck, topics, dirs, lock_text)

    def withdraw(self, path: str) -> None:
        """An output that failed this run: its old file must not pass for the new content."""
        if path in self.old:
            remove_output(self.out, path)
            self.report.removed.append(path)
        self.entries.pop(path, None)

    def withdraw_changed(self, plan: Plan) -> None:
        """After a refused gate: remove each planned output whose inputs changed since it was built."""
        changed = [job.output.path for job in plan.jobs if (self.old.get(job.output.path) or {}).get("input_hash") != job.key]
        decks = {d.id: d for d in self.library.decks}
        for output in plan.decks:
            lock_path = self.library.root / "decks" / f"{output.deck}.lock.json"
            if (self.old.get(output.path) or {}).get("input_hash") != self.deck_key(decks[output.deck], lock_path):
                changed.append(output.path)
        withdrawn = [path for path in changed if path in self.old]
        for path in withdrawn:
            self.withdraw(path)
        if withdrawn:  # the run stops here: the manifest is the old one less what was removed
            write_manifest(self.out, {p: e for p, e in self.old.items() if p not in withdrawn})
            tell(self.out, withdrawn)

    def record(self, output: Output, data: bytes, key: str, **extra) -> None:
        write_atomic(self.out / output.path, data)
        self.entries[output.path] = self.with_quality(make_entry(output, data, key, **extra))
        self.report.built.append(output.path)
        now = time.monotonic()
        if now - self.last_manifest_write >= MANIFEST_EVERY_SECONDS:
            write_manifest(self.out, self.entries)  # so a killed build loses little
            self.last_manifest_write = now

    def with_quality(self, entry: dict) -> dict:
        """The edition's quality card, measured this run (review dates age even when content does not)."""
        card = self.quality.get((entry.get("topic"), entry.get("edition")))
        if card is not None:
            entry["quality"] = dict(card, page_budget=self.budget_of(entry.get("edition")))
        return entry

    def budget_of(self, edition_id: str | None) -> int | None:
        return next((e.page_budget for e in self.library.editions if e.id == edition_id), None)

    def retire(self, planned: set[str]) -> None:
        """Remove outputs this selection no longer produces (a deleted topic or edition)."""
        for path, entry in self.old.items():
            if path in planned or not self.options.selection.wants(output_of(entry)):
                continue
            target = (self.out / path).resolve()
            if target.is_relative_to(self.out):
                target.unlink(missing_ok=True)
                remove_empty_parents(target.parent, self.out)
            self.entries.pop(path, None)
            self.report.removed.append(path)


def check_selection(library: Library, selection: Selection) -> None:
    """A filter naming a topic or edition that does not exist is a typo, not an empty build."""
    known = {"topic": sorted(library.topics), "edition": [e.id for e in library.editions]}
    for kind, asked in (("topic", selection.topics), ("edition", selection.editions)):
        for name in asked:
            if name not in known[kind]:
                raise UsageError(f"unknown {kind} '{name}'; expected one of {', '.join(known[kind])}")


def settings_of(options: BuildOptions) -> str:
    """The options that change what a build makes; today's date ages review dates."""
    return json.dumps([str(options.out), repr(options.selection), options.strict, options.release, today().isoformat()])


def current_outputs(root: Path, out: Path, fingerprint: str) -> dict[str, dict] | None:
    """The outputs, when the last clean build had these exact inputs and every output is whole.

    The figures and logos that build's content named are hashed again too, wherever
    in the project they are (figures/, assets/): editing one makes the build run.
    """
    recorded, entries, reads = read_manifest_state(out)
    if recorded and recorded == with_reads(fingerprint, root, reads) and entries \
            and all(is_intact(e, out) for e in entries.values()):
        return entries
    return None


def remove_stray_temp_files(out: Path) -> None:
    """Temporary files a killed build left behind (see writer.write_atomic): only names this program makes."""
    for temp in out.rglob(f".*{TEMP_SUFFIX}"):
        if temp.is_file():
            temp.unlink(missing_ok=True)


def check_deck_locks(library: Library) -> None:
    """Each deck's lock read as the deck build will read it, before anything is written."""
    if not library.decks:
        return
    from ..anki import load_lock

    problems = []
    for deck in library.decks:
        try:
            load_lock(library.root / "decks" / f"{deck.id}.lock.json")
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError(problems)


def output_of(entry: dict) -> Output:
    return Output(**{k: entry.get(k) for k in ("path", "kind", "topic", "edition", "paper", "deck")})


def remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def deck_change_line(path: str, counts: dict) -> str:
    """What a student's import of this file will do, as Anki's import log counts it."""
    dropped = f"; {counts['dropped_cards']} cards dropped (students: Tools > Empty Cards)" if counts.get("dropped_cards") else ""
    return (f"{path}: {counts['new']} new, {counts['changed']} changed, {counts['retired']} retired notes "
            f"({counts['unchanged']} unchanged, {counts['retired_total']} retired in all){dropped}")


def draw_figure(figure, alt: str) -> bytes:
    """A drawn figure for a deck card: the handouts' own SVG (anki may not import pdf; build wires them)."""
    from ..pdf.diagram import body_sites_svg

    return str(body_sites_svg(figure.sites, alt)).encode("utf-8")


def write_lock(path: Path, lock: dict) -> None:
    from ..anki import dump_lock

    data = dump_lock(lock)
    if not path.exists() or path.read_bytes() != data:
        write_atomic(path, data)


def build_time() -> int:
    """Now, unless SOURCE_DATE_EPOCH pins it for a reproducible build."""
    return int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
