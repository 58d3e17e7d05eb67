"""Issue 12, hardening: a hostile or careless author, a flaky machine, a busy clinic.

Each class of failure has its cases here, most as one table: the exact message,
the exit status, no traceback, and nothing stale or leaked in the output folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from handoutkit.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = (FIXTURES / "project" / "handouts" / "minimal.yaml").read_text()


def make_project(tmp_path: Path, templates: bool = False) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.rmtree(root / "decks")
    if templates:
        shutil.copytree(REPO / "templates", root / "templates")
    return root


def check(root: Path, capsys) -> tuple[int, list[str]]:
    status = main(["check", "--root", str(root)])
    return status, capsys.readouterr().err.splitlines()


def edited(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


# ----- the loader: bounded work, and every YAML oddity a path:line:col error ----------

LAUGHS = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)

LOADER_CASES = {
    "billion-laughs": (
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + LAUGHS,
        [
            "handouts/x.yaml:5:4: e[0]: expected aliases (*name) that repeat at most 10000 values in all, "
            "found more (aliases of aliases multiply); write the content out instead"
        ],
    ),
    "recursive-alias": (
        "id: x\ntitle: &t [*t]\n",
        ["handouts/x.yaml:2:8: title[0]: expected content, found a recursive alias: this value contains itself"],
    ),
    "600-deep": (
        "id: x\ntitle: " + "[" * 600 + "]" * 600 + "\n",
        [
            "handouts/x.yaml:2:47: title[0][0][0][0][0][0][0][0][0][0][0]...: "
            "expected content nested at most 40 levels deep, found deeper nesting"
        ],
    ),
    "merge-key": (
        edited("review:\n", "review:\n  <<: {status: draft}\n"),
        ["handouts/x.yaml:18:3: review: expected a plain key, found a merge key '<<'; write the fields out in full"],
    ),
    "impossible-date-key": (
        edited("sources:\n", "2026-13-45: x\nsources:\n"),
        ["handouts/x.yaml:12:1: expected a real date like 2026-01-31, found '2026-13-45' (month must be in 1..12)"],
    ),
    "raw-nul": (
        edited("A plain paragraph.", "A plain\x00paragraph."),
        [
            "handouts/x.yaml:10:27: expected plain text, found U+0000 (NUL), a control character; "
            "delete it (write \\n in double quotes only if you mean a new line)"
        ],
    ),
    "bidi-in-a-comment": (
        "# reads \u202eclean\n" + MINIMAL,
        [
            "handouts/x.yaml:1:9: expected plain text, found U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional "
            "control, which makes the file read differently from how it prints; delete it"
        ],
    ),
    "raw-line-separator": (
        edited("title: Minimal topic", "title: Minimal\u2028topic"),
        [
            "handouts/x.yaml:2:15: expected plain text, found U+2028 (LINE SEPARATOR), a Unicode line or "
            "paragraph separator; use an ordinary line break"
        ],
    ),
    "huge-file": (
        MINIMAL + "# " + "x" * (1024 * 1024) + "\n",
        ["handouts/x.yaml:1:1: expected a file of at most 1024 KiB, found 1025 KiB; split the topic"],
    ),
}


@pytest.mark.parametrize("name", sorted(LOADER_CASES))
def test_the_loader_turns_hostile_yaml_into_one_clear_error(name, tmp_path, capsys):
    text, expected = LOADER_CASES[name]
    root = make_project(tmp_path)
    text = text.replace("id: minimal\n", "id: x\n")
    (root / "handouts" / "x.yaml").write_bytes(text.encode("utf-8"))
    status, err = check(root, capsys)
    assert (status, err) == (1, expected + [f"{len(expected)} problem{'s' if len(expected) > 1 else ''} found."])


def test_hostile_yaml_run_as_a_program_exits_1_without_traceback(tmp_path):
    root = make_project(tmp_path)
    for name in ("billion-laughs", "600-deep", "merge-key", "raw-nul"):
        (root / "handouts" / f"{name}.yaml").write_text(LOADER_CASES[name][0].replace("id: minimal\n", f"id: {name}\n"))
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith("4 problems found; nothing was built.\n")
    assert not (root / "dist").exists()


# ----- text as the reader sees it -----------------------------------------------------

TEXT_CASES = {
    "bidi-override-in-a-field": (
        edited("title: Minimal topic", 'title: "Get it checked \\u202etoday"'),
        [
            "handouts/x.yaml:2:8: title: expected text without bidirectional controls, found U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) at character 16, which changes the order the reader sees; delete it"
        ],
    ),
    "zero-width-only-summary": (
        edited("summary: A short main message.", 'summary: "\\u200b\\u200b\\u2060"'),
        [
            "handouts/x.yaml:5:10: summary: expected visible text, found only invisible characters: "
            "U+200B (ZERO WIDTH SPACE), U+2060 (WORD JOINER)"
        ],
    ),
    "control-character": (
        edited("title: Minimal topic", 'title: "Minimal\\atopic"'),
        [
            "handouts/x.yaml:2:8: title: expected printable text, found the control character U+0007 (BELL) at "
            "character 8; delete it (a new line is a new item or paragraph)"
        ],
    ),
    "escaped-line-separator": (
        edited("title: Minimal topic", 'title: "Minimal\\Ltopic"'),
        [
            "handouts/x.yaml:2:8: title: expected printable text, found the control character U+2028 (LINE SEPARATOR) "
            "at character 8; delete it (a new line is a new item or paragraph)"
        ],
    ),
    "slug-with-trailing-newline": (
        edited("  - id: what-it-is", '  - id: "what-it-is\\n"'),
        [
            "handouts/x.yaml:7:9: sections[0].id: expected a slug of lower-case letters, digits and single hyphens "
            "(like 'who-gets-it'), found 'what-it-is\\n'"
        ],
    ),
    "long-slug": (
        edited("  - id: what-it-is", "  - id: " + "a" * 300),
        ["handouts/x.yaml:7:9: sections[0].id: expected an id of at most 64 characters, found 300"],
    ),
    "2-mb-title": (
        edited("title: Minimal topic", "title: " + "Long " * 400_000),
        ["handouts/x.yaml:1:1: expected a file of at most 1024 KiB, found 1954 KiB; split the topic"],
    ),
    "long-title": (
        edited("title: Minimal topic", "title: " + "Long " * 2000),
        ["handouts/x.yaml:2:8: title: expected at most 5000 characters in one text, found 9999; split it up"],
    ),
    "long-bad-value-quoted-short": (
        edited("    accessed: 2026-11-23", "    accessed: " + "x" * 5000),
        [
            "handouts/x.yaml:16:15: sources[0].accessed: expected a date like 2026-01-31, found "
            "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
        ],
    ),
    "unclosed-cloze": (
        edited(
            "sources:\n",
            "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and {{c2::rest', cites: [src]}\nsources:\n",
        ),
        [
            "handouts/x.yaml:13:32: cards[0].text: expected the deletion '{{c2::rest' at character 24 to be closed with '}}'"
        ],
    ),
    "malformed-cloze": (
        edited(
            "sources:\n",
            "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and {{c::rest}}', cites: [src]}\nsources:\n",
        ),
        [
            "handouts/x.yaml:13:32: cards[0].text: expected a deletion like {{c1::answer}}, found '{{c::rest}}' at character 24"
        ],
    ),
    "stray-cloze-end": (
        edited(
            "sources:\n",
            "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and rest}}', cites: [src]}\nsources:\n",
        ),
        [
            "handouts/x.yaml:13:32: cards[0].text: expected '}}' only to close a deletion, found a stray one at character 28"
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_text_is_checked_for_what_a_reader_would_see(name, tmp_path, capsys):
    text, expected = TEXT_CASES[name]
    root = make_project(tmp_path)
    (root / "handouts" / "x.yaml").write_text(text.replace("id: minimal\n", "id: x\n"), encoding="utf-8")
    status, err = check(root, capsys)
    assert (status, err) == (1, expected + [f"{len(expected)} problem{'s' if len(expected) > 1 else ''} found."])


def test_new_refuses_an_id_too_long_for_a_file_name(tmp_path, capsys):
    root = make_project(tmp_path)
    assert main(["new", "a" * 300, "--root", str(root)]) == 1
    path = (
        f"handouts/{'a' * 300}.yaml"[:200] + "..."
    )  # a path built from a typed id is cut like a quoted value (issue 26.2)
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:1:1: id: expected a topic id of at most 64 lower-case letters, digits and "
        f"single hyphens, found '{'a' * 60}...'"
    )


# ----- only real images reach an output -----------------------------------------------

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe0fb2b40000000049454e44ae426082"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
XLINK = b'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
WITH_FIGURE = edited("sources:\n", "figures:\n  - id: pic\n    src: ../figures/pic\n    alt: A picture.\nsources:\n")
FIGURE_AT = "handouts/x.yaml:14:10: figures[0].src: "


def png_sized(width: int, height: int) -> bytes:
    """The 1x1 PNG with another size in its header (and the header's checksum to match): small on disk, huge decoded."""
    header = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + PNG_1X1[24:29]
    return PNG_1X1[:12] + header + zlib.crc32(header).to_bytes(4, "big") + PNG_1X1[33:]


FIGURE_CASES = {
    "a-secret-file": (
        b"API_KEY=s3cret\n",
        "expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose content is none of these ('../figures/pic')",
    ),
    "text-named-like-a-png": (
        b"just text",
        "expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose content is none of these ('../figures/pic')",
    ),
    "truncated-png": (
        PNG_1X1[:12],
        "expected a whole PNG image, found one whose size cannot be read ('../figures/pic')",
    ),
    "pixel-bomb-png": (
        png_sized(100_000, 100_000),
        "expected an image of at most 25 million pixels, found more than 89 million ('../figures/pic')",
    ),
    "large-png": (
        png_sized(6_000, 6_000),
        "expected an image of at most 25 million pixels, found 6000 x 6000 ('../figures/pic')",
    ),
    "oversized-file": (
        PNG_1X1 + b"\0" * (5 * 1024 * 1024),
        "expected an image file of at most 5 MiB, found 5.01 MiB ('../figures/pic')",
    ),
    "svg-image-href-file": (
        b"<svg " + XLINK + b'><image xlink:href="file:///etc/passwd" width="9" height="9"/></svg>',
        'expected an SVG that reads no other file, found <image href="file:///etc/passwd">; embed the picture or '
        "remove it ('../figures/pic')",
    ),
    "svg-css-url": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(https://x.example/a.svg#p) }</style></svg>',
        "expected an SVG that reads no other file, found url(https://x.example/a.svg#p) in a <style> element "
        "('../figures/pic')",
    ),
    "svg-css-import": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "/etc/x.css";</style></svg>',
        "expected an SVG that reads no other file, found @import in a <style> element ('../figures/pic')",
    ),
    "svg-entities": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "expected an SVG without entity declarations, found <!ENTITY a> ('../figures/pic')",
    ),
    "svg-external-entity": (
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        "expected an SVG without entity declarations, found <!ENTITY x> ('../figures/pic')",
    ),
    "svg-default-href": (  # a DOCTYPE's default attribute is seen as WeasyPrint's parser will see it
        b'<!DOCTYPE svg [<!ATTLIST image href CDATA "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><image width="9" height="9"/></svg>',
        'expected an SVG that reads no other file, found <image href="file:///etc/passwd">; embed the picture or '
        "remove it ('../figures/pic')",
    ),
    "svg-css-import-split-by-a-comment": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@imp<!---->ort "/etc/x.css";</style></svg>',
        "expected an SVG that reads no other file, found @import in a <style> element ('../figures/pic')",
    ),
    "svg-stylesheet-instruction": (
        b'<?xml-stylesheet href="file:///etc/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "expected an SVG that reads no other file, found an <?xml-stylesheet?> instruction ('../figures/pic')",
    ),
    "html-not-svg": (
        b"<html><body>hi</body></html>",
        "expected an SVG image (an <svg> root element), found a <html> root ('../figures/pic')",
    ),
    "broken-xml": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
        "expected an SVG image, found a file that is not well-formed XML (mismatched tag at line 1) ('../figures/pic')",
    ),
    "oversized-svg": (
        SVG.replace(b"</svg>", b"<!--" + b" " * 600_000 + b"--></svg>"),
        "expected an SVG of at most 512 KiB, found 586 KiB; simplify it or save it as PNG ('../figures/pic')",
    ),
    "svg-element-bomb": (
        SVG.replace(b"</svg>", b"<g/>" * 10_001 + b"</svg>"),
        "expected an SVG of at most 10000 elements, found more; simplify it or save it as PNG ('../figures/pic')",
    ),
}


