"""The build, top to bottom: load -> plan -> key -> render what changed -> write.

Everything is validated before anything renders. Each output is written
atomically as it is made, and the manifest records it, so a build that is
interrupted leaves whole files and the next build completes the job.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.library import Library, load_library
from ..content.sourcefiles import read_file
from ..editions.select import view_of
from ..errors import ContentError, UsageError, quote
from ..quality import page_budget_finding
from ..web.stage import SiteStage
from .engine import HandoutJob, Renderers
from .keys import KeyMaker, files_read, with_reads
from .lock import BuildLocked, build_lock
from .manifest import MANIFEST, is_current, make_entry, read_manifest, write_manifest
from .plan import Output, Selection, deck_update_path, plan_outputs
from .progress import Progress
from .report import gate_library, raise_deck_problems
from .uptodate import BuildOptions, BuildReport, build_fingerprint, unchanged_report
from .withdraw import remove_output, tell, withdraw_for_problems
from .writer import TEMP_SUFFIX, write_atomic

MANIFEST_EVERY_SECONDS = 1.0


def run_build(options: BuildOptions, warm: Fresh | None = None) -> int:
    return print_report(build(options, warm))


def print_report(report: BuildReport) -> int:
    """What a build says when it ends (build, watch and serve alike); its exit status."""
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for line in report.decks:
        print(line)
    print(report.summary())
    return 1 if report.problems else 0


class Fresh:
    """Where a build gets its library, gates and renderers: made anew each time.

    `watch` passes a warm state instead (make/warm.py), which keeps them between saves.
    """

    def load_library(self, root: Path, brand: Path | None) -> Library:
        return load_library(root, brand)

    def gate_library(self, library: Library, strict: bool, release: bool) -> tuple[list, list]:
        return gate_library(library, strict, release)

    def renderers(self, root: Path, jobs: int) -> Renderers:
        return Renderers(root, jobs)

    def order(self, jobs: list[HandoutJob]) -> list[HandoutJob]:
        return jobs

    def written(self, path: str) -> None:
        """Called as each output is written."""


def build(options: BuildOptions, warm: Fresh | None = None) -> BuildReport:
    started = time.perf_counter()
    fingerprint = build_fingerprint(options)
    done = unchanged_report(options, fingerprint, started)
    if done is not None:
        return done
    state = warm or Fresh()
    try:
        library = state.load_library(options.root, options.brand)
        check_deck_locks(library)  # a corrupt lock stops the build before any PDF is written
    except ContentError as exc:
        withdraw_refused_load(options, exc)
        raise
    check_selection(library, options.selection)
    reads = files_read(library)  # hashed now, before rendering reads them: an edit during the build is seen next time
    fingerprint = with_reads(fingerprint, options.root, reads)
    with build_lock(options.out), state.renderers(options.root, options.jobs) as renderers:
        remove_stray_temp_files(options.out)
        run = Build(library, options, fingerprint, reads)
        run.written = state.written
        plan = run.plan()
        plan.jobs = state.order(plan.jobs)
        renderers.start(len(plan.jobs))  # workers load WeasyPrint while the gates run
        try:
            cards, findings = state.gate_library(
                library, options.strict, options.release
            )  # nothing is written when a gate fails
            run.report.warnings = [f for f in findings if f.level == "warning"]
            run.set_quality({(c.topic, c.edition): c.as_dict() for c in cards})
            # a note Anki could not update stops the build before anything is written; a likely rename warns
            run.report.warnings += raise_deck_problems(library, options.strict or options.release)
        except ContentError:
            run.withdraw_changed(plan)  # a refused rebuild leaves no old copy of what changed
            raise
        run.run(plan, renderers)
    run.report.seconds = time.perf_counter() - started
    return run.report


def withdraw_refused_load(options: BuildOptions, exc: ContentError) -> None:
    """A library that did not load: withdraw every output it can no longer vouch for.

    Those of a topic or deck that did not load (broken, or deleted while a deck still
    lists it), and those whose inputs changed since they were built (another topic's
    correction): left in dist/, either would be printed as current. With the editions or
    the brand broken, every output reads a broken file (withdraw.outputs_hit).
    """
    loaded = getattr(exc, "library", None)  # content.library.LibraryError: what did load
    if loaded is None or not (options.out / MANIFEST).is_file():
        withdraw_for_problems(options.root, options.out, exc.problems)
        return
    library = replace(loaded, decks=[d for d in loaded.decks if set(d.topics) <= set(loaded.topics)])
    try:
        with build_lock(options.out):
            run = Build(library, options, "")
            gone = [path for path, entry in run.old.items() if not_loaded(entry, library)]
            run.withdraw_changed(run.plan(), also=gone)
    except BuildLocked:  # the other build judges these outputs itself
        pass
    except ContentError:  # what loaded cannot even be planned: judge by the problems alone
        withdraw_for_problems(options.root, options.out, exc.problems)


def not_loaded(entry: dict, library: Library) -> bool:
    """An output of a topic or deck the library lacks."""
    if entry.get("kind") == "apkg":
        return entry.get("deck") not in {d.id for d in library.decks}
    return entry.get("topic") is not None and entry["topic"] not in library.topics


@dataclass
class Plan:
    outputs: list[Output]
    jobs: list[HandoutJob]  # the handouts to render: the rest are up to date
    decks: list[Output]
    site: SiteStage  # dist/site/: web editions, catalog, copies of the PDFs


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
        self.written = Fresh().written  # told the path of each output written (watch times them)

    def plan(self) -> Plan:
        outputs = plan_outputs(self.library, self.options.selection)
        jobs = self.handout_jobs([o for o in outputs if o.kind == "pdf"])
        site = SiteStage(self)
        return Plan(outputs + site.outputs, jobs, [o for o in outputs if o.kind == "apkg"], site)

    def set_quality(self, quality: dict) -> None:
        self.quality = quality
        for path in self.up_to_date:
            self.entries[path] = self.with_quality(self.entries[path])

    def run(self, plan: Plan, renderers: Renderers) -> None:
        progress = Progress(len(plan.jobs) + len(plan.decks))
        completed = False
        try:
            plan.site.write_pages()  # the words first: a preview reloads before the PDFs are made
            self.render_handouts(plan.jobs, renderers, progress)
            self.build_decks(plan.decks, progress)
            plan.site.copy_pdfs()
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
            budget = page_budget_finding(
                self.library, output.topic, result.job.edition, output.paper, result.pages or 0
            )
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
        """Each deck's two files (a first import's and returning students'), then its lock."""
        if not outputs:
            return
        from ..anki import build_deck, dump_lock, load_lock, read_history

        decks = {d.id: d for d in self.library.decks}
        for deck_id in dict.fromkeys(o.deck for o in outputs):
            started = time.perf_counter()
            deck, files = decks[deck_id], [o for o in outputs if o.deck == deck_id]
            lock_path = self.library.root / "decks" / f"{deck.id}.lock.json"
            key = self.deck_key(deck, lock_path)
            if all([self.is_up_to_date(output, key) for output in files]):
                continue
            result = build_deck(
                deck,
                self.library,
                load_lock(lock_path),
                now=build_time(),
                draw=draw_figure,
                history=read_history(lock_path),
            )
            self.report.warnings += result.warnings
            # The key is taken from the lock the build is about to write: it holds each note's time.
            key = self.deck_key(deck, lock_path, dump_lock(result.lock).decode("utf-8"))
            for output in files:  # what each file holds, and what it changed against the lock it was built from
                data = result.update if output.path == deck_update_path(deck.id) else result.apkg
                self.record(output, data, key, cards=result.counts, changes=result.changes)
            # The lock last: a refused deck write must not advance it past what students can get.
            write_lock(lock_path, result.lock)
            self.report.decks += deck_change_lines(deck.id, result.counts, result.changes)
            progress.advance(files[0].path, time.perf_counter() - started)

    def deck_key(self, deck, lock_path: Path, lock_text: str | None = None) -> str:
        # The lock holds each note's modification time, so it is an input too
        # (`lock_text`: the lock a build is about to write).
        topics = [view_of(self.library, t, deck.audience) for t in deck.topics]
        dirs = [self.library.topic_path(t).parent for t in deck.topics]
        if lock_text is not None:
            return self.keys.deck_key(deck, topics, dirs, lock_text)
        try:
            lock_text = read_file(lock_path).decode("utf-8", "replace")  # never waits on a named pipe
        except FileNotFoundError:
            lock_text = ""
        except OSError as exc:  # a key no build matches: the deck counts as changed
            lock_text = f"unreadable: {exc.strerror}"
        return self.keys.deck_key(deck, topics, dirs, lock_text)

    def withdraw(self, path: str) -> None:
        """An output that failed this run: its old file must not pass for the new content."""
        if path in self.old:
            remove_output(self.out, path)
            self.report.removed.append(path)
        self.entries.pop(path, None)

    def withdraw_changed(self, plan: Plan, also: list[str] = ()) -> None:
        """After a refused gate: remove each planned output whose inputs changed since it was built (and `also`)."""
        changed = [
            job.output.path for job in plan.jobs if (self.old.get(job.output.path) or {}).get("input_hash") != job.key
        ]
        changed += [path for path in also if path not in changed]
        decks = {d.id: d for d in self.library.decks}
        for output in plan.decks:
            lock_path = self.library.root / "decks" / f"{output.deck}.lock.json"
            if (self.old.get(output.path) or {}).get("input_hash") != self.deck_key(decks[output.deck], lock_path):
                changed.append(output.path)
        changed += plan.site.changed(set(changed))
        withdrawn = [path for path in changed if path in self.old]
        for path in withdrawn:
            self.withdraw(path)
        if withdrawn:  # the run stops here: the manifest is the old one less what was removed
            write_manifest(self.out, {p: e for p, e in self.old.items() if p not in withdrawn})
            tell(self.out, withdrawn)

    def record(self, output: Output, data: bytes, key: str, **extra) -> None:
        write_atomic(self.out / output.path, data)
        self.written(output.path)
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
                raise UsageError(f"unknown {kind} {quote(name)}; expected one of {', '.join(known[kind])}")


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
    """Folders left empty, up to `stop`; one already gone (someone cleaned dist/ by hand) is no error."""
    while folder != stop and folder.is_relative_to(stop):
        try:
            if any(folder.iterdir()):
                return
            folder.rmdir()
        except FileNotFoundError:
            pass
        folder = folder.parent


