"""headrace.dataset.vision geometry transforms against Pillow and NumPy on the same input.

Tolerances: uint8 resampling, rotation and affine warps are compared exactly. headrace
reproduces Pillow's integer arithmetic (22-bit weights, 8-bit intermediate image, the pass
order of Pillow 13, truncation in warps); the contract is +-1, but exact equality is what
these kernels give and what catches a wrong table or pass order. float32 resampling is
compared with atol 1e-5 on values in [0, 1]: headrace accumulates in float where Pillow's
'F' mode uses double (observed differences ~3e-7). Crops, flips and pads are exact.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import headrace.dataset as ds
from headrace._core import transforms as _core
from headrace.dataset import vision
from headrace.dataset.vision import Border, Inter
from headrace.errors import InvalidArgumentError

# These tests hold the transforms to Pillow (config.set_image_resampling("pillow")).
pytestmark = pytest.mark.usefixtures("pillow_resampling")

Image = pytest.importorskip("PIL.Image")
PIL = pytest.importorskip("PIL")

# Pillow 13 runs the vertical pass first when the height shrinks much more than the width;
# older Pillow always went horizontal first, which rounds the intermediate differently.
pillow13 = pytest.mark.skipif(int(PIL.__version__.split(".")[0]) < 13, reason="needs Pillow >= 13")

PIL_FILTERS = {Inter.NEAREST: Image.NEAREST, Inter.LINEAR: Image.BILINEAR, Inter.CUBIC: Image.BICUBIC}
INTERS = [Inter.NEAREST, Inter.LINEAR, Inter.CUBIC]
# The C++ kernel names of the Pillow filters above.
PIL_NAMES = {Inter.NEAREST: "nearest", Inter.LINEAR: "bilinear", Inter.CUBIC: "bicubic"}


def random_image(shape, seed=0, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    if dtype == np.float32:
        return rng.random(shape, dtype=np.float32)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def per_channel(array, fn):
    """fn applied to a Pillow image of each channel ('L', or 'F' for float32), restacked."""
    mode = "F" if array.dtype == np.float32 else "L"
    if array.ndim == 2:
        return np.asarray(fn(Image.fromarray(array, mode)))
    return np.stack([np.asarray(fn(Image.fromarray(np.ascontiguousarray(array[..., c]), mode)))
                     for c in range(array.shape[2])], axis=-1)


def pil_resize(array, height, width, inter, box=None):
    return per_channel(array, lambda im: im.resize((width, height), PIL_FILTERS[inter], box=box))


# --- Resize -----------------------------------------------------------------------------

@pillow13
@pytest.mark.parametrize("inter", INTERS)
@pytest.mark.parametrize("shape", [(37, 53, 3), (41, 29), (64, 48, 3), (9, 13, 4), (1, 7, 3)])
@pytest.mark.parametrize("size", [(20, 30), (100, 71), (37, 11), (3, 128), (224, 224)])
def test_resize_matches_pillow_exactly(shape, size, inter):
    image = random_image(shape, seed=sum(shape))
    got = vision.Resize(size, inter)(image)
    expected = pil_resize(image, *size, inter)
    assert got.shape == expected.shape and got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


def test_resize_rgb_equals_pillow_rgb_mode():
    image = random_image((45, 61, 3), seed=4)
    got = vision.Resize((30, 90), Inter.CUBIC)(image)
    np.testing.assert_array_equal(got, np.asarray(Image.fromarray(image).resize((90, 30), Image.BICUBIC)))


def test_resize_with_an_int_keeps_the_aspect_ratio():
    for shape, expected in [((375, 500, 3), (224, 298, 3)), ((500, 375, 3), (298, 224, 3)), ((50, 50), (224, 224))]:
        image = random_image(shape)
        got = vision.Resize(224)(image)
        assert got.shape == expected
        np.testing.assert_array_equal(got, pil_resize(image, expected[0], expected[1], Inter.LINEAR))


@pytest.mark.parametrize("inter", INTERS)
def test_resize_float32_matches_pillow_f_mode(inter):
    image = random_image((33, 47, 3), seed=5, dtype=np.float32)
    for size in [(20, 30), (70, 90)]:
        got = vision.Resize(size, inter)(image)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, pil_resize(image, *size, inter), rtol=0, atol=1e-5)


@pillow13
@pytest.mark.parametrize("inter", INTERS)
def test_resize_region_float_boxes_match_pillow_box(inter):
    rng = np.random.default_rng(6)
    for trial in range(40):
        h, w = (int(v) for v in rng.integers(4, 90, 2))
        image = random_image((h, w, 3) if trial % 2 else (h, w), seed=trial)
        x0, y0 = rng.uniform(0, w - 1), rng.uniform(0, h - 1)
        box = (x0, y0, rng.uniform(x0 + 0.5, w), rng.uniform(y0 + 0.5, h))
        if trial % 4 == 0:  # a JPEG decoded at 1/8 scale: an integer crop box divided by 8
            box = tuple(math.floor(v * 8) / 8 for v in box[:2]) + tuple(math.ceil(v * 8) / 8 for v in box[2:])
            box = (box[0], box[1], min(box[2], w), min(box[3], h))
        out_h, out_w = (int(v) for v in rng.integers(1, 120, 2))
        got = _core.resize_region(image, box, out_h, out_w, "pil_" + PIL_NAMES[inter])
        np.testing.assert_array_equal(got, pil_resize(image, out_h, out_w, inter, box=box), err_msg=str(box))


# --- Crops ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int16])
def test_crop_and_center_crop_are_exact_copies(dtype):
    image = (np.arange(7 * 9 * 2) % 251).astype(dtype).reshape(7, 9, 2)
    np.testing.assert_array_equal(vision.Crop((2, 3), (4, 5))(image), image[2:6, 3:8])
    np.testing.assert_array_equal(vision.Crop((0, 0), 3)(image), image[:3, :3])
    # torchvision: top = round((7 - 4) / 2) = 2 (half to even), left = round((9 - 4) / 2) = 2.
    np.testing.assert_array_equal(vision.CenterCrop(4)(image), image[2:6, 2:6])
    np.testing.assert_array_equal(vision.CenterCrop((3, 6))(image), image[2:5, 2:8])


def test_center_crop_larger_than_the_image_pads_with_zeros():
    image = random_image((5, 4, 3))
    got = vision.CenterCrop((8, 7))(image)
    # torchvision pads (crop - size) // 2 before and the rest after, then crops the centre.
    np.testing.assert_array_equal(got, np.pad(image, ((1, 2), (1, 2), (0, 0))))
    np.testing.assert_array_equal(vision.CenterCrop((2, 6))(image), np.pad(image, ((0, 0), (1, 1), (0, 0)))[2:4])


def test_random_crop_takes_windows_of_the_padded_image():
    image = random_image((10, 12, 3), seed=2)
    padded = np.pad(image, ((3, 3), (2, 2), (0, 0)), mode="reflect")
    op = vision.RandomCrop((8, 9), padding=(2, 3), padding_mode=Border.REFLECT)
    positions = set()
    for _ in range(200):
        got = op(image)
        matches = [(i, j) for i in range(padded.shape[0] - 7) for j in range(padded.shape[1] - 8)
                   if np.array_equal(padded[i:i + 8, j:j + 9], got)]
        assert matches, "not a window of the padded image"
        positions.update(matches)
    assert len(positions) > 20


def test_random_crop_pads_if_needed_as_torchvision():
    image = random_image((4, 6), seed=3)
    got = vision.RandomCrop((6, 6), pad_if_needed=True, fill_value=7)(image)
    # The height is 2 short: 2 rows are added on both ends, then a 6-row window is taken.
    padded = np.pad(image, ((2, 2), (0, 0)), constant_values=7)
    assert any(np.array_equal(padded[i:i + 6], got) for i in range(3))


def test_random_resized_crop_is_a_pillow_box_resize_of_some_window():
    image = random_image((7, 9, 3), seed=8)
    windows = [(x, y, x + w, y + h) for h in range(1, 8) for w in range(1, 10)
               for y in range(8 - h) for x in range(10 - w)]
    pil = Image.fromarray(image)
    candidates = {box: np.asarray(pil.resize((5, 4), Image.BILINEAR, box=box)) for box in windows}
    op = vision.RandomResizedCrop((4, 5), scale=(0.2, 1.0))
    seen = set()
    for _ in range(30):
        got = op(image)
        found = [box for box, ref in candidates.items() if np.array_equal(ref, got)]
        assert found, "not Pillow's resize of any window"
        seen.add(found[0])
    assert len(seen) > 5


def test_random_resized_crop_of_the_whole_image_is_resize():
    image = random_image((30, 40, 3), seed=9)
    op = vision.RandomResizedCrop((16, 24), scale=(1.0, 1.0), ratio=(40 / 30, 40 / 30), interpolation=Inter.CUBIC)
    np.testing.assert_array_equal(op(image), vision.Resize((16, 24), Inter.CUBIC)(image))


def test_random_resized_crop_gives_the_same_images_for_a_seed_with_any_workers():
    images = [random_image((40 + i, 50, 3), seed=i) for i in range(8)]

    def run(workers):
        ds.config.set_seed(1234)
        data = ds.NumpySlicesDataset({"image": np.stack([im[:40] for im in images])}, shuffle=False)
        data = data.map([vision.RandomResizedCrop(20), vision.RandomHorizontalFlip()],
                        input_columns="image", num_parallel_workers=workers)
        return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]

    one, two = run(1), run(2)
    assert all(a.shape == (20, 20, 3) for a in one)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(one[0], x) for x in one[1:])


# --- Flips ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int16, np.float64])
@pytest.mark.parametrize("shape", [(5, 7, 3), (4, 9), (3, 5, 4), (2, 3, 5)])
def test_flips_match_numpy(shape, dtype):
    image = (np.arange(np.prod(shape)) % 199).astype(dtype).reshape(shape)
    np.testing.assert_array_equal(vision.HorizontalFlip()(image), np.flip(image, axis=1))
    np.testing.assert_array_equal(vision.VerticalFlip()(image), np.flip(image, axis=0))


@pytest.mark.parametrize("op, axis", [(vision.RandomHorizontalFlip, 1), (vision.RandomVerticalFlip, 0)])
def test_random_flips_give_the_image_or_its_mirror(op, axis):
    image = random_image((6, 5, 3), seed=10)
    mirrored = np.flip(image, axis)
    outputs = [op(0.5)(image) for _ in range(200)]
    for out in outputs:
        assert np.array_equal(out, image) or np.array_equal(out, mirrored)
    flipped = sum(np.array_equal(out, mirrored) for out in outputs)
    assert 50 < flipped < 150
    np.testing.assert_array_equal(op(1.0)(image), np.flip(image, axis))
    np.testing.assert_array_equal(op(0.0)(image), image)


# --- Pad --------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [Border.CONSTANT, Border.EDGE, Border.REFLECT, Border.SYMMETRIC])
@pytest.mark.parametrize("padding, widths", [
    (2, ((2, 2), (2, 2))),
    ((1, 3), ((3, 3), (1, 1))),  # (left/right, top/bottom)
    ((0, 4, 5, 1), ((4, 1), (0, 5))),  # (left, top, right, bottom)
    ((11, 9), ((9, 9), (11, 11))),  # longer than the image: the mirror repeats
])
@pytest.mark.parametrize("shape", [(4, 5, 3), (6, 3)])
def test_pad_matches_numpy(shape, padding, widths, mode):
    image = random_image(shape, seed=11)
    got = vision.Pad(padding, fill_value=9, padding_mode=mode)(image)
    widths = widths + ((0, 0),) * (image.ndim - 2)
    options = {"constant_values": 9} if mode == Border.CONSTANT else {}
    np.testing.assert_array_equal(got, np.pad(image, widths, mode=mode.value, **options))


def test_pad_fills_each_channel_and_any_dtype():
    image = np.zeros((2, 2, 3), dtype=np.float32)
    got = vision.Pad(1, fill_value=(10, 20, 30))(image)
    assert got.dtype == np.float32 and got.shape == (4, 4, 3)
    np.testing.assert_array_equal(got[0, 0], [10, 20, 30])
    with pytest.raises(InvalidArgumentError, match=r"Pad: fill_value has 3 values but the image has 1 channel"):
        vision.Pad(1, fill_value=(1, 2, 3))(np.zeros((2, 2), dtype=np.uint8))


# --- Rotate and Affine --------------------------------------------------------------------

@pytest.mark.parametrize("inter", INTERS)
def test_rotate_matches_pillow(inter):
    rng = np.random.default_rng(12)
    for trial, angle in enumerate([30.5, -17, 90, 180, 270, 123.4, 360, -400.25, 45]):
        h, w = (int(v) for v in rng.integers(3, 40, 2))
        gray = trial % 3 == 0
        image = random_image((h, w) if gray else (h, w, 3), seed=trial)
        expand = trial % 2 == 1
        center = None if trial % 4 < 2 else (float(rng.uniform(0, w)), float(rng.uniform(0, h)))
        fill = 77 if gray else (10, 200, 30)
        got = vision.Rotate(angle, inter, expand=expand, center=center, fill_value=fill)(image)
        expected = np.asarray(Image.fromarray(image).rotate(angle, PIL_FILTERS[inter], expand=expand,
                                                            center=center, fillcolor=fill))
        np.testing.assert_array_equal(got, expected, err_msg=f"angle={angle} expand={expand} center={center}")


def test_random_rotation_draws_an_angle_in_the_range():
    image = random_image((20, 30, 3), seed=13)
    np.testing.assert_array_equal(vision.RandomRotation((33, 33), Inter.LINEAR)(image),
                                  vision.Rotate(33, Inter.LINEAR)(image))
    outputs = [vision.RandomRotation(40)(image) for _ in range(20)]
    assert len({out.tobytes() for out in outputs}) > 10
    assert all(out.shape == image.shape for out in outputs)


def torchvision_inverse_affine(center, angle, translate, scale, shear):
    """torchvision.transforms.functional._get_inverse_affine_matrix, restated from its
    documentation: M^-1 = C * RSS^-1 * C^-1 * T^-1 with RSS = R(a) S(s) SHy(sy) SHx(sx)."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [v / scale for v in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m