def project_with_figure(tmp_path: Path, data: bytes, decks: bool = False) -> Path:
    root = make_project(tmp_path)
    if decks:
        shutil.copytree(FIXTURES / "project" / "decks", root / "decks")
    (root / "figures").mkdir()
    (root / "figures" / "pic").write_bytes(data)
    (root / "handouts" / "x.yaml").write_text(WITH_FIGURE.replace("id: minimal\n", "id: x\n"))
    return root


@pytest.mark.parametrize("name", sorted(FIGURE_CASES))
def test_only_real_images_may_be_figures(name, tmp_path, capsys):
    data, message = FIGURE_CASES[name]
    status, err = check(project_with_figure(tmp_path, data), capsys)
    assert (status, err) == (1, [FIGURE_AT + message, "1 problem found."])


@pytest.mark.parametrize(
    "data",
    [
        PNG_1X1,
        SVG,
        b"\xef\xbb\xbf<?xml version='1.0'?>\n" + SVG,
        b"<svg " + XLINK + b'><use xlink:href="#a"/><image href="data:image/png;base64,AA=="/></svg>',
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG,
    ],
)
def test_real_images_are_accepted(data, tmp_path, capsys):
    status, err = check(project_with_figure(tmp_path, data), capsys)
    assert (status, err) == (0, [])


