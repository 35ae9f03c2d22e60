"""The values of the rows in this folder's MindRecord files, derived from the row number
(make_files.py writes them with MindSpore; the tests recompute them). NumPy only."""

import numpy as np


def types_row(i):
    return {
        "i32": (i * 1000003) % 70000 - 35000,
        "i64": (i - 10) * 123456789012,
        "f32": float(np.float32(i / 7.0)),
        "f64": i / 3.0 + 1e-12,
        "s": f"text-{i}-\u00e9\u4e2d",
        "b": bytes((i * 31 + k) % 256 for k in range(i % 9)),
        "ai32": np.array([(-1) ** k * (k * 1000 + i) ** 2 % 2**31 for k in range(i % 5 + 1)], np.int32),
        "ai64": np.array([[i, -i, 2**40 + i], [-(2**50), 127, -128]], np.int64),
        "af32": np.array([[i, 0.5], [-i, 0.25]], np.float32),
        "af64": np.arange(i % 4 + 1, dtype=np.float64) / 7.0,
    }


TYPES_SCHEMA = {
    "i32": {"type": "int32"}, "i64": {"type": "int64"}, "f32": {"type": "float32"},
    "f64": {"type": "float64"}, "s": {"type": "string"}, "b": {"type": "bytes"},
    "ai32": {"type": "int32", "shape": [-1]}, "ai64": {"type": "int64", "shape": [2, 3]},
    "af32": {"type": "float32", "shape": [2, 2]}, "af64": {"type": "float64", "shape": [-1]},
}


def pages_row(i):
    return {"id": i, "label": i % 7, "data": bytes((i * 7 + k) % 256 for k in range(500 + (i * 397) % 2500))}
