"""`build.py check` and `build.py report`: what the quality gates found, as text."""

from __future__ import annotations

import sys
from pathlib import Path

from ..content.library import Library, load_library
from ..content.release import approval_problems, release_problems
from ..errors import ContentError, UsageError, quote
from ..quality import QualityCard, assess_library, template_findings
from ..quality.findings import Finding
from .manifest import read_manifest
from .outfolder import check_out_folder
from .uptodate import today
from .writer import write_atomic


def gate_library(
    library: Library, strict: bool, release: bool = False, assess=assess_library
) -> tuple[list[QualityCard], list[Finding]]:
    """Assess every edition; raise ContentError when a gate fails (warnings too under --strict).

    A release build also refuses drafts and a sample brand. `assess` stands in for
    assess_library: watch passes one that keeps the cards of unchanged topics.
    """
    cards = assess(library, today())
    findings = library_findings(library, cards)
    failing = [f for f in findings if f.level == "error" or strict]
    refused = release_problems(library, today()) + approval_problems(library, today()) if release else []
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
    renames = raise_deck_problems(library, strict or release)  # what Anki could not update, against each deck's lock
    cards, findings = gate_library(library, strict, release)
    findings = sorted(findings + renames)
    print(quality_table(cards))
    print_warnings(findings)
    print(summary_line(library, findings))
    return 0


def raise_deck_problems(library: Library, strict: bool = False) -> list[Finding]:
    """What Anki could not update is an error; what a deck should not ship (a rename without previous_ids,
    a yes/no card, a lock history git cannot read) a warning, an error if strict (anki.deck_checks)."""
    if not library.decks:
        return []
    from ..anki import deck_checks

    problems, found = deck_checks(library)
    findings = [Finding(p, gate, "error" if strict else "warning") for gate, p in found]
    if problems or strict and findings:
        raise ContentError(problems + [f.problem for f in findings], suffix=gate_labels(findings))
    return findings


def run_report(root: Path, out: Path | None) -> int:
    library = load_library(root)
    cards = assess_library(library, today())
    manifest = read_manifest(out or root / "dist")
    pages: dict[tuple[str, str], list[str]] = {}
    for entry in manifest.values():
        if entry.get("kind") == "pdf":
            pages.setdefault((entry["topic"], entry["edition"]), []).append(
                f"{entry['paper']} {entry.get('pages', '?')}"
            )
    print(quality_table(cards, pages))
    print()
    print(review_table(library, today()))
    print_warnings(library_findings(library, cards), all_levels=True)
    return 0


def review_table(library: Library, day) -> str:
    """Each topic's review state: draft, approved, changed since approval (how many claims), review overdue."""
    from ..content.approval import changes_since

    lines = [f"{'topic':<26} review state"]
    for topic_id, topic in sorted(library.topics.items()):
        review = topic.review
        if review.status == "draft":
            state = "draft (not approved)"
        elif review.status == "approved":
            state = f"approved by {review.reviewer} on {review.last_reviewed}"
        else:
            count = len(changes_since(topic, library.approvals[topic_id]))
            state = (
                f"changed since approval by {review.reviewer} on {review.last_reviewed}: "
                f"{count} claim{' differs' if count == 1 else 's differ'}"
            )
        due = (
            f"review overdue since {review.next_due}" if review.next_due < day else f"next review due {review.next_due}"
        )
        lines.append(f"{topic_id:<26} {state}; {due}")
        lines.append(f"{'':<26} evidence: {evidence_line(topic)}")
    return "\n".join(lines)


def evidence_line(topic) -> str:
    """How much of the topic a reviewer can check against its sources' words: counts, never a percentage."""
    from ..content.claims import claims_of
    from ..content.evidence import lacks_quote, unquoted_numbers
    from ..content.numbers import stated

    claims = claims_of(topic)
    cited = [c for c in claims if c.cites]
    must = [c for c in claims if c.needs_quote]
    numbered = [c for c in cited if any(stated(w) for _, _, w in c.wordings())]
    derived = sum(1 for c in numbered if c.derived)
    unquoted = sum(1 for c in numbered if unquoted_numbers(c))
    return (
        f"{sum(1 for c in cited if c.quotes())} of {len(cited)} cited claims quote their source; "
        f"{len(must) - sum(map(lacks_quote, must))} of {len(must)} that must (urgent, red flags, steps, wallet card) "
        f"do; "
        f"{len(numbered)} state a number: {len(numbered) - derived - unquoted} in their quotes, {derived} derived, "
        f"{unquoted} not yet ({topic.review.evidence})"
    )


