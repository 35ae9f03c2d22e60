"""CutOut, Erase and RandomErasing: the erased boxes against NumPy references of
MindSpore's conventions, their geometry and draws, seeds, errors."""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision


def noise(shape, dtype=np.uint8, seed=0) -> np.ndarray:
    """Values that are never 0, so that an erased (zeroed) pixel shows."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 256, size=shape).astype(dtype)


def zero_box(mask: np.ndarray):
    """(top, left, height, width) of the True cells, which must form one rectangle."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    top, left = rows[0], cols[0]
    height, width = rows[-1] - top + 1, cols[-1] - left + 1
    assert mask[top:top + height, left:left + width].all() and mask.sum() == height * width
    return top, left, height, width


# -- Erase ------------------------------------------------------------------------------

def erase_reference(image, top, left, height, width, value):
    out = image.copy()
    fill = np.broadcast_to(np.asarray(value, np.float64), (3,))
    if np.issubdtype(image.dtype, np.integer):
        fill = np.round(fill)  # OpenCV's setTo rounds to nearest
    out[top:top + height, left:left + width] = fill.astype(image.dtype)
    return out


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("box,value", [((2, 3, 4, 5), 0.0), ((0, 0, 7, 9), 200), ((5, 6, 4, 5), (10.4, 20.5, 254.6)),
                                       ((6, 8, 1, 1), (1, 2, 3))])
def test_erase_sets_the_box_clipped_to_the_image(dtype, box, value):
    image = noise((7, 9, 3), dtype)
    got = vision.Erase(*box, value=value)(image)
    assert got.dtype == dtype and got.shape == image.shape
    np.testing.assert_array_equal(got, erase_reference(image, *box, value))
    assert np.array_equal(image, noise((7, 9, 3), dtype))  # the input is left as it was


def test_erase_rounds_float_values_for_integer_images():
    got = vision.Erase(0, 0, 1, 1, value=(0.5, 1.5, 2.5))(noise((2, 2, 3)))
    assert got[0, 0].tolist() == [0, 2, 2]  # to nearest, ties to even


def test_erase_errors():
    with pytest.raises(TypeError, match="Erase: top must be an int"):
        vision.Erase(1.0, 0, 1, 1)
    with pytest.raises(ValueError, match=r"Erase: left must be in \[0, "):
        vision.Erase(0, -1, 1, 1)
    with pytest.raises(ValueError, match=r"Erase: height must be in \[1, "):
        vision.Erase(0, 0, 0, 1)
    with pytest.raises(ValueError, match=r"Erase: value must be in \[0, 255\]"):
        vision.Erase(0, 0, 1, 1, value=(0, 0, 256))
    with pytest.raises(TypeError, match="Erase: value must be a number or a 3-tuple"):
        vision.Erase(0, 0, 1, 1, value=[1, 2, 3])
    with pytest.raises(TypeError, match="Erase: inplace must be a bool"):
        vision.Erase(0, 0, 1, 1, inplace=1)
    with pytest.raises(ValueError, match=r"Erase: the box .* does not fit the image \(4 x 4\)"):
        vision.Erase(0, 0, 5, 1)(noise((4, 4, 3)))
    with pytest.raises(ValueError, match=r"Erase: expected an image of shape \(H, W, 3\), got shape \[4, 4, 1\]"):
        vision.Erase(0, 0, 1, 1)(noise((4, 4, 1)))


# -- CutOut -----------------------------------------------------------------------------

