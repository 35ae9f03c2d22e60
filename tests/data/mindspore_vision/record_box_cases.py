"""Records MindSpore's detection transforms on input_61x83.npy with the boxes below as
boxes_<case>.npz (the image and the boxes out), and cases_boxes.json (name -> call).
Run with MindSpore installed (recorded with mindspore 2.10.0, the x86-64 wheel from PyPI):

    python record_box_cases.py

Each case is deterministic (probability 1, a window that must be the whole image).
Not run by the tests: they only read what it wrote."""

import json
import os

import mindspore.dataset.vision as vision  # noqa: F401 - used by the calls below
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BOXES = np.array([[5, 7, 20, 15, 1], [40, 30, 30, 25, 2], [0, 0, 83, 61, 3], [60.5, 10.25, 12.5, 40.75, 4]],
                 np.float32)
CASES = {
    "hflip": "RandomHorizontalFlipWithBBox(1.0)",
    "vflip": "RandomVerticalFlipWithBBox(1.0)",
    "resize_30x41": "ResizeWithBBox((30, 41))",
    "resize_45_nearest": "ResizeWithBBox(45, vision.Inter.NEAREST)",
    "crop_whole": "RandomCropWithBBox((61, 83))",
    "crop_padded": "RandomCropWithBBox((71, 93), padding=5)",
    "crop_padded_left_top": "RandomCropWithBBox((64, 87), padding=[4, 3, 0, 0])",
    "resized_crop_whole": "RandomResizedCropWithBBox((32, 24), scale=(1.0, 1.0), ratio=(83 / 61, 83 / 61))",
    "augment_flip": "BoundingBoxAugment(vision.HorizontalFlip(), 1.0)",
    "augment_resize": "BoundingBoxAugment(vision.Resize((5, 5)), 1.0)",
}

if __name__ == "__main__":
    image = np.load(os.path.join(HERE, "input_61x83.npy"))
    np.save(os.path.join(HERE, "boxes_input.npy"), BOXES)
    for name, call in CASES.items():
        # MindSpore writes into the arrays it is given: fresh copies each time.
        out_image, out_boxes = eval(f"vision.{call}")(image.copy(), BOXES.copy())  # noqa: S307
        np.savez(os.path.join(HERE, f"boxes_{name}.npz"), image=np.array(out_image), boxes=np.array(out_boxes))
    with open(os.path.join(HERE, "cases_boxes.json"), "w") as f:
        json.dump(CASES, f, indent=1)