@pytest.mark.parametrize("inter", INTERS)
def test_affine_matches_torchvision_on_pillow(inter):
    rng = np.random.default_rng(14)
    for trial in range(12):
        h, w = (int(v) for v in rng.integers(5, 50, 2))
        image = random_image((h, w, 3), seed=trial)
        degrees = float(rng.uniform(-180, 180))
        translate = [float(v) for v in rng.uniform(-8, 8, 2)]
        scale = float(rng.uniform(0.6, 1.6))
        shear = float(rng.uniform(-30, 30)) if trial % 2 else [float(v) for v in rng.uniform(-30, 30, 2)]
        shear_pair = [shear, 0.0] if isinstance(shear, float) else shear
        got = vision.Affine(degrees, translate, scale, shear, inter, fill_value=(5, 6, 7))(image)
        matrix = torchvision_inverse_affine([w * 0.5, h * 0.5], degrees, translate, scale, shear_pair)
        expected = np.asarray(Image.fromarray(image).transform((w, h), Image.AFFINE, matrix,
                                                               PIL_FILTERS[inter], fillcolor=(5, 6, 7)))
        np.testing.assert_array_equal(got, expected)
        np.testing.assert_allclose(
            _core.inverse_affine_matrix(w * 0.5, h * 0.5, degrees, translate, scale, shear_pair), matrix,
            rtol=0, atol=1e-12)


