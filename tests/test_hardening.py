"""Issue 12, hardening: a hostile or careless author, a flaky machine, a busy clinic.

Each class of failure has its cases here, most as one table: the exact message,
the exit status, no traceback, and nothing stale or leaked in the output folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
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
    f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    for prev, name in zip("abcdefgh", "bcdefghi")
)

LOADER_CASES = {
    "billion-laughs": (
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + LAUGHS,
        ["handouts/x.yaml:5:4: e[0]: expected aliases (*name) that repeat at most 10000 values in all, "
         "found more (aliases of aliases multiply); write the content out instead"],
    ),
    "recursive-alias": (
        "id: x\ntitle: &t [*t]\n",
        ["handouts/x.yaml:2:8: title[0]: expected content, found a recursive alias: this value contains itself"],
    ),
    "600-deep": (
        "id: x\ntitle: " + "[" * 600 + "]" * 600 + "\n",
        ["handouts/x.yaml:2:47: title[0][0][0][0][0][0][0][0][0][0][0]...: "
         "expected content nested at most 40 levels deep, found deeper nesting"],
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
        ["handouts/x.yaml:10:27: expected plain text, found U+0000 (NUL), a control character; "
         "delete it (write \\n in double quotes only if you mean a new line)"],
    ),
    "bidi-in-a-comment": (
        "# reads \u202eclean\n" + MINIMAL,
        ["handouts/x.yaml:1:9: expected plain text, found U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional "
         "control, which makes the file read differently from how it prints; delete it"],
    ),
    "raw-line-separator": (
        edited("title: Minimal topic", "title: Minimal\u2028topic"),
        ["handouts/x.yaml:2:15: expected plain text, found U+2028 (LINE SEPARATOR), a Unicode line or "
         "paragraph separator; use an ordinary line break"],
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
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith("4 problems found; nothing was built.\n")
    assert not (root / "dist").exists()


# ----- text as the reader sees it -----------------------------------------------------

TEXT_CASES = {
    "bidi-override-in-a-field": (
        edited("title: Minimal topic", 'title: "Get it checked \\u202etoday"'),
        ["handouts/x.yaml:2:8: title: expected text without bidirectional controls, found U+202E "
         "(RIGHT-TO-LEFT OVERRIDE) at character 16, which changes the order the reader sees; delete it"],
    ),
    "zero-width-only-summary": (
        edited("summary: A short main message.", 'summary: "\\u200b\\u200b\\u2060"'),
        ["handouts/x.yaml:5:10: summary: expected visible text, found only invisible characters: "
         "U+200B (ZERO WIDTH SPACE), U+2060 (WORD JOINER)"],
    ),
    "control-character": (
        edited("title: Minimal topic", 'title: "Minimal\\atopic"'),
        ["handouts/x.yaml:2:8: title: expected printable text, found the control character U+0007 (BELL) at "
         "character 8; delete it (a new line is a new item or paragraph)"],
    ),
    "escaped-line-separator": (
        edited("title: Minimal topic", 'title: "Minimal\\Ltopic"'),
        ["handouts/x.yaml:2:8: title: expected printable text, found the control character U+2028 (LINE SEPARATOR) "
         "at character 8; delete it (a new line is a new item or paragraph)"],
    ),
    "slug-with-trailing-newline": (
        edited("  - id: what-it-is", '  - id: "what-it-is\\n"'),
        ["handouts/x.yaml:7:9: sections[0].id: expected a slug of lower-case letters, digits and single hyphens "
         "(like 'who-gets-it'), found 'what-it-is\\n'"],
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
        ["handouts/x.yaml:16:15: sources[0].accessed: expected a date like 2026-01-31, found "
         "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"],
    ),
    "unclosed-cloze": (
        edited("sources:\n", "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and {{c2::rest', cites: [src]}\n"
               "sources:\n"),
        ["handouts/x.yaml:13:32: cards[0].text: expected the deletion '{{c2::rest' at character 24 to be closed with '}}'"],
    ),
    "malformed-cloze": (
        edited("sources:\n", "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and {{c::rest}}', cites: [src]}\n"
               "sources:\n"),
        ["handouts/x.yaml:13:32: cards[0].text: expected a deletion like {{c1::answer}}, found '{{c::rest}}' at character 24"],
    ),
    "stray-cloze-end": (
        edited("sources:\n", "cards:\n  - {id: c, type: cloze, text: 'Lost {{c1::range}} and rest}}', cites: [src]}\n"
               "sources:\n"),
        ["handouts/x.yaml:13:32: cards[0].text: expected '}}' only to close a deletion, found a stray one at character 28"],
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
    assert capsys.readouterr().err.splitlines()[0] == (
        f"handouts/{'a' * 300}.yaml:1:1: id: expected a topic id of at most 64 lower-case letters, digits and "
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

FIGURE_CASES = {
    "a-secret-file": (b"API_KEY=s3cret\n", "expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose "
                      "content is none of these ('../figures/pic')"),
    "text-named-like-a-png": (b"just text", "expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose "
                              "content is none of these ('../figures/pic')"),
    "truncated-png": (PNG_1X1[:12], "expected a whole PNG image, found one whose size cannot be read ('../figures/pic')"),
    "pixel-bomb-png": (PNG_1X1[:16] + (100_000).to_bytes(4, "big") * 2 + PNG_1X1[24:],
                       "expected an image of at most 25 million pixels, found 100000 x 100000 ('../figures/pic')"),
    "oversized-file": (PNG_1X1 + b"\0" * (5 * 1024 * 1024),
                       "expected an image file of at most 5 MiB, found 5.01 MiB ('../figures/pic')"),
    "svg-image-href-file": (
        b"<svg " + XLINK + b'><image xlink:href="file:///etc/passwd" width="9" height="9"/></svg>',
        "expected an SVG that reads no other file, found <image href=\"file:///etc/passwd\">; embed the picture or "
        "remove it ('../figures/pic')"),
    "svg-css-url": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(https://x.example/a.svg#p) }</style></svg>',
        "expected an SVG that reads no other file, found url(https://x.example/a.svg#p) in a <style> element "
        "('../figures/pic')"),
    "svg-css-import": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "/etc/x.css";</style></svg>',
        "expected an SVG that reads no other file, found @import in a <style> element ('../figures/pic')"),
    "svg-entities": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "expected an SVG without a DOCTYPE internal subset, found one (entities are refused) ('../figures/pic')"),
    "svg-stylesheet-instruction": (
        b'<?xml-stylesheet href="file:///etc/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "expected an SVG that reads no other file, found an <?xml-stylesheet?> instruction ('../figures/pic')"),
    "html-not-svg": (b"<html><body>hi</body></html>",
                     "expected an SVG image (an <svg> root element), found a <html> root ('../figures/pic')"),
    "broken-xml": (b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
                   "expected an SVG image, found a file that is not well-formed XML (mismatched tag at line 1) "
                   "('../figures/pic')"),
    "oversized-svg": (SVG.replace(b"</svg>", b"<!--" + b" " * 600_000 + b"--></svg>"),
                      "expected an SVG of at most 512 KiB, found 586 KiB; simplify it or save it as PNG ('../figures/pic')"),
    "svg-element-bomb": (SVG.replace(b"</svg>", b"<g/>" * 10_001 + b"</svg>"),
                         "expected an SVG of at most 10000 elements, found more; simplify it or save it as PNG "
                         "('../figures/pic')"),
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


@pytest.mark.parametrize("data", [PNG_1X1, SVG, b"\xef\xbb\xbf<?xml version='1.0'?>\n" + SVG,
                                  b"<svg " + XLINK + b'><use xlink:href="#a"/><image href="data:image/png;base64,AA=="/></svg>'])
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
    assert (status, err) == (1, [
        "brands/default.yaml:4:7: logo: expected a PNG, JPEG, GIF, WebP or SVG image, found a file whose content "
        "is none of these ('../.env')", "1 problem found."])
