"""Records MindSpore's warps where headrace's once differed from them, as
warp_exact_<case>.npy, with cases_warp_exact.json (name -> [input, call]). The inputs are
made from input_61x83.npy (see INPUTS). Run with MindSpore installed (recorded with
mindspore 2.10.0, the x86-64 wheel from PyPI):

    python record_warp_exact_cases.py

What the cases expose:
- affine_*: MindSpore computes Affine's matrix in float, cos, sin and tan included; in
  double some entries move by an ulp, enough for a row start to round the other way in
  warpAffine's fixed point (uint8 off by up to 7 levels, float32 by up to 0.02).
- *_fill_*: MindSpore's border value is a cv::Scalar of the three fill values and a 0,
  so the fourth channel of an RGBA image is filled with 0 and a grey image takes the
  first of the three (after Rotate's reversal, the last).
- perspective_blocks_*: warpPerspective restarts each row's double sums every 64 columns
  (blocks of 16 rows and 1024 pixels); this matrix puts many coordinates on rounding
  boundaries, so restarting elsewhere (every 128) moved pixels in columns 64 to 127.

Not run by the tests: they only read what it wrote."""

import json
import os

import mindspore.dataset.vision as vision  # noqa: F401 - used by the calls below
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = {
    "rgb": lambda image: image,
    "rgb_f32": lambda image: image.astype(np.float32) / np.float32(255),
    "rgba": lambda image: np.concatenate([image, image[:, :, 1:2]], axis=2),
    "grey": lambda image: image[:, :, 0].copy(),
    "tiled_101x130": lambda image: np.tile(image, (2, 2, 1))[:101, :130].copy(),
}
CASES = {
    "affine_-10_s1.2_shy10_cubic": ["rgb", "Affine(-10, [0, 0], 1.2, [0.0, 10.0], vision.Inter.BICUBIC)"],
    "affine_-10_s1.2_shy10_linear": ["rgb", "Affine(-10, [0, 0], 1.2, [0.0, 10.0], vision.Inter.LINEAR)"],
    "affine_-10_s1.2_shy10_linear_f32": ["rgb_f32", "Affine(-10, [0, 0], 1.2, [0.0, 10.0], vision.Inter.LINEAR)"],
    "affine_30_t0.1_0.2_s0.8_sh-12_7_cubic_f32": [
        "rgb_f32", "Affine(30, [0.1, 0.2], 0.8, [-12.0, 7.0], vision.Inter.BICUBIC)"],
    "affine_-123.4_t0.3_0.3_s1.3_sh3.3_4.4_area_f32": [
        "rgb_f32", "Affine(-123.4, [0.3, 0.3], 1.3, [3.3, 4.4], vision.Inter.AREA)"],
    "affine_20_rgba_fill_linear": ["rgba", "Affine(20, [0.1, 0.0], 1.0, [0.0, 0.0], vision.Inter.LINEAR, "
                                           "fill_value=(9, 8, 7))"],
    "rotate_30_rgba_fill_cubic": ["rgba", "Rotate(30, vision.Inter.BICUBIC, fill_value=(10, 20, 30))"],
    "random_rotation_30_rgba_fill_expand": ["rgba", "RandomRotation((30, 30), vision.Inter.NEAREST, expand=True, "
                                                    "fill_value=40)"],
    "affine_20_grey_fill_nearest": ["grey", "Affine(20, [0.1, 0.0], 1.0, [0.0, 0.0], vision.Inter.NEAREST, "
                                            "fill_value=(9, 8, 7))"],
    "rotate_30_grey_fill_linear": ["grey", "Rotate(30, vision.Inter.LINEAR, fill_value=(10, 20, 30))"],
}
PERSPECTIVE = "Perspective([[0, 0], [100, 0], [100, 100], [0, 100]], [[40, 40], [60, 40], [100, 100], [0, 100]], "
for inter in ("NEAREST", "LINEAR", "BICUBIC"):
    CASES[f"perspective_blocks_{inter.lower()}"] = ["tiled_101x130", PERSPECTIVE + f"vision.Inter.{inter})"]

if __name__ == "__main__":
    image = np.load(os.path.join(HERE, "input_61x83.npy"))
    for name, (kind, call) in CASES.items():
        # MindSpore writes into the arrays it is given: hand it a copy, keep a copy.
        out = np.array(eval(f"vision.{call}")(INPUTS[kind](image).copy()))  # noqa: S307
        np.save(os.path.join(HERE, f"warp_exact_{name}.npy"), out)
    with open(os.path.join(HERE, "cases_warp_exact.json"), "w") as f:
        json.dump(CASES, f, indent=1)
