"""The command line: parse, run, exit code. Nothing else lives here.

Exit codes: 0 ok, 1 content error, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser(root: Path) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=root, help="project folder (default: %(default)s)")
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build plain-language handouts (PDF) and Anki decks from the topics in handouts/.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", parents=[common], help="build every edition and deck into dist/ (the default)")
    add_build_options(build)
    commands.add_parser("check", parents=[common], help="validate every file; print reading levels per edition")
    commands.add_parser("schema", parents=[common], help="print the JSON Schema of the handout format")
    return parser


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", help="only this topic id (repeatable)")
    parser.add_argument("--edition", action="append", help="only this edition id (repeatable)")
    parser.add_argument("--paper", action="append", choices=["letter", "a4"], help="only this paper size")
    parser.add_argument("--brand", type=Path, help="clinic branding file (default: brands/default.yaml)")
    parser.add_argument("--out", type=Path, help="output folder (default: dist/)")


COMMANDS = ("build", "check", "schema")


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not any(a in COMMANDS or a in ("-h", "--help") for a in argv):
        argv = ["build", *argv]  # `build.py --topic x` means `build.py build --topic x`
    args = make_parser(root or Path.cwd()).parse_args(argv)
    command = args.command or "build"
    try:
        if command == "schema":
            from .schema import handout_schema_json

            sys.stdout.write(handout_schema_json())
            return EXIT_OK
        if command == "check":
            from .report import run_check

            return run_check(args.root)
        from .pipeline import BuildOptions, run_build

        return run_build(BuildOptions.from_args(args))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Interrupted; earlier outputs are intact.", file=sys.stderr)
        return 130
