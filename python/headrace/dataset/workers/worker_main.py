"""The loop a worker process runs: take a block of rows, call the function on each row,
send the block's results back in one message.

Messages on the worker's connection:
  pipeline -> worker: ("block", [row, ...]) where a row is a tuple of arguments; None to end.
  worker -> pipeline: one list per block: a reply per row, in order, each ("ok", encoded
                      result) or ("error", pickled exception or None, exception type name,
                      message, formatted traceback). An error is the list's last reply:
                      the rows after it are not run, since the pipeline stops at it.

One message per block, not per row: each message costs the pipeline process a wake-up, a
wait on three fds and a read, tens of microseconds of its CPU per row that it takes from
the workers on a machine with as many cores as workers (with 1 ms rows on 2 cores, 8% of
the pipeline's speed). The pipeline holds a block's results together anyway.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import random
import signal
import traceback
from typing import Any, Callable, Sequence

import numpy as np

from headrace.dataset.workers import transport

_PR_SET_PDEATHSIG = 1

# How often a waiting worker checks that its pipeline process still lives.
_PARENT_CHECK_SECONDS = 0.5


def _die_with_parent(parent_pid: int, started_by_main_thread: bool) -> None:
    # PR_SET_PDEATHSIG kills this process when the *thread* that started it ends, so it
    # is used only when that thread was the main one (its end is the process's end). In
    # every case the wait for work below also notices a new parent.
    if started_by_main_thread:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before this point
        os._exit(1)


def _next_message(connection: Any, parent_pid: int) -> Any:
    """The next message, or None when the pipeline ends or its process is gone."""
    try:
        while not connection.poll(_PARENT_CHECK_SECONDS):
            if os.getppid() != parent_pid:
                return None
        return connection.recv()
    except (EOFError, OSError):
        return None


def _error_message(error: BaseException) -> tuple:
    try:
        payload = pickle.dumps(error, protocol=5)
        pickle.loads(payload)  # some exceptions pickle but do not unpickle
    except Exception:
        payload = None
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return ("error", payload, type(error).__qualname__, str(error), text)


def _seed_random(seed: int) -> None:
    # A forked worker would otherwise draw the same NumPy numbers as its siblings (the
    # state is copied), so random augmentations would repeat across workers. As MindSpore
    # does, worker i starts from the pipeline seed + i.
    random.seed(seed)
    np.random.seed(seed % 2**32)


def worker_main(connection: Any, function: Callable, store: Any, store_fd: Any,
                parent_pid: int, started_by_main_thread: bool, close_fds: Sequence[int],
                seed: int) -> None:
    """Runs in the worker process until the pipeline sends None or goes away."""
    # What a fork inherited is the parent's: never collect it here (see pool.py), then
    # collect what this process makes as usual.
    gc.freeze()
    gc.enable()
    _die_with_parent(parent_pid, started_by_main_thread)
    # Ctrl-C is the pipeline's to handle; it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in close_fds:  # pipeline ends inherited through fork (pool.py)
        try:
            os.close(fd)
        except OSError:
            pass
    _seed_random(seed)
    if store is None:  # spawn: attach to the store through the fd passed along
        from headrace._core import memory as _memory
        store = _memory.SharedStore.attach(store_fd)
        os.close(store_fd)  # attach keeps its own
    while True:
        message = _next_message(connection, parent_pid)
        if message is None:
            return
        _, rows = message
        replies = []
        for row in rows:
            try:
                replies.append(("ok", transport.encode(function(*row), store)))
            except BaseException as error:  # noqa: B902 - every failure goes back to the pipeline
                replies.append(_error_message(error))
                break
        del rows, message
        try:
            connection.send(replies)
        except (EOFError, OSError):
            for reply in replies:
                if reply[0] == "ok":
                    transport.discard(reply[1][1], store)
            return
        del replies