def run_review_sheet(root: Path, topic_id: str, out: Path | None, clinical: bool = False) -> int:
    """Write a rating sheet for a person to fill in: PEMAT-P and CDC items, or (clinical) every claim and its quotes."""
    from ..pdf.sheet import CLINICAL_TEMPLATE, TEMPLATE, render_review_sheet

    library = load_library(root)
    known_topic(library, topic_id)
    if clinical:
        from ..quality.clinical import clinical_sheet_view as make_view
    else:
        from ..quality.sheet import sheet_view as make_view
    name = f"{topic_id}--clinical.pdf" if clinical else f"{topic_id}.pdf"
    folder = out or library.root / "dist"
    check_out_folder(library.root, folder)  # the build's own rule: never into the project or templates/
    path = folder / "review-sheets" / name
    view = make_view(library, topic_id, today())
    write_atomic(path, render_review_sheet(library.root, view, CLINICAL_TEMPLATE if clinical else TEMPLATE))
    print(f"wrote {path}")
    return 0


def known_topic(library: Library, topic_id: str) -> None:
    if topic_id not in library.topics:
        raise UsageError(f"unknown topic {quote(topic_id)}; expected one of {', '.join(sorted(library.topics))}")


def run_approve(root: Path, topic_id: str, reviewer: str) -> int:
    """Record who approved the topic's text as it reads now; any later edit shows as changed since review."""
    from ..content.approval import make_record, record_path
    from ..content.characters import check_text
    from ..content.printable import reviewer_problem

    library = load_library(root)
    known_topic(library, topic_id)
    name = reviewer.strip()
    try:
        check_text(name)
    except ValueError as exc:
        raise UsageError(f"--reviewer: {exc}") from None
    why = reviewer_problem(name)  # the rule --release applies to the record (content/printable.py)
    if why is not None:
        raise UsageError(f"--reviewer: {why}")
    topic = library.topics[topic_id]
    if topic.review.evidence == "partial":
        raise ContentError(
            [
                library.documents[topic_id].problem(
                    ("review", "evidence"),
                    (
                        "expected complete evidence before approval, found partial; every urgent step, red flag, "
                        "wallet-card line "
                        "and number must show its source's words first (python build.py check lists what is missing)"
                    ),
                )
            ]
        )
    path = record_path(library.root, topic_id)
    write_atomic(path, make_record(topic, name, today()))
    print(
        f"approved {topic_id} as {name} on {today().isoformat()}: wrote {path.relative_to(library.root)}; "
        "commit it with the topic. Any later change to the text shows as CHANGED SINCE REVIEW until approved again."
    )
    return 0


def quality_table(cards: list[QualityCard], pages: dict | None = None) -> str:
    head = (
        f"{'topic':<26} {'edition':<20} {'words':>5} {'FK':>5} {'SMOG':>5} {'target':>6} "
        f"{'PEMAT-P U':>20} {'PEMAT-P A':>19} {'CDC index':>20} {'err':>3} {'warn':>4}"
    )
    if pages is not None:
        head += "  pages"
    lines = [head, "-" * len(head)]  # PEMAT/CDC: passed/checked automatically of the instrument's items
    for c in cards:
        target = f"<={c.grade_target:g}" if c.grade_target else "-"
        reading = f"{c.words:>5} {c.fk_grade:>5.1f} {c.smog:>5.1f}" if c.handout else f"{'-':>5} {'-':>5} {'-':>5}"
        scores = [
            s.summary() if c.rated and c.handout else "-"
            for s in (c.understandability, c.actionability, c.clear_communication)
        ]
        line = (
            f"{c.topic:<26} {c.edition:<20} {reading} {target:>6} "
            f"{scores[0]:>20} {scores[1]:>19} {scores[2]:>20} {c.count('error'):>3} {c.count('warning'):>4}"
        )
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
