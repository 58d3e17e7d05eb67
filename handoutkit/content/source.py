"""Read one YAML file into plain data plus the line and column of every value.

PyYAML silently keeps the last of two duplicate keys, which loses an author's
content, so mappings are built here by hand from the composed node tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, Problem, format_field

Loc = tuple

# libyaml's parser is ~15x faster than the pure-Python one; same nodes and marks.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document starts, 1-based."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, loc: Loc) -> tuple[int, int]:
        """Position of the value at loc, or of its nearest existing parent."""
        loc = tuple(loc)
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def of_key(self, loc: Loc) -> tuple[int, int]:
        return self.keys.get(tuple(loc)) or self.of_value(loc)


@dataclass
class Document:
    path: Path
    shown: str  # the path as printed in messages
    data: object
    positions: Positions

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        line, col = self.positions.of_key(loc) if at_key else self.positions.of_value(loc)
        return Problem(self.shown, line, col, format_field(loc), message)


def load_document(path: Path, shown: str) -> Document:
    """Parse path; raise ContentError listing every problem found in it."""
    text = read_text(path, shown)
    tab_problems = find_tabs(text, shown)
    if tab_problems:
        raise ContentError(tab_problems)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise ContentError([syntax_problem(exc, shown)]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(shown, 1, 1, "", "the file is empty; expected a mapping of fields")])
    builder = _Builder(loader, shown)
    data = builder.build(node, ())
    if builder.problems:
        raise ContentError(builder.problems)
    return Document(path, shown, data, builder.positions)


def read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}; save the file as UTF-8"
        raise ContentError([Problem(shown, line, col, "", message)]) from None
    if not text.strip():
        raise ContentError([Problem(shown, 1, 1, "", "the file is empty; expected a mapping of fields")])
    return text


def find_tabs(text: str, shown: str) -> list[Problem]:
    """YAML forbids tabs in indentation; say so plainly, for every line at once."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            col = indent.index("\t") + 1
            problems.append(Problem(shown, number, col, "", "expected spaces for indentation, found a tab"))
    return problems


def syntax_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        what = f"{exc.context}, {exc.problem}"
    return Problem(shown, line, col, "", f"YAML syntax error: {what}")


class _Builder:
    """Turns composed YAML nodes into dicts, lists and scalars, noting positions."""

    def __init__(self, loader: Loader, shown: str):
        self.loader = loader
        self.shown = shown
        self.positions = Positions()
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc):
        self.positions.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.build_scalar(node, loc)

    def build_scalar(self, node: yaml.Node, loc: Loc):
        if node.tag == STR_TAG:  # most scalars; what SafeConstructor would return, without its bookkeeping
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            # e.g. 2026-13-45 looks like a date to YAML but is not one
            expected = "a real date like 2026-01-31" if node.tag.endswith("timestamp") else "a valid value"
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            message = f"expected {expected}, found '{node.value}' ({exc})"
            self.problems.append(Problem(self.shown, line, col, format_field(loc), message))
            return None

    def build_mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.shown, *key_at, format_field(loc), "expected a plain key, found a list or mapping"))
                continue
            key = key_node.value if key_node.tag == STR_TAG else self.loader.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = self.positions.keys[loc + (key,)]
                message = f"duplicate key '{key}' (first at line {first[0]}); YAML would keep only the last one"
                self.problems.append(Problem(self.shown, *key_at, format_field(loc + (key,)), message))
                continue
            self.positions.keys[loc + (key,)] = key_at
            result[key] = self.build(value_node, loc + (key,))
        return result
