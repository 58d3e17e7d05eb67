"""Text colours in the print CSS must reach 7:1 contrast (WCAG AAA) on their background."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import tinycss2
import tinycss2.color3

MIN_RATIO = 7.0
WHITE = (1.0, 1.0, 1.0)


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def low_contrast(css_file: Path) -> tuple[tuple[int, int, str, str], ...]:
    """(line, col, selector, message) for each rule whose text colour is too faint."""
    return faint_rules(css_file.read_text(encoding="utf-8"))


@lru_cache(maxsize=16)  # by the stylesheet's text: watch and serve check the same few files on every save
def faint_rules(css: str) -> tuple[tuple[int, int, str, str], ...]:
    found = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    declared = [(rule, declarations_of(rule)) for rule in walk_rules(rules)]
    variables = {name: d.value for _, decls in declared for name, d in decls.items() if name.startswith("--")}
    for rule, colours in declared:
        text = colours.get("color")
        if text is None:
            continue
        fg = parse_rgb(text.value, variables)
        bg_decl = colours.get("background-color") or colours.get("background")
        bg = parse_rgb(bg_decl.value, variables) if bg_decl else WHITE
        if fg is None or bg is None:
            continue
        ratio = contrast(fg, bg)
        if ratio < MIN_RATIO:
            selector = tinycss2.serialize(rule.prelude).strip()
            found.append(
                (
                    text.source_line,
                    text.source_column,
                    selector,
                    f"expected text contrast >= {MIN_RATIO:g}:1, found {ratio:.1f}:1",
                )
            )
    return tuple(found)


def declarations_of(rule) -> dict:
    found = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
    return {d.name if d.name.startswith("--") else d.lower_name: d for d in found if d.type == "declaration"}


def walk_rules(rules) -> Iterator:
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            yield from walk_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))


def parse_rgb(tokens, variables: dict, depth: int = 0) -> tuple[float, float, float] | None:
    for token in tokens:
        if token.type in ("whitespace", "comment"):
            continue
        if token.type == "function" and token.lower_name == "var" and depth < 5:
            name = next((t.value for t in token.arguments if t.type == "ident"), "")
            return parse_rgb(variables.get(name, []), variables, depth + 1)
        colour = tinycss2.color3.parse_color(token)
        if colour is None or colour == "currentColor":
            return None
        return (colour.red, colour.green, colour.blue)
    return None