def deck_change_line(path: str, counts: dict) -> str:
    """What a student's import of this file will do, as Anki's import log counts it."""
    dropped = (
        f"; {counts['dropped_cards']} cards dropped (students: Tools > Empty Cards)"
        if counts.get("dropped_cards")
        else ""
    )
    return (
        f"{path}: {counts['new']} new, {counts['changed']} changed, {counts['retired']} retired notes "
        f"({counts['unchanged']} unchanged, {counts['retired_total']} retired in all){dropped}"
    )


def deck_change_lines(deck_id: str, counts: dict, changes: dict) -> list[str]:
    """The change report: what a returning student's import does, which answers changed, what a newcomer gets."""
    lines = [deck_change_line(deck_update_path(deck_id), counts)]
    if changes.get("answers"):
        lines.append(
            f"  {len(changes['answers'])} answers changed, tagged {counts['changed_tag']} (students: Browse, "
            f"select them, Forget): " + ", ".join(uid.split("/", 2)[2] for uid in changes["answers"])
        )
    lines.append(
        f"decks/{deck_id}.apkg: {counts['notes']} notes, {counts['cards']} cards for a first import (no retired notes)"
    )
    return lines


def draw_figure(figure, alt: str) -> bytes:
    """A drawn figure for a deck card: the handouts' own SVG (anki may not import pdf; build wires them)."""
    from ..pdf.diagram import draw_diagram

    return str(draw_diagram(figure, alt)).encode("utf-8")


def write_lock(path: Path, lock: dict) -> None:
    from ..anki import dump_lock

    data = dump_lock(lock)
    if not path.exists() or path.read_bytes() != data:
        write_atomic(path, data)


def build_time() -> int:
    """Now, unless SOURCE_DATE_EPOCH pins it for a reproducible build."""
    return int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
