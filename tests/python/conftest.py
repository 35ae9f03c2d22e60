"""Shared fixtures: every test checks that it left no engine thread behind."""

from __future__ import annotations

import gc
import time

import pytest


def os_thread_count() -> int:
    """Threads of this process as the kernel counts them (engine threads included)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads: line in /proc/self/status")


@pytest.fixture
def no_leaked_threads():
    """Fails the test if it ends with more OS threads than it started with."""
    gc.collect()
    before = os_thread_count()
    yield
    gc.collect()
    # A stopped tree joins its threads before stop() returns; allow the kernel a moment
    # to drop the exited threads from the count.
    deadline = time.monotonic() + 2
    while os_thread_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert os_thread_count() <= before, "engine threads were left running"
