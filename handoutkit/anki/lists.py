"""Lists a deck studies, one note per item, so no card can be answered by elimination.

A list block says how it is studied (`study:` in the content model):

- `items`: each item is "label: detail" and stands alone: the front shows the
  list's lead-in and the label, the back the detail. A set ("the four common
  sites are...") is never a card: no item is hidden among visible neighbours.
- `sequence`: each step is a card cued by the step
  before it ("After 'Sit up', what comes next?"), the overlapping-cloze idea
  as separate notes, so inserting a step changes only its neighbour's cue.
- `none` (the default): no cards. A numbered list is not always a procedure
  (a list of self-check questions is not), so only the author can say.

Each note's id is the item's `id`, or one derived from its words (the label,
or a step's first words), never from its position: inserting an item leaves
every other note on its own fact.
"""

from __future__ import annotations

import re

from ..content.model import Bullets, Item, Section, Steps
from ..editions.select import is_for
from . import markup
from .notes import NoteMaker, Place, slug

LABEL = re.compile(r"([^:.!?]+):\s+(\S.*)", re.DOTALL)
MAX_LABEL_WORDS = 8
STEP_ID_WORDS = 6
CUE_WORDS = 12


def split_label(text: str) -> tuple[str, str] | None:
    """'Etidronate: start early.' -> ('Etidronate', 'start early.'); None without a short label."""
    match = LABEL.match(text)
    if match and len(match.group(1).split()) <= MAX_LABEL_WORDS:
        return match.group(1).strip(), match.group(2).strip()
    return None


def add_section_lists(maker: NoteMaker, section: Section, section_loc: tuple) -> None:
    place = Place(section.id, maker.text(section.title))
    for index, block in enumerate(section.blocks):
        if isinstance(block, (Bullets, Steps)) and is_for(block, maker.audience) and block.study != "none":
            loc = section_loc + ("blocks", index)
            key = "bullets" if isinstance(block, Bullets) else "steps"
            entries = [
                (loc + (key, i), entry) for i, entry in enumerate(getattr(block, key)) if is_for(entry, maker.audience)
            ]
            lead = maker.text(block.intro) if block.intro else place.title
            if block.study == "items":
                add_items(maker, block, entries, lead, place)
            else:
                add_sequence(maker, block, entries, lead, place)


def item_text(maker: NoteMaker, entry) -> str:
    return maker.text(entry.text if isinstance(entry, Item) else entry)


def item_ids(entry, derived: str) -> dict:
    if isinstance(entry, Item) and entry.id:
        return {"previous_ids": entry.previous_ids, "explicit_id": True, "item": entry.id}
    previous = entry.previous_ids if isinstance(entry, Item) else []
    return {"previous_ids": previous, "explicit_id": False, "item": derived}


def add_items(maker: NoteMaker, block, entries: list, lead: str, place: Place) -> None:
    for loc, entry in entries:
        text = item_text(maker, entry)
        parts = split_label(text)
        if parts is None:
            maker.problem(
                loc,
                "expected 'label: detail' (a list with study: items makes one card per item, "
                f"asking for the detail), found {quote(text)}",
            )
            continue
        label, detail = parts
        front = (
            markup.element("div", markup.escape(lead), "hk-lead")
            + markup.element("p", markup.escape(label))
            + markup.element("div", "What should you know about it?", "hk-ask")
        )
        fields = {"Front": front, "Back": markup.escape(detail), "Extra": maker.extra(None, cites_of(entry, block))}
        ids = item_ids(entry, slug(label))
        maker.add(
            "item",
            ids.pop("item"),
            "basic",
            fields,
            cites_of(entry, block),
            place,
            loc=loc,
            label=f"{lead} {label}",
            **ids,
        )


def add_sequence(maker: NoteMaker, block, entries: list, lead: str, place: Place) -> None:
    texts = [item_text(maker, entry) for _, entry in entries]
    for position, (loc, entry) in enumerate(entries):
        if position == 0:
            cue = markup.element("div", "What is the first step?", "hk-ask")
        else:
            cue = markup.element(
                "p", "After: " + markup.escape(cue_of(texts[position - 1])), "hk-after"
            ) + markup.element("div", "What is the next step?", "hk-ask")
        fields = {
            "Front": markup.element("div", markup.escape(lead), "hk-lead") + cue,
            "Back": markup.escape(texts[position]),
            "Extra": maker.extra(None, cites_of(entry, block)),
        }
        words = " ".join(texts[position].split()[:STEP_ID_WORDS])
        ids = item_ids(entry, slug(words))
        maker.add(
            "step",
            ids.pop("item"),
            "basic",
            fields,
            cites_of(entry, block),
            place,
            loc=loc,
            label=f"{lead} step: {texts[position]}",
            **ids,
        )


def cue_of(step: str) -> str:
    """The step before, as a cue: its label or first sentence, at most CUE_WORDS words."""
    parts = split_label(step)
    lead = parts[0] if parts else re.split(r"(?<=[.;!?])\s", step, maxsplit=1)[0]
    words = lead.split()
    return " ".join(words[:CUE_WORDS]) + ("..." if len(words) > CUE_WORDS else "")


def cites_of(entry, block) -> list[str]:
    return list(getattr(entry, "cites", [])) + list(block.cites)


def quote(text: str, limit: int = 60) -> str:
    return f"'{text[:limit]}...'" if len(text) > limit else f"'{text}'"
