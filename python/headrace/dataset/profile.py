"""Where a pipeline spends its time: Dataset.profile() runs it and says which op holds it
back, and what to change.

    report = data.profile(num_epochs=1)
    print(report.table())          # per op: workers, rows, busy / waiting / blocked shares
    report.bottleneck()["name"]    # the op that holds the pipeline back
    report.plot("profile.png")     # rows/s and queue occupancy per op over time (matplotlib)

The engine counts, per op, the rows it wrote and its workers' wall time split into busy
(its own work), waiting for its input and blocked on a full output connector
(cpp/headrace/engine/op_statistics.h). While the pipeline runs, a sampler thread records
every op's rows and output-queue occupancy every `interval` seconds. The op whose workers
are busiest is the bottleneck; when every op mostly waits on its output, the consumer (the
training loop) is.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List, Optional

__all__ = ["Profile", "profile", "profile_loader"]

# An op whose workers are busy this share of their time holds the pipeline back.
_BUSY = 0.5
_SOURCES = ("NumpySlices", "Generator", "ImageFolder", "FileList")


class Profile:
    """The figures of one profiled run."""

    def __init__(self, ops: List[Dict[str, Any]], seconds: float, rows: int,
                 samples: List[Dict[str, Any]], send_queue: Optional[Dict[str, float]] = None) -> None:
        self.ops = ops          # root first; see Iterator.get_statistics
        self.seconds = seconds  # wall time of the run
        self.rows = rows        # rows the iterator handed out
        self.samples = samples  # {"t": seconds, "rows_out": [...], "queued": [...]} per interval
        self.send_queue = send_queue  # a training loader's queue (headrace.training), if profiled

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def _ops(self) -> List[Dict[str, Any]]:
        # The epoch op at the root only forwards its child's passes.
        return [op for op in self.ops if op["depth"] > 0]

    @staticmethod
    def share(op: Dict[str, Any], what: str) -> float:
        """busy / input_wait / output_wait as a share of the op's worker time."""
        total = op["worker_seconds"]
        return op[f"{what}_seconds"] / total if total > 0 else 0.0

    def utilisation(self, op: Dict[str, Any]) -> float:
        """The share of the run during which the op's workers were busy (1: all of them,
        all the time)."""
        available = op["num_workers"] * self.seconds
        return min(1.0, op["busy_seconds"] / available) if available > 0 else 0.0

    def bottleneck(self) -> Optional[Dict[str, Any]]:
        """The op whose workers were busiest over the run, if one was busy enough to hold
        the pipeline back; None when the ops mostly waited (the consumer is slower)."""
        ops = self._ops()
        if not ops:
            return None
        busiest = max(ops, key=self.utilisation)
        return busiest if self.utilisation(busiest) >= _BUSY else None

    def suggestion(self) -> str:
        op = self.bottleneck()
        if op is None:
            return ("no op is busy most of the time: the pipeline keeps ahead of its consumer; "
                    "the training loop (or whatever iterates) sets the pace")
        name, workers = op["name"], op["num_workers"]
        if name.startswith(("Map", "Filter")) or "per_batch_map" in name:
            return (f"{name} was busy {self.utilisation(op):.0%} of the run: give it more "
                    f"workers (num_parallel_workers={workers * 2}), use python_multiprocessing=True for "
                    "Python functions, or cache its output (DatasetCache) if it gives the same rows "
                    "every epoch")
        if name.startswith(_SOURCES):
            return (f"{name} was busy {self.utilisation(op):.0%} of the run: read with more "
                    f"workers (num_parallel_workers={workers * 2}) or cache what it reads (DatasetCache)")
        return (f"{name} was busy {self.utilisation(op):.0%} of the run: a larger prefetch "
                "(config.set_prefetch_size) lets the ops around it run ahead")

    def table(self) -> str:
        """The figures per op, the bottleneck and what to change, as text."""
        lines = [f"{self.rows} rows in {self.seconds:.3f} s: {self.rows_per_second:,.0f} rows/s",
                 f"{'op':<58} {'workers':>7} {'rows out':>9} {'busy':>6} {'input':>6} {'output':>6} {'queue':>6}"]
        mean_queue = self._mean_occupancy()
        for index, op in enumerate(self.ops):
            name = "  " * op["depth"] + op["name"]
            if len(name) > 58:
                name = name[:55] + "..."
            queue = f"{mean_queue[index]:.0%}" if mean_queue else "-"
            lines.append(f"{name:<58} {op['num_workers']:>7} {op['rows_out']:>9} "
                         f"{self.share(op, 'busy'):>6.0%} {self.share(op, 'input_wait'):>6.0%} "
                         f"{self.share(op, 'output_wait'):>6.0%} {queue:>6}")
        lines.append("busy: its own work; input: waiting for rows from below; output: blocked on a full "
                     "queue above; queue: mean occupancy of its output queue")
        if self.send_queue is not None:
            q = self.send_queue
            lines.append(f"send queue: {q['mean_ready']:.1f} of {q['prefetch']} batches ready on average "
                         f"when the step asked; the step waited {q['empty_steps']} of {q['steps']} times "
                         f"({q['wait_seconds']:.3f} s)")
        slowest = self.bottleneck()
        lines.append(f"bottleneck: {slowest['name'] if slowest else 'the consumer of the pipeline'}")
        lines.append(f"suggestion: {self.suggestion()}")
        return "\n".join(lines)

    def _mean_occupancy(self) -> List[float]:
        if not self.samples:
            return []
        means = []
        for index, op in enumerate(self.ops):
            capacity = op["capacity_rows"] or 1
            # A whole block may go into an empty queue whatever its rows: at most "full".
            values = [min(1.0, s["queued"][index] / capacity) for s in self.samples if index < len(s["queued"])]
            means.append(sum(values) / len(values) if values else 0.0)
        return means

    def plot(self, path: str) -> None:
        """A chart of rows/s and output-queue occupancy per op over time, written to `path`
        (PNG, SVG, ... as matplotlib infers from the name). Needs matplotlib."""
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("Profile.plot needs matplotlib (pip install matplotlib)") from None
        figure, (rates, queues) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
        times = [s["t"] for s in self.samples]
        for index, op in enumerate(self.ops):
            if op["depth"] == 0:
                continue
            label = op["name"] if len(op["name"]) <= 50 else op["name"][:47] + "..."
            rows = [s["rows_out"][index] for s in self.samples]
            rate = [(b - a) / (t1 - t0) if t1 > t0 else 0.0
                    for a, b, t0, t1 in zip(rows, rows[1:], times, times[1:])]
            rates.plot(times[1:], rate, label=label)
            capacity = op["capacity_rows"] or 1
            queues.plot(times, [100.0 * min(1.0, s["queued"][index] / capacity) for s in self.samples],
                        label=label)
        rates.set_ylabel("rows/s written")
        queues.set_ylabel("output queue, % full")
        queues.set_xlabel("seconds")
        rates.legend(fontsize=7, loc="upper right")
        bottleneck = self.bottleneck()
        rates.set_title(f"{self.rows_per_second:,.0f} rows/s; bottleneck: "
                        f"{bottleneck['name'] if bottleneck else 'the consumer'}", fontsize=9)
        figure.tight_layout()
        figure.savefig(path)
        plt.close(figure)


