"""dist/manifest.json: every output with its hashes, pages and input key.

The manifest is what makes rebuilds incremental: an output whose input key and
bytes match its entry is already up to date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ..content.sourcefiles import read_file
from .plan import Output
from .writer import write_atomic

MANIFEST = "manifest.json"
FORMAT = 1


def read_manifest(out: Path) -> dict[str, dict]:
    """Entries by path; an unreadable or foreign manifest counts as empty (rebuild all)."""
    return read_manifest_with_inputs(out)[1]


def read_manifest_with_inputs(out: Path) -> tuple[str | None, dict[str, dict]]:
    """The last clean build's input fingerprint (see keys.input_fingerprint), and the entries."""
    inputs, entries, _ = read_manifest_state(out)
    return inputs, entries


def read_manifest_state(out: Path) -> tuple[str | None, dict[str, dict], list[str]]:
    """The fingerprint, the entries, and the files the content named (figures, logos) in that build.

    The manifest is a file anyone can edit or damage: whatever does not read as
    what this program writes counts as absent (an entry: its output is rebuilt;
    the whole file: every output is), never as a traceback further on.
    """
    try:
        data = json.loads(read_file(out / MANIFEST).decode("utf-8"))
        if data.get("format") != FORMAT:
            return None, {}, []
        reads = [r for r in data.get("reads") or [] if isinstance(r, str)]
        entries = {entry["path"]: entry for entry in data["outputs"] if is_entry(entry)}
        inputs = data.get("inputs")
        if len(entries) != len(data["outputs"]) or not isinstance(inputs, (str, type(None))):
            inputs = None  # a damaged manifest vouches for nothing: the next build checks every output
        return inputs, entries, reads
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, {}, []


ENTRY_TEXTS = ("path", "kind", "sha256", "input_hash")  # every entry has these, as text
NAMES = ("topic", "edition", "paper", "deck")  # an output's place: text when present
NEEDS = {"pdf": ("topic", "edition", "paper"), "apkg": ("deck",)}


def is_entry(entry: object) -> bool:
    """An output entry as make_entry writes it: the fields every reader of the manifest relies on."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ENTRY_TEXTS):
        return False
    if not all(isinstance(entry.get(k), (str, type(None))) for k in NAMES):
        return False
    if type(entry.get("bytes")) is not int or not entry["path"]:
        return False
    return all(isinstance(entry.get(k), str) for k in NEEDS.get(entry["kind"], ()))


def write_manifest(out: Path, entries: dict[str, dict], inputs: str | None = None, reads: list[str] = ()) -> None:
    write_atomic(out / MANIFEST, manifest_text(entries, inputs, reads).encode("utf-8"))


def manifest_text(entries: dict[str, dict], inputs: str | None, reads: list[str] = ()) -> str:
    """JSON with one output per line, in path order.

    A build rewrites the manifest every second; `indent=` would force json's
    pure-Python encoder, which for a 1,200-output library costs more CPU than
    the rest of the build's bookkeeping. One line per output keeps it readable.
    """
    outputs = ",\n".join("    " + json.dumps(entries[path], sort_keys=True) for path in sorted(entries))
    outputs = f"\n{outputs}\n  " if outputs else ""
    reads_line = f'  "reads": {json.dumps(sorted(reads))},\n' if reads else ""
    return f'{{\n  "format": {FORMAT},\n  "inputs": {json.dumps(inputs)},\n{reads_line}  "outputs": [{outputs}]\n}}\n'


def make_entry(output: Output, data: bytes, key: str, **extra) -> dict:
    entry = {k: v for k, v in asdict(output).items() if v is not None}
    entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), input_hash=key)
    entry.update({k: v for k, v in extra.items() if v is not None})
    return entry


def is_current(entry: dict | None, key: str, out: Path) -> bool:
    """The entry was built from these inputs and the file on disk is still whole."""
    return bool(entry) and entry.get("input_hash") == key and is_intact(entry, out)


def is_intact(entry: dict, out: Path) -> bool:
    """The file on disk is exactly the one the manifest describes."""
    path = out / entry["path"]
    try:
        if path.stat().st_size != entry["bytes"]:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    except OSError:
        return False
