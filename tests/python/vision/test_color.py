"""headrace.dataset.vision colour and value transforms against Pillow and NumPy, under
config.set_image_resampling("pillow") (test_mindspore_color.py holds the default mode to
MindSpore's kernels).

There the colour transforms reproduce Pillow's integer and float arithmetic step for step
(ImageEnhance's blend in float, "L" and "HSV" conversions, ImageOps' lookup tables), so
every comparison with Pillow is exact; Normalize and Rescale compare with NumPy within
float32 rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace._core import engine as _engine
from headrace.dataset import vision
from headrace.errors import InvalidArgumentError

Image = pytest.importorskip("PIL.Image")
ImageEnhance = pytest.importorskip("PIL.ImageEnhance")
ImageOps = pytest.importorskip("PIL.ImageOps")

pytestmark = pytest.mark.usefixtures("pillow_resampling")

# Odd sizes, RGB, grey (H, W) and grey (H, W, 1).
SHAPES = [(37, 53, 3), (31, 29), (17, 23, 1)]


def random_image(shape, seed: int = 0, low: int = 0, high: int = 256) -> np.ndarray:
    return np.random.default_rng(seed).integers(low, high, shape, dtype=np.uint8)


def pillow(image: np.ndarray, operation) -> np.ndarray:
    """`operation` applied by Pillow, in the input's shape ((H, W, 1) goes through mode L)."""
    out = np.asarray(operation(Image.fromarray(image[..., 0] if image.shape[-1:] == (1,) else image)))
    return out.reshape(image.shape)


ENHANCERS = {
    "AdjustBrightness": ImageEnhance.Brightness,
    "AdjustContrast": ImageEnhance.Contrast,
    "AdjustSaturation": ImageEnhance.Color,
    "AdjustSharpness": ImageEnhance.Sharpness,
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("transform", sorted(ENHANCERS))
@pytest.mark.parametrize("factor", [0.0, 0.35, 1.0, 1.7, 4.2])
def test_enhancers_equal_pillow(shape, transform, factor):
    image = random_image(shape, seed=len(shape) + int(factor * 10))
    expected = pillow(image, lambda im: ENHANCERS[transform](im).enhance(factor))
    got = getattr(vision, transform)(factor)(image)
    assert got.dtype == np.uint8 and got.shape == image.shape
    np.testing.assert_array_equal(got, expected)


def test_contrast_on_a_narrow_range_equals_pillow():
    # A mean far from 128 and values that clip on both sides when stretched.
    image = random_image((41, 43, 3), seed=5, low=60, high=120)
    for factor in (0.2, 2.5, 9.0):
        expected = pillow(image, lambda im: ImageEnhance.Contrast(im).enhance(factor))
        np.testing.assert_array_equal(vision.AdjustContrast(factor)(image), expected)


def pillow_hue(image: np.ndarray, factor: float) -> np.ndarray:
    """torchvision's adjust_hue on a PIL image: the uint8 hue plus int(factor * 255), mod 256."""
    hsv = np.asarray(Image.fromarray(image).convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int64) + int(factor * 255)) % 256
    return np.asarray(Image.fromarray(hsv, "HSV").convert("RGB"))


@pytest.mark.parametrize("factor", [-0.5, -0.23, 0.0, 0.1, 0.37, 0.5])
def test_hue_equals_pillow_hsv_round_trip(factor):
    image = random_image((39, 47, 3), seed=11)
    np.testing.assert_array_equal(vision.AdjustHue(factor)(image), pillow_hue(image, factor))


def test_saturation_and_hue_leave_grey_images_alone():
    for shape in SHAPES[1:]:
        image = random_image(shape, seed=3)
        np.testing.assert_array_equal(vision.AdjustHue(0.3)(image), image)
        np.testing.assert_array_equal(vision.AdjustSaturation(0.0)(image), image)


def test_sharpness_keeps_the_border_and_tiny_images():
    image = random_image((2, 9, 3), seed=4)
    np.testing.assert_array_equal(vision.AdjustSharpness(0.0)(image), image)
    image = random_image((12, 15, 3), seed=4)
    out = vision.AdjustSharpness(3.0)(image)
    for edge in (np.s_[0], np.s_[-1], np.s_[:, 0], np.s_[:, -1]):
        np.testing.assert_array_equal(out[edge], image[edge])


