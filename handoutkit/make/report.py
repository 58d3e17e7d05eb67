"""`build.py check` and `build.py report`: what the quality gates found, as text."""

from __future__ import annotations

import sys
from pathlib import Path

from ..content.library import Library, load_library
from ..content.release import release_problems
from ..errors import ContentError, UsageError
from ..quality import QualityCard, assess_library, template_findings
from ..quality.findings import Finding
from .manifest import read_manifest
from .uptodate import today
from .writer import write_atomic


def gate_library(library: Library, strict: bool, release: bool = False,
                 assess=assess_library) -> tuple[list[QualityCard], list[Finding]]:
    """Assess every edition; raise ContentError when a gate fails (warnings too under --strict).

    A release build also refuses drafts and a sample brand. `assess` stands in for
    assess_library: watch passes one that keeps the cards of unchanged topics.
    """
    cards = assess(library, today())
    findings = library_findings(library, cards)
    failing = [f for f in findings if f.level == "error" or strict]
    refused = release_problems(library) if release else []
    if failing or refused:
        raise ContentError(refused + [f.problem for f in failing], suffix=gate_labels(failing))
    return cards, findings


def library_findings(library: Library, cards: list[QualityCard]) -> list[Finding]:
    """Every edition's findings and the templates' own, each once, in order."""
    return sorted({f for c in cards for f in c.findings} | set(template_findings(library.root)))


def gate_labels(findings: list[Finding]) -> dict:
    return {f.problem: f"[{f.gate}, {f.level}]" for f in findings}


def run_check(root: Path, strict: bool = False, release: bool = False, brand: Path | None = None) -> int:
    library = load_library(root, brand)
    raise_deck_problems(library)  # what Anki could not update, against each deck's lock
    cards, findings = gate_library(library, strict, release)
    print(quality_table(cards))
    print_warnings(findings)
    print(summary_line(library, findings))
    return 0


def raise_deck_problems(library: Library) -> None:
    if library.decks:
        from ..anki import check_decks

        problems = check_decks(library)
        if problems:
            raise ContentError(problems)


def run_report(root: Path, out: Path | None) -> int:
    library = load_library(root)
    cards = assess_library(library, today())
    manifest = read_manifest(out or root / "dist")
    pages: dict[tuple[str, str], list[str]] = {}
    for entry in manifest.values():
        if entry.get("kind") == "pdf":
            pages.setdefault((entry["topic"], entry["edition"]), []).append(f"{entry['paper']} {entry.get('pages', '?')}")
    print(quality_table(cards, pages))
    print_warnings(library_findings(library, cards), all_levels=True)
    return 0


def run_review_sheet(root: Path, topic_id: str, out: Path | None) -> int:
    """Write a PEMAT-P and CDC rating sheet for a person to fill in, with the program's results beside."""
    from ..pdf.sheet import render_review_sheet
    from ..quality.sheet import sheet_view

    library = load_library(root)
    if topic_id not in library.topics:
        raise UsageError(f"unknown topic '{topic_id}'; expected one of {', '.join(sorted(library.topics))}")
    path = (out or library.root / "dist") / "review-sheets" / f"{topic_id}.pdf"
    write_atomic(path, render_review_sheet(library.root, sheet_view(library, topic_id, today())))
    print(f"wrote {path}")
    return 0


def quality_table(cards: list[QualityCard], pages: dict | None = None) -> str:
    head = (f"{'topic':<26} {'edition':<20} {'words':>5} {'FK':>5} {'SMOG':>5} {'target':>6} "
            f"{'PEMAT-P U':>20} {'PEMAT-P A':>19} {'CDC index':>20} {'err':>3} {'warn':>4}")
    if pages is not None:
        head += "  pages"
    lines = [head, "-" * len(head)]  # PEMAT/CDC: passed/checked automatically of the instrument's items
    for c in cards:
        target = f"<={c.grade_target:g}" if c.grade_target else "-"
        reading = f"{c.words:>5} {c.fk_grade:>5.1f} {c.smog:>5.1f}" if c.handout else f"{'-':>5} {'-':>5} {'-':>5}"
        scores = [s.summary() if c.rated and c.handout else "-"
                  for s in (c.understandability, c.actionability, c.clear_communication)]
        line = (f"{c.topic:<26} {c.edition:<20} {reading} {target:>6} "
                f"{scores[0]:>20} {scores[1]:>19} {scores[2]:>20} {c.count('error'):>3} {c.count('warning'):>4}")
        if pages is not None:
            line += "  " + (", ".join(sorted(pages.get((c.topic, c.edition), []))) or "not built")
        lines.append(line)
    return "\n".join(lines)


def print_warnings(findings: list[Finding], all_levels: bool = False) -> None:
    for finding in findings:
        if all_levels or finding.level == "warning":
            print(finding, file=sys.stderr)


def summary_line(library: Library, findings: list[Finding]) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    warnings = sum(1 for f in findings if f.level == "warning")
    return (
        f"ok: {plural(len(library.topics), 'topic')}, {plural(len(library.editions), 'edition')}, "
        f"{plural(len(library.decks), 'deck')} and the brand '{library.brand.name}' are valid; "
        f"every quality gate passed ({plural(warnings, 'warning')})"
    )