def test_a_refused_figure_leaks_into_no_output_not_even_the_deck(tmp_path, capsys):
    root = project_with_figure(tmp_path, b"API_KEY=s3cret\n", decks=True)
    deck = root / "decks" / "minimal-students.yaml"
    deck.write_text(deck.read_text().replace("topics: [minimal]", "topics: [minimal, x]"))
    status = main(["build", "--root", str(root)])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err == [FIGURE_AT + FIGURE_CASES["a-secret-file"][1], "1 problem found; nothing was built."]
    assert not (root / "dist").exists()
    assert not (root / "decks" / "minimal-students.lock.json").exists()


def test_a_logo_that_is_not_an_image_is_refused(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / ".env").write_text("API_KEY=s3cret\n")
    brand = root / "brands" / "default.yaml"
    brand.write_text(brand.read_text() + "logo: ../.env\n")
    status, err = check(root, capsys)
    assert (status, err) == (
        1,
        [
            "brands/default.yaml:4:7: logo: expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose content "
            "is none of these ('../.env')",
            "1 problem found.",
        ],
    )


# ----- what check sees: glyphs, placeholders, the deck lock ---------------------------


def test_a_character_no_handout_font_has_is_a_check_error_at_its_own_line(tmp_path, capsys):
    root = make_project(tmp_path, templates=True)
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text().replace("A plain paragraph.", "A plain paragraph \U0001f9b4."))
    status, err = check(root, capsys)
    assert (status, err) == (
        1,
        [
            "handouts/minimal.yaml:10:20: sections[0].blocks[0].paragraph: expected characters the handout fonts can "
            "print, found '\U0001f9b4' (U+1F9B4 BONE); use words or a common character instead",
            "1 problem found.",
        ],
    )


