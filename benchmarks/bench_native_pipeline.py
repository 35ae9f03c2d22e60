"""Native pipeline (issue 3): 200,000 rows of int32[16] plus a label from memory through a
native TypeCast(float32) on 2 workers, batch(64, drop_remainder=True), into the Python
iterator; no Python code runs per row. The target is 1,000,000 rows/s on 2 cores.

Anchor in the same run: NumPy doing the same work in bulk (one astype of the whole column
and a reshape into batches), the physical limit of the copy.
"""

from __future__ import annotations

from typing import List

import numpy as np

import headrace.dataset as ds
from harness import Figure, interleaved_median_seconds
from headrace.dataset import transforms

NAME = "native_pipeline"
ROWS = 200_000
BATCH = 64


def run(quick: bool = False) -> List[Figure]:
    rows = ROWS // 10 if quick else ROWS
    repeats = 1 if quick else 5
    x = np.random.default_rng(0).integers(0, 1000, (rows, 16), dtype=np.int32)
    y = np.arange(rows, dtype=np.int64)

    def ours() -> int:
        data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
        data = data.map(transforms.TypeCast(np.float32), input_columns="x", num_parallel_workers=2)
        data = data.batch(BATCH, drop_remainder=True)
        return sum(1 for _ in data.create_tuple_iterator(num_epochs=1))

    def numpy_bulk() -> int:
        full = rows // BATCH * BATCH
        batches = x[:full].astype(np.float32).reshape(-1, BATCH, 16)
        return len(batches)

    assert ours() == numpy_bulk() == rows // BATCH
    seconds = interleaved_median_seconds({"ours": ours, "numpy": numpy_bulk}, repeats)
    ours_rate = rows / seconds["ours"]
    numpy_rate = rows / seconds["numpy"]
    return [Figure(NAME, "rows/s, TypeCast + batch(64)", "rows/s", ours_rate,
                   "NumPy bulk astype", numpy_rate, higher_is_better=True)]
