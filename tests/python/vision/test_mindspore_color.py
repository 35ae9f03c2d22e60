"""The colour transforms under the default config.set_image_resampling("mindspore") give
MindSpore 2.10's pixels.

- MindSpore's own outputs (color_*.npy in tests/data/mindspore_vision, recorded by
  record_color_cases.py there) exactly.
- Other sizes, factors and grey images against NumPy references written from the OpenCV
  conventions MindSpore's kernels follow: its fixed-point grey level, addWeighted's
  fma(degenerate, 1 - f, image * f) in float rounded to even, convertTo's rounding, the
  8-bit HSV_FULL tables and the float HSV -> RGB whose AVX2 loop truncates 32 pixels at a
  time while the end of each row is rounded.
- CenterCrop's offsets: floor((side - crop) / 2), the odd padding pixel first.
- Under set_image_resampling("pillow") the same transforms give Pillow's results
  (test_color.py holds them to Pillow).
"""

from __future__ import annotations

import numpy as np
import pytest

from headrace.dataset import config, vision
from headrace.dataset.transforms import described

from .mindspore_fixtures import cases, fixture

Image = pytest.importorskip("PIL.Image")
ImageEnhance = pytest.importorskip("PIL.ImageEnhance")

f32 = np.float32


pytestmark = pytest.mark.usefixtures("mindspore_resampling")