def test_a_brand_or_edition_label_the_fonts_cannot_print_is_a_check_error(tmp_path, capsys):
    root = make_project(tmp_path, templates=True)
    brand = root / "brands" / "default.yaml"
    brand.write_text(brand.read_text().replace("name: Test clinic", "name: Test clinic \u2605"))
    editions = root / "editions.yaml"
    editions.write_text(editions.read_text().replace("label: ", "label: \u263a ", 1))
    status, err = check(root, capsys)
    assert status == 1
    assert [line.split(": expected")[0] for line in err[:-1]] == [
        "brands/default.yaml:1:7: name",
        "editions.yaml:5:12: editions[0].label",
    ]


def scaffolded(tmp_path: Path) -> Path:
    root = make_project(tmp_path, templates=True)
    (root / "handouts" / "minimal.yaml").unlink()
    assert main(["new", "pressure-injuries", "--root", str(root)]) == 0
    return root


def test_placeholder_text_from_new_is_refused_by_check_and_build(tmp_path, capsys):
    from handoutkit.content.texts import PLACEHOLDERS
    from handoutkit.scaffold import TEMPLATE

    assert all(p in TEMPLATE for p in PLACEHOLDERS)
    root = scaffolded(tmp_path)
    capsys.readouterr()
    status, err = check(root, capsys)
    assert status == 1
    assert err[:3] == [
        "handouts/pressure-injuries.yaml:9:15: pronunciation.respelling: expected your own words, found the "
        "placeholder 'FIRST-word' that 'build.py new' wrote; replace it before building",
        "handouts/pressure-injuries.yaml:10:10: summary: expected your own words, found the placeholder 'Tell the "
        "reader the main point in one or two short lines.' that 'build.py new' wrote; replace it before building",
        "handouts/pressure-injuries.yaml:15:20: sections[0].blocks[0].paragraph: expected your own words, found the "
        "placeholder 'Say what it is. Use short words. Talk to the reader as you.' that 'build.py new' wrote; "
        "replace it before building",
    ]
    assert err[-1] == "18 problems found."  # the two steps 'new' writes count too (issue 22)
    assert main(["build", "--root", str(root)]) == 1
    assert capsys.readouterr().err.endswith("18 problems found; nothing was built.\n")
    assert not (root / "dist").exists()


