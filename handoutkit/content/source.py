"""Read one YAML file into plain data plus the line and column of every value.

PyYAML silently keeps the last of two duplicate keys, which loses an author's
content, so mappings are built here by hand from the composed node tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, Problem, format_field, quote
from .characters import file_char_problem
from .sourcefiles import FileTooLarge, NotAFile, read_file

Loc = tuple

# libyaml's parser is ~15x faster than the pure-Python one; same nodes and marks.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
BOOL_TAG = "tag:yaml.org,2002:bool"

# Bounds on the work one file can ask for (docs/authors.md "Limits"). A topic file is ~40 KB
# and ~10 levels deep; aliases are rare. Nine nested aliases of nine ("billion
# laughs") would otherwise expand to 387 million values.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_ALIAS_VALUES = 10_000


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document starts, 1-based."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    booleans: dict[Loc, str] = field(default_factory=dict)  # each true/false value as written ("yes", "on")

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
    except yaml.YAMLError as exc:  # e.g. libyaml's reader, which gives no line
        raise ContentError([Problem(shown, 1, 1, "", f"YAML syntax error: {exc}")]) from None
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
        raw = read_file(path, limit=MAX_FILE_BYTES)  # never waits on a named pipe
    except FileTooLarge as exc:
        kib = -(-exc.size // 1024)  # rounded up
        message = f"expected a file of at most {MAX_FILE_BYTES // 1024} KiB, found {kib} KiB; split the topic"
        raise ContentError([Problem(shown, 1, 1, "", message)]) from None
    except NotAFile as exc:
        raise ContentError([Problem(shown, 1, 1, "", exc.strerror)]) from None
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
    refused = file_char_problem(text)
    if refused:
        index, message = refused
        line, col = line_col(text, index)
        raise ContentError([Problem(shown, line, col, "", message)])
    return text


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of text[index]."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


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
    """Turns composed YAML nodes into dicts, lists and scalars, noting positions.

    An alias is the same node object met again, so the work done on aliases is
    counted (and a node met inside itself is a recursive alias); depth is bounded
    so a deeply nested file is an error, not a RecursionError.
    """

    def __init__(self, loader: Loader, shown: str):
        self.loader = loader
        self.shown = shown
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # collections built once: meeting one again is an alias
        self.open: set[int] = set()  # collections being built now: meeting one is recursion
        self.in_alias = 0
        self.alias_values = 0
        self.alias_at: Loc = ()  # where the outermost alias being expanded is used

    def build(self, node: yaml.Node, loc: Loc):
        self.positions.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if self.in_alias:
            self.alias_values += 1
            if self.alias_values > MAX_ALIAS_VALUES:
                at = self.alias_at
                line, col = self.positions.keys.get(at) or self.positions.of_value(at[:-1])
                message = (
                    f"expected aliases (*name) that repeat at most {MAX_ALIAS_VALUES} values in all, "
                    "found more (aliases of aliases multiply); write the content out instead"
                )
                raise ContentError([*self.problems, Problem(self.shown, line, col, format_field(at), message)])
        if isinstance(node, yaml.ScalarNode):
            return self.build_scalar(node, loc)
        return self.build_collection(node, loc)

    def build_collection(self, node: yaml.Node, loc: Loc):
        key = id(node)
        if key in self.open:
            self.stop(node, loc, "expected content, found a recursive alias: this value contains itself")
        if len(loc) >= MAX_DEPTH:
            self.stop(node, loc, f"expected content nested at most {MAX_DEPTH} levels deep, found deeper nesting")
        alias = key in self.seen
        if alias and not self.in_alias:
            self.alias_at = loc
        self.seen.add(key)
        self.open.add(key)
        self.in_alias += alias
        try:
            if isinstance(node, yaml.MappingNode):
                return self.build_mapping(node, loc)
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.in_alias -= alias
            self.open.discard(key)

    def stop(self, node: yaml.Node, loc: Loc, message: str):
        """A problem that makes the rest of the file not worth building."""
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        shown = format_field(loc[:12]) + ("..." if len(loc) > 12 else "")
        raise ContentError([*self.problems, Problem(self.shown, line, col, shown, message)])

    def build_scalar(self, node: yaml.Node, loc: Loc):
        if node.tag == STR_TAG:  # most scalars; what SafeConstructor would return, without its bookkeeping
            return node.value
        if node.tag == BOOL_TAG:  # yes, no, on, off too (YAML 1.1): what was written, for messages
            self.positions.booleans[loc] = node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
            # e.g. 2026-13-45 looks like a date to YAML but is not one
            self.problems.append(self.bad_scalar(node, loc, exc))
            return None

    def bad_scalar(self, node: yaml.Node, loc: Loc, exc: Exception) -> Problem:
        expected = "a real date like 2026-01-31" if node.tag.endswith("timestamp") else "a valid value"
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        reason = getattr(exc, "problem", None) or str(exc)
        message = f"expected {expected}, found {quote(node.value)} ({reason})"
        return Problem(self.shown, line, col, format_field(loc), message)

    def build_key(self, key_node: yaml.Node, loc: Loc) -> str | None:
        """A mapping key as text; None (with a problem noted) for one that cannot be a field name."""
        key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            self.problems.append(
                Problem(self.shown, *key_at, format_field(loc), "expected a plain key, found a list or mapping")
            )
            return None
        if key_node.tag == MERGE_TAG:
            message = "expected a plain key, found a merge key '<<'; write the fields out in full"
            self.problems.append(Problem(self.shown, *key_at, format_field(loc), message))
            return None
        if key_node.tag == STR_TAG:
            return key_node.value
        try:
            return str(self.loader.construct_object(key_node))
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
            self.problems.append(self.bad_scalar(key_node, loc, exc))
            return None

    def build_mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            key = self.build_key(key_node, loc)
            if key is None:
                continue
            if key in result:
                first = self.positions.keys[loc + (key,)]
                message = f"duplicate key {quote(key)} (first at line {first[0]}); YAML would keep only the last one"
                self.problems.append(Problem(self.shown, *key_at, format_field(loc + (key,)), message))
                continue
            self.positions.keys[loc + (key,)] = key_at
            result[key] = self.build(value_node, loc + (key,))
        return result
