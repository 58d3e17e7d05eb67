"""Quality gates: every edition proves it is plain, accessible, current and complete.

`assess_topic` measures each edition of a topic and returns a QualityCard per
edition: the figures (reading grades, PEMAT and CDC scores) and the findings,
each an error or a warning as the edition's `gates` say. Modules: readability
(grades computed offline), plainwords, pemat, contrast, sources (citations and
review dates), findings.

May import: content, editions, errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..content.config import Edition
from ..content.evidence import claim_problems
from ..content.library import Library
from ..content.model import PATIENT_FACING, Topic
from ..editions.prose import Piece, reading_order
from ..editions.select import view_of
from ..errors import Problem
from .contrast import low_contrast
from .findings import Finding
from .pemat import Evidence, Score, rate_edition
from .plainwords import load_terms, long_sentences, long_words, passive_phrases, unexplained_terms
from .readability import Readability, edition_text, hardest_sentences, measure
from .sources import review_state, uncited
from .tiers import TIER_NAMES, contradicting_actions


@dataclass
class QualityCard:
    topic: str
    edition: str
    fk_grade: float
    smog: float
    words: int
    grade_target: float | None
    understandability: Score
    actionability: Score
    clear_communication: Score
    findings: list[Finding] = field(default_factory=list)
    rated: bool = True  # False where the edition's PEMAT and CDC gates are off (professional editions)
    handout: bool = True  # False for a wallet card: the reading figures are of its audience's handout

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def as_dict(self) -> dict:
        reading = {"fk_grade": self.fk_grade, "smog": self.smog, "words": self.words} if self.handout else {}
        rated = (
            {
                "pemat_understandability": self.understandability.as_dict(),
                "pemat_actionability": self.actionability.as_dict(),
                "cdc_clear_communication": self.clear_communication.as_dict(),
            }
            if self.rated and self.handout
            else {}
        )
        return {
            **reading,
            "grade_target": self.grade_target,
            **rated,
            "errors": self.count("error"),
            "warnings": self.count("warning"),
        }


def assess_library(library: Library, today: dt.date) -> list[QualityCard]:
    return [card for topic_id in sorted(library.topics) for card in assess_topic(library, topic_id, today)]


def assess_topic(library: Library, topic_id: str, today: dt.date) -> list[QualityCard]:
    texts: dict[str, TextAnalysis] = {}  # editions for one audience (standard, large print) share the text
    cards = []
    for edition in (e for e in library.editions if e.applies_to(library.topics[topic_id])):
        if edition.audience not in texts:
            texts[edition.audience] = analyse_text(library, topic_id, edition.audience)
        cards.append(assess_edition(library, topic_id, edition, today, texts[edition.audience]))
    return cards


@dataclass
class TextAnalysis:
    """What the gates measure in the text one audience reads; the same for each of its editions."""

    selected: Topic
    pieces: list[Piece]
    score: Readability
    passive: list
    unexplained: list  # patient-facing audiences only, like the long words
    long_words: list


def analyse_text(library: Library, topic_id: str, audience: str) -> TextAnalysis:
    topic, selected = library.topics[topic_id], view_of(library, topic_id, audience)
    pieces = list(reading_order(topic, audience))
    unexplained, long = [], []
    if audience in PATIENT_FACING:
        terms = load_terms(library.root, [g.term for g in topic.glossary])
        unexplained, long = list(unexplained_terms(pieces, terms)), list(long_words(pieces, terms))
    return TextAnalysis(
        selected, pieces, measure(edition_text(selected)), list(passive_phrases(pieces)), unexplained, long
    )


def assess_edition(
    library: Library, topic_id: str, edition: Edition, today: dt.date, text: TextAnalysis
) -> QualityCard:
    topic, doc, gates = library.topics[topic_id], library.documents[topic_id], edition.gates
    findings: list[Finding] = []

    def flag(gate: str, loc: tuple, message: str, level: str | None = None) -> None:
        level = level or getattr(gates, gate)
        if level != "off":
            findings.append(Finding(doc.problem(loc, f"{edition.id}: {message}"), gate, level))

    selected, pieces, score = text.selected, text.pieces, text.score
    target = edition.reading_grade_max
    grade_ok = target is None or (score.fk_grade <= target and score.smog <= target)
    if not grade_ok:
        hardest = "; ".join(f"'{s}'" for s in hardest_sentences(edition_text(selected), 3))
        flag(
            "reading_level",
            (),
            f"expected a reading grade <= {target:g}, found Flesch-Kincaid {score.fk_grade:.2f}, SMOG "
            f"{score.smog:.2f}; hardest sentences: {hardest}",  # 6.02 is no "6.0" against <= 6
        )

    sentence_count = max(1, score.sentences)
    if edition.audience in PATIENT_FACING:
        for piece, term in text.unexplained:
            flag(
                "plain_words",
                piece.loc,
                f"'{term}' is used here first without an explanation; explain it in the same sentence",
            )
        for piece, sentence, count in long_sentences(pieces, gates.max_sentence_words):
            flag(
                "plain_words",
                piece.loc,
                f"expected sentences of at most {gates.max_sentence_words} words, found {count}: '{sentence}'",
            )
        for piece, word in text.long_words:
            flag("plain_words", piece.loc, f"long word '{word}'; use a shorter one or add it to the glossary")
        for piece, phrase in text.passive:
            flag("plain_words", piece.loc, f"passive voice '{phrase}'; say who does what")

    evidence = Evidence(
        selected,
        pieces,
        None if target is None else grade_ok,
        text.passive,
        sentence_count,
        text.unexplained if edition.audience in PATIENT_FACING else None,
    )
    understand, act, cdc = rate_edition(evidence)
    for gate, result, minimum in (
        ("pemat", understand, gates.pemat_min_percent),
        ("pemat", act, gates.pemat_min_percent),
        ("clear_communication", cdc, gates.cdc_min_percent),
    ):
        if result.percent is not None and result.percent < minimum:
            flag(
                gate,
                (),
                f"expected {result.name} >= {minimum}% of the items checked automatically, found "
                f"{result.passed} of {result.checked} ({result.percent}%); not met: {', '.join(result.missed())}",
            )

    if edition.audience in PATIENT_FACING:
        shown = {g.term for g in selected.glossary}
        for index, term in enumerate(topic.glossary):
            if term.term not in shown and term.shown_to(edition.audience):
                flag(
                    "plain_words",
                    ("glossary", index, "term"),
                    f"'{term.term}' is not used in this edition's text, so it is left out of its glossary",
                )
    for index, urgency, words in contradicting_actions(topic):
        flag(
            "help_tiers",
            ("red_flags", index, "action"),
            f"the action says '{words}', but urgency '{urgency}' tells the reader to {TIER_NAMES[urgency]}; "
            "reword the action or change the urgency",
        )
    for loc, what in uncited(topic):
        flag("citations", loc, f"{what}; add cites: [source-id]")
    if topic.review.evidence == "partial":  # the same gaps in every edition: one finding each, not per edition
        findings += [Finding(p, "evidence", "warning") for p in claim_problems(topic, doc)]
    state = review_state(topic, today, gates.review_warning_days)
    if state:
        level, message = state
        flag("review_date", ("review", "next_due"), message, level if gates.review_date != "off" else "off")

    return QualityCard(
        topic_id,
        edition.id,
        score.fk_grade,
        score.smog,
        score.words,
        target,
        understand,
        act,
        cdc,
        sorted(set(findings)),
        rated=gates.pemat != "off" or gates.clear_communication != "off",
        handout=edition.format == "handout",
    )


def template_findings(root: Path) -> list[Finding]:
    """Layout checks on the templates themselves, the same for every edition."""
    findings = []
    for css in sorted((root / "templates").glob("*.css")):
        shown = css.relative_to(root).as_posix()
        for line, col, selector, message in low_contrast(css):
            findings.append(Finding(Problem(shown, line, col, selector, message), "contrast", "error"))
    return findings


def page_budget_finding(library: Library, topic_id: str, edition: Edition, paper: str, pages: int) -> Finding | None:
    if edition.page_budget is None or pages <= edition.page_budget or edition.gates.page_budget == "off":
        return None
    doc = library.documents[topic_id]
    budget = f"{edition.page_budget} page{'s' if edition.page_budget != 1 else ''}"
    message = (
        f"{edition.id} on {paper}: expected at most {budget}, found {pages}; "
        f"shorten the text or move detail to other editions"
    )
    return Finding(doc.problem((), message), "page_budget", edition.gates.page_budget)
