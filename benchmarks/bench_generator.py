"""GeneratorDataset over a random-access Python class (issue 17): the light pipeline's rows
(200,000 of int32[16] plus an int label), served by a user's class whose __getitem__(i)
returns a tuple of NumPy arrays, map(x * 2) on 2 threads, batch(64, drop_remainder=True);
in order, and with GeneratorDataset's defaults (which shuffle).

Anchors in the same run: the plain Python loop and PyTorch's DataLoader (num_workers 0 and 2)
over the same class, as in bench_light_pipeline.py, whose workload this is but for the source;
for the shuffled pipeline they visit the rows in a random order too (the loop a permutation,
the DataLoader shuffle=True).
"""

from __future__ import annotations

from typing import List

import headrace.dataset as ds
from bench_light_pipeline import BATCH, double, measure
from harness import Figure

NAME = "generator"


class Rows:
    """What a user writes: random access to (x, y) by index."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def pipeline(x, y, **source_options):
    dataset = ds.GeneratorDataset(Rows(x, y), column_names=["x", "y"], **source_options)
    dataset = dataset.map(double, input_columns="x", num_parallel_workers=2)
    return dataset.batch(BATCH, drop_remainder=True)


def run_in_order(x, y) -> int:
    return sum(1 for _ in pipeline(x, y, shuffle=False).create_tuple_iterator(num_epochs=1))


def run_with_defaults(x, y) -> int:
    # What a newcomer writes: GeneratorDataset's defaults shuffle a random-access source.
    return sum(1 for _ in pipeline(x, y).create_tuple_iterator(num_epochs=1))


def run(quick: bool = False) -> List[Figure]:
    return (measure(NAME, "GeneratorDataset rows/s", run_in_order, quick)
            + measure(NAME, "GeneratorDataset, default shuffle, rows/s", run_with_defaults, quick,
                      shuffled=True))
