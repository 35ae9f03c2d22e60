"""MindSpore 2.10's recorded outputs in tests/data/mindspore_vision (see its README) and the
tolerance tests hold headrace to: uint8 within 1 grey level, float32 within 1e-4."""

from __future__ import annotations

import json
import os

import numpy as np

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "data", "mindspore_vision")


def fixture(name: str) -> np.ndarray:
    return np.load(os.path.join(FIXTURES, name))


def cases(file: str) -> dict:
    with open(os.path.join(FIXTURES, file)) as f:
        return json.load(f)


def max_difference(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0


def assert_close(ours: np.ndarray, expected: np.ndarray) -> None:
    tolerance = 1.0 if ours.dtype == np.uint8 else 1e-4
    assert max_difference(ours, expected) <= tolerance