@pytest.mark.parametrize("is_hwc", [True, False])
def test_cutout_zeroes_one_square_of_side_length_clipped_at_the_border(is_hwc):
    length, sizes = 5, []
    shape = (12, 14, 3) if is_hwc else (3, 12, 14)
    image = noise(shape)
    ds.config.set_seed(11)
    op = vision.CutOut(length, is_hwc=is_hwc)
    for _ in range(300):
        got = op(image)
        assert got.shape == shape and got.dtype == np.uint8
        planes = got if not is_hwc else np.moveaxis(got, 2, 0)
        zero = planes == 0
        assert (zero == zero[0]).all()  # every channel of a pixel, or none
        assert np.array_equal(planes[~zero], (image if not is_hwc else np.moveaxis(image, 2, 0))[~zero])
        if not zero[0].any():
            sizes.append((0, 0))
            continue
        top, left, height, width = zero_box(zero[0])
        # A square of side `length`, cut only where it meets the border.
        assert height == length or top == 0 or top + height == 12
        assert width == length or left == 0 or left + width == 14
        sizes.append((height, width))
    # Corners range over [-length, H] x [-length, W]: whole squares (8/18 x 10/20 of the
    # time), clipped ones, and misses (corners at -length or past the last row or column).
    whole = sum(s == (length, length) for s in sizes)
    missed = sum(s == (0, 0) for s in sizes)
    assert 40 < whole < 95 and 35 < missed < 85
    assert 300 - whole - missed > 120


def test_cutout_patches_and_dtypes():
    image = noise((20, 20, 3), np.float32)
    ds.config.set_seed(2)
    got = vision.CutOut(3, num_patches=6)(image)
    assert got.dtype == np.float32
    zeroed = (got == 0).all(axis=2)
    assert 0 < zeroed.sum() <= 6 * 9
    np.testing.assert_array_equal(got[~zeroed], image[~zeroed])


def test_cutout_errors():
    with pytest.raises(TypeError, match="CutOut: length must be an int"):
        vision.CutOut(2.5)
    with pytest.raises(ValueError, match=r"CutOut: num_patches must be in \[1, "):
        vision.CutOut(2, num_patches=0)
    with pytest.raises(TypeError, match="CutOut: is_hwc must be a bool"):
        vision.CutOut(2, is_hwc=1)
    with pytest.raises(ValueError, match=r"CutOut: length 5 is larger than the image \(4 x 6\)"):
        vision.CutOut(5)(noise((4, 6, 3)))
    with pytest.raises(ValueError, match=r"CutOut: expected an image of shape \(H, W, C\)"):
        vision.CutOut(1)(noise((4, 6)))


# -- RandomErasing ----------------------------------------------------------------------

def test_random_erasing_box_follows_scale_and_ratio():
    height, width = 40, 50
    image = noise((3, height, width)).astype(np.float32)
    ds.config.set_seed(5)
    op = vision.RandomErasing(prob=1.0, scale=(0.05, 0.2), ratio=(0.5, 2.0))
    areas, ratios = [], []
    for _ in range(200):
        got = op(image)
        assert got.shape == image.shape and got.dtype == np.float32
        zero = got == 0
        assert (zero == zero[0]).all()
        top, left, h, w = zero_box(zero[0])
        # The box lies strictly inside (MindSpore's bounded erasing, h < H and w < W).
        assert h < height and w < width and top + h <= height and left + w <= width
        areas.append(h * w / (height * width))
        ratios.append(w / h)
    # Rounding the sides moves area and ratio a little past the drawn ones.
    assert 0.04 <= min(areas) and max(areas) <= 0.22
    assert 0.4 <= min(ratios) and max(ratios) <= 2.5
    assert np.std(areas) > 0.02  # drawn, not fixed


def test_random_erasing_prob_and_values():
    image = noise((3, 30, 30)).astype(np.float32)
    ds.config.set_seed(7)
    op = vision.RandomErasing(prob=0.3)
    erased = sum(not np.array_equal(op(image), image) for _ in range(400))
    assert 85 < erased < 155  # 120 expected
    got = vision.RandomErasing(prob=1.0, value=(10, 20, 30))(image)
    changed = got != image
    assert changed.any()
    for channel, value in enumerate((10, 20, 30)):
        assert (got[channel][changed[channel]] == value).all()
    ds.config.set_seed(8)
    got = vision.RandomErasing(prob=1.0, scale=(0.3, 0.33), value="random")(image)
    noisy = got[got != image]
    assert noisy.size > 500 and abs(noisy.mean()) < 0.2 and 0.8 < noisy.std() < 1.2