def test_warp_affine_matches_pillow_transform():
    image = random_image((23, 31, 3), seed=15)
    matrix = [0.8, 0.3, -2.5, -0.25, 1.1, 4.0]
    for inter in INTERS:
        got = _core.warp_affine(image, matrix, 19, 27, "pil_" + PIL_NAMES[inter], [1, 2, 3])
        expected = np.asarray(Image.fromarray(image).transform((27, 19), Image.AFFINE, matrix,
                                                               PIL_FILTERS[inter], fillcolor=(1, 2, 3)))
        np.testing.assert_array_equal(got, expected)


# --- Errors -----------------------------------------------------------------------------

def test_errors_name_the_transform_and_what_it_got():
    with pytest.raises(InvalidArgumentError, match=r"^Resize: expected an image of shape \(H, W\) or \(H, W, C\) "
                                                   r"of uint8 or float32, got int16 of shape \[4, 4\]$"):
        vision.Resize(2)(np.zeros((4, 4), dtype=np.int16))
    with pytest.raises(InvalidArgumentError, match=r"^RandomResizedCrop: expected an image .* got uint8 of shape \[5\]"):
        vision.RandomResizedCrop(2)(np.zeros(5, dtype=np.uint8))
    with pytest.raises(InvalidArgumentError, match=r"^HorizontalFlip: expected an image .* got uint8 of shape "
                                                   r"\[2, 2, 2, 2\]"):
        vision.HorizontalFlip()(np.zeros((2, 2, 2, 2), dtype=np.uint8))
    with pytest.raises(InvalidArgumentError, match=r"^Crop: the window \(top=3, left=0, height=2, width=2\) does "
                                                   r"not fit in the image of shape \[4, 4, 3\]"):
        vision.Crop((3, 0), 2)(np.zeros((4, 4, 3), dtype=np.uint8))
    with pytest.raises(InvalidArgumentError, match=r"^RandomCrop: the crop size \(5, 5\) is larger than the image "
                                                   r"of shape \[4, 4\]"):
        vision.RandomCrop(5)(np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(InvalidArgumentError, match=r"^Rotate: expected an image .* of uint8 or float32, got int32"):
        vision.Rotate(10, Inter.LINEAR)(np.zeros((4, 4), dtype=np.int32))


@pytest.mark.parametrize("make, message", [
    (lambda: vision.Resize(-3), "Resize: size must be a positive int or a (height, width) pair, "
     "each in [1, 16777216], got -3"),
    (lambda: vision.Resize((2, 0)), "Resize: size must be a positive int or a (height, width) pair, "
     "each in [1, 16777216], got (2, 0)"),
    (lambda: vision.Crop((-1, 0), 3), "Crop: coordinates must be a (top, left) pair of non-negative ints"),
    (lambda: vision.RandomResizedCrop(8, scale=(0.9, 0.1)), "RandomResizedCrop: scale must be (min, max)"),
    (lambda: vision.RandomResizedCrop(8, ratio=(0, 1)), "RandomResizedCrop: ratio must be (min, max) with min > 0"),
    (lambda: vision.RandomResizedCrop(8, max_attempts=0), "RandomResizedCrop: max_attempts must be a positive int"),
    (lambda: vision.RandomHorizontalFlip(1.5), "RandomHorizontalFlip: prob must be a number in [0, 1]"),
    (lambda: vision.Pad((1, 2, 3)), "Pad: padding must be a non-negative int, a (left/right, top/bottom) pair"),
    (lambda: vision.RandomCrop(4, fill_value=256), "RandomCrop: fill_value must be an int in [0, 255]"),
    (lambda: vision.Rotate(10, center=(1,)), "Rotate: center must be None or an (x, y) pair"),
    (lambda: vision.RandomRotation(-5), "RandomRotation: degrees must be non-negative"),
    (lambda: vision.RandomRotation((5, 1)), "RandomRotation: degrees must be (min, max) with min <= max"),
    (lambda: vision.Affine(200, (0, 0), 1, 0), "Affine: degrees must be a number in [-180, 180]"),
    (lambda: vision.Affine(0, (0, 0), 0, 0), "Affine: scale must be a positive number"),
])
def test_arguments_are_checked_and_named(make, message):
    with pytest.raises(InvalidArgumentError) as info:
        make()
    assert str(info.value).startswith(message), str(info.value)


# A value of the wrong type is a TypeError, as in MindSpore; the message still names the argument.
@pytest.mark.parametrize("make, message", [
    (lambda: vision.Resize(4, "lanczos"), "Resize: interpolation must be an Inter"),
    (lambda: vision.Pad(1, padding_mode="wrap"), "Pad: padding_mode must be a Border"),
    (lambda: vision.Affine(0, (0,), 1, 0), "Affine: translate must be a pair of numbers"),
])
def test_argument_types_are_checked_and_named(make, message):
    with pytest.raises(TypeError) as info:
        make()
    assert str(info.value).startswith(message), str(info.value)