def profile_loader(loader: Any, step: Any = None) -> Profile:
    """Runs one pass of a training loader (headrace.training.to_torch / to_jax), calling
    `step(batch)` for each batch if given, and returns the pipeline's Profile with the
    loader's send queue in it."""
    start = time.perf_counter()
    rows = 0
    for batch in loader:
        if step is not None:
            step(batch)
        rows += 1
    seconds = time.perf_counter() - start
    iterator = loader.last_iterator
    ops = iterator.get_statistics() if iterator is not None else []
    return Profile(ops, seconds, rows, [], loader.statistics())


def profile(dataset: Any, num_epochs: int = 1, interval: float = 0.05) -> Profile:
    """Runs `dataset` for `num_epochs`, reading every row as a training loop would, and
    returns its Profile."""
    iterator = dataset.create_tuple_iterator(num_epochs=num_epochs)
    samples: List[Dict[str, Any]] = []
    done = threading.Event()
    start = time.perf_counter()

    def sample() -> None:
        while not done.wait(interval):
            ops = iterator.get_statistics()
            samples.append({"t": time.perf_counter() - start, "rows_out": [op["rows_out"] for op in ops],
                            "queued": [op["queued_rows"] for op in ops]})

    sampler = threading.Thread(target=sample, name="headrace-profile", daemon=True)
    sampler.start()
    rows = 0
    try:
        for _ in range(num_epochs):
            for _ in iterator:
                rows += 1
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        iterator.stop()
    return Profile(iterator.get_statistics(), seconds, rows, samples)