def test_a_corrupt_deck_lock_is_a_check_error_and_the_build_writes_nothing(tmp_path, capsys):
    root = make_project(tmp_path, templates=True)
    shutil.copytree(FIXTURES / "project" / "decks", root / "decks")
    lock = root / "decks" / "minimal-students.lock.json"
    lock.write_text('{"version": 1,\n  "notes": {<<<<<<< HEAD\n')
    status, err = check(root, capsys)
    assert (status, err) == (
        1,
        [
            "decks/minimal-students.lock.json:2:13: expected the deck lock the build writes, found invalid JSON "
            "(Expecting property name enclosed in double quotes); restore it from version control",
            "1 problem found.",
        ],
    )
    assert main(["build", "--root", str(root)]) == 1
    assert not (root / "dist").exists()
    lock.write_text('{"version": 1, "notes": []}\n')  # valid JSON, not a lock: the deck's own reader says so
    assert main(["build", "--root", str(root)]) == 1
    assert "minimal-students.lock.json:1:1: expected the deck lock the build writes" in capsys.readouterr().err
    assert not (root / "dist").exists()


# ----- clean stops: no orphan worker, no traceback, the usual exit status ------------

import os  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402


def project_for_a_pool(tmp_path: Path, topics: int = 4) -> Path:
    """Enough handouts (4 topics x 4 outputs) for the build to start its worker pool."""
    root = make_project(tmp_path, templates=True)
    text = (root / "handouts" / "minimal.yaml").read_text()
    for n in range(2, topics + 1):
        (root / "handouts" / f"minimal-{n}.yaml").write_text(text.replace("id: minimal\n", f"id: minimal-{n}\n"))
    return root


