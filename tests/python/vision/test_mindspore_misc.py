"""Erase, PadToSize, SlicePatches, FiveCrop, TenCrop and the colour operations of
TrivialAugmentWide give MindSpore 2.10's outputs exactly: tests/data/mindspore_vision_misc
holds MindSpore's own results on small images (make_fixtures.py there wrote them)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from headrace.dataset import vision
from headrace.dataset.vision import Border, SliceMode

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mindspore_vision_misc")

with open(os.path.join(FIXTURES, "cases.json")) as _cases:
    CASES = json.load(_cases)
ARRAYS = np.load(os.path.join(FIXTURES, "fixtures.npz"))


def _size(size):
    return size if isinstance(size, int) else tuple(size)


def transform(case):
    args = case["args"]
    kind = case["kind"]
    if kind == "erase":
        value = tuple(args["value"]) if isinstance(args["value"], list) else args["value"]
        return vision.Erase(*args["box"], value=value)
    if kind == "pad_to_size":
        offset = args["offset"]
        offset = tuple(offset) if isinstance(offset, list) and offset else offset
        return vision.PadToSize(_size(args["size"]), offset=offset, fill_value=(10, 20, 30),
                                padding_mode=Border(args["mode"]))
    if kind == "slice_patches":
        return vision.SlicePatches(*args["grid"], slice_mode=SliceMode(args["mode"]), fill_value=7)
    if kind == "five_crop":
        return vision.FiveCrop(_size(args["size"]))
    if kind == "trivial_augment_wide_op":
        op = vision.TrivialAugmentWide()
        return lambda image: op.apply(image, args["name"], args["magnitude"])
    return vision.TenCrop(_size(args["size"]), use_vertical_flip=args["vertical"])


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_matches_mindspore(index):
    case = CASES[index]
    image = ARRAYS[f"in{index}"]
    got = transform(case)(image)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == case["outputs"]
    for k, out in enumerate(got):
        expected = ARRAYS[f"out{index}_{k}"]
        assert out.dtype == expected.dtype and out.shape == expected.shape, (out.dtype, out.shape, expected.shape)
        np.testing.assert_array_equal(out, expected)


def test_every_kind_is_covered():
    assert {c["kind"] for c in CASES} == {"erase", "pad_to_size", "slice_patches", "five_crop", "ten_crop",
                                          "trivial_augment_wide_op"}
    colour = {c["args"]["name"] for c in CASES if c["kind"] == "trivial_augment_wide_op"}
    assert colour == {"Brightness", "Color", "Contrast", "Sharpness", "Posterize", "Solarize", "AutoContrast",
                      "Equalize"}
