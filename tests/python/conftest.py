"""Shared fixtures and helpers: what a test leaves behind (threads, processes, shared
memory) is checked here, the same way for every test that asks."""

from __future__ import annotations

import gc
import os
import time
from typing import Callable, List, Set, Tuple

import pytest

# The repository, and tests/data: files written by MindSpore and TensorFlow that the
# readers are held to. Tests sit one folder below this file, by area.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.path.join(REPO_ROOT, "tests", "data")


def os_thread_count() -> int:
    """Threads of this process as the kernel counts them (engine threads included)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads: line in /proc/self/status")


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Polls `condition` until it holds or `seconds` pass; returns its last value."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def process_gone(pid: int) -> bool:
    """True once `pid` has exited (a zombie that nobody reaped counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def child_pids() -> Set[int]:
    """Live child processes of this process, leaving out multiprocessing's resource
    tracker (Python starts one per interpreter for 'spawn' and keeps it until exit)."""
    pids = set()
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                tracker = b"resource_tracker" in cmdline.read()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z" and not tracker:
            pids.add(int(entry))
    return pids


def shared_memory_in_use() -> Set[str]:
    """headrace segments this process still holds, open or mapped. They are unlinked at
    once, so /dev/shm never lists them: only /proc/self tells."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "/headrace-" in target:
            found.add(target)
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "/headrace-" in line:
                found.add(line.split(None, 5)[-1].strip())
    return found


def shared_memory_ranges() -> List[Tuple[int, int]]:
    """(start, end) addresses of every headrace segment mapped into this process."""
    ranges = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "/headrace-" in line:
                start, end = line.split(None, 1)[0].split("-")
                ranges.append((int(start, 16), int(end, 16)))
    return ranges


def in_shared_memory(array) -> bool:
    """True if all of `array`'s bytes lie in a mapped headrace segment (no copy was made)."""
    start = array.__array_interface__["data"][0]
    end = start + array.nbytes
    return any(low <= start and end <= high for low, high in shared_memory_ranges())


@pytest.fixture
def no_leaked_threads():
    """Fails the test if it ends with more OS threads than it started with."""
    from headrace._core import engine

    gc.collect()
    before, states_before = os_thread_count(), engine.python_thread_states()
    yield
    gc.collect()
    # A stopped tree joins its threads before stop() returns; allow the kernel a moment
    # to drop the exited threads from the count.
    wait_until(lambda: os_thread_count() <= before, 2)
    assert os_thread_count() <= before, "engine threads were left running"
    # An engine thread keeps its Python thread state while it runs and deletes it as it ends.
    assert engine.python_thread_states() <= states_before, "Python thread states were left behind"


@pytest.fixture
def nothing_left_behind(no_leaked_threads):
    """Fails the test if it leaves a thread, a worker process or a shared-memory segment."""
    children, segments = child_pids(), shared_memory_in_use()
    yield
    gc.collect()
    wait_until(lambda: not (child_pids() - children), 3)
    assert child_pids() - children == set(), "worker processes were left running"
    assert shared_memory_in_use() - segments == set(), "shared-memory segments were left behind"


def _image_resampling(mode):
    from headrace.dataset import config

    previous = config.get_image_resampling()
    config.set_image_resampling(mode)
    yield
    config.set_image_resampling(previous)


@pytest.fixture
def pillow_resampling():
    """The vision transforms made during the test use Pillow's kernels
    (config.set_image_resampling("pillow")); the mode before is restored after."""
    yield from _image_resampling("pillow")


@pytest.fixture
def mindspore_resampling():
    """The vision transforms made during the test use MindSpore's kernels (the default,
    set explicitly so that no earlier test's setting leaks in); restored after."""
    yield from _image_resampling("mindspore")