@pytest.mark.parametrize("shape", SHAPES)
def test_tone_curves_equal_imageops(shape):
    image = random_image(shape, seed=8)
    for bits in range(1, 9):
        np.testing.assert_array_equal(vision.Posterize(bits)(image),
                                      pillow(image, lambda im: ImageOps.posterize(im, bits)))
    for threshold in (0, 1, 100, 128.5, 255):
        np.testing.assert_array_equal(vision.Solarize(threshold)(image),
                                      pillow(image, lambda im: ImageOps.solarize(im, threshold)))
    np.testing.assert_array_equal(vision.Invert()(image), pillow(image, ImageOps.invert))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(6))
def test_histogram_transforms_equal_imageops(shape, seed):
    # Narrow ranges and few distinct values, where the lookup tables are not the identity.
    rng = np.random.default_rng(seed)
    low = int(rng.integers(0, 200))
    image = random_image(shape, seed=seed, low=low, high=int(rng.integers(low + 2, 257)))
    if seed % 2:
        image = image // 23 * 23
    np.testing.assert_array_equal(vision.Equalize()(image), pillow(image, ImageOps.equalize))
    for cutoff in (0.0, 0.5, 2, 12.5, 49.9):
        for ignore in (None, int(image.flat[0]), [low, 255, 3]):
            expected = pillow(image, lambda im: ImageOps.autocontrast(im, cutoff, ignore))
            np.testing.assert_array_equal(vision.AutoContrast(cutoff, ignore)(image), expected,
                                          err_msg=f"cutoff={cutoff} ignore={ignore}")


def test_posterize_zero_bits_and_solarize_range():
    image = random_image((9, 11, 3), seed=2)
    np.testing.assert_array_equal(vision.Posterize(0)(image), np.zeros_like(image))
    inside = (image >= 40) & (image <= 170)
    np.testing.assert_array_equal(vision.Solarize((40, 170))(image), np.where(inside, 255 - image, image))
    # (t, t) is one threshold, as MindSpore: every value >= t.
    np.testing.assert_array_equal(vision.Solarize((100, 100))(image), vision.Solarize(100)(image))


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_normalize_equals_numpy(dtype):
    mean, std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
    image = random_image((37, 53, 3), seed=1).astype(dtype)
    expected = (image.astype(np.float64) - mean) / std
    got = vision.Normalize(mean, std)(image)
    assert got.dtype == np.float32 and got.shape == image.shape
    # Float32 rounding of the result and of mean and 1/std: relative 1e-5, and an absolute
    # 1e-6 for values near zero.
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)

    chw = np.ascontiguousarray(np.transpose(image, (2, 0, 1)))
    np.testing.assert_allclose(vision.Normalize(mean, std, is_hwc=False)(chw),
                               np.transpose(expected, (2, 0, 1)), rtol=1e-5, atol=1e-6)
    grey = image[..., 0]
    np.testing.assert_allclose(vision.Normalize([mean[0]], [std[0]])(grey),
                               expected[..., 0], rtol=1e-5, atol=1e-6)


def test_rescale_equals_numpy():
    image = random_image((19, 21, 3), seed=6)
    for data in (image, image.astype(np.float32) * 0.5):
        got = vision.Rescale(1.0 / 255.0, -0.5)(data)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, data.astype(np.float64) / 255.0 - 0.5, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.uint8, np.bool_, np.int16, np.float32, np.float64])
def test_hwc2chw_is_numpy_transpose(dtype):
    image = random_image((7, 13, 3), seed=9).astype(dtype)
    got = vision.HWC2CHW()(image)
    assert got.dtype == image.dtype
    np.testing.assert_array_equal(got, np.transpose(image, (2, 0, 1)))
    five = random_image((5, 4, 5), seed=9).astype(dtype)
    np.testing.assert_array_equal(vision.HWC2CHW()(five), np.transpose(five, (2, 0, 1)))
    grey = image[..., 0].copy()
    np.testing.assert_array_equal(vision.HWC2CHW()(grey), grey)  # (H, W) stays, as in MindSpore


