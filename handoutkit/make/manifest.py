"""dist/manifest.json: every output with its hashes, pages and input key.

The manifest is what makes rebuilds incremental: an output whose input key and
bytes match its entry is already up to date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

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
    """The fingerprint, the entries, and the files the content named (figures, logos) in that build."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None, {}, []
        reads = [r for r in data.get("reads") or [] if isinstance(r, str)]
        return data.get("inputs"), {entry["path"]: entry for entry in data["outputs"]}, reads
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, {}, []


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
