"""What a reader would see: characters that hide, reorder or break printed text.

A single U+202E (RIGHT-TO-LEFT OVERRIDE) prints a red flag backwards; a summary of
zero-width spaces prints blank; a raw control character breaks the renderer.
These rules run on every text value (through `model.Line`) and on each whole
YAML file before parsing (where comments could hide a bidi control too).
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT_CHARS = 5000  # one text value; the longest in the HO topic is under 400

# Bidirectional formatting: embeddings, overrides, isolates, and the marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
# Control characters (C0 and C1, DEL) other than tab and line feed, and the Unicode
# line and paragraph separators, which YAML and Pango each treat differently.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
VISIBLE_FAST_RE = re.compile("[0-9A-Za-z]")  # most text: no need to look at each character
# Characters that print nothing although Unicode does not class them as format or space.
BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800\u180e")
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})

CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x0d": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


def describe_char(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    name = unicodedata.name(char, "") or CONTROL_NAMES.get(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


def text_problem(value: str) -> str | None:
    """Why a text value would not print as written, or None."""
    if len(value) > MAX_TEXT_CHARS:
        return f"expected at most {MAX_TEXT_CHARS} characters in one text, found {len(value)}; split it up"
    found = BIDI_RE.search(value)
    if found:
        return (
            f"expected text without bidirectional controls, found {describe_char(found.group())} at character "
            f"{found.start() + 1}, which changes the order the reader sees; delete it"
        )
    found = CONTROL_RE.search(value)
    if found:
        return (
            f"expected printable text, found the control character {describe_char(found.group())} at "
            f"character {found.start() + 1}; delete it (a new line is a new item or paragraph)"
        )
    if not VISIBLE_FAST_RE.search(value) and not any(is_visible(c) for c in value):
        shown = ", ".join(sorted({describe_char(c) for c in value if not c.isspace()})) or "spaces"
        return f"expected visible text, found only invisible characters: {shown}"
    return None


def is_visible(char: str) -> bool:
    return char not in BLANK_LOOKING and unicodedata.category(char) not in INVISIBLE_CATEGORIES


def check_text(value: str) -> str:
    """A pydantic after-validator for every text field."""
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# In the raw file: tab, LF and CR are YAML's own; anything else here is refused,
# with its line and column, before YAML sees it (libyaml would say only "position N").
FILE_CHAR_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u2028\u2029\ufffe\uffff{BIDI_CONTROLS}]")


def file_char_problem(text: str) -> tuple[int, str] | None:
    """(index, message) of the first character a topic file may not hold anywhere, comments included."""
    found = FILE_CHAR_RE.search(text)
    if not found:
        return None
    char = found.group()
    if char in BIDI_CONTROLS:
        why = "a bidirectional control, which makes the file read differently from how it prints; delete it"
    elif char in "\u2028\u2029":
        why = "a Unicode line or paragraph separator; use an ordinary line break"
    else:
        why = "a control character; delete it (write \\n in double quotes only if you mean a new line)"
    return found.start(), f"expected plain text, found {describe_char(char)}, {why}"
