"""NumPy -> headrace.Tensor -> NumPy: the zero-copy hand-over every later stage relies on.

Anchor: NumPy copying the same bytes (np.copy), the cost a copying hand-over would pay.
"""

from __future__ import annotations

import numpy as np

import headrace
from harness import Figure, median_seconds

NAME = "tensor_numpy"


def round_trip(array: np.ndarray) -> np.ndarray:
    return headrace.Tensor(array).numpy()


def run(quick: bool = False) -> list[Figure]:
    repeats = 5 if quick else 30
    figures = []
    for label, array in [
        ("16 x int32 row", np.arange(16, dtype=np.int32)),
        ("64 MB float32", np.ones(16 * 1024 * 1024, dtype=np.float32)),
    ]:
        assert round_trip(array).__array_interface__["data"][0] == array.ctypes.data
        calls = 1000 if array.nbytes < 4096 else 10
        ours = median_seconds(lambda: [round_trip(array) for _ in range(calls)], repeats) / calls
        anchor = median_seconds(lambda: [np.copy(array) for _ in range(calls)], repeats) / calls
        figures.append(
            Figure(NAME, f"round trip, {label}", "us", ours * 1e6, "np.copy", anchor * 1e6,
                   higher_is_better=False)
        )
    return figures
