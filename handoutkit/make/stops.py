"""Clean stops: Ctrl-C and SIGTERM end a build with a message and the usual
status (130, 143), and no worker outlives the build.

- The parent turns SIGTERM into an exception (Terminated), so the same `finally`
  blocks as for Ctrl-C run: the manifest is written, the lock released, the
  workers stopped.
- Workers ignore SIGINT from the start (Ctrl-C reaches the whole foreground process
  group, and each worker would print its own traceback): the parent stops them.
- Each worker asks Linux to kill it when its parent dies (prctl PR_SET_PDEATHSIG),
  so a SIGKILLed build leaves no worker holding the CI step's stdout open; one still
  starting then finds its parent gone in its initializer, and ends there.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived; raised in the main thread so cleanup runs as for Ctrl-C."""


TERMINATED = threading.Event()  # SIGTERM arrived: watchfiles turns what a handler raises into KeyboardInterrupt


def raise_terminated(signum, frame) -> None:
    TERMINATED.set()
    raise Terminated()


def interrupted() -> BaseException:
    """What a wait in watchfiles that ended on a signal must raise: watchfiles says KeyboardInterrupt for any."""
    return Terminated() if TERMINATED.is_set() else KeyboardInterrupt()


@contextmanager
def parent_signals():
    """While the command runs: SIGTERM becomes Terminated (SIGINT is already KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def die_with_parent(parent_pid: int) -> None:
    """In a worker: killed when the parent dies, and deaf to Ctrl-C (the parent stops workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


class sigint_blocked:
    """While workers are spawned: a Ctrl-C waits (blocked in this thread), and the workers start deaf to it.

    A spawned process does not keep the signal mask (subprocess clears it) but keeps an ignored
    signal, and Python sets no KeyboardInterrupt handler for a SIGINT it starts with ignored: so
    SIGINT is ignored while a worker is spawned, and the worker is deaf to Ctrl-C from its first
    instruction, not from its initializer on (a Ctrl-C during its start-up printed a traceback).
    A Ctrl-C for this process stays pending until the handler is back (only a thread that does
    not block it, such as serve's server, could drop it then: the watch's parent repeats it).
    """

    def __enter__(self):
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        self.handler = None
        if threading.current_thread() is threading.main_thread() and signal.SIGINT not in signal.sigpending():
            handler = signal.getsignal(signal.SIGINT)
            if handler is not None:  # None: set outside Python, it could not be put back
                self.handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        return self

    def __exit__(self, *_):
        if self.handler is not None:
            signal.signal(signal.SIGINT, self.handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


def unblock_sigint() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1
