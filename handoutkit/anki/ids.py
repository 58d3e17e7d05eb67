"""Ids for the package: GUIDs from stable ids, row ids from modification times.

A note's GUID is how Anki recognises it on re-import, so it comes from the
note's UID (topic, audience, kind, item id) and never from its text. Note and
card ids are only row keys: current Anki gives imported notes and cards ids
of its own, older versions kept them as the "created" time. So they are
milliseconds of the row's modification time, unique in build order, and the
same inputs give the same ids.
"""

from __future__ import annotations

import genanki


def note_guid(uid: str) -> str:
    return genanki.guid_for(uid)


def timestamp_ids(mods: list[int]) -> list[int]:
    """Unique ids, ascending with (mod, position): the same inputs give the same ids."""
    ids = [0] * len(mods)
    last = 0
    for index in sorted(range(len(mods)), key=lambda i: (mods[i], i)):
        last = ids[index] = max(mods[index] * 1000, last + 1)
    return ids
