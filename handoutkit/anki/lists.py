"""Bullet lists and steps as cloze notes: one note per list, one card per item.

Each card hides one item's lead (a short label before a colon, or the first
sentence) and shows the other leads as cues; the rest of each item is hidden
on the question and shown on the answer (class hk-more), so the question
stays short. Steps keep their order. Lists that would make poor cards are left out: a single item has no
neighbours, and long lists or long leads make cards nobody can answer.
"""

from __future__ import annotations

import re

from ..content.model import Bullets, Section, Steps
from ..editions.select import text_of
from . import markup
from .notes import NoteMaker, Place

MIN_ITEMS = 2
MAX_ITEMS = 8
MAX_LEAD_WORDS = 20
NOT_SENTENCE_ENDS = {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "approx"}
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
LABEL = re.compile(r"([^:.!?]+):\s+\S")
MAX_LABEL_WORDS = 8


def split_lead(text: str) -> tuple[str, str]:
    """The part a card hides, and the rest of the item (with its separator).

    A short label before a colon is the lead ('DVT: a warm leg...'), else the
    first sentence ('A joint infection. It is rare.'), else the whole item.
    """
    label = LABEL.match(text)
    if label and len(label.group(1).split()) <= MAX_LABEL_WORDS:
        return label.group(1), text[label.end(1) :]
    for match in SENTENCE_BREAK.finditer(text):
        last_word = text[: match.start()].split()[-1].rstrip(".!?").lower()
        if last_word not in NOT_SENTENCE_ENDS:
            return text[: match.start()], text[match.start() :]
    return text, ""


def is_studyable(leads: list[str]) -> bool:
    return MIN_ITEMS <= len(leads) <= MAX_ITEMS and all(len(lead.split()) <= MAX_LEAD_WORDS for lead in leads)


def item_html(number: int, text: str) -> str:
    lead, rest = split_lead(text)
    more = markup.element("span", markup.escape(rest), "hk-more") if rest else ""
    return markup.deletion(number, lead) + more


def add_list(maker: NoteMaker, section: Section, block: Bullets | Steps, number: int) -> None:
    """One cloze note for the number-th list of a section, if it makes good cards."""
    entries = block.bullets if isinstance(block, Bullets) else block.steps
    texts = [text_of(entry) for entry in entries]
    if not is_studyable([split_lead(text)[0] for text in texts]):
        return
    lead = markup.element("div", markup.escape(block.intro or section.title), "hk-lead")
    items = [item_html(n, text) for n, text in enumerate(texts, start=1)]
    text = lead + markup.item_list(items, ordered=isinstance(block, Steps))
    cites = [c for entry in entries for c in getattr(entry, "cites", [])] + block.cites
    place = Place(section.id, section.title)
    maker.add("list", f"{section.id}/{number}", "cloze", {"Text": text, "Extra": ""}, cites, place)


def add_section_lists(maker: NoteMaker, section: Section) -> None:
    lists = [b for b in section.blocks if isinstance(b, (Bullets, Steps))]
    for number, block in enumerate(lists, start=1):
        add_list(maker, section, block, number)
