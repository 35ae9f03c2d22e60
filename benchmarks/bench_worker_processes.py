"""Python functions in worker processes (issue 4).

CPU-heavy map: 4,000 rows, each taking about 1 ms of pure Python, on 2 workers. Ours with
python_multiprocessing=True against ours on threads (the GIL lets one run at a time) and
PyTorch's DataLoader(num_workers=2, batch_size=None), in alternating rounds. The same
1 ms of Python per row in the two other places that run Python in worker processes:
batch(32, per_batch_map) against threads, and a GeneratorDataset whose __getitem__ does
the work against the DataLoader over the same object.

Large rows: a map in 2 worker processes makes a float32 array of 1 MB or 16 MB per row;
the pipeline hands it out through the shared-memory store. Against the DataLoader doing
the same (num_workers=2, batch_size=None), and against NumPy copying the same bytes once
(np.copyto between two arrays already in memory): the physical limit of moving them.
"""

from __future__ import annotations

import functools
import resource
import statistics
import time
from typing import Callable, Dict, List

import numpy as np

import headrace.dataset as ds
from harness import Figure, interleaved_median_seconds

NAME = "worker_processes"
CPU_ROWS = 4_000
WORKERS = 2


def burn(index: np.ndarray, loops: int) -> np.ndarray:
    """Pure Python work that holds the GIL: `loops` iterations of integer arithmetic."""
    total = int(index)
    for i in range(loops):
        total = (total * 31 + i) % 1_000_003
    return np.array([total], dtype=np.int64)


@functools.lru_cache(maxsize=None)
def loops_for_one_millisecond() -> int:
    """Loops of burn() that take 1 ms here: the median of 9 timings of 20 calls, measured
    once per run so that every figure uses the same work."""
    loops = 10_000
    timings = []
    for _ in range(9):
        start = time.perf_counter()
        for _ in range(20):
            burn(np.int64(0), loops)
        timings.append((time.perf_counter() - start) / 20)
    return max(1, int(loops * 0.001 / statistics.median(timings)))


class Burn:
    """burn() with its loop count bound, picklable for any start method."""

    def __init__(self, loops: int) -> None:
        self.loops = loops

    def __call__(self, index: np.ndarray) -> np.ndarray:
        return burn(index, self.loops)


class MakeRow:
    """A float32 row of `elements` values made from the row's index."""

    def __init__(self, elements: int) -> None:
        self.elements = elements

    def __call__(self, index: np.ndarray) -> np.ndarray:
        return np.full(self.elements, float(index), dtype=np.float32)


def headrace_runner(function: Callable, rows: int, processes: bool) -> Callable[[], int]:
    def run() -> int:
        dataset = ds.NumpySlicesDataset({"i": np.arange(rows, dtype=np.int64)}, shuffle=False)
        dataset = dataset.map(function, num_parallel_workers=WORKERS,
                              python_multiprocessing=processes)
        count = 0
        for (value,) in dataset.create_tuple_iterator(num_epochs=1, output_numpy=True):
            count += 1
        return count
    return run


class CpuShare:
    """Wraps a runner of ours in worker processes and keeps, for each run, the CPU seconds
    its worker processes used (they are reaped when the pipeline ends, so
    RUSAGE_CHILDREN counts them), this process's own CPU seconds and the wall time."""

    def __init__(self, run: Callable[[], int]) -> None:
        self.run = run
        self.runs: List[tuple] = []

    def __call__(self) -> int:
        before = (resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF))
        start = time.perf_counter()
        count = self.run()
        wall = time.perf_counter() - start
        after = (resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF))
        workers, parent = ((a.ru_utime + a.ru_stime) - (b.ru_utime + b.ru_stime)
                           for a, b in zip(after, before))
        self.runs.append((workers, parent, wall))
        return count

    def median_shares(self) -> "tuple[float, float]":
        """(workers' CPU, this process's CPU), each as a % of what WORKERS cores give
        over the run's wall time: medians over the runs."""
        capacity = [wall * WORKERS for _, _, wall in self.runs]
        return (statistics.median(100 * w / c for (w, _, _), c in zip(self.runs, capacity)),
                statistics.median(100 * p / c for (_, p, _), c in zip(self.runs, capacity)))


