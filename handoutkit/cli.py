"""The command line: parse, run, exit code. Nothing else lives here.

Exit codes: 0 ok, 1 content error (or a build already running), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .errors import ContentError, OutputError, UsageError, printable, quote
from .make.lock import BuildLocked
from .make.stops import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated, parent_signals

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "report", "review-sheet", "approve", "schema", "watch", "serve", "new")


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
    watch = commands.add_parser("watch", parents=[common], help="build, then rebuild what changed on every save")
    add_build_options(watch)
    serve = commands.add_parser(
        "serve", parents=[common], help="build, serve the web pages on this machine, and reload them on every save"
    )
    add_build_options(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)"
    )
    serve.add_argument("--port", type=port_number, default=8000, help="port (default: %(default)s; 0: any free port)")
    check = commands.add_parser("check", parents=[common], help="validate every file and run the quality gates")
    check.add_argument("--strict", action="store_true", help="treat quality warnings as errors")
    check.add_argument("--release", action="store_true", help="also refuse drafts and a sample brand")
    check.add_argument("--brand", type=Path, help="clinic branding file (default: brands/default.yaml)")
    report = commands.add_parser("report", parents=[common], help="print the quality table of every edition")
    report.add_argument("--out", type=Path, help="the build folder whose page counts to show (default: dist/)")
    sheet = commands.add_parser(
        "review-sheet", parents=[common], help="write a PEMAT-P and CDC rating sheet of a topic for a human reviewer"
    )
    sheet.add_argument("topic_id", metavar="TOPIC-ID", help="the topic to rate")
    sheet.add_argument("--out", type=Path, help="output folder (default: dist/); the sheet goes in review-sheets/")
    sheet.add_argument(
        "--clinical",
        action="store_true",
        help="the clinical sheet instead: every claim, its wording per edition and its quotes",
    )
    approve = commands.add_parser(
        "approve",
        parents=[common],
        help="record a clinician's approval of a topic's text as it is now (approvals/TOPIC.json)",
    )
    approve.add_argument("topic_id", metavar="TOPIC-ID", help="the topic the clinician approved")
    approve.add_argument(
        "--reviewer", required=True, help='who approved it, as the pages should say ("Dr A Ortiz, PM&R")'
    )
    commands.add_parser("schema", parents=[common], help="print the JSON Schema of the handout format")
    new = commands.add_parser("new", parents=[common], help="start a new topic file that passes check")
    new.add_argument("topic_id", metavar="TOPIC-ID", help="the new topic's id, e.g. pressure-injuries")
    return parser


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", help="only this topic id (repeatable)")
    parser.add_argument("--edition", action="append", help="only this edition id (repeatable)")
    parser.add_argument("--paper", action="append", choices=["letter", "a4", "id-1"], help="only this paper size")
    parser.add_argument("--brand", type=Path, help="clinic branding file (default: brands/default.yaml)")
    parser.add_argument("--out", type=Path, help="output folder (default: dist/)")
    parser.add_argument("--jobs", type=positive_int, help="worker processes (default: one per core)")
    parser.add_argument("--force", action="store_true", help="rebuild everything, even what is up to date")
    parser.add_argument(
        "--shard",
        type=shard,
        default=(1, 1),
        metavar="I/N",
        help="build only the I-th of N disjoint parts (for a CI matrix)",
    )
    parser.add_argument("--strict", action="store_true", help="treat quality warnings as errors")
    parser.add_argument(
        "--release", action="store_true", help="the build that prints for patients: refuse drafts and a sample brand"
    )


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, found '{text}'")
    return int(text)


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, found '{text}'")
    return int(text)


def shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"expected I/N with 1 <= I <= N, like 2/4, found '{text}'")
    return int(index), int(count)


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not any(a in COMMANDS or a in ("-h", "--help") for a in argv):
        argv = ["build", *argv]  # `build.py --topic x` means `build.py build --topic x`
    args = make_parser(root or Path.cwd()).parse_args(argv)
    args.argv = argv  # watch runs this command again in a child process (make/supervise.py)
    try:
        with parent_signals():
            return run(args)
    except ContentError as exc:
        print_problems(exc, builds=args.command in (None, "build", "watch", "serve"))
        return EXIT_CONTENT
    except BuildLocked as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:  # it may echo what was typed: printed inert, on one line
        print(f"build.py: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Interrupted; earlier outputs are intact.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("Stopped (SIGTERM); earlier outputs are intact.", file=sys.stderr)
        return EXIT_TERMINATED
    except OSError as exc:  # the machine, not the content: a message, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"build.py: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OutputError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT


def run(args: argparse.Namespace) -> int:
    check_brand_argument(getattr(args, "brand", None))
    if args.command == "schema":
        from .content.schema import handout_schema_json

        sys.stdout.write(handout_schema_json())
        return EXIT_OK
    if args.command == "check":
        from .make.report import run_check

        return run_check(args.root, args.strict, args.release, args.brand.resolve() if args.brand else None)
    if args.command == "report":
        from .make.report import run_report

        return run_report(args.root, args.out)
    if args.command == "review-sheet":
        from .make.report import run_review_sheet

        return run_review_sheet(args.root, args.topic_id, args.out, args.clinical)
    if args.command == "approve":
        from .make.report import run_approve

        return run_approve(args.root, args.topic_id, args.reviewer)
    if args.command == "new":
        from .scaffold import scaffold_topic

        path = scaffold_topic(args.root.resolve(), args.topic_id, dt.date.today())
        print(f"created {path}; rewrite its placeholder lines, then run: python build.py check")
        return EXIT_OK
    from .make.uptodate import BuildOptions, noop_report

    options = BuildOptions.from_args(args)
    if args.command in ("watch", "serve"):
        from .make.supervise import child_command, follow_parent, is_child, supervise

        if not is_child():  # the parent starts the watch again whenever the program's code changes
            return supervise(child_command(args.argv, options.root))
        follow_parent()
    if args.command == "watch":
        return watch_warm(options)
    if args.command == "serve":
        from .web.preview import run_serve

        return run_serve(options, args.host, args.port)
    noop = noop_report(options)  # nothing changed: answered before the pipeline (pydantic, gates) is imported
    if noop is not None:
        print(noop.summary())
        return EXIT_OK
    from .make.pipeline import run_build

    return run_build(options)


PATH_LIMIT = 200  # a path is worth more of the line than a quoted value, still one line


def check_brand_argument(brand: Path | None) -> None:
    """A mistyped --brand is a usage error before anything runs: a missing brand is no reason to withdraw outputs."""
    if brand is None:
        return
    try:
        found = None if brand.is_file() else "a folder" if brand.is_dir() else "nothing"
    except OSError as exc:  # a name too long for the system, say
        found = f"a path the system refuses ({exc.strerror})"
    if found:
        raise UsageError(f"--brand {quote(brand, PATH_LIMIT)}: expected a brand file (YAML), found {found}")


def watch_warm(options, warm=None, rebuild=None) -> int:
    """`watch`: the renderers, topics and gate results stay warm between saves (make/warm.py).

    `serve` runs the same loop with its own state and rebuild (web/preview.py).
    """
    from .make.warm import WarmState, code_files
    from .make.watch import watch

    warm = warm or WarmState(options)
    try:
        watch(
            options.root,
            rebuild or (lambda: rebuild_quietly(options, warm)),
            brand_file=options.brand,
            out=options.out,
            also=code_files(),
            on_change=warm.saw,
        )
    finally:
        warm.close()
    return EXIT_OK


def rebuild_quietly(options, warm=None) -> None:
    """In watch mode a content error is reported and watching goes on (watch.attempt: any other error too)."""
    from .make.pipeline import run_build

    try:
        run_build(options, warm)
    except ContentError as exc:
        print_problems(exc)
    if warm is not None:
        warm.ready()


def print_problems(exc: ContentError, builds: bool = True) -> None:
    for problem in exc.problems:
        print(exc.line(problem), file=sys.stderr)
    count = len(exc.problems)
    tail = "; nothing was built." if builds else "."
    print(f"{count} problem{'s' if count != 1 else ''} found{tail}", file=sys.stderr)
