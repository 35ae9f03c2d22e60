"""CenterCrop and Pad give MindSpore 2.10's pixels: its recorded outputs (center_crop_40x50,
pad_3_5_edge in tests/data/mindspore_vision) exactly, shape equal. Neither resamples, so the
resampling mode changes nothing; both modes are checked."""

from __future__ import annotations

import numpy as np
import pytest

from headrace.dataset import config, vision
from headrace.dataset.vision import Border

from .mindspore_fixtures import cases, fixture


@pytest.fixture(params=["mindspore", "pillow"])
def resampling(request):
    previous = config.get_image_resampling()
    config.set_image_resampling(request.param)
    yield request.param
    config.set_image_resampling(previous)


@pytest.mark.parametrize("case, transform", [
    ("center_crop_40x50", lambda: vision.CenterCrop((40, 50))),
    ("pad_3_5_edge", lambda: vision.Pad([3, 5], padding_mode=Border.EDGE)),
])
def test_equals_mindspores_fixture(resampling, case, transform):
    ours = transform()(fixture("input_61x83.npy"))
    assert list(ours.shape) == cases("cases_geometry.json")[case]
    np.testing.assert_array_equal(ours, fixture(f"{case}.npy"))
