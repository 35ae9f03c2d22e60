"""Writes fixtures.npz and cases.json here: MindSpore 2.10's outputs of its deterministic
Erase, PadToSize, SlicePatches, FiveCrop and TenCrop on small images, and of the colour
operations of its TrivialAugmentWide (its AdjustBrightness, AdjustSaturation,
AdjustContrast, AdjustSharpness, Posterize, Solarize, AutoContrast and Equalize, the
kernels its ApplyAugment calls) at the magnitudes of the wide space with 5 bins, which
tests/python/vision/test_mindspore_misc.py holds headrace to.

    /path/to/python-with-mindspore make_fixtures.py

MindSpore's FiveCrop and TenCrop take PIL images: the inputs go through Image.fromarray
and the crops come back through np.asarray.
"""

import json
import os

import numpy as np
from PIL import Image

import mindspore.dataset.vision as v

HERE = os.path.dirname(os.path.abspath(__file__))


def ramp(shape, dtype):
    return (np.arange(np.prod(shape)) % 251).reshape(shape).astype(dtype)


def main():
    arrays, cases = {}, []

    def add(kind, args, inputs, outputs):
        index = len(cases)
        arrays[f"in{index}"] = inputs
        for k, out in enumerate(outputs):
            arrays[f"out{index}_{k}"] = np.asarray(out)
        cases.append({"kind": kind, "args": args, "outputs": len(outputs)})

    image = np.random.default_rng(0).integers(0, 256, (7, 9, 3)).astype(np.uint8)
    for dtype in ("uint8", "float32", "int16"):
        for box, value in [((2, 3, 4, 5), 0.0), ((0, 0, 7, 9), 200), ((5, 6, 4, 5), [10.4, 20.5, 254.6]),
                           ((6, 8, 1, 1), [1, 2, 3]), ((7, 0, 1, 1), 9)]:
            source = image.astype(dtype)
            fill = tuple(value) if isinstance(value, list) else value
            add("erase", {"box": box, "value": value}, source, [v.Erase(*box, value=fill)(source)])

    borders = {"constant": v.Border.CONSTANT, "edge": v.Border.EDGE, "reflect": v.Border.REFLECT,
               "symmetric": v.Border.SYMMETRIC}
    for mode, border in borders.items():
        for shape in [(5, 6, 3), (6, 7), (4, 5, 1)]:
            source = ramp(shape, "uint8")
            for size, offset in [((9, 12), None), (10, None), ((8, 11), (1, 3)), ((9, 10), 2), ((6, 7), [])]:
                out = v.PadToSize(size, offset=offset, fill_value=(10, 20, 30), padding_mode=border)(source)
                add("pad_to_size", {"size": size, "offset": offset, "mode": mode}, source, [out])

    for mode, slice_mode in {"pad": v.SliceMode.PAD, "drop": v.SliceMode.DROP}.items():
        for grid in [(2, 3), (3, 1), (4, 4)]:
            for shape, dtype in [((10, 11, 3), "uint8"), ((9, 8), "float32"), ((8, 12, 1), "int16")]:
                source = ramp(shape, dtype)
                out = v.SlicePatches(*grid, slice_mode=slice_mode, fill_value=7)(source)
                add("slice_patches", {"grid": grid, "mode": mode}, source, list(out))

    for shape in [(9, 12, 3), (10, 7), (9, 11, 3)]:
        source = ramp(shape, "uint8")
        for size in [3, (4, 5), (6, 2)]:
            crops = v.FiveCrop(size)(Image.fromarray(source))
            add("five_crop", {"size": size}, source, [np.asarray(c) for c in crops])
            for vertical in (False, True):
                crops = v.TenCrop(size, use_vertical_flip=vertical)(Image.fromarray(source))
                add("ten_crop", {"size": size, "vertical": vertical}, source, [np.asarray(c) for c in crops])

    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:12, 0:14]
    field = np.stack([40 + 14 * x, 30 + 17 * y, (x * y * 3) % 200 + 20], axis=-1) + rng.normal(0, 8, (12, 14, 3))
    photo = np.clip(field, 0, 255).astype(np.uint8)
    factors = [float(np.float32(s * m)) for m in np.float32(0.99) / 4 * np.arange(1, 5, dtype=np.float32)
               for s in (1, -1)]
    colour = {"Brightness": v.AdjustBrightness, "Color": v.AdjustSaturation, "Contrast": v.AdjustContrast,
              "Sharpness": v.AdjustSharpness}
    for name, make in colour.items():
        for m in factors:
            add("trivial_augment_wide_op", {"name": name, "magnitude": m}, photo, [make(1 + m)(photo)])
    for bits in (8, 6, 5, 3, 2):
        add("trivial_augment_wide_op", {"name": "Posterize", "magnitude": bits}, photo, [v.Posterize(bits)(photo)])
    for threshold in (255.0, 191.25, 127.5, 63.75, 0.0):
        add("trivial_augment_wide_op", {"name": "Solarize", "magnitude": threshold}, photo,
            [v.Solarize(threshold)(photo)])
    add("trivial_augment_wide_op", {"name": "AutoContrast", "magnitude": 0.0}, photo, [v.AutoContrast()(photo)])
    add("trivial_augment_wide_op", {"name": "Equalize", "magnitude": 0.0}, photo, [v.Equalize()(photo)])

    np.savez_compressed(os.path.join(HERE, "fixtures.npz"), **arrays)
    with open(os.path.join(HERE, "cases.json"), "w") as out:
        json.dump(cases, out, indent=0)


if __name__ == "__main__":
    main()
