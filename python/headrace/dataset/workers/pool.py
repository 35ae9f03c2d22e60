"""WorkerPool: a pool of worker processes running one Python function for a pipeline.

The op that owns the pool (a map, a batch with per_batch_map, or the map that reads a
GeneratorDataset by index) calls ``run_block(rows, cancel_fd)`` from each of its worker
threads; a batch sends one row, (batch_num, epoch_num, *columns), per call. Each call
takes an idle worker process (there are as many as threads), sends it the whole block and
waits for the block's results, which the process sends in one message (worker_main.py says
why). The thread waits
without the GIL on three things at once: the connection, the process's sentinel (so a
worker that dies is noticed at once) and the op's cancel pipe (so stopping the pipeline
wakes it). The results of a block whose wait was cancelled or failed are read and dropped
before that worker gets its next block.

Results come back through a shared-memory store that the pool creates (transport.py).
Worker i seeds Python's and NumPy's global random generators with the pipeline seed + i.
Which worker takes which block depends on timing, so what Python code draws from them
can differ between runs (as with threads, which share one generator).
Processes start with ``config.get_multiprocessing_start_method()``: 'fork' (the default,
as in MindSpore; lambdas and local functions work) or 'spawn' (the function must be
picklable). close() ends the processes; the pipeline calls it when it stops. Only the
process that made the pool uses or closes it: a forked child that inherits the object
leaves it alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import select
import signal
import threading
import time
import weakref
from multiprocessing import reduction
from typing import Any, Callable, List, NoReturn, Optional

from headrace._core import engine as _engine
from headrace._core import memory as _memory
from headrace.dataset import config
from headrace.dataset.workers import transport
from headrace.dataset.workers.worker_main import worker_main
from headrace.errors import AbortedError, CancelledError, InvalidArgumentError

__all__ = ["WorkerPool", "start_pool"]

# How long close() lets idle workers end by themselves before killing them.
_CLOSE_GRACE_SECONDS = 1.0


def _how_it_ended(process: Any) -> str:
    code = process.exitcode
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}"
    return f"exited with code {code}"


class _FdForChild:
    """An fd for a 'spawn' child. It is turned into multiprocessing's DupFd only while the
    child is being started, so the fd travels with the child's other fds; made earlier,
    DupFd would start multiprocessing's resource-sharer thread, which never ends."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self):
        return (_fd_in_child, (reduction.DupFd(self.fd),))


def _fd_in_child(handle: Any) -> int:
    return handle.detach()


class _Worker:
    def __init__(self, index: int, process: Any, connection: Any) -> None:
        self.index = index
        self.process = process
        self.connection = connection
        # Blocks sent whose results have not been read (see the module docstring).
        self.owed = 0
        self._poll: Any = None
        self._poll_cancel_fd = -1

    def wait(self, cancel_fd: int) -> "set[int]":
        """Waits without the GIL until the connection has a message, the process has ended
        or `cancel_fd` is signalled; returns the fds that are ready. One poll object per
        worker, made once: building a selector for every wait cost tens of microseconds."""
        if self._poll is None or self._poll_cancel_fd != cancel_fd:
            self._poll = select.poll()
            for fd in (self.connection.fileno(), self.process.sentinel, cancel_fd):
                self._poll.register(fd, select.POLLIN)
            self._poll_cancel_fd = cancel_fd
        return {fd for fd, _ in self._poll.poll()}

    def describe(self) -> str:
        return f"worker process {self.index} (pid {self.process.pid})"


# Pools of this process that are not closed: a forked worker closes their pipeline ends.
_open_pools: "weakref.WeakSet[WorkerPool]" = weakref.WeakSet()


def _pipeline_only_fds() -> List[int]:
    """Fds a forked worker must not keep: the pipeline ends of every pool's connections
    and every op's cancel pipe. Held open in a worker, they would outlive their pipeline
    (close-on-exec does nothing for a fork alone)."""
    fds = list(_engine.cancel_pipe_fds())
    for pool in list(_open_pools):
        fds += [worker.connection.fileno() for worker in pool._workers
                if not worker.connection.closed]
    return fds


def start_pool(function: Callable, num_workers: int, name: str, context: Any) -> "WorkerPool":
    """A pool as the settings in `config` say, closed with the pipeline that `context`
    (a BuildContext) builds. `name` says what runs, for process names and errors
    ("map function 'f'")."""
    return context.own(WorkerPool(function, num_workers, name,
                                  config.get_multiprocessing_start_method(),
                                  config.worker_store_bytes(), config.get_seed()))


