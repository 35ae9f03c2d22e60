"""Records MindSpore's Resize enlarging small noise images (where the rows that fall
outside the image keep both weights of OpenCV's fixed-point vertical pass) as
resize_up_<case>.npz (input and output), with cases_resize_up.json (name -> [input
shape, size, Inter name]). Run with MindSpore installed (recorded with mindspore 2.10.0,
the x86-64 wheel from PyPI):

    python record_resize_cases.py

Not run by the tests: they only read what it wrote."""

import json
import os

import mindspore.dataset.vision as vision
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "noise_5x5_to_61x83_linear": [[5, 5, 3], [61, 83], "LINEAR"],
    "noise_17x23_to_203x301_linear": [[17, 23, 3], [203, 301], "LINEAR"],
    "noise_17x23_to_203x301_cubic": [[17, 23, 3], [203, 301], "BICUBIC"],
    "noise_5x5_to_34x46_area": [[5, 5, 3], [34, 46], "AREA"],
    "grey_17x23_to_100x37_linear": [[17, 23], [100, 37], "LINEAR"],
}

if __name__ == "__main__":
    rng = np.random.default_rng(5)
    for name, (shape, size, inter) in CASES.items():
        image = rng.integers(0, 256, shape, dtype=np.uint8)
        out = vision.Resize(tuple(size), getattr(vision.Inter, inter))(image.copy())
        np.savez(os.path.join(HERE, f"resize_up_{name}.npz"), image=image, resized=np.array(out))
    with open(os.path.join(HERE, "cases_resize_up.json"), "w") as f:
        json.dump(CASES, f, indent=1)