def keep_numpy(row: np.ndarray) -> np.ndarray:
    return row


def torch_runner(function: Callable, rows: int, as_tensors: bool = True) -> Callable[[], int]:
    """The DataLoader over the same work. By default it turns each result into a tensor,
    which it moves into a shared-memory file of its own (what a user gets); with
    `as_tensors=False` results stay NumPy arrays and travel pickled, as ours do when small."""
    import torch.utils.data

    class Rows(torch.utils.data.Dataset):
        def __len__(self) -> int:
            return rows

        def __getitem__(self, index: int) -> np.ndarray:
            return function(np.int64(index))

    def run() -> int:
        options = {} if as_tensors else {"collate_fn": keep_numpy}
        loader = torch.utils.data.DataLoader(Rows(), batch_size=None, num_workers=WORKERS,
                                             **options)
        return sum(1 for _ in loader)
    return run


def have_torch() -> bool:
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        print(f"{NAME}: torch is not installed; DataLoader anchors skipped")
        return False


def timed(runners: Dict[str, Callable[[], int]], rows: int, rounds: int) -> Dict[str, float]:
    for name, run in runners.items():
        assert run() == rows, name  # also warms up each one
    return interleaved_median_seconds(runners, rounds)


def cpu_heavy(quick: bool) -> List[Figure]:
    rows = CPU_ROWS // 8 if quick else CPU_ROWS
    function = Burn(loops_for_one_millisecond())
    processes = CpuShare(headrace_runner(function, rows, processes=True))
    runners = {"processes": processes,
               "threads": headrace_runner(function, rows, processes=False)}
    if have_torch():
        runners["DataLoader"] = torch_runner(function, rows)
        runners["DataLoader NumPy"] = torch_runner(function, rows, as_tensors=False)
    seconds = timed(runners, rows, 1 if quick else 5)
    rate = {name: rows / value for name, value in seconds.items()}
    what = "1 ms map, rows/s"
    workers_share, parent_share = processes.median_shares()
    figures = [Figure(NAME, f"{what} vs threads", "rows/s", rate["processes"], "threads",
                      rate["threads"], higher_is_better=True),
               # What the workers got of the cores (the rest: what the pipeline process
               # took from them, start-up, waits between blocks), against all of them.
               Figure(NAME, f"1 ms map: workers' CPU (pipeline's {parent_share:.0f}%)", "%",
                      workers_share, f"{WORKERS} cores", 100.0, higher_is_better=True)]
    if "DataLoader" in rate:
        figures.append(Figure(NAME, f"{what} vs DataLoader w=2", "rows/s", rate["processes"],
                              "DataLoader w=2", rate["DataLoader"], higher_is_better=True))
        figures.append(Figure(NAME, f"{what} vs DataLoader, NumPy out", "rows/s",
                              rate["processes"], "DataLoader w=2 NumPy",
                              rate["DataLoader NumPy"], higher_is_better=True))
    return figures


class PerRowInBatches:
    """A per_batch_map applying `function` to each row of the batch."""

    def __init__(self, function: Callable) -> None:
        self.function = function

    def __call__(self, rows: list, batch_info) -> tuple:
        return ([self.function(row) for row in rows],)


def batch_runner(function: Callable, rows: int, processes: bool) -> Callable[[], int]:
    def run() -> int:
        dataset = ds.NumpySlicesDataset({"i": np.arange(rows, dtype=np.int64)}, shuffle=False)
        dataset = dataset.batch(32, per_batch_map=PerRowInBatches(function),
                                num_parallel_workers=WORKERS, python_multiprocessing=processes)
        return sum(len(batch) for (batch,) in dataset.create_tuple_iterator(num_epochs=1))
    return run