def test_normalize_then_hwc2chw_in_a_pipeline():
    images = np.stack([random_image((24, 31, 3), seed=i) for i in range(6)])
    mean, std = [0.485 * 255, 0.456 * 255, 0.406 * 255], [0.229 * 255, 0.224 * 255, 0.225 * 255]
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([vision.Normalize(mean, std), vision.HWC2CHW()], input_columns="image",
                    num_parallel_workers=2)
    rows = [row[0] for row in data.create_tuple_iterator(num_epochs=1)]
    assert len(rows) == 6
    for image, row in zip(images, rows):
        expected = np.transpose((image.astype(np.float64) - mean) / std, (2, 0, 1))
        np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-6)


def compute_twice(op, image):
    _engine.set_eager_seed(7)
    first = op(image)
    _engine.set_eager_seed(7)
    return first, op(image)


def test_random_color_adjust_repeats_for_a_seed():
    image = random_image((33, 35, 3), seed=12)
    op = vision.RandomColorAdjust(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    first, second = compute_twice(op, image)
    np.testing.assert_array_equal(first, second)
    _engine.set_eager_seed(7)
    outputs = [op(image) for _ in range(5)]
    assert any(not np.array_equal(outputs[0], other) for other in outputs[1:])


def brightness_factor_of(image: np.ndarray, out: np.ndarray) -> float:
    """A factor f with out == clip(trunc(f * image)) on every pixel that did not clip: the
    middle of the intersection of [out / x, (out + 1) / x) over the pixels."""
    x = image.astype(np.float64).ravel()
    y = out.astype(np.float64).ravel()
    keep = (x > 0) & (y < 255)
    low = np.max(y[keep] / x[keep])
    high = np.min((y[keep] + 1) / x[keep])
    assert low < high, "no single brightness factor explains the output"
    return (low + high) / 2


def test_random_color_adjust_brightness_only_is_adjust_brightness_in_range():
    image = random_image((29, 31, 3), seed=13)
    op = vision.RandomColorAdjust(brightness=(0.6, 0.9))
    _engine.set_eager_seed(3)
    for _ in range(5):
        out = op(image)
        factor = brightness_factor_of(image, out)
        assert 0.6 <= factor <= 0.9
        np.testing.assert_array_equal(out, vision.AdjustBrightness(factor)(image))


def test_random_color_adjust_identity_and_grey():
    image = random_image((9, 10, 3), seed=14)
    np.testing.assert_array_equal(vision.RandomColorAdjust()(image), image)
    grey = random_image((9, 10), seed=14)
    out = vision.RandomColorAdjust(brightness=0.5, contrast=0.5, saturation=0.5, hue=0.5)(grey)
    assert out.shape == grey.shape and out.dtype == np.uint8


def test_random_color_adjust_in_a_pipeline_repeats_with_any_worker_count():
    images = np.stack([random_image((16, 18, 3), seed=i) for i in range(8)])

    def run(workers: int):
        ds.config.set_seed(21)
        data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
        data = data.map(vision.RandomColorAdjust(0.3, 0.3, 0.3, 0.05), input_columns="image",
                        num_parallel_workers=workers)
        return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]

    ones, twos = run(1), run(2)
    assert len(ones) == 8 and not any(np.array_equal(out, image) for out, image in zip(ones, images))
    for one, two in zip(ones, twos):
        np.testing.assert_array_equal(one, two)


@pytest.mark.parametrize("make", [lambda: vision.AdjustBrightness(0.5), lambda: vision.AdjustContrast(0.5),
                                  lambda: vision.AdjustSaturation(0.5), lambda: vision.AdjustHue(0.1),
                                  lambda: vision.AdjustSharpness(0.5), lambda: vision.Posterize(3),
                                  lambda: vision.Solarize(9), vision.AutoContrast, vision.Equalize,
                                  vision.Invert, lambda: vision.RandomColorAdjust(0.3)])
