"""Records MindSpore's rotations with a three-value fill on input_61x83.npy as <case>.npy,
with cases_warp_fill.json (name -> call): MindSpore hands OpenCV the fill reversed.
Run with MindSpore installed (recorded with mindspore 2.10.0, the x86-64 wheel from PyPI):

    python record_warp_fill_cases.py

Not run by the tests: they only read what it wrote."""

import json
import os

import mindspore.dataset.vision as vision  # noqa: F401 - used by the calls below
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "rotate_45_linear_center_fill": "Rotate(45, vision.Inter.LINEAR, center=(10, 20), fill_value=(7, 8, 9))",
    "random_rotation_30_nearest_fill": "RandomRotation((30, 30), vision.Inter.NEAREST, fill_value=(10, 20, 30))",
}

if __name__ == "__main__":
    image = np.load(os.path.join(HERE, "input_61x83.npy"))
    for name, call in CASES.items():
        np.save(os.path.join(HERE, f"{name}.npy"), eval(f"vision.{call}")(image.copy()))  # noqa: S307
    with open(os.path.join(HERE, "cases_warp_fill.json"), "w") as f:
        json.dump(CASES, f, indent=1)
