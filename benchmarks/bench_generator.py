"""GeneratorDataset over a random-access Python class (issue 17): the light pipeline's rows
(200,000 of int32[16] plus an int label), served by a user's class whose __getitem__(i)
returns a tuple of NumPy arrays, map(x * 2) on 2 threads, batch(64, drop_remainder=True).

Anchors in the same run: the plain Python loop and PyTorch's DataLoader (num_workers 0 and 2)
over the same class, as in bench_light_pipeline.py, whose workload this is but for the source.
"""

from __future__ import annotations

from typing import List

import headrace.dataset as ds
from bench_light_pipeline import BATCH, ROWS, double, make_data, run_plain_loop, torch_runner
from harness import Figure, interleaved_median_seconds

NAME = "generator"


class Rows:
    """What a user writes: random access to (x, y) by index."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def run_headrace(x, y) -> int:
    dataset = ds.GeneratorDataset(Rows(x, y), column_names=["x", "y"], shuffle=False)
    dataset = dataset.map(double, input_columns="x", num_parallel_workers=2)
    dataset = dataset.batch(BATCH, drop_remainder=True)
    return sum(1 for _ in dataset.create_tuple_iterator(num_epochs=1))


def run(quick: bool = False) -> List[Figure]:
    rows = ROWS // 10 if quick else ROWS
    rounds = 1 if quick else 5
    x, y = make_data(rows)
    expected = rows // BATCH

    runners = {"ours": run_headrace, "plain loop": run_plain_loop}
    try:
        import torch  # noqa: F401
        for workers in (0, 2):
            runners[f"DataLoader w={workers}"] = torch_runner(workers)
    except ImportError:
        print(f"{NAME}: torch is not installed; DataLoader anchors skipped")
    for name, fn in runners.items():
        assert fn(x, y) == expected, name  # every batch arrives; also warms each one up
    seconds = interleaved_median_seconds({n: (lambda f=f: f(x, y)) for n, f in runners.items()}, rounds)
    rate = {name: rows / value for name, value in seconds.items()}
    figures = [Figure(NAME, "GeneratorDataset rows/s vs plain Python loop", "rows/s", rate["ours"], "plain loop",
                      rate["plain loop"], higher_is_better=True)]
    for workers in (0, 2):
        anchor = f"DataLoader w={workers}"
        if anchor in rate:
            figures.append(Figure(NAME, f"GeneratorDataset rows/s vs DataLoader(num_workers={workers})", "rows/s",
                                  rate["ours"], anchor, rate[anchor], higher_is_better=True))
    return figures
