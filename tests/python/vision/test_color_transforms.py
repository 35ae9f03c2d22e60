"""MindSpore's colour and value transforms (AdjustGamma, GaussianBlur, ConvertColor,
Grayscale, RgbToHsv/HsvToRgb, NormalizePad, ToTensor, ToType, LinearTransformation and the
random colour transforms) against NumPy references written from MindSpore's documented
formulas and the OpenCV/Pillow/colorsys conventions it follows. The random transforms are
checked at the parameters they draw (op.draw(seed)), and the draws for their ranges and
probabilities."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision
from headrace.errors import InvalidArgumentError

RNG_SHAPES = [(37, 53, 3), (31, 29), (17, 23, 1), (1, 9, 3), (6, 1)]


def random_image(shape, seed: int = 0, dtype=np.uint8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape, dtype=np.float32)


# ---- references ------------------------------------------------------------------------

def ref_gamma_uint8(image, gamma, gain):
    levels = np.arange(256) / 255.0
    powered = np.power(levels.astype(np.float32), np.float32(gamma)).astype(np.float64)
    table = np.floor(np.minimum(powered * (255.0 + 1 - 1e-3) * np.float32(gain), 255.0)).astype(np.uint8)
    return table[image]


def gaussian_kernel(size, sigma):
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-x * x / (2 * sigma * sigma))
    return g / g.sum()


def fixed_point(kernel, bits=8):
    """OpenCV's error-diffused rounding of a kernel to `bits` fraction bits (sums to 1)."""
    n = len(kernel)
    out = np.zeros(n, np.int64)
    error = 0.0
    for i in range(n // 2):
        adjusted = kernel[i] * (1 << bits) + error
        out[i] = out[n - 1 - i] = int(np.rint(adjusted))
        error = adjusted - out[i]
    out[n // 2] = (1 << bits) - 2 * out[: n // 2].sum()
    return out


def reflect101(index, n):
    if n == 1:
        return np.zeros_like(index)
    period = 2 * n - 2
    index = np.mod(index, period)
    return np.where(index >= n, period - index, index)


def ref_gaussian_blur(image, kx, ky, sx, sy):
    kernel_x, kernel_y = gaussian_kernel(kx, sx), gaussian_kernel(ky, sy)
    integer = image.dtype == np.uint8
    if integer:
        kernel_x, kernel_y = fixed_point(kernel_x), fixed_point(kernel_y)
    a = (image.astype(np.int64) if integer else image.astype(np.float64))
    a = a[..., None] if a.ndim == 2 else a
    height, width = a.shape[:2]
    cols = reflect101(np.arange(width)[:, None] + np.arange(kx)[None, :] - kx // 2, width)
    a = (a[:, cols, :] * kernel_x[None, None, :, None]).sum(2)
    rows = reflect101(np.arange(height)[:, None] + np.arange(ky)[None, :] - ky // 2, height)
    a = (a[rows, :, :] * kernel_y[None, :, None, None]).sum(1)
    a = a.reshape(image.shape)
    if integer:
        return np.minimum((a + (1 << 15)) >> 16, 255).astype(np.uint8)
    return a.astype(np.float32)


def opencv_grey(rgb):
    """cv::cvtColor RGB2GRAY: 15-bit fixed point for integers, float weights for float32."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    if rgb.dtype == np.float32:
        return (b * np.float32(0.114) + g * np.float32(0.587) + r * np.float32(0.299)).astype(np.float32)
    y = (r.astype(np.int64) * 9798 + g.astype(np.int64) * 19235 + b.astype(np.int64) * 3735 + (1 << 14)) >> 15
    return y.astype(rgb.dtype)


def pillow_grey(rgb):
    """Pillow's "L": ITU-R 601-2 luma in 16-bit fixed point."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(np.uint8)


def opencv_equalize(image):
    out = np.empty_like(image)
    planes = image[..., None] if image.ndim == 2 else image
    result = out[..., None] if out.ndim == 2 else out
    for c in range(planes.shape[-1]):
        plane = planes[..., c]
        hist = np.bincount(plane.ravel(), minlength=256)
        first = int(np.nonzero(hist)[0][0])
        rest = plane.size - hist[first]
        if rest == 0:
            result[..., c] = plane
            continue
        lut = np.zeros(256, np.uint8)
        lut[first + 1:] = np.minimum(np.rint(np.cumsum(hist[first + 1:]).astype(np.float32)
                                             * np.float32(255.0 / rest)), 255)
        result[..., c] = lut[plane]
    return out


def mindspore_auto_contrast(image, cutoff, ignore):
    out = np.empty_like(image)
    planes = image[..., None] if image.ndim == 2 else image
    result = out[..., None] if out.ndim == 2 else out
    for c in range(planes.shape[-1]):
        hist = np.bincount(planes[..., c].ravel(), minlength=256).astype(np.int64)
        hist[list(ignore)] = 0
        cut = int(np.float32(int(cutoff)) / np.float32(100) * np.float32(hist.sum()))
        for order in (range(256), range(255, -1, -1)):
            left = cut
            for v in order:
                taken = min(left, hist[v])
                hist[v] -= taken
                left -= taken
        present = np.nonzero(hist)[0]
        lo, hi = (int(present[0]), int(present[-1])) if present.size else (255, -1)
        if hi <= lo:
            lut = np.arange(256, dtype=np.uint8)
        else:
            scale = np.float32(255.0) / np.float32(hi - lo)
            lut = np.clip((np.arange(256, dtype=np.float32) * scale - np.float32(lo) * scale).astype(np.int32),
                          0, 255).astype(np.uint8)
        result[..., c] = lut[planes[..., c]]
    return out


def added_weighted(first, alpha, second, beta):
    """cv::addWeighted(first, alpha, second, beta, 0) in float32 as MindSpore's build computes
    it: fma(first, alpha, second * beta), the product of `first` exact, one rounding."""
    second_part = (second.astype(np.float32) * np.float32(beta)).astype(np.float64)
    return (first.astype(np.float64) * np.float64(np.float32(alpha)) + second_part).astype(np.float32)


def mindspore_sharpness(image, factor):
    """MindSpore's Sharpness: the 3x3 SMOOTH filter (1s around a centre of 5, over 13;
    uint8 rounded to nearest), borders kept, then cv::addWeighted(image, factor, smooth,
    1 - factor) (uint8 rounded to nearest even and saturated)."""
    a = image.astype(np.float64)
    a3 = a[..., None] if a.ndim == 2 else a
    smooth = a3.copy()
    if a3.shape[0] >= 3 and a3.shape[1] >= 3:
        total = sum(a3[1 + dy:a3.shape[0] - 1 + dy, 1 + dx:a3.shape[1] - 1 + dx]
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1)) + 4 * a3[1:-1, 1:-1]
        smooth[1:-1, 1:-1] = np.floor(total / 13 + 0.5) if image.dtype == np.uint8 else total / 13
    alpha = np.float32(factor)
    blend = added_weighted(a3, alpha, smooth, np.float32(1.0 - np.float64(alpha)))
    if image.dtype == np.uint8:
        return np.clip(np.rint(blend), 0, 255).astype(np.uint8).reshape(image.shape)
    return blend.reshape(image.shape)


def mindspore_lighting(image, weights):
    eig = np.array([[55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
                    [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140],
                    [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203]], np.float32)
    offset = (eig * np.asarray(weights, np.float32)[None, :]).sum(1, dtype=np.float32)
    return np.clip(np.rint(image.astype(np.float32) + offset), 0, 255).astype(np.uint8)


# ---- deterministic transforms ----------------------------------------------------------

@pytest.mark.parametrize("shape", RNG_SHAPES)
@pytest.mark.parametrize("gamma, gain", [(0.0, 1.0), (0.4, 1.0), (1.0, 1.0), (2.2, 0.7), (1.3, 1.6)])
def test_adjust_gamma_equals_the_table_on_uint8_and_the_power_on_float(shape, gamma, gain):
    image = random_image(shape, seed=len(shape))
    np.testing.assert_array_equal(vision.AdjustGamma(gamma, gain)(image), ref_gamma_uint8(image, gamma, gain))
    floats = random_image(shape, seed=3, dtype=np.float32)
    expected = np.clip(np.power(floats * np.float32(gain), np.float32(gamma)), 0, 1)
    got = vision.AdjustGamma(gamma, gain)(floats)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape", RNG_SHAPES + [(12, 14, 4)])
@pytest.mark.parametrize("kernel_size, sigma", [(3, None), ((5, 3), None), (7, 1.5), ((1, 9), (0.7, 2.5)),
                                                ((11, 5), 3.0), (1, None)])
def test_gaussian_blur_equals_opencvs_fixed_point_blur(shape, kernel_size, sigma):
    kx, ky = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if sigma is None:
        sx = sy = float(np.float32(kx * 0.15 + 0.35))  # MindSpore's default, from kernel_x
    elif isinstance(sigma, tuple):
        sx, sy = (float(np.float32(s)) for s in sigma)
    else:
        sx = sy = float(np.float32(sigma))
    image = random_image(shape, seed=kx * 10 + ky)
    got = vision.GaussianBlur(kernel_size, sigma)(image)
    assert got.shape == image.shape and got.dtype == np.uint8
    np.testing.assert_array_equal(got, ref_gaussian_blur(image, kx, ky, sx, sy))
    floats = random_image(shape, seed=1, dtype=np.float32)
    np.testing.assert_allclose(vision.GaussianBlur(kernel_size, sigma)(floats),
                               ref_gaussian_blur(floats, kx, ky, sx, sy), atol=1e-6)


def test_gaussian_blur_kernel_of_sigma_matters():
    image = random_image((20, 20), seed=4)
    assert not np.array_equal(vision.GaussianBlur(5, 0.5)(image), vision.GaussianBlur(5, 3.0)(image))
    # A zero sigma is MindSpore's default for its own axis: 0 -> kernel * 0.15 + 0.35.
    np.testing.assert_array_equal(vision.GaussianBlur((5, 9), 0)(image), vision.GaussianBlur((5, 9))(image))
    np.testing.assert_array_equal(vision.GaussianBlur((5, 9), (1.2, 0))(image),
                                  vision.GaussianBlur((5, 9), (1.2, 9 * 0.15 + 0.35))(image))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
@pytest.mark.parametrize("mode", list(vision.ConvertMode))
def test_convert_color_equals_opencvs_conversions(mode, dtype):
    name = mode.value[len("COLOR_"):]
    source, target = name.split("2")
    rng = np.random.default_rng(len(name))
    top = 1.0 if dtype == np.float32 else np.iinfo(dtype).max
    if source == "GRAY":
        image = (rng.random((9, 11)) * top).astype(dtype)
        expected = np.repeat(image[..., None], len(target), axis=2)
        if len(target) == 4:
            expected[..., 3] = top
    else:
        image = (rng.random((9, 11, len(source))) * top).astype(dtype)
        rgb = image[..., :3] if source.startswith("RGB") else image[..., 2::-1]
        if target == "GRAY":
            expected = opencv_grey(np.ascontiguousarray(rgb))
        else:
            out = rgb if target.startswith("RGB") else rgb[..., ::-1]
            if len(target) == 4:
                alpha = image[..., 3:] if len(source) == 4 else np.full(image.shape[:2] + (1,), top, dtype)
                out = np.concatenate([out, alpha], axis=2)
            expected = out
    got = vision.ConvertColor(mode)(image)
    assert got.dtype == dtype and got.shape == expected.shape
    if dtype == np.float32:
        np.testing.assert_allclose(got, expected, atol=1e-6)
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("channels", [1, 3])
def test_grayscale_is_pillows_luma(channels):
    image = random_image((19, 23, 3), seed=2)
    got = vision.Grayscale(channels)(image)
    grey = pillow_grey(image)
    expected = grey if channels == 1 else np.repeat(grey[..., None], 3, axis=2)
    np.testing.assert_array_equal(got, expected)
    assert vision.Grayscale()(grey).shape == grey.shape  # a grey image stays grey


@pytest.mark.parametrize("is_hwc", [True, False])
@pytest.mark.parametrize("dtype, scale", [(np.uint8, 1), (np.float32, 255.0), (np.float64, 1.0)])
def test_rgb_hsv_conversions_are_colorsys_per_pixel(is_hwc, dtype, scale):
    rng = np.random.default_rng(6)
    image = (rng.random((2, 7, 9, 3)) * 255 if dtype == np.uint8 else rng.random((2, 7, 9, 3)) * scale)
    image = image.astype(dtype)
    image[0, 0, 0] = image[0, 0, 0, :1]  # a grey pixel (s = 0)
    flat = image.reshape(-1, 3).astype(np.float64)
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in flat]).reshape(image.shape)
    rgb = np.array([colorsys.hsv_to_rgb(*p) for p in hsv.reshape(-1, 3)]).reshape(image.shape)
    out_dtype = np.float32 if dtype == np.float32 else np.float64

    def layout(a):
        return a if is_hwc else np.ascontiguousarray(np.moveaxis(a, -1, -3))

    for batch in (image, image[0]):  # (N, ...) and one image
        index = slice(None) if batch.ndim == 4 else 0
        got = vision.RgbToHsv(is_hwc)(layout(batch))
        assert got.dtype == out_dtype
        np.testing.assert_allclose(got, layout(hsv[index]), rtol=1e-6, atol=1e-6)
        back = vision.HsvToRgb(is_hwc)(layout(hsv[index].astype(out_dtype)))
        np.testing.assert_allclose(back, layout(rgb[index]), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("is_hwc", [True, False])
def test_normalize_pad_is_normalize_then_a_zero_channel(dtype, is_hwc):
    image = random_image((13, 17, 3), seed=8)
    mean, std = [121.0, 115.5, 100.25], [70.0, 68.0, 71.5]
    expected = (image.astype(np.float32) - np.float32(mean)) / np.float32(std)
    expected = np.concatenate([expected, np.zeros((13, 17, 1), np.float32)], axis=2)
    x = image if is_hwc else np.ascontiguousarray(image.transpose(2, 0, 1))
    got = vision.NormalizePad(mean, std, dtype=dtype, is_hwc=is_hwc)(x)
    assert got.dtype == np.dtype(dtype)
    want = expected if is_hwc else expected.transpose(2, 0, 1)
    np.testing.assert_allclose(got.astype(np.float32), want, rtol=1e-3 if dtype == "float16" else 1e-6, atol=1e-5)


@pytest.mark.parametrize("shape", [(9, 11, 3), (9, 11), (9, 11, 1), (5, 6, 4)])
@pytest.mark.parametrize("output_type", [np.float32, np.float64, np.float16, np.uint8])
def test_to_tensor_is_chw_over_255(shape, output_type):
    image = random_image(shape, seed=3)
    chw = image.reshape(shape[:2] + (-1,)).transpose(2, 0, 1)
    expected = (chw.astype(np.float32) / np.float32(255)).astype(output_type)
    got = vision.ToTensor(output_type)(image)
    assert got.dtype == np.dtype(output_type) and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_to_type_casts():
    image = random_image((4, 5, 3), seed=1)
    got = vision.ToType(np.int16)(image)
    assert got.dtype == np.int16
    np.testing.assert_array_equal(got, image.astype(np.int16))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_linear_transformation_is_numpys_dot(dtype):
    rng = np.random.default_rng(9)
    image = random_image((3, 4, 5), seed=2)
    d = image.size
    matrix, mean = rng.normal(size=(d, d)).astype(dtype), (rng.normal(size=d) * 40).astype(dtype)
    expected = np.dot(image.reshape(1, -1) - mean, matrix).reshape(image.shape)
    got = vision.LinearTransformation(matrix, mean)(image)
    assert got.dtype == expected.dtype and got.shape == image.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-3)


def test_linear_transformation_cache_key_tells_large_matrices_apart():
    from headrace.dataset.cache import describe_for_cache

    images = np.zeros((2, 4, 5, 3), np.uint8)
    d = images[0].size
    other = np.eye(d)
    other[d // 2, d // 2] = 2.0  # differs where NumPy's shortened repr shows "..."

    def pipeline(matrix):
        data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
        return data.map(vision.LinearTransformation(matrix, np.zeros(d)), input_columns="image")

    assert describe_for_cache(pipeline(np.eye(d))) == describe_for_cache(pipeline(np.eye(d)))
    assert describe_for_cache(pipeline(np.eye(d))) != describe_for_cache(pipeline(other))


# ---- random transforms -----------------------------------------------------------------

PROBABILITY_OPS = {
    "RandomAdjustSharpness": (lambda p: vision.RandomAdjustSharpness(1.7, p), lambda im: mindspore_sharpness(im, 1.7)),
    "RandomAutoContrast": (lambda p: vision.RandomAutoContrast(7.6, [3, 200], p),
                           lambda im: mindspore_auto_contrast(im, 7.6, [3, 200])),
    "RandomEqualize": (lambda p: vision.RandomEqualize(p), opencv_equalize),
    "RandomGrayscale": (lambda p: vision.RandomGrayscale(p), lambda im: np.repeat(pillow_grey(im)[..., None], 3, 2)),
    "RandomInvert": (lambda p: vision.RandomInvert(p), lambda im: 255 - im),
}


@pytest.mark.parametrize("name", sorted(PROBABILITY_OPS))
@pytest.mark.parametrize("prob", [0.0, 0.3, 1.0])
def test_probability_transforms_apply_their_kernel_as_often_as_prob(name, prob):
    make, reference = PROBABILITY_OPS[name]
    op = make(prob)
    image = random_image((21, 26, 3), seed=11)
    expected = reference(image)
    applied = 0
    for seed in range(400):
        parameters = op.draw(seed)
        got = op.apply(image, parameters)
        if parameters:
            applied += 1
            np.testing.assert_array_equal(got, expected)
        else:
            np.testing.assert_array_equal(got, image)
    assert abs(applied / 400 - prob) < 0.08


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_random_color_blends_with_opencvs_grey_at_the_drawn_degree(dtype):
    op = vision.RandomColor((0.2, 1.8))
    image = random_image((15, 19, 3), seed=12, dtype=dtype) * (255 if dtype == np.float32 else 1)
    grey = opencv_grey(image).astype(np.float32)[..., None]
    degrees = []
    for seed in range(300):
        parameters = op.draw(seed)
        if not parameters:  # within 1/512 of 1: the image itself
            continue
        t = parameters[0]
        degrees.append(t)
        blend = added_weighted(image, t, grey, np.float32(1) - np.float32(t))
        got = op.apply(image, parameters)
        if dtype == np.uint8:
            np.testing.assert_array_equal(got, np.clip(np.rint(blend), 0, 255).astype(np.uint8))
        else:
            np.testing.assert_allclose(got, blend, rtol=1e-6, atol=1e-4)
    assert 0.2 <= min(degrees) < 0.3 and 1.7 < max(degrees) < 1.8


@pytest.mark.parametrize("shape", RNG_SHAPES + [(9, 8, 4)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_random_sharpness_is_mindspores_sharpness_at_the_drawn_degree(shape, dtype):
    op = vision.RandomSharpness((0.5, 1.5))
    image = random_image(shape, seed=13, dtype=dtype) * (255 if dtype == np.float32 else 1)
    drawn = [op.draw(seed)[0] for seed in range(300)]
    assert 0.5 <= min(drawn) < 0.55 and 1.45 < max(drawn) < 1.5
    for seed in range(20):
        parameters = op.draw(seed)
        got, expected = op.apply(image, parameters), mindspore_sharpness(image, parameters[0])
        if dtype == np.uint8:
            np.testing.assert_array_equal(got, expected)
        else:
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-3)


def test_random_invert_and_solarize_take_float_images():
    image = random_image((7, 9, 3), seed=20, dtype=np.float32) * 300 - 20
    invert = vision.RandomInvert(1.0)
    np.testing.assert_array_equal(invert.apply(image, invert.draw(0)), 255 - image)
    solarize = vision.RandomSolarize((60, 60))
    np.testing.assert_array_equal(solarize.apply(image, solarize.draw(0)), np.where(image >= 60, 255 - image, image))


def test_random_posterize_draws_every_bit_count():
    op = vision.RandomPosterize((2, 6))
    image = random_image((10, 10, 3), seed=14)
    bits = [int(op.draw(seed)[0]) for seed in range(500)]
    assert set(bits) == {2, 3, 4, 5, 6}
    for seed in range(10):
        b = int(op.draw(seed)[0])
        mask = np.uint8((0xFF << (8 - b)) & 0xFF)
        np.testing.assert_array_equal(op.apply(image, op.draw(seed)), image & mask)
    np.testing.assert_array_equal(vision.RandomPosterize()(image), image)  # (8, 8) keeps every bit


def test_random_solarize_inverts_between_two_drawn_thresholds():
    op = vision.RandomSolarize((30, 220))
    image = random_image((16, 16, 3), seed=15)
    drawn = np.array([op.draw(seed) for seed in range(500)])
    assert drawn.min() == 30 and drawn.max() == 220 and np.all(drawn[:, 0] <= drawn[:, 1])
    for low, high in drawn[:20]:
        top = 255 if low == high else high
        expected = np.where((image >= low) & (image <= top), 255 - image, image)
        np.testing.assert_array_equal(op.apply(image, [low, high]), expected)
    equal = vision.RandomSolarize((100, 100))
    np.testing.assert_array_equal(equal.apply(image, equal.draw(0)), np.where(image >= 100, 255 - image, image))


def test_random_lighting_adds_the_pca_offset_of_normal_weights():
    op = vision.RandomLighting(0.1)
    image = random_image((8, 9, 3), seed=16)
    weights = np.array([op.draw(seed) for seed in range(3000)])
    assert np.all(np.abs(weights.mean(0)) < 0.01) and np.all(np.abs(weights.std(0) - 0.1) < 0.01)
    for w in weights[:10]:
        np.testing.assert_array_equal(op.apply(image, w), mindspore_lighting(image, w))
    np.testing.assert_array_equal(vision.RandomLighting(0.0)(image), image)


def test_random_transforms_in_a_pipeline_repeat_with_any_worker_count():
    images = np.stack([random_image((12, 13, 3), seed=i) for i in range(8)])

    def run(workers: int):
        ds.config.set_seed(5)
        data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
        data = data.map([vision.RandomColor(), vision.RandomSolarize((50, 200)), vision.RandomInvert()],
                        input_columns="image", num_parallel_workers=workers)
        return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]

    ones, twos = run(1), run(3)
    assert not all(np.array_equal(out, image) for out, image in zip(ones, images))
    for one, two in zip(ones, twos):
        np.testing.assert_array_equal(one, two)


# ---- errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("transform, image, message", [
    (vision.AdjustGamma(1.0), np.zeros((4, 5, 4), np.uint8),
     r"^AdjustGamma: expected .* got uint8 of shape \[4, 5, 4\]$"),
    (vision.GaussianBlur(3), np.zeros((4, 5, 3)), r"^GaussianBlur: expected .* got float64 of shape \[4, 5, 3\]$"),
    (vision.ConvertColor(vision.ConvertMode.COLOR_GRAY2RGB), np.zeros((4, 5, 3), np.uint8),
     r"^ConvertColor: expected .* got uint8 of shape \[4, 5, 3\]$"),
    (vision.RgbToHsv(), np.zeros((4, 5, 3), np.uint8), r"^RgbToHsv: expected 3 channels on axis 0 \(is_hwc=False\)"),
    (vision.HsvToRgb(True), np.zeros((4, 5)), r"^HsvToRgb: expected an image of shape"),
    (vision.NormalizePad([1, 2, 3], [1, 1, 1]), np.zeros((4, 5), np.uint8),
     r"^NormalizePad: expected a 3-channel image of shape \(H, W, 3\), got uint8 of shape \[4, 5\]$"),
    (vision.LinearTransformation(np.eye(4), np.zeros(4)), np.zeros((2, 3), np.uint8),
     r"^LinearTransformation: transformation_matrix of shape \(4, 4\) does not fit"),
    (vision.RandomColor(), np.zeros((4, 5), np.uint8), r"^RandomColor: expected .* got uint8 of shape \[4, 5\]$"),
    (vision.RandomInvert(), np.zeros((4, 5, 3)), r"^RandomInvert: expected .* got float64"),
    (vision.RandomSharpness(), np.zeros((4, 5, 3), np.int32), r"^RandomSharpness: expected .* got int32"),
    (vision.RandomLighting(), np.zeros((4, 5, 1), np.uint8), r"^RandomLighting: expected .* \[4, 5, 1\]$"),
    (vision.RandomEqualize(0.0), np.zeros((4, 5, 2), np.uint8), r"^RandomEqualize: expected .* \[4, 5, 2\]$"),
])
def test_image_errors_name_the_transform_and_the_image(transform, image, message):
    with pytest.raises(ValueError, match=message):
        transform(image)


@pytest.mark.parametrize("make, message", [
    (lambda: vision.AdjustGamma(-1), r"AdjustGamma: gamma must be in \[0, inf\]"),
    (lambda: vision.GaussianBlur(4), "GaussianBlur: kernel_size must be positive odd ints"),
    (lambda: vision.GaussianBlur(3, -1), r"GaussianBlur: sigma must be in \[0, inf\]"),
    (lambda: vision.GaussianBlur(3, (1, -2)), r"GaussianBlur: sigma\[1\] must be in \[0, inf\]"),
    (lambda: vision.Grayscale(2), "Grayscale: num_output_channels must be 1 or 3"),
    (lambda: vision.NormalizePad([1, 2], [1, 2]), "NormalizePad: mean and std must have 3 values"),
    (lambda: vision.NormalizePad([1, 2, 3], [1, 0, 1]), r"NormalizePad: std\[1\] must be in \(0, 255\]"),
    (lambda: vision.NormalizePad([1, 2, 3], [1, 1, 1], dtype="float64"), "NormalizePad: dtype must be"),
    (lambda: vision.ToTensor("str"), "ToTensor: output_type must be a numeric"),
    (lambda: vision.ToType(object), "ToType: data_type must be a numeric"),
    (lambda: vision.LinearTransformation(np.eye(3), np.zeros(2)), "LinearTransformation: mean_vector must have"),
    (lambda: vision.LinearTransformation(np.ones((2, 3)), np.zeros(2)),
     "LinearTransformation: transformation_matrix must be a square matrix"),
    (lambda: vision.RandomAdjustSharpness(-1), r"RandomAdjustSharpness: degree must be in \[0, inf\]"),
    (lambda: vision.RandomAdjustSharpness(1, prob=1.5), r"RandomAdjustSharpness: prob must be in \[0, 1\]"),
    (lambda: vision.RandomAutoContrast(cutoff=50), r"RandomAutoContrast: cutoff must be in \[0, 50\)"),
    (lambda: vision.RandomAutoContrast(ignore=[256]), r"RandomAutoContrast: ignore\[0\] must be at most 255"),
    (lambda: vision.RandomColor((1.5, 0.5)), r"RandomColor: degrees must be \(min, max\) with min <= max"),
    (lambda: vision.RandomColor((-0.1, 1)), r"RandomColor: degrees\[0\] must be in \[0, inf\]"),
    (lambda: vision.RandomEqualize(-0.1), r"RandomEqualize: prob must be in \[0, 1\]"),
    (lambda: vision.RandomGrayscale(2), r"RandomGrayscale: prob must be in \[0, 1\]"),
    (lambda: vision.RandomLighting(-0.5), r"RandomLighting: alpha must be in \[0, inf\]"),
    (lambda: vision.RandomPosterize(0), "RandomPosterize: bits must be at least 1"),
    (lambda: vision.RandomPosterize((3, 9)), r"RandomPosterize: bits\[1\] must be at most 8"),
    (lambda: vision.RandomPosterize((5, 2)), r"RandomPosterize: bits must be \(min, max\) with min <= max"),
    (lambda: vision.RandomSharpness((2, 1)), r"RandomSharpness: degrees must be \(min, max\)"),
    (lambda: vision.RandomSolarize((0, 256)), r"RandomSolarize: threshold\[1\] must be at most 255"),
])
def test_arguments_are_checked(make, message):
    with pytest.raises(InvalidArgumentError, match=message):
        make()


# A value of the wrong type is a TypeError, as in MindSpore; the message still names the argument.
@pytest.mark.parametrize("make, message", [
    (lambda: vision.AdjustGamma(1, "a"), "AdjustGamma: gain must be a finite number"),
    (lambda: vision.GaussianBlur((3, 5, 7)), "GaussianBlur: kernel_size must be an int or a sequence"),
    (lambda: vision.ConvertColor("COLOR_RGB2GRAY"), "ConvertColor: convert_mode must be a ConvertMode"),
    (lambda: vision.RgbToHsv(1), "RgbToHsv: is_hwc must be a bool"),
    (lambda: vision.HsvToRgb("yes"), "HsvToRgb: is_hwc must be a bool"),
    (lambda: vision.RandomInvert("a"), "RandomInvert: prob must be a finite number"),
    (lambda: vision.RandomSolarize(5), r"RandomSolarize: threshold must be a sequence \(min, max\)"),
    (lambda: vision.LinearTransformation([[1]], np.zeros(1)), "LinearTransformation: transformation_matrix must be"),
])
def test_argument_types_are_checked(make, message):
    with pytest.raises(TypeError, match=message):
        make()