class Source:
    """A random-access source whose every read is `function(index)`."""

    def __init__(self, function: Callable, rows: int) -> None:
        self.function, self.rows = function, rows

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int) -> np.ndarray:
        return self.function(np.int64(index))


def generator_runner(function: Callable, rows: int) -> Callable[[], int]:
    def run() -> int:
        dataset = ds.GeneratorDataset(Source(function, rows), ["value"], shuffle=False,
                                      num_parallel_workers=WORKERS)  # processes by default
        return sum(1 for _ in dataset.create_tuple_iterator(num_epochs=1))
    return run


def cpu_heavy_batch_and_generator(quick: bool) -> List[Figure]:
    rows = CPU_ROWS // 16 if quick else CPU_ROWS // 2
    function = Burn(loops_for_one_millisecond())
    runners = {"batch processes": batch_runner(function, rows, processes=True),
               "batch threads": batch_runner(function, rows, processes=False),
               "generator": generator_runner(function, rows)}
    if have_torch():
        runners["DataLoader"] = torch_runner(function, rows)
    seconds = timed(runners, rows, 1 if quick else 5)
    rate = {name: rows / value for name, value in seconds.items()}
    figures = [Figure(NAME, "1 ms per_batch_map rows/s vs threads", "rows/s",
                      rate["batch processes"], "threads", rate["batch threads"],
                      higher_is_better=True)]
    if "DataLoader" in rate:
        figures.append(Figure(NAME, "1 ms GeneratorDataset rows/s vs DataLoader", "rows/s",
                              rate["generator"], "DataLoader w=2", rate["DataLoader"],
                              higher_is_better=True))
    return figures


def copy_seconds(nbytes: int, rows: int) -> Callable[[], int]:
    """NumPy copying `rows` rows of `nbytes` between two arrays already in memory. The same
    two each time, so they stay in cache where they fit: a stricter anchor than memory
    bandwidth (this VM reports a large L3)."""
    source = np.ones(nbytes // 4, dtype=np.float32)
    target = np.empty_like(source)

    def run() -> int:
        for _ in range(rows):
            np.copyto(target, source)
        return rows
    return run


def large_rows(megabytes: int, rows: int, quick: bool) -> List[Figure]:
    nbytes = megabytes << 20
    rows = max(8, rows // 8) if quick else rows
    function = MakeRow(nbytes // 4)
    runners = {"ours": headrace_runner(function, rows, processes=True),
               "NumPy copy": copy_seconds(nbytes, rows)}
    if have_torch():
        runners["DataLoader"] = torch_runner(function, rows)
    seconds = timed(runners, rows, 1 if quick else 5)
    speed = {name: rows * megabytes / value for name, value in seconds.items()}
    what = f"{megabytes} MB rows"
    figures = []
    if "DataLoader" in speed:
        figures.append(Figure(NAME, f"{what}, MB/s vs DataLoader w=2", "MB/s", speed["ours"],
                              "DataLoader w=2", speed["DataLoader"], higher_is_better=True))
    figures.append(Figure(NAME, f"{what}, MB/s vs NumPy copy", "MB/s", speed["ours"], "NumPy copy",
                          speed["NumPy copy"], higher_is_better=True))
    figures.append(Figure(NAME, f"{what}, rows/s", "rows/s", rows / seconds["ours"],
                          "DataLoader w=2" if "DataLoader" in seconds else "NumPy copy",
                          rows / seconds.get("DataLoader", seconds["NumPy copy"]),
                          higher_is_better=True))
    return figures


def run(quick: bool = False) -> List[Figure]:
    return (cpu_heavy(quick) + cpu_heavy_batch_and_generator(quick)
            + large_rows(1, 2_000, quick) + large_rows(16, 200, quick))
