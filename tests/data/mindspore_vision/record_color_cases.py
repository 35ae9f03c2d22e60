"""Records MindSpore's colour transforms on input_61x83.npy as color_<case>.npy, with
cases_color.json listing them (name -> [call, shape]). Run with MindSpore installed
(recorded with mindspore 2.10.0, the x86-64 wheel from PyPI, in its own venv):

    python record_color_cases.py

Not run by the tests: they only read what it wrote."""

import json
import os

import mindspore.dataset.vision as vision
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "adjust_brightness_1.5": "AdjustBrightness(1.5)",
    "adjust_contrast_0.6": "AdjustContrast(0.6)",
    "adjust_saturation_1.7": "AdjustSaturation(1.7)",
    "adjust_hue_0.2": "AdjustHue(0.2)",
    "adjust_hue_-0.3": "AdjustHue(-0.3)",
    "adjust_sharpness_2": "AdjustSharpness(2.0)",
    "adjust_sharpness_0.3": "AdjustSharpness(0.3)",
    "auto_contrast_5": "AutoContrast(cutoff=5.0)",
    "equalize": "Equalize()",
}

image = np.load(os.path.join(HERE, "input_61x83.npy"))
listing = {}
for name, call in CASES.items():
    out = eval(f"vision.{call}")(image)  # noqa: S307 - the calls above
    np.save(os.path.join(HERE, f"color_{name}.npy"), out)
    listing[name] = [call, list(out.shape)]
with open(os.path.join(HERE, "cases_color.json"), "w") as f:
    json.dump(listing, f, indent=1)
