"""`build.py check`: validate everything and print each edition's reading level."""

from __future__ import annotations

from pathlib import Path

from .library import Library, load_library

from .select import select_edition


def run_check(root: Path) -> int:
    library = load_library(root)
    for line in readability_lines(library):
        print(line)
    print(summary_line(library))
    return 0


def readability_lines(library: Library) -> list[str]:
    from .readability import edition_text, measure

    lines = [f"{'topic':<28} {'edition':<22} {'words':>6} {'FK grade':>9} {'SMOG':>6} {'target':>7}"]
    for topic_id, topic in sorted(library.topics.items()):
        for edition in library.editions:
            score = measure(edition_text(select_edition(topic, edition.audience)))
            target = f"<= {edition.reading_grade_max:g}" if edition.reading_grade_max else "-"
            lines.append(
                f"{topic_id:<28} {edition.id:<22} {score.words:>6} {score.fk_grade:>9.1f} {score.smog:>6.1f} {target:>7}"
            )
    return lines


def summary_line(library: Library) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"ok: {plural(len(library.topics), 'topic')}, {plural(len(library.editions), 'edition')}, "
        f"{plural(len(library.decks), 'deck')} and the brand '{library.brand.name}' are valid"
    )
