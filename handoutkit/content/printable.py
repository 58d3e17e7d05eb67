"""Whether a value may print as something a patient acts on: a number to call, a clinic, a reviewer.

A handout tells the reader "Call 911 now", "Call 555-0134 today", "Reviewed by Dr A
Ortiz". A stand-in left in such a field ("TODO", "[Your clinic name]", "555-XXXX")
or a value of the wrong kind (an emergency number of "abc") reads as an instruction
all the same. One judgement for every such field: a brand with one is a sample (its
pages say SAMPLE) and --release refuses it; an approval naming one is refused too.
"""

from __future__ import annotations

import re

from ..errors import quote

# What an author types where the real value should go, wherever it stands in the text.
STAND_IN_WORDS = frozenset(
    {
        "todo",
        "tbd",
        "tba",
        "tbc",
        "fixme",
        "xxx",
        "placeholder",
        "lorem",
        "ipsum",
        "changeme",
        "unknown",
        "n/a",
        "none",
        "null",
    }
)
STAND_IN_RE = re.compile(
    r"^\s*(your|write|add|insert|enter|fill\s+in|put|type)\b"  # an instruction: "Your clinic name", "Add the phone"
    r"|[\[<{].*?[\]>}]"  # a bracketed slot: "[Your clinic name]", "<name>", "{phone}"
    r"|\b[xX]{2,}\b|(?<=\d)[xX]{2,}|[xX]{2,}(?=\d)"  # digits written as X: "555-XXXX", "XX12"
    r"|_{2,}|\?{2,}|\.{3}|\u2026",  # a blank to fill: "___", "???", "..."
    re.IGNORECASE,
)
EMERGENCY_NUMBER_RE = re.compile(r"[0-9]{2,6}")  # fullmatch: 911, 999, 112, 000, 15
PHONE_RE = re.compile(r"\+?[0-9(][0-9 ().\-/]*[0-9](\s*(ext\.?|extension|x)\s*[0-9]{1,6})?", re.IGNORECASE)  # fullmatch
MIN_PHONE_DIGITS = 5
WEBSITE_RE = re.compile(r"(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?([/?#][^\s]*)?")  # fullmatch
MAX_REVIEWER_CHARS = 40  # "Reviewed by NAME, DATE" fits the running header: two lines of large print

KINDS = {  # field: (what it must be, as a message says it)
    "emergency_number": "the local emergency number in digits (like 911, 999 or 112)",
    "phone": "a phone number in digits (spaces, +, -, brackets and ext allowed, like +1 555 013 4567)",
    "website": "a web address (like www.your-clinic.org)",
    "name": "the clinic's name in words",
}


def is_stand_in(text: str) -> bool:
    """A placeholder rather than a value: an instruction, a bracketed slot, a blank, or a stand-in word."""
    words = {w.strip(".,;:!()[]<>{}'\"").casefold() for w in text.split()}
    return bool(STAND_IN_RE.search(text)) or bool(words & STAND_IN_WORDS) or not text.strip()


def unfit_brand_field(name: str, value: str | None) -> str | None:
    """Why a brand's field cannot print as it is: "placeholder" or "kind"; None when it can."""
    if value is None:
        return None
    if is_stand_in(value):
        return "placeholder"
    if name == "emergency_number" and not EMERGENCY_NUMBER_RE.fullmatch(value.strip()):
        return "kind"
    if name == "phone" and not (
        PHONE_RE.fullmatch(value.strip()) and sum(c.isdigit() for c in value) >= MIN_PHONE_DIGITS
    ):
        return "kind"
    if name == "website" and not WEBSITE_RE.fullmatch(value.strip()):
        return "kind"
    if name == "name" and sum(c.isalpha() for c in value) < 2:
        return "kind"
    return None


def reviewer_problem(name: str) -> str | None:
    """Why a reviewer's name cannot be printed as who approved the text; None when it can."""
    words = {w.strip(".,[]()<>").casefold() for w in name.split()}
    if not any(c.isalpha() for c in name) or is_stand_in(name) or words & {"name", "reviewer"}:
        return f"expected the approving clinician's name, found {quote(name)}"
    if len(name) > MAX_REVIEWER_CHARS:
        return (
            f"expected a name of at most {MAX_REVIEWER_CHARS} characters (the review stamp must fit the header "
            f"of every page), found {len(name)}: {quote(name)}"
        )
    return None
