"""The parent of `watch` and `serve`: it runs the watch in a child and starts a new one when the code changes.

The modules a process runs cannot be reloaded safely, so a change to the program's
code ends the child (exit status RESTART_STATUS: it watches the code with the
content, and stops between builds) and the parent, which runs no changed code,
starts another once every code file compiles: a half-saved file is reported as
`path:line:col` and waited out, not a traceback that ends the watch. A child that
fails after a code change (an import error) is waited out the same way. The parent
hears of code changes from watchfiles too (make/watch.py's Events). The parent is the
subreaper of everything the children start and reaps it, so no restart leaves a
zombie; the child dies with the parent.

watchfiles.run_process is not used: it restarts on any change without waiting for the
code to compile, ends only on a signal (a child's usage error would not end the watch),
reports SIGTERM as Ctrl-C, and reaps no orphans.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .keys import PACKAGE_DIR
from .stops import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated
from .watch import Events

CHILD_ENV = "HANDOUTKIT_WATCH_PARENT"  # set in the child: the parent's pid
RESTART_STATUS = 75  # the child's exit status when the program's code changed (EX_TEMPFAIL)
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36  # <linux/prctl.h>
STOP_SECONDS = 10  # how long a stopping child may take to write its manifest and stop its workers
ORPHAN_SECONDS = 5  # how long the parent, stopping, waits for the last orphans to end


def code_files() -> list[Path]:
    """The program's own code: a change starts a new watch, it cannot be reloaded in place."""
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def is_child() -> bool:
    return CHILD_ENV in os.environ


def follow_parent() -> None:
    """In the child: stop (as on SIGTERM: manifest written, workers stopped) when the parent dies."""
    parent = int(os.environ.get(CHILD_ENV) or 0)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if parent and os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(EXIT_TERMINATED)


def child_command(argv: list[str], root: Path) -> list[str]:
    """This command again, as a child process that runs the watch itself, from this very package
    (first on its path: the current folder may hold another copy)."""
    program = (
        f"import sys; sys.path.insert(0, {str(PACKAGE_DIR.parent)!r}); "
        "from handoutkit.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return [sys.executable, "-c", program, *argv, "--root", str(root)]


def code_folders() -> list[Path]:
    return [PACKAGE_DIR, *(p for p in PACKAGE_DIR.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)]


def is_code(change, path: str) -> bool:
    return path.endswith(".py")


def supervise(command: list[str], interval: float = 0.5) -> int:
    """Run the watch in a child; a new child each time the code changes, once the code compiles.

    The first child's own exit status ends the watch (a usage error, Ctrl-C). A child
    started after a code change that fails is the code's doing: the parent waits for the
    next change and starts another. The parent reaps every child and orphan, so no
    restart leaves a zombie behind.
    """
    become_subreaper()
    env = dict(os.environ, **{CHILD_ENV: str(os.getpid())})
    restarted = False
    try:
        with Events(code_folders(), keep=is_code) as code:  # armed before the first child: no change falls between
            while True:
                if restarted:
                    code.drain()  # the new child starts on the code as it is now
                status = run_child(command, env, interval)
                if status != RESTART_STATUS and not (restarted and status not in (EXIT_INTERRUPTED, EXIT_TERMINATED)):
                    return status
                if status != RESTART_STATUS:
                    print(
                        f"watch stopped (exit status {status}) after a change to the program's code; "
                        "it starts again when the code changes",
                        file=sys.stderr,
                        flush=True,
                    )
                    wait_for_code_change(code)
                wait_until_compiles(code)
                restarted = True
    finally:
        reap_orphans(wait=ORPHAN_SECONDS)


def run_child(command: list[str], env: dict, interval: float) -> int:
    child = subprocess.Popen(command, env=env)
    try:
        while True:
            try:
                status = child.wait(timeout=interval)
                break
            except subprocess.TimeoutExpired:
                reap_orphans(keep=child.pid)
    except KeyboardInterrupt:  # the child had Ctrl-C too (the terminal's process group): it stops itself
        stop_child(child, signal.SIGINT, heard=True)
        return EXIT_INTERRUPTED  # the child has said so; the parent adds nothing
    except Terminated:
        stop_child(child, signal.SIGTERM)
        return EXIT_TERMINATED
    except BaseException:
        stop_child(child, signal.SIGTERM)
        raise
    finally:
        reap_orphans(keep=child.pid if child.returncode is None else None)
    return status if status >= 0 else 128 - status


def stop_child(child: subprocess.Popen, sig: int, heard: bool = False) -> None:
    """Let the child finish its own stop; tell it once if it has not heard; kill it only if it hangs."""
    steps = ((None, 2),) if heard else ()
    for step, wait in (*steps, (sig, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
        if step is not None and child.poll() is None:
            child.send_signal(step)
        try:
            child.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # a second Ctrl-C: stop now
            child.kill()
            child.wait()
            return


def wait_for_code_change(code: Events) -> None:
    """Until a code file is saved (one since the last drain counts); orphans are reaped meanwhile."""
    while not code.wait():
        reap_orphans()
    code.follow(code_folders())  # a new subpackage's folder


def wait_until_compiles(code: Events) -> None:
    """A file saved half-way does not compile: say where, and wait for the next save."""
    told = None
    while (problem := syntax_problem()) is not None:
        if problem != told:  # an editor's save can be two changes: say each problem once
            print(f"{problem}; watch starts again when the code compiles", file=sys.stderr, flush=True)
            told = problem
        wait_for_code_change(code)


def syntax_problem() -> str | None:
    """`path:line:col: what` for the first code file that does not compile, else None."""
    for path in code_files():
        name = str(path)
        try:
            compile(path.read_bytes(), name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            shown = path.relative_to(PACKAGE_DIR.parent).as_posix() if path.is_relative_to(PACKAGE_DIR.parent) else name
            return f"{shown}:{exc.lineno or 1}:{exc.offset or 1}: expected Python code that compiles, found {exc.msg}"
        except (OSError, ValueError):
            continue  # gone since the listing, or a NUL byte mid-save: the next change says
    return None


def become_subreaper() -> None:
    """Orphans of a child (multiprocessing's resource tracker) come back to this process to be reaped."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def reap_orphans(keep: int | None = None, wait: float = 0) -> None:
    """Collect every finished child but `keep` (the running watch, which Popen waits for itself).

    With `wait`, go on collecting for up to that long while children remain: a stopped watch's
    orphans (its resource tracker) end just after it, and would outlive a parent that did not
    wait for them as zombies of whatever init the machine has.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return  # no children left
        if info is not None and info.si_pid != keep:
            try:
                os.waitpid(info.si_pid, 0)
            except ChildProcessError:
                return
            continue
        if time.monotonic() >= deadline:
            return
        time.sleep(0.05)