def processes_in_group(pgid: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except (ProcessLookupError, PermissionError, FileNotFoundError):
                pass
    return found


def start_build_with_workers(root: Path, settle: float = 1.0) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum("spawn_main" in p for p in processes_in_group(process.pid)) < 2:
        time.sleep(0.01)
    assert sum("spawn_main" in p for p in processes_in_group(process.pid)) == 2, "the build should have 2 workers"
    time.sleep(settle)  # by default the workers are rendering by then
    return process


@pytest.mark.parametrize(
    "how, status, message",
    [
        ("SIGKILL", -signal.SIGKILL, None),
        ("SIGTERM", 143, "Stopped (SIGTERM); earlier outputs are intact.\n"),
        ("Ctrl-C", 130, "Interrupted; earlier outputs are intact.\n"),
    ],
)
def test_a_stopped_build_leaves_no_process_behind(how, status, message, tmp_path):
    process = start_build_with_workers(project_for_a_pool(tmp_path))
    if how == "Ctrl-C":
        os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole foreground group
    else:
        process.send_signal(getattr(signal, how))
    _, err = process.communicate(timeout=30)
    assert process.returncode == status
    assert "Traceback" not in err
    if message:
        assert err.endswith(message)
    time.sleep(5)
    assert processes_in_group(process.pid) == []


def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path):
    """A worker still starting (spawn's bootstrap: site, the main module, unpickling) is deaf to Ctrl-C already:
    it starts with SIGINT ignored (make/stops.py, sigint_blocked), not only once its initializer has run."""
    root = project_for_a_pool(tmp_path)
    for settle in (0.05, 0.1, 0.2):  # a worker's start-up takes about 0.5 s; it is seen before it has begun
        shutil.rmtree(root / "dist", ignore_errors=True)
        process = start_build_with_workers(root, settle)
        os.killpg(process.pid, signal.SIGINT)  # the workers are still starting
        _, err = process.communicate(timeout=30)
        assert process.returncode == 130 and err.endswith("Interrupted; earlier outputs are intact.\n")
        assert not [word for word in ("Traceback", "KeyboardInterrupt", "Fatal Python error") if word in err], err


def test_jobs_are_capped_by_outputs_and_cores(tmp_path):
    from handoutkit.make.engine import Renderers
    from handoutkit.make.stops import usable_cores

    root = make_project(tmp_path, templates=True)
    with Renderers(root, 40) as renderers:
        renderers.start(13)
        started = len(renderers.pool._processes) if renderers.pool else 1
    assert started == min(13, usable_cores())


# ----- freshness: every file an output reads counts; nothing stale looks current -----

import json  # noqa: E402

from handoutkit.errors import ContentError  # noqa: E402
from handoutkit.make.pipeline import BuildOptions, build  # noqa: E402

PNG_RED = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def build_project(tmp_path: Path, topics: int = 1, decks: bool = True) -> Path:
    root = project_for_a_pool(tmp_path, topics)
    if decks:
        shutil.copytree(FIXTURES / "project" / "decks", root / "decks")
    return root


def opts(root: Path, **kw) -> BuildOptions:
    return BuildOptions(root=root, out=root / "dist", **kw)


def manifest_of(root: Path) -> dict:
    """The handouts and decks in the manifest (the web site's files follow them: tests/test_web.py)."""
    entries = json.loads((root / "dist" / "manifest.json").read_text())["outputs"]
    return {e["path"]: e for e in entries if not e["path"].startswith("site/")}


def pdfs_on_disk(root: Path) -> list[str]:
    """The handouts on disk, not the site's copies of them."""
    found = (p.relative_to(root / "dist").as_posix() for p in (root / "dist").rglob("*.pdf"))
    return sorted(p for p in found if not p.startswith("site/"))


@pytest.mark.parametrize("where", ["figure-in-figures", "logo-in-assets"])
def test_an_edited_figure_or_logo_anywhere_in_the_project_is_rebuilt(where, tmp_path):
    root = build_project(tmp_path)
    if where == "figure-in-figures":
        target = root / "figures" / "pic.png"
        topic = root / "handouts" / "minimal.yaml"
        topic.write_text(
            topic.read_text().replace(
                "sources:\n", "figures:\n  - id: pic\n    src: ../figures/pic.png\n    alt: A picture.\nsources:\n"
            )
        )
    else:
        target = root / "assets" / "logo.png"
        brand = root / "brands" / "default.yaml"
        brand.write_text(brand.read_text() + "logo: ../assets/logo.png\n")
    target.parent.mkdir()
    target.write_bytes(PNG_1X1)
    assert build(opts(root)).problems == []
    assert build(opts(root)).built == []  # the no-op
    target.write_bytes(PNG_RED)
    report = build(opts(root))
    assert sorted(p for p in report.built if p.startswith("handouts/")) == pdfs_on_disk(root) != []
    assert build(opts(root)).built == []


