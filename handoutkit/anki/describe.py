"""What changed, said where students look: the deck description (Anki shows it on
the deck's overview screen, and updates it on every import).

The change list belongs to the release that made it, kept in the lock, so a
rebuild with nothing new gives the same description and the same bytes.
"""

from __future__ import annotations

import datetime as dt

from ..content.config import Deck
from ..content.model import Topic
from . import markup
from .answers import question_of
from .lock import content_hash

LISTED = 8  # labels named per kind of change; the rest are counted


def release_of(changes: dict, planned, stamps, retired, lock: dict, dropped: int) -> dict | None:
    """This build's release if it changed any note, else the lock's last one."""
    if not any(changes.values()):
        return lock.get("release")
    mods = [st.mod for st in stamps] + [r.entry["mod"] for r in retired]
    release = {
        "mod": max(mods),
        "content": content_hash(sorted(st.hash for st in stamps))[:8],
        **{kind: [label for _, label in changes[kind]] for kind in CHANGE_KINDS},
        "dropped_cards": dropped,
    }
    return same_day_release(lock.get("release"), release)


CHANGE_KINDS = ("new", "changed", "answers", "retired")


def same_day_release(earlier: dict | None, release: dict) -> dict:
    """A release is a day (its changed tag says `changed::<day>`): a second build that day adds to the
    first's lists instead of replacing them, so an author's second edit does not hide the first's news
    (or its dropped cards) from the students who upgrade. It keeps the first build's mod: the release is the
    same one, and tests find the release students hold by it."""
    if not earlier:
        return release
    if day_of(earlier["mod"]) != day_of(release["mod"]):
        return {**release, "follows": earlier["mod"]}  # the release its update file upgrades from
    merged = {kind: list(dict.fromkeys([*earlier.get(kind, []), *release[kind]])) for kind in CHANGE_KINDS}
    dropped = earlier.get("dropped_cards", 0) + release["dropped_cards"]
    follows = {"follows": earlier["follows"]} if "follows" in earlier else {}
    return {**release, **merged, **follows, "mod": earlier["mod"], "dropped_cards": dropped}  # its first mod


def day_of(mod: int) -> dt.date:
    return dt.datetime.fromtimestamp(mod, dt.UTC).date()


def file_names(deck: Deck) -> tuple[str, str]:
    """The file a first import takes, and the one for students of an earlier release."""
    return f"{deck.id}.apkg", f"{deck.id}--update.apkg"


def deck_description(deck: Deck, topics: list[Topic], release: dict | None, audience: str = "first") -> str:
    """The description of one file's deck; `audience` is "first" (a first import) or "update"."""
    titles = [t.title for t in topics]
    drafts = [t.title for t in topics if t.review.status == "draft"]
    changed = [t.title for t in topics if t.review.status == "changed"]
    plural = "s" if len(titles) > 1 else ""
    parts = [
        markup.element(
            "p",
            f"Flashcards from the handout{plural}: {markup.escape(', '.join(titles))}. "
            "Each card names its source and the handout section it comes from.",
        ),
    ]
    if drafts:  # the same stamp as every page of the handouts
        parts.insert(
            0,
            markup.element(
                "p", "<b>DRAFT - not yet clinically reviewed:</b> " + markup.escape(", ".join(drafts)) + "."
            ),
        )
    if changed:  # edited since a clinician approved it: the same mark as the handouts' pages
        parts.insert(
            0,
            markup.element(
                "p", "<b>CHANGED SINCE REVIEW - not yet re-approved:</b> " + markup.escape(", ".join(changed)) + "."
            ),
        )
    parts.append(which_file(deck, audience))
    if release and audience == "update":
        parts.append(release_html(release, deck.root_tag))
    elif release:  # a newcomer needs the version, not what changed since one they never had
        parts.append(version_html(release))
    return "".join(parts)


def which_file(deck: Deck, audience: str) -> str:
    first, update = (markup.escape(name) for name in file_names(deck))
    root = markup.escape(deck.root_tag)
    if audience == "first":
        return markup.element(
            "p",
            (
                f"<b>This file ({first}) is for a first import.</b> If you already study an earlier version of this "
                f"deck, "
                f"import <b>{update}</b> instead: it also marks the cards taken out of the handout."
            ),
        )
    return markup.element(
        "p",
        (
            f"<b>This file ({update}) updates an earlier version of this deck.</b> New to the deck? Import "
            f"<b>{first}</b> "
            "instead. Import with <i>Update notes: Always</i> (so a card you marked or edited still gets its "
            "correction; "
            "your own edits to its fields and tags are replaced: keep notes of your own in cards of your own, and use "
            f"flags, which are kept), <i>Merge note types</i> off and <i>Import any learning progress</i> off. Then: "
            f"cards whose answer changed are tagged <b>tag:{root}::changed::DATE</b>: select them in the Browser and "
            f"choose Cards &gt; Reset (Forget), so you learn the new answer; cards taken out of the handout are tagged "
            f"<b>tag:{root}::retired</b>: select all and delete them."
        ),
    )


def version_html(release: dict) -> str:
    date = dt.datetime.fromtimestamp(release["mod"], dt.UTC).date().isoformat()
    return markup.element("p", f"<b>Version {date}</b> (content {markup.escape(release.get('content', ''))}).")


def release_html(release: dict, root: str | None) -> str:
    date = dt.datetime.fromtimestamp(release["mod"], dt.UTC).date().isoformat()
    counts = [f"{len(release[k])} {k}" for k in ("new", "changed", "retired") if release[k]]
    head = markup.element(
        "p",
        f"<b>Version {date}</b> (content {markup.escape(release.get('content', ''))}): "
        + markup.escape(", ".join(counts) or "no changes")
        + " notes.",
    )
    items = [
        markup.element("li", f"{kind.capitalize()}: " + listed(release[kind]))
        for kind in ("new", "changed", "retired")
        if release[kind]
    ]
    if release.get("answers") and root:
        tag = markup.escape(f"{root}::changed::{date}")
        items.append(
            markup.element(
                "li",
                (
                    f"{len(release['answers'])} answers changed, tagged <b>tag:{tag}</b>: reset those cards (Cards "
                    f"&gt; "
                    "Reset, or Forget) so you learn the new answer: " + listed(release["answers"])
                ),
            )
        )
    if release.get("dropped_cards") and root:
        items.append(
            markup.element(
                "li",
                (
                    f"{release['dropped_cards']} cards were dropped from notes that stay (e.g. a meaning card "
                    f"another card "
                    "already asks): Tools &gt; Empty Cards removes them."
                ),
            )
        )
    return head + (markup.element("ul", "".join(items)) if items else "")


def listed(labels: list[str]) -> str:
    """Labels as their questions (a cloze's [answers] hidden: the description is read before the cards)."""
    named = "; ".join(markup.escape(question_of(label)) for label in labels[:LISTED])
    more = len(labels) - LISTED
    return named + (f"; and {more} more" if more > 0 else "")