def test_random_erasing_that_finds_no_box_leaves_the_image():
    image = noise((3, 10, 10)).astype(np.float32)
    # Every box of these areas is at least as wide as the image.
    np.testing.assert_array_equal(vision.RandomErasing(prob=1.0, scale=(1.0, 1.0), ratio=(2.0, 2.0))(image), image)


def test_random_erasing_errors():
    with pytest.raises(ValueError, match=r"RandomErasing: prob must be in \[0.0, 1.0\]"):
        vision.RandomErasing(prob=1.5)
    with pytest.raises(ValueError, match="RandomErasing: scale must be in \\(min, max\\) order"):
        vision.RandomErasing(scale=(0.5, 0.1))
    with pytest.raises(TypeError, match="RandomErasing: ratio must be a \\(min, max\\) pair"):
        vision.RandomErasing(ratio=0.5)
    with pytest.raises(ValueError, match="RandomErasing: ratio must be positive"):
        vision.RandomErasing(ratio=(0, 1))
    with pytest.raises(ValueError, match=r"RandomErasing: value must be in \[0, 255\]"):
        vision.RandomErasing(value=300)
    with pytest.raises(TypeError, match="RandomErasing: value must be an int, three ints or 'random'"):
        vision.RandomErasing(value=1.5)
    with pytest.raises(ValueError, match=r"RandomErasing: max_attempts must be in \[1, "):
        vision.RandomErasing(max_attempts=0)
    with pytest.raises(ValueError, match=r"RandomErasing: expected an image of shape \(C, H, W\)"):
        vision.RandomErasing()(noise((4, 4)))


# -- seeds ------------------------------------------------------------------------------

def erased(seed: int, workers: int) -> list:
    images = np.stack([noise((16, 18, 3), seed=i) for i in range(20)])
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([vision.CutOut(4, num_patches=2), vision.HWC2CHW(), vision.RandomErasing(prob=0.7)],
                    input_columns="image", num_parallel_workers=workers)
    return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]


def test_the_same_seed_erases_the_same_boxes_with_any_number_of_workers():
    first = erased(3, 1)
    assert all(np.array_equal(a, b) for a, b in zip(first, erased(3, 3)))
    assert sum(np.array_equal(a, b) for a, b in zip(first, erased(4, 1))) < 3
    # Different rows get different boxes.
    masks = [tuple(np.flatnonzero((row == 0).all(axis=0).ravel())) for row in first]
    assert len(set(masks)) > 15


def test_erase_values_are_one_number_or_three():
    with pytest.raises(TypeError, match="Erase: value must be a number or a 3-tuple"):
        vision.Erase(0, 0, 1, 1, value=(1,))
    # MindSpore 2.10: a sequence of another length is a ValueError, a non-int in it a TypeError
    with pytest.raises(ValueError, match="RandomErasing: value must be an int, three ints or 'random'"):
        vision.RandomErasing(value=[1])
    with pytest.raises(TypeError, match="RandomErasing: value must be an int, three ints or 'random'"):
        vision.RandomErasing(value=(1, 2.5, 3))
    with pytest.raises(ValueError, match=r"Erase: value must be in \[0, 255\], got -1"):
        vision.Erase(0, 0, 1, 1, value=-1)


def test_random_erasing_takes_only_the_string_random():
    vision.RandomErasing(value="random")
    with pytest.raises(ValueError, match="RandomErasing: value must be an int, three ints or 'random', got 'abc'"):
        vision.RandomErasing(value="abc")
    with pytest.raises(ValueError, match=r"CutOut: length must be in \[1, 16777216\]"):
        vision.CutOut(2**24 + 1)
