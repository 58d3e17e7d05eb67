"""Fixtures shared by the test files."""

from __future__ import annotations

import threading

import pytest


class Stop(threading.Event):
    """watch's stop_event in a test: set `seconds` after the last call of quiet_for (each rebuild calls it),
    so a test sees every rebuild a change sets off, and that no other follows."""

    def __init__(self):
        super().__init__()
        self.timer: threading.Timer | None = None

    def quiet_for(self, seconds: float = 1.5) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(seconds, self.set)
        self.timer.daemon = True
        self.timer.start()


@pytest.fixture
def stop():
    event = Stop()
    event.quiet_for(120)  # a watch that never settles ends the test all the same
    yield event
    if event.timer is not None:
        event.timer.cancel()
