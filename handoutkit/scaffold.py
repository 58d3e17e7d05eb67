"""`build.py new TOPIC-ID`: start a topic file that already passes `check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import ContentError, Problem
from .library import HANDOUTS_DIR
from .model import SLUG_RE

TEMPLATE = """\
# yaml-language-server: $schema=../schema/handout.schema.json
# A new topic. Replace every line marked TODO, cite a real source for every
# clinical statement, then run `python build.py check`.
id: {id}
title: {title}  # TODO: the condition's name
also_called: []
pronunciation:
  respelling: TODO-word  # TODO: syllables with hyphens, the stressed one in CAPITALS
summary: This sheet tells you what {title} is and what to do. Ask your care team if you have questions.
sections:
  - id: what-it-is
    title: What it is
    blocks:
      - paragraph: TODO. Say what it is in one or two short sentences.
        cites: [todo-source]
tips:
  - id: first-tip
    text: TODO. Write a short, practical tip.
    cites: [todo-source]
red_flags:
  - id: first-red-flag
    sign: TODO. Name a sign that needs help fast.
    action: TODO. Say who to call and how soon.
    cites: [todo-source]
questions:
  - What should I watch for at home?
glossary: []
figures: []
cards:
  - id: first-card
    front: TODO. A question a student should answer.
    back: TODO. The answer.
    section: what-it-is
    cites: [todo-source]
sources:
  - id: todo-source
    title: TODO. The page's title
    publisher: TODO. Who published it
    accessed: {today}
review:
  last_reviewed: {today}
  reviewer: TODO. Your name
  next_due: {due}
"""


def scaffold_topic(root: Path, topic_id: str, today: dt.date) -> Path:
    """Write handouts/<id>.yaml; refuse to touch a file that exists."""
    path = root / HANDOUTS_DIR / f"{topic_id}.yaml"
    shown = f"{HANDOUTS_DIR}/{topic_id}.yaml"
    if not SLUG_RE.match(topic_id):
        message = f"expected a topic id of lower-case letters, digits and single hyphens, found '{topic_id}'"
        raise ContentError([Problem(shown, 1, 1, "id", message)])
    if path.exists():
        raise ContentError([Problem(shown, 1, 1, "", "a topic with this id exists already; it was left as it is")])
    title = topic_id.replace("-", " ").capitalize()
    text = TEMPLATE.format(id=topic_id, title=title, today=today.isoformat(), due=(today + dt.timedelta(days=365)).isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