def test_a_huge_file_beside_the_brand_is_never_read(tmp_path):
    root = build_project(tmp_path, decks=False)
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    shutil.copy(root / "brands" / "default.yaml", clinic / "brand.yaml")
    with open(clinic / "huge.bin", "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GiB, sparse
    root_brand = root / "brands" / "clinic.yaml"
    shutil.copy(clinic / "brand.yaml", root_brand)
    assert build(opts(root, brand=clinic / "brand.yaml")).problems == []
    started = time.monotonic()
    report = build(opts(root, brand=clinic / "brand.yaml"))
    assert (report.built, time.monotonic() - started < 2) == ([], True)


def test_watch_ignores_its_own_output_folder(tmp_path, stop):
    from handoutkit.make.watch import watch

    root = build_project(tmp_path, decks=False)
    out = root / "handouts" / "preview"
    builds = []

    def rebuild():
        builds.append(build(BuildOptions(root=root, out=out)))
        stop.quiet_for(1.5)

    watch(root, rebuild, out=out, stop_event=stop)
    assert len(builds) == 1 and builds[0].built != []


def test_a_refused_render_removes_the_old_output_not_others(tmp_path, capsys):
    root = build_project(tmp_path)
    assert build(opts(root)).problems == []
    topic = root / "handouts" / "minimal.yaml"
    many = "".join("      - paragraph: Another plain paragraph about it.\n        cites: [src]\n" for _ in range(400))
    topic.write_text(topic.read_text().replace("        cites: [src]\n", "        cites: [src]\n" + many, 1))
    status = main(["build", "--root", str(root), "--edition", "patient"])
    err = capsys.readouterr().err
    assert status == 1 and "expected at most 2 pages" in err
    assert pdfs_on_disk(root) == [
        "handouts/minimal/minimal--clinician--a4.pdf",
        "handouts/minimal/minimal--clinician--letter.pdf",
    ]
    assert sorted(p for p in manifest_of(root) if p.endswith(".pdf")) == pdfs_on_disk(root)


def test_a_refused_gate_removes_the_outputs_whose_inputs_changed(tmp_path, capsys):
    root = build_project(tmp_path)
    assert build(opts(root)).problems == []
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(
        topic.read_text().replace(
            "        cites: [src]\n",
            "        cites: [src]\n      - paragraph: Clinicians read this uncited line.\n        for: [clinician]\n",
            1,
        )
    )
    with pytest.raises(ContentError, match="citations"):
        build(opts(root))
    assert "removed 5 outputs from" in capsys.readouterr().err  # 2 PDFs, their web page and the site's copies
    assert pdfs_on_disk(root) == [
        "handouts/minimal/minimal--patient--a4.pdf",
        "handouts/minimal/minimal--patient--letter.pdf",
    ]
    assert sorted(manifest_of(root)) == [
        "decks/minimal-students--update.apkg",
        "decks/minimal-students.apkg",
        *pdfs_on_disk(root),
    ]


def test_a_topic_that_no_longer_loads_takes_its_outputs_and_deck_out_of_dist(tmp_path, capsys):
    root = build_project(tmp_path, topics=2)
    assert build(opts(root)).problems == []
    topic = root / "handouts" / "minimal.yaml"
    topic.write_text(topic.read_text().replace("title: Minimal topic", "title: [Minimal topic"))
    assert main(["build", "--root", str(root)]) == 1
    assert (
        "removed 13 outputs from" in capsys.readouterr().err
    )  # 4 PDFs, the deck's 2 files; 2 pages, 4 copies, the catalog
    assert pdfs_on_disk(root) == [
        f"handouts/minimal-2/minimal-2--{e}--{p}.pdf" for e in ("clinician", "patient") for p in ("a4", "letter")
    ]
    assert sorted(manifest_of(root)) == pdfs_on_disk(root)  # the deck holds minimal: it went too


# ----- every OS error is a message; outputs are ordinary files ------------------------

import errno  # noqa: E402


@pytest.mark.parametrize(
    "out, message",
    [
        ("README.md", "--out {root}/README.md: expected a folder for the outputs, found a file"),
        (
            ".",
            "--out {root}: expected a folder apart from the project, found the project folder or one holding it; "
            "use dist/ or another folder of its own",
        ),
        (
            "..",
            "--out {parent}: expected a folder apart from the project, found the project folder or one holding it; "
            "use dist/ or another folder of its own",
        ),
        (
            "templates/out",
            "--out {root}/templates/out: expected a folder outside templates/, which holds the build's inputs",
        ),
    ],
)
def test_an_out_folder_that_cannot_be_one_is_a_usage_error(out, message, tmp_path, capsys):
    root = build_project(tmp_path, decks=False)
    (root / "README.md").write_text("# notes\n")
    assert main(["build", "--root", str(root), "--out", str(root / out)]) == 2
    expected = message.format(root=root, parent=root.parent)
    assert capsys.readouterr().err == f"build.py: error: {expected}\n"


@pytest.mark.parametrize(
    "code, what, advice",
    [
        (errno.EROFS, "Read-only file system", "build with --out in a folder you can write"),
        (errno.EACCES, "Permission denied", "build with --out in a folder you can write"),
        (errno.ENOSPC, "No space left on device", "free some space or build with --out on another disk"),
    ],
)
def test_a_machine_that_refuses_writes_gets_a_message_and_no_traceback(
    code, what, advice, tmp_path, capsys, monkeypatch
):
    from handoutkit.make import writer

    root = build_project(tmp_path, decks=False)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(writer.os, "fsync", refuse)  # the moment a full disk says so
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"build.py: error: cannot write {root / 'dist'}/")
    assert err[-1].endswith(f": {what}; {advice}")
    assert not list((root / "dist").rglob(f"*{writer.TEMP_SUFFIX}"))