class WorkerPool:
    """`num_workers` processes that run `function(*row)` for every row of a block."""

    def __init__(self, function: Callable, num_workers: int, name: str,
                 start_method: str, store_bytes: int, seed: int) -> None:
        self.name = name
        self._owner_pid = os.getpid()
        self._closed = False
        self._lock = threading.Lock()
        self._store: Optional[_memory.SharedStore] = _memory.SharedStore.create(store_bytes)
        self._idle: "queue.SimpleQueue[_Worker]" = queue.SimpleQueue()
        self._workers: List[_Worker] = []
        _open_pools.add(self)
        context = multiprocessing.get_context(start_method)
        try:
            for index in range(num_workers):
                self._start_worker(context, start_method, function, index, seed + index)
        except BaseException:
            self.close()
            raise

    def _start_worker(self, context: Any, start_method: str, function: Callable,
                      index: int, seed: int) -> None:
        ours, theirs = context.Pipe(duplex=True)
        if start_method == "fork":
            # The child inherits the mapping itself, and every fd that only a pipeline
            # should hold, which it closes (numbers mean nothing in a spawned child).
            store, store_fd = self._store, None
            inherited = _pipeline_only_fds() + [ours.fileno()]
        else:
            assert self._store is not None  # only close() drops it
            store, store_fd, inherited = None, _FdForChild(self._store.fd), []
        process = context.Process(
            target=worker_main, name=f"headrace worker {index} of {self.name}", daemon=True,
            args=(theirs, function, store, store_fd, os.getpid(),
                  threading.current_thread() is threading.main_thread(), inherited, seed))
        # A forked child must not collect the parent's garbage: a cycle holding an
        # iterator would stop a tree whose threads exist only in the parent. The child
        # starts with the collector off and freezes what it inherited (worker_main).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            process.start()
        except (pickle.PicklingError, AttributeError, TypeError) as error:
            ours.close()
            raise InvalidArgumentError(
                f"{self.name} cannot be sent to '{start_method}' worker processes ({error}); "
                "define it at module level, or use "
                "config.set_multiprocessing_start_method('fork')") from error
        finally:
            if was_enabled:
                gc.enable()
            theirs.close()
        worker = _Worker(index, process, ours)
        self._workers.append(worker)
        self._idle.put(worker)

    # -- called by the map op's threads (pipeline side) ------------------------------

    def run_block(self, rows: List[tuple], cancel_fd: int) -> List[Any]:
        """The function's result for every row, in order. Raises the function's own
        exception, CancelledError when the op is cancelled, AbortedError naming the worker
        when a worker process dies."""
        worker = self._idle.get()
        try:
            self._settle(worker, cancel_fd)
            try:
                worker.connection.send(("block", rows))
            except OSError:  # it died while idle
                self._raise_died(worker)
            worker.owed = 1
            return self._results(self._receive(worker, cancel_fd))
        finally:
            self._idle.put(worker)

    def _settle(self, worker: _Worker, cancel_fd: int) -> None:
        while worker.owed:
            self._discard(self._receive(worker, cancel_fd))

    def _discard(self, replies: List[tuple]) -> None:
        for reply in replies:
            if reply[0] == "ok":
                transport.discard(reply[1][1], self._store)

    def _results(self, replies: List[tuple]) -> List[Any]:
        """The decoded results of a block's replies; raises the error that ends them. The
        blocks of results not decoded are freed."""
        results = []
        for position, reply in enumerate(replies):
            if reply[0] != "ok":
                self._raise_remote(reply)
            try:
                results.append(transport.decode(reply[1], self._store))
            except BaseException:
                self._discard(replies[position + 1:])
                raise
        return results

    @staticmethod
    def _raise_remote(reply: tuple) -> NoReturn:
        _, payload, type_name, message, text = reply
        error = pickle.loads(payload) if payload is not None else None
        if error is None:
            error = RuntimeError(f"{type_name}: {message}")
        error.__cause__ = _RemoteTraceback(text)
        raise error

    def _receive(self, worker: _Worker, cancel_fd: int) -> List[tuple]:
        if self._closed:
            raise CancelledError(f"the worker pool of {self.name} is closed")
        ready = worker.wait(cancel_fd)
        if worker.connection.fileno() in ready:
            try:
                reply = worker.connection.recv()
            except (EOFError, OSError):
                self._raise_died(worker)
            worker.owed -= 1
            return reply
        if worker.process.sentinel in ready:
            self._raise_died(worker)
        raise CancelledError(f"{self.name} was cancelled while waiting for {worker.describe()}")

    def _raise_died(self, worker: _Worker) -> None:
        worker.process.join(0.5)
        raise AbortedError(f"{worker.describe()} of {self.name} {_how_it_ended(worker.process)}")

    # -- pipeline end ---------------------------------------------------------------

    def close(self) -> None:
        """Ends every worker process and joins it: idle ones are asked to end and killed
        after a grace period shared by all; busy ones (results still owed) are killed at
        once, since nobody will read their results. Idempotent; the pipeline calls it after
        its threads have stopped."""
        if os.getpid() != self._owner_pid:
            return
        with self._lock:
            if self._closed:
                return
            self._closed = True
        _open_pools.discard(self)
        for worker in self._workers:
            if worker.owed:
                worker.process.kill()
            else:
                try:
                    worker.connection.send(None)
                except (OSError, ValueError):
                    pass
            # A worker blocked sending a reply gets EPIPE, one waiting for work EOF.
            worker.connection.close()
        deadline = time.monotonic() + _CLOSE_GRACE_SECONDS
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.process.close()
        # The segment lives on only while arrays taken from it do: a traceback that still
        # refers to this pool (an error raised in run_block) must not keep it.
        self._store = None


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as text."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return "\n\n" + self.text