def random_image(shape, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


# ---- references --------------------------------------------------------------------------

def round_to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def opencv_grey(image: np.ndarray) -> np.ndarray:
    rgb = image.astype(np.int64)
    return ((rgb[..., 0] * 9798 + rgb[..., 1] * 19235 + rgb[..., 2] * 3735 + (1 << 14)) >> 15).astype(np.uint8)


def add_weighted(degenerate: np.ndarray, image: np.ndarray, factor: float) -> np.ndarray:
    image_weight = f32(factor)
    degenerate_weight = f32(1.0 - np.float64(image_weight))
    image_part = image.astype(f32) * image_weight
    blended = (degenerate.astype(np.float64) * np.float64(degenerate_weight) + image_part.astype(np.float64))
    return round_to_uint8(blended.astype(f32))


def ref_brightness(image, factor):
    return round_to_uint8(image.astype(f32) * f32(factor))


def ref_contrast(image, factor):
    grey = opencv_grey(image) if image.ndim == 3 and image.shape[2] == 3 else image.reshape(image.shape[:2])
    mean = int(grey.astype(np.float64).sum() / grey.size + 0.5)
    return add_weighted(np.full(image.shape, mean, np.uint8), image, factor)


def ref_saturation(image, factor):
    if image.ndim == 2 or image.shape[2] == 1:
        return image.copy()
    return add_weighted(np.repeat(opencv_grey(image)[..., None], 3, axis=2), image, factor)


def rgb_to_hsv_full(image):
    r, g, b = (image[..., c].astype(np.int64) for c in range(3))
    saturation_table = np.zeros(256, np.int64)
    hue_table = np.zeros(256, np.int64)
    for i in range(1, 256):
        saturation_table[i] = round((255 << 12) / i)
        hue_table[i] = round((256 << 12) / (6.0 * i))
    v = np.maximum(np.maximum(r, g), b)
    diff = v - np.minimum(np.minimum(r, g), b)
    s = (diff * saturation_table[v] + (1 << 11)) >> 12
    h = np.where(v == r, g - b, np.where(v == g, b - r + 2 * diff, r - g + 4 * diff))
    h = (h * hue_table[diff] + (1 << 11)) >> 12
    h = np.where(h < 0, h + 256, h)
    return np.minimum(h, 255), s, v


def hsv_full_to_rgb(h, s, v, truncate):
    hue = h.astype(f32) * (f32(6.0) / f32(255.0))
    sat = s.astype(f32) * f32(1.0 / 255.0)
    val = v.astype(f32) * f32(1.0 / 255.0)
    sector = np.floor(hue)
    hue = hue - sector
    sector = sector.astype(np.int64) % 6
    one = f32(1.0)
    tab = np.stack([val, val * (one - sat), val * (one - sat * hue), val * (one - sat * (one - hue))], -1)
    blue_green_red = np.array([[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]])[sector]
    bgr = np.take_along_axis(tab, blue_green_red, -1)
    bgr = np.where((s == 0)[..., None], val[..., None], bgr) * f32(255.0)
    rounded = np.where(truncate[..., None], np.trunc(bgr), np.rint(bgr))
    return np.clip(rounded, 0, 255).astype(np.uint8)[..., ::-1]


def ref_hue(image, factor):
    if image.ndim == 2 or image.shape[2] == 1:
        return image.copy()
    h, s, v = rgb_to_hsv_full(image)
    shift = int(np.int32(f32(factor) * f32(255.0))) & 0xFF
    height, width = image.shape[:2]
    columns = np.arange(width)[None, :].repeat(height, axis=0)
    return hsv_full_to_rgb((h + shift) & 0xFF, s, v, truncate=columns < width // 32 * 32)


REFERENCES = {
    "AdjustBrightness": ref_brightness,
    "AdjustContrast": ref_contrast,
    "AdjustSaturation": ref_saturation,
    "AdjustHue": ref_hue,
}


# ---- MindSpore's recorded outputs ------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(cases("cases_color.json")))
def test_equals_mindspores_recorded_output(case):
    call, shape = cases("cases_color.json")[case]
    ours = eval(f"vision.{call}")(fixture("input_61x83.npy"))  # noqa: S307 - calls from our own listing
    assert list(ours.shape) == shape
    np.testing.assert_array_equal(ours, fixture(f"color_{case}.npy"))


@pytest.mark.parametrize("transform", sorted(REFERENCES))
def test_references_equal_mindspores_recorded_output(transform):
    # The references below are MindSpore's too, where the recordings reach.
    listing = cases("cases_color.json")
    image = fixture("input_61x83.npy")
    checked = 0
    for case, (call, _) in listing.items():
        if call.startswith(transform + "("):
            factor = float(call[len(transform) + 1:-1])
            np.testing.assert_array_equal(REFERENCES[transform](image, factor), fixture(f"color_{case}.npy"))
            checked += 1
    assert checked > 0, f"no recorded case of {transform}"


# ---- more sizes and factors against the references -------------------------------------------

SHAPES = [(37, 53, 3), (5, 70, 3), (64, 96, 3), (1, 33, 3), (31, 29), (17, 23, 1)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("transform, factors", [
    ("AdjustBrightness", [0.0, 0.37, 1.0, 1.5, 3.3]),
    ("AdjustContrast", [0.0, 0.6, 1.0, 1.9]),
    ("AdjustSaturation", [0.0, 0.5, 1.7, 4.0]),
    ("AdjustHue", [-0.5, -0.3, 0.0, 0.1, 0.33, 0.5]),
])
def test_equals_the_reference(shape, transform, factors):
    for i, factor in enumerate(factors):
        image = random_image(shape, seed=i + len(shape))
        ours = getattr(vision, transform)(factor)(image)
        assert ours.shape == image.shape and ours.dtype == np.uint8
        np.testing.assert_array_equal(ours, REFERENCES[transform](image, factor), err_msg=f"{transform}({factor})")


def test_hue_zero_is_not_the_identity():
    # An HSV round trip in 8 bits loses levels, as in MindSpore: AdjustHue(0) is no copy.
    image = random_image((9, 40, 3), seed=4)
    ours = vision.AdjustHue(0.0)(image)
    np.testing.assert_array_equal(ours, ref_hue(image, 0.0))
    assert not np.array_equal(ours, image)


def test_random_color_adjust_with_fixed_factors_is_the_adjustment():
    image = random_image((21, 45, 3), seed=6)
    np.testing.assert_array_equal(vision.RandomColorAdjust(hue=(0.2, 0.2))(image), ref_hue(image, 0.2))
    np.testing.assert_array_equal(vision.RandomColorAdjust(saturation=(1.7, 1.7))(image), ref_saturation(image, 1.7))
    np.testing.assert_array_equal(vision.RandomColorAdjust(contrast=(0.4, 0.4))(image), ref_contrast(image, 0.4))
    np.testing.assert_array_equal(vision.RandomColorAdjust(brightness=(1.3, 1.3))(image), ref_brightness(image, 1.3))


@pytest.mark.parametrize("shape", [(37, 53, 3), (31, 29), (17, 23, 1)])
def test_sharpness_autocontrast_and_equalize_are_the_random_transforms_kernels(shape):
    # The random variants were held to MindSpore's kernels (test_color_transforms.py); the
    # fixed ones share them.
    image = random_image(shape, seed=8)
    np.testing.assert_array_equal(vision.AdjustSharpness(1.8)(image), vision.RandomSharpness((1.8, 1.8))(image))
    np.testing.assert_array_equal(vision.AutoContrast(2.0)(image), vision.RandomAutoContrast(2.0, prob=1.0)(image))
    np.testing.assert_array_equal(vision.Equalize()(image), vision.RandomEqualize(prob=1.0)(image))


def test_pillow_mode_gives_pillows_results(pillow_resampling):
    image = random_image((37, 53, 3), seed=9)
    expected = np.asarray(ImageEnhance.Color(Image.fromarray(image)).enhance(1.7))
    np.testing.assert_array_equal(vision.AdjustSaturation(1.7)(image), expected)
    assert not np.array_equal(expected, ref_saturation(image, 1.7)), "the two conventions differ here"


def test_the_mode_is_part_of_the_description():
    # The cache server keys a pipeline by its description: the two kinds of pixels never mix.
    mindspore = vision.AdjustHue(0.2)
    config.set_image_resampling("pillow")
    pillow = vision.AdjustHue(0.2)
    assert described(mindspore) == "AdjustHue(0.2, resampling='mindspore')"
    assert described(pillow) == "AdjustHue(0.2, resampling='pillow')"


# ---- CenterCrop ---------------------------------------------------------------------------------

def ref_center_crop(image, height, width):
    # Pad a short side (the odd pixel before), then take the window at floor((side - crop) / 2).
    pad_h = max(height - image.shape[0], 0)
    pad_w = max(width - image.shape[1], 0)
    padding = [((pad_h + 1) // 2, pad_h // 2), ((pad_w + 1) // 2, pad_w // 2)] + [(0, 0)] * (image.ndim - 2)
    padded = np.pad(image, padding)
    top = (padded.shape[0] - height) // 2
    left = (padded.shape[1] - width) // 2
    return padded[top:top + height, left:left + width]


@pytest.mark.parametrize("size", [(21, 30), (4, 4), (40, 60), (11, 7), (37, 53), (1, 1)])
@pytest.mark.parametrize("shape", [(37, 53, 3), (10, 10), (9, 14, 1)])
def test_center_crop_offsets_are_mindspores(shape, size):
    image = random_image(shape, seed=11)
    np.testing.assert_array_equal(vision.CenterCrop(size)(image), ref_center_crop(image, *size))


def test_center_crop_offsets_are_torchvisions_in_pillow_mode(pillow_resampling):
    image = random_image((37, 53, 3), seed=12)
    # torchvision: int(round((53 - 30) / 2.0)) = 12 (half to even), MindSpore 11.
    np.testing.assert_array_equal(vision.CenterCrop((21, 30))(image), image[8:29, 12:42])