def test_errors_name_the_transform_and_the_image(make):
    transform = make()  # made under the module's Pillow mode
    name = transform.name
    with pytest.raises(ValueError, match=rf"^{name}: expected an image of shape \(H, W\) or \(H, W, C\) "
                                         r"with 1 or 3 channels of uint8, got float32 of shape \[4, 5, 3\]$"):
        transform(np.zeros((4, 5, 3), dtype=np.float32))
    with pytest.raises(ValueError, match=rf"^{name}: .* got uint8 of shape \[4, 5, 4\]$"):
        transform(np.zeros((4, 5, 4), dtype=np.uint8))


def test_layout_errors_name_the_transform_and_the_image():
    with pytest.raises(ValueError, match=r"^Normalize: mean and std have 3 values but the image of "
                                         r"shape \[4, 5\] has 1 channels$"):
        vision.Normalize([1, 2, 3], [1, 1, 1])(np.zeros((4, 5), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"^Rescale: .* got float64 of shape \[4, 5, 3\]$"):
        vision.Rescale(1.0, 0.0)(np.zeros((4, 5, 3)))
    with pytest.raises(ValueError, match=r"^HWC2CHW: .* got uint8 of shape \[4\]$"):
        vision.HWC2CHW()(np.zeros(4, dtype=np.uint8))


@pytest.mark.parametrize("make, message", [
    (lambda: vision.Normalize([1, 2], [1]), "Normalize: mean and std must have the same length"),
    (lambda: vision.Normalize([300], [1]), r"Normalize: mean\[0\] must be in \[0, 255\]"),
    (lambda: vision.Normalize([1], [0]), r"Normalize: std\[0\] must be in \(0, 255\]"),
    (lambda: vision.AdjustBrightness(-0.1), "AdjustBrightness: brightness_factor must be in"),
    (lambda: vision.AdjustContrast(float("nan")), "AdjustContrast: contrast_factor must be a finite"),
    (lambda: vision.AdjustHue(0.6), r"AdjustHue: hue_factor must be in \[-0.5, 0.5\]"),
    (lambda: vision.AdjustSharpness(-1), "AdjustSharpness: sharpness_factor must be in"),
    (lambda: vision.Posterize(9), "Posterize: bits must be at most 8"),
    (lambda: vision.Solarize(256), r"Solarize: threshold must be in \[0, 255\]"),
    (lambda: vision.Solarize((200, 100)), "Solarize: threshold must be \\(min, max\\) with min <= max"),
    (lambda: vision.AutoContrast(50), r"AutoContrast: cutoff must be in \[0, 50\)"),
    (lambda: vision.AutoContrast(ignore=[1, 300]), r"AutoContrast: ignore\[1\] must be at most 255"),
    (lambda: vision.RandomColorAdjust(brightness=-1), "RandomColorAdjust: brightness must be in"),
    (lambda: vision.RandomColorAdjust(contrast=(2, 1)), "RandomColorAdjust: contrast must be \\(min, max\\)"),
    (lambda: vision.RandomColorAdjust(hue=0.7), r"RandomColorAdjust: hue must be in \[0, 0.5\]"),
    (lambda: vision.RandomColorAdjust(hue=(-0.6, 0)), r"RandomColorAdjust: hue\[0\] must be in \[-0.5, 0.5\]"),
])
def test_arguments_are_checked(make, message):
    with pytest.raises(InvalidArgumentError, match=message):
        make()


# A value of the wrong type is a TypeError, as in MindSpore; the message still names the argument.
@pytest.mark.parametrize("make, message", [
    (lambda: vision.Normalize(1, 1), "Normalize: mean must be a non-empty list or tuple"),
    (lambda: vision.Rescale("a", 0), "Rescale: rescale must be a finite number"),
    (lambda: vision.AdjustSaturation(None), "AdjustSaturation: saturation_factor must be a finite"),
    (lambda: vision.Posterize(2.0), "Posterize: bits must be an int"),
    (lambda: vision.Normalize([1], [1], is_hwc=1), "Normalize: is_hwc must be a bool"),
    (lambda: vision.AutoContrast(ignore="a"), "AutoContrast: ignore must be an int"),
])
def test_argument_types_are_checked(make, message):
    with pytest.raises(TypeError, match=message):
        make()