def test_an_out_path_too_long_for_the_file_system_is_a_message(tmp_path, capsys):
    root = build_project(tmp_path, decks=False)
    out = root / ("x" * 300)
    assert main(["build", "--root", str(root), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"build.py: error: cannot write {out}: File name too long; use shorter ids or a shorter --out path\n"
    )


def test_a_build_run_as_a_program_into_a_file_exits_2_without_traceback(tmp_path):
    root = build_project(tmp_path, decks=False)
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--out", str(root / "editions.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, "Traceback" in result.stderr) == (2, False)


def test_outputs_are_readable_like_ordinary_files(tmp_path):
    root = build_project(tmp_path)
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root)],
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0o022),
        timeout=120,
    )
    files = [p for p in (root / "dist").rglob("*") if p.is_file() and p.name != ".build.lock"]
    assert len(files) == 7 + 7  # 4 PDFs, 2 deck files, the manifest; the site: the catalog, 2 pages, 4 copies
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o644"}


def test_the_temp_sweep_touches_only_files_this_program_names(tmp_path):
    from handoutkit.make.writer import TEMP_SUFFIX

    root = build_project(tmp_path, decks=False)
    out = root / "dist"
    (out / "handouts" / "minimal").mkdir(parents=True)
    mine = out / "handouts" / "minimal" / f".minimal--patient--a4.pdf.abc123{TEMP_SUFFIX}"
    theirs = [out / ".draft-notes.tmp", out / "handouts" / ".x.tmp"]
    for path in [mine, *theirs]:
        path.write_text("left behind")
    assert build(opts(root)).problems == []
    assert not mine.exists() and all(p.exists() for p in theirs)


def test_a_key_with_a_terminal_escape_is_quoted_on_one_line(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "handouts" / "x.yaml").write_text(MINIMAL.replace("id: minimal\n", 'id: x\n"colour\\e[31m": red\n'))
    status, err = check(root, capsys)
    assert status == 1
    assert err[0].startswith("handouts/x.yaml:2:1: colour\\x1b[31m: unknown field 'colour\\x1b[31m'; expected one of")
