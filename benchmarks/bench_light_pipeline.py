"""Light pipeline (issue 3): 200,000 rows of int32[16] plus an int label from memory,
map(x * 2) on 2 workers, batch(64, drop_remainder=True), iterate everything.

Anchors in the same run: a plain Python loop doing the same work (the GIL-bound floor the
engine must hide behind) and PyTorch's DataLoader with num_workers 0 and 2 (when torch is
installed; it is never a dependency of headrace).
"""

from __future__ import annotations

from typing import Callable, List

import numpy as np

import headrace.dataset as ds
from harness import Figure, interleaved_median_seconds

NAME = "light_pipeline"
ROWS = 200_000
BATCH = 64


def double(x: np.ndarray) -> np.ndarray:
    return x * 2


def make_data(rows: int):
    rng = np.random.default_rng(0)
    return rng.integers(0, 1000, (rows, 16), dtype=np.int32), np.arange(rows, dtype=np.int64)


def run_headrace(x, y) -> int:
    dataset = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
    dataset = dataset.map(double, input_columns="x", num_parallel_workers=2)
    dataset = dataset.batch(BATCH, drop_remainder=True)
    batches = 0
    for _ in dataset.create_tuple_iterator(num_epochs=1):
        batches += 1
    return batches


def run_plain_loop(x, y, order=None) -> int:
    """`order`: the row indices to visit (a shuffled epoch), or None for 0, 1, 2, ..."""
    batches, xs, ys = 0, [], []
    for i in (range(len(x)) if order is None else order):
        xs.append(double(x[i]))
        ys.append(y[i])
        if len(xs) == BATCH:
            np.stack(xs), np.stack(ys)
            xs, ys = [], []
            batches += 1
    return batches


def torch_runner(num_workers: int, shuffle: bool = False) -> Callable:
    import torch.utils.data

    class Rows(torch.utils.data.Dataset):
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return double(self.x[i]), self.y[i]

    def run(x, y) -> int:
        loader = torch.utils.data.DataLoader(Rows(x, y), batch_size=BATCH, drop_last=True,
                                             num_workers=num_workers, shuffle=shuffle)
        return sum(1 for _ in loader)

    return run


def measure(name: str, what: str, run_ours: Callable, quick: bool,
            shuffled: bool = False) -> List[Figure]:
    """`run_ours` (rows x, y -> batches) beside the plain loop and the DataLoader over the
    same rows, timed in alternating rounds; figures named `name`, described as `what`.
    `shuffled`: ours reads the rows in a random order, so the anchors do too (the loop over
    a random permutation, the DataLoader with shuffle=True)."""
    rows = ROWS // 10 if quick else ROWS
    rounds = 1 if quick else 5
    x, y = make_data(rows)
    expected = rows // BATCH

    order = np.random.default_rng(1).permutation(rows).tolist() if shuffled else None
    runners = {"ours": run_ours, "plain loop": lambda x, y: run_plain_loop(x, y, order)}
    try:
        import torch  # noqa: F401
        for workers in (0, 2):
            runners[f"DataLoader w={workers}"] = torch_runner(workers, shuffled)
    except ImportError:
        print(f"{name}: torch is not installed; DataLoader anchors skipped")
    for runner, fn in runners.items():
        assert fn(x, y) == expected, runner  # every batch arrives; also warms each one up
    seconds = interleaved_median_seconds({n: (lambda f=f: f(x, y)) for n, f in runners.items()},
                                         rounds)
    rate = {runner: rows / value for runner, value in seconds.items()}
    figures = [Figure(name, f"{what} vs plain Python loop", "rows/s", rate["ours"], "plain loop",
                      rate["plain loop"], higher_is_better=True)]
    for workers in (0, 2):
        anchor = f"DataLoader w={workers}"
        if anchor in rate:
            figures.append(Figure(name, f"{what} vs DataLoader(num_workers={workers})", "rows/s",
                                  rate["ours"], anchor, rate[anchor], higher_is_better=True))
    return figures


def run(quick: bool = False) -> List[Figure]:
    return measure(NAME, "rows/s", run_headrace, quick)
