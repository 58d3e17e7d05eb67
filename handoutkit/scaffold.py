"""`build.py new TOPIC-ID`: start a topic file that already passes `check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .content.library import HANDOUTS_DIR
from .content.model import MAX_SLUG_CHARS, SLUG_RE
from .errors import ContentError, Problem, quote

TEMPLATE = """\
# yaml-language-server: $schema=../schema/handout.schema.json
# A new topic. Rewrite every placeholder line (they start "Write", "Say" or "Copy")
# in plain words, cite a real source for every clinical statement (steps and red
# flags with the source's own words as `quote`), then run `python build.py check`.
id: {id}
title: {title}
also_called: []
pronunciation:
  respelling: FIRST-word  # write the syllables with hyphens, the stressed one in CAPITALS
summary: Tell the reader the main point in one or two short lines.
sections:
  - id: what-it-is
    title: What it is
    blocks:
      - paragraph: Say what it is. Use short words. Talk to the reader as you.
        cites: [todo-source]
      - bullets:
          - Write one thing you should know.
          - Write one more thing you should know.
        cites: [todo-source]
      - paragraph: Say what is not known yet, if that is true for you.
        cites: [todo-source]
  - id: what-you-can-do
    title: What you can do
    blocks:
      - figure: where-it-is
      - steps:  # each step an action for the reader: it starts with a verb or says "you"
          - Write the first thing to do, starting with a verb.
          - Write the next thing to do.
        cites:  # steps show the source's words: copy them exactly (docs/evidence.md)
          - {{source: todo-source, quote: "Copy the source's words that say this."}}
tips:
  - id: first-tip
    text: Write a tip that helps you day to day.
    cites: [todo-source]
red_flags:
  - id: first-red-flag
    sign: Write a sign that you need help fast.
    urgency: today
    action: Call your care team today.
    cites: [{{source: todo-source, quote: "Copy the source's words that say this."}}]
questions:
  - What should I watch for at home?
glossary: []
figures:
  - id: where-it-is
    diagram: body-sites
    sites: [hip]
    alt: Say what the picture shows.
    caption: Say what the picture shows.
    cites: [todo-source]
cards:
  - id: first-card
    front: Write a question a student should answer.
    back: Write the answer.
    section: what-it-is
    cites: [todo-source]
sources:
  - id: todo-source
    title: Write the page's title
    publisher: Write who published it
    accessed: {today}
review:
  status: draft             # a clinician approves with `build.py approve` (docs/evidence.md)
  next_due: {due}
"""


def scaffold_topic(root: Path, topic_id: str, today: dt.date) -> Path:
    """Write handouts/<id>.yaml; refuse to touch a file that exists."""
    path = root / HANDOUTS_DIR / f"{topic_id}.yaml"
    shown = f"{HANDOUTS_DIR}/{topic_id}.yaml"
    if not SLUG_RE.fullmatch(topic_id) or len(topic_id) > MAX_SLUG_CHARS:
        message = (
            f"expected a topic id of at most {MAX_SLUG_CHARS} lower-case letters, digits and single hyphens, "
            f"found {quote(topic_id)}"
        )
        raise ContentError([Problem(shown, 1, 1, "id", message)])
    if path.exists():
        raise ContentError([Problem(shown, 1, 1, "", "a topic with this id exists already; it was left as it is")])
    title = topic_id.replace("-", " ").capitalize()
    text = TEMPLATE.format(
        id=topic_id, title=title, today=today.isoformat(), due=(today + dt.timedelta(days=365)).isoformat()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
