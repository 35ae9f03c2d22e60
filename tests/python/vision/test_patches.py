"""FiveCrop, TenCrop, SlicePatches and PadToSize against NumPy references of MindSpore's
conventions (crop order and centre rounding, patch sizes, padding offsets), in pipelines
with several output columns, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision
from headrace.dataset.vision import Border, SliceMode


def ramp(shape, dtype=np.uint8) -> np.ndarray:
    return (np.arange(np.prod(shape)) % 251).reshape(shape).astype(dtype)


def five_crop_reference(image, height, width):
    h, w = image.shape[:2]
    top, left = int(round((h - height) / 2)), int(round((w - width) / 2))  # Python's round
    return [image[:height, :width], image[:height, w - width:], image[h - height:, :width],
            image[h - height:, w - width:], image[top:top + height, left:left + width]]


@pytest.mark.parametrize("shape", [(9, 12, 3), (10, 7), (8, 8, 1)])
@pytest.mark.parametrize("size", [3, (4, 5), (6, 2)])
def test_five_crop_corners_then_centre(shape, size):
    image = ramp(shape)
    height, width = (size, size) if isinstance(size, int) else size
    got = vision.FiveCrop(size)(image)
    assert isinstance(got, tuple) and len(got) == 5
    for crop, expected in zip(got, five_crop_reference(image, height, width)):
        assert crop.dtype == image.dtype
        np.testing.assert_array_equal(crop, expected)


def test_five_crop_centre_offset_rounds_half_to_even():
    image = ramp((9, 11, 3))  # (9 - 4) / 2 = 2.5 -> 2, (11 - 4) / 2 = 3.5 -> 4
    np.testing.assert_array_equal(vision.FiveCrop(4)(image)[4], image[2:6, 4:8])


@pytest.mark.parametrize("vertical", [False, True])
def test_ten_crop_adds_the_five_crops_of_the_flipped_image(vertical):
    image = ramp((10, 13, 3), np.float32)
    got = vision.TenCrop((4, 6), use_vertical_flip=vertical)(image)
    assert len(got) == 10
    flipped = image[::-1] if vertical else image[:, ::-1]
    for crop, expected in zip(got, five_crop_reference(image, 4, 6) + five_crop_reference(flipped, 4, 6)):
        np.testing.assert_array_equal(crop, expected)


def test_crops_errors():
    with pytest.raises(ValueError, match=r"FiveCrop: crop size \(5, 5\) is larger than the image size \(4, 9\)"):
        vision.FiveCrop(5)(ramp((4, 9, 3)))
    with pytest.raises(ValueError, match=r"FiveCrop: size must be in \[1, "):
        vision.FiveCrop(0)
    with pytest.raises(TypeError, match="TenCrop: size must be an int or a \\(height, width\\) pair"):
        vision.TenCrop((1, 2, 3))
    with pytest.raises(TypeError, match="TenCrop: use_vertical_flip must be a bool"):
        vision.TenCrop(2, use_vertical_flip="yes")


def slice_reference(image, num_height, num_width, pad, fill):
    h, w = image.shape[:2]
    ph = -(-h // num_height) if pad else h // num_height
    pw = -(-w // num_width) if pad else w // num_width
    if pad:
        extra = [(0, ph * num_height - h), (0, pw * num_width - w)] + [(0, 0)] * (image.ndim - 2)
        image = np.pad(image, extra, constant_values=fill)
    return [image[i * ph:(i + 1) * ph, j * pw:(j + 1) * pw] for i in range(num_height) for j in range(num_width)]


@pytest.mark.parametrize("mode", [SliceMode.PAD, SliceMode.DROP])
@pytest.mark.parametrize("grid", [(2, 3), (3, 1), (4, 4)])
@pytest.mark.parametrize("shape,dtype", [((10, 11, 3), np.uint8), ((9, 8), np.float32), ((8, 12, 1), np.int16)])
def test_slice_patches_row_by_row(mode, grid, shape, dtype):
    image = ramp(shape, dtype)
    got = vision.SlicePatches(*grid, slice_mode=mode, fill_value=7)(image)
    expected = slice_reference(image, *grid, mode == SliceMode.PAD, 7)
    assert len(got) == len(expected)
    for patch, reference in zip(got, expected):
        assert patch.dtype == dtype
        np.testing.assert_array_equal(patch, reference)


def test_slice_patches_of_one_returns_the_image():
    image = ramp((5, 6, 3))
    np.testing.assert_array_equal(vision.SlicePatches()(image), image)


def test_slice_patches_errors():
    with pytest.raises(ValueError, match="SlicePatches: num_height 6 is greater than the image height 5"):
        vision.SlicePatches(6, 1)(ramp((5, 6, 3)))
    with pytest.raises(ValueError, match=r"SlicePatches: num_width must be in \[1, "):
        vision.SlicePatches(1, 0)
    with pytest.raises(TypeError, match="SlicePatches: slice_mode must be a SliceMode"):
        vision.SlicePatches(2, 2, slice_mode="pad")
    with pytest.raises(ValueError, match=r"SlicePatches: fill_value must be in \[0, 255\]"):
        vision.SlicePatches(2, 2, fill_value=256)
    with pytest.raises(TypeError, match="SlicePatches: fill_value must be an int"):
        vision.SlicePatches(2, 2, fill_value=1.0)


NUMPY_MODES = {Border.CONSTANT: "constant", Border.EDGE: "edge", Border.REFLECT: "reflect",
               Border.SYMMETRIC: "symmetric"}


def pad_to_size_reference(image, height, width, offset, fill, mode):
    h, w = image.shape[:2]
    top, left = offset if offset is not None else ((height - h) // 2, (width - w) // 2)
    extra = [(top, height - h - top), (left, width - w - left)]
    if image.ndim == 2:
        return np.pad(image, extra, mode=NUMPY_MODES[mode],
                      **({"constant_values": fill[0]} if mode == Border.CONSTANT else {}))
    channels = []
    for c in range(image.shape[2]):
        value = fill[c] if image.shape[2] == 3 else fill[0]
        channels.append(np.pad(image[..., c], extra, mode=NUMPY_MODES[mode],
                               **({"constant_values": value} if mode == Border.CONSTANT else {})))
    return np.stack(channels, axis=-1)


@pytest.mark.parametrize("mode", list(Border))
@pytest.mark.parametrize("size,offset", [((9, 12), None), (10, None), ((8, 11), (1, 3)), ((9, 10), 2), ((6, 7), [])])
@pytest.mark.parametrize("shape", [(5, 6, 3), (6, 7), (4, 5, 1)])
def test_pad_to_size(mode, size, offset, shape):
    image = ramp(shape)
    fill = (10, 20, 30)
    height, width = (size, size) if isinstance(size, int) else size
    top_left = None if offset is None or offset == [] else ((offset, offset) if isinstance(offset, int) else offset)
    got = vision.PadToSize(size, offset=offset, fill_value=fill, padding_mode=mode)(image)
    assert got.shape == (height, width) + shape[2:]
    np.testing.assert_array_equal(got, pad_to_size_reference(image, height, width, top_left, fill, mode))


def test_pad_to_size_errors():
    with pytest.raises(ValueError, match=r"PadToSize: the target size \(4, 9\) is smaller than the image size "
                                         r"\(5, 6\)"):
        vision.PadToSize((4, 9))(ramp((5, 6, 3)))
    with pytest.raises(ValueError, match=r"PadToSize: the offset \(0, 4\) plus the image size \(5, 6\) is larger "
                                         r"than the target size \(5, 9\)"):
        vision.PadToSize((5, 9), offset=(0, 4))(ramp((5, 6, 3)))
    with pytest.raises(ValueError, match=r"PadToSize: offset must be in \[0, "):
        vision.PadToSize(8, offset=-1)
    with pytest.raises(ValueError, match="PadToSize: offset must be empty or a pair"):
        vision.PadToSize(8, offset=(1, 2, 3))
    with pytest.raises(TypeError, match="PadToSize: padding_mode must be a Border"):
        vision.PadToSize(8, padding_mode="edge")
    with pytest.raises(ValueError, match=r"PadToSize: expected an image .* with 1 or 3 channels"):
        vision.PadToSize(8)(ramp((5, 5, 4)))
    with pytest.raises(ValueError, match=r"PadToSize: fill_value must be in \[0, 255\]"):
        vision.PadToSize(8, fill_value=(0, 0, 300))


def test_crops_and_patches_make_columns_in_a_pipeline():
    images = np.stack([ramp((12, 14, 3)) + i for i in range(6)]).astype(np.uint8)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    names = [f"crop{i}" for i in range(10)]
    data = data.map([vision.TenCrop(6)], input_columns="image", output_columns=names, num_parallel_workers=2)
    rows = list(data.create_dict_iterator(num_epochs=1, output_numpy=True))
    assert len(rows) == 6
    for row, image in zip(rows, images):
        assert list(row) == names
        expected = five_crop_reference(image, 6, 6) + five_crop_reference(image[:, ::-1], 6, 6)
        for name, crop in zip(names, expected):
            np.testing.assert_array_equal(row[name], crop)

    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([vision.SlicePatches(2, 2)], input_columns="image", output_columns=["a", "b", "c", "d"])
    row = next(data.create_dict_iterator(num_epochs=1, output_numpy=True))
    for name, patch in zip("abcd", slice_reference(images[0], 2, 2, True, 0)):
        np.testing.assert_array_equal(row[name], patch)


def test_ten_crop_then_a_stacking_function_as_mindspore_documents_it():
    # MindSpore's example: Compose([..., TenCrop(size), lambda *images: np.stack(...)]).
    from headrace.dataset import transforms

    images = np.stack([ramp((30, 32, 3)) + i for i in range(4)]).astype(np.uint8)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    stack = transforms.Compose([vision.TenCrop(20), lambda *crops: np.stack([vision.ToTensor()(c) for c in crops])])
    data = data.map(stack, input_columns="image")
    rows = [row[0] for row in data.create_tuple_iterator(num_epochs=1)]
    assert len(rows) == 4
    for row, image in zip(rows, images):
        assert row.shape == (10, 3, 20, 20) and row.dtype == np.float32
        expected = five_crop_reference(image, 20, 20) + five_crop_reference(image[:, ::-1], 20, 20)
        np.testing.assert_allclose(row, np.stack([c.transpose(2, 0, 1) / 255.0 for c in expected]), rtol=1e-6)
