"""The detection transforms (the *WithBBox family and BoundingBoxAugment).

- MindSpore 2.10's outputs (boxes_*.npz in tests/data/mindspore_vision, recorded by
  record_box_cases.py there): image and boxes equal.
- The random ones: the image is the plain transform's for the same seed, and the boxes
  are what a NumPy model of MindSpore's box arithmetic gives for the window taken.
- Errors name the transform and the fault; a pipeline over (image, bbox) columns keeps
  every row over several epochs.
"""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import config, vision
from headrace.errors import InvalidArgumentError

from .mindspore_fixtures import FIXTURES, cases, fixture

BOXES = np.array([[5, 7, 20, 15, 1], [40, 30, 30, 25, 2], [0, 0, 83, 61, 3], [60.5, 10.25, 12.5, 40.75, 4]],
                 np.float32)


pytestmark = pytest.mark.usefixtures("mindspore_resampling")


def numbered_image(height, width):
    """Every pixel different, so a crop's position can be read off its first pixel."""
    values = np.arange(height * width, dtype=np.int32).reshape(height, width)
    return np.stack([values // 65536, (values // 256) % 256, values % 256], axis=-1).astype(np.uint8)


def position(crop, image):
    first = crop[0, 0].astype(np.int64)
    flat = (image[..., 0].astype(np.int64) << 16) + (image[..., 1].astype(np.int64) << 8) + image[..., 2]
    found = np.argwhere(flat == (first[0] << 16) + (first[1] << 8) + first[2])
    assert len(found) == 1
    return tuple(found[0])


def ref_crop_boxes(boxes, top, left, height, width):
    """MindSpore's UpdateBBoxesForCrop in float32."""
    x_min, y_min, x_max, y_max = (np.float32(v) for v in (left, top, left + width, top + height))
    kept = []
    for box in boxes.astype(np.float32):
        right, bottom = box[0] + box[2], box[1] + box[3]
        if box[0] > x_max or box[1] > y_max or right < x_min or bottom < y_min:
            continue
        new = box.copy()
        new[0] = max(box[0] - min(np.float32(0), box[0] - x_min) - x_min, np.float32(0))
        new[1] = max(box[1] - min(np.float32(0), box[1] - y_min) - y_min, np.float32(0))
        new_right = min(right - max(np.float32(0), right - x_max) - x_min, x_max - x_min)
        new_bottom = min(bottom - max(np.float32(0), bottom - y_max) - y_min, y_max - y_min)
        new[2], new[3] = new_right - new[0], new_bottom - new[1]
        kept.append(new)
    return np.array(kept, np.float32).reshape(-1, boxes.shape[1])


def ref_scale_boxes(boxes, in_size, out_size):
    out = boxes.astype(np.float32).copy()
    x_scale = np.float32(out_size[1] / in_size[1])
    y_scale = np.float32(out_size[0] / in_size[0])
    out[:, [0, 2]] *= x_scale
    out[:, [1, 3]] *= y_scale
    return out


# ---- MindSpore's recorded outputs ---------------------------------------------------------

@pytest.mark.parametrize("case", sorted(cases("cases_boxes.json")))
def test_equals_mindspores_recorded_output(case):
    call = cases("cases_boxes.json")[case]
    image, boxes = fixture("input_61x83.npy"), fixture("boxes_input.npy")
    np.testing.assert_array_equal(boxes, BOXES)
    out_image, out_boxes = eval(f"vision.{call}")(image, boxes)  # noqa: S307 - calls from our own listing
    expected = np.load(f"{FIXTURES}/boxes_{case}.npz")
    assert out_image.shape == expected["image"].shape and out_image.dtype == np.uint8
    np.testing.assert_array_equal(out_image, expected["image"])
    assert out_boxes.dtype == np.float32
    np.testing.assert_array_equal(out_boxes, expected["boxes"])
    np.testing.assert_array_equal(boxes, BOXES), "the input boxes are not written to"


# ---- the random ones against the plain transforms and the box model -------------------------

@pytest.mark.parametrize("seed", range(6))
def test_random_crop_takes_random_crops_window_and_clips_the_boxes(seed):
    image = numbered_image(61, 83)
    config.set_seed(seed)
    out_image, out_boxes = vision.RandomCropWithBBox((30, 40), padding=[2, 3, 0, 0])(image, BOXES)
    config.set_seed(seed)
    np.testing.assert_array_equal(out_image, vision.RandomCrop((30, 40), padding=[2, 3, 0, 0])(image))
    padded = np.pad(image, ((3, 0), (2, 0), (0, 0)))
    top, left = position(out_image, padded) if out_image[0, 0].any() else (None, None)
    if top is None:  # the window starts in the padding: find it from an inner pixel
        y, x = np.argwhere(out_image.any(-1))[0]
        top, left = (v - d for v, d in zip(position(out_image[y:, x:], padded), (y, x)))
    shifted = BOXES.copy()
    shifted[:, 0] += 2
    shifted[:, 1] += 3
    np.testing.assert_array_equal(out_boxes, ref_crop_boxes(shifted, top, left, 30, 40))


@pytest.mark.parametrize("seed", range(6))
def test_random_resized_crop_takes_its_window_then_scales_the_boxes(seed):
    image = numbered_image(61, 83)
    config.set_seed(seed)
    op = vision.RandomResizedCropWithBBox((20, 30), scale=(0.2, 0.6), interpolation=vision.Inter.NEAREST)
    out_image, out_boxes = op(image, BOXES)
    config.set_seed(seed)
    plain = vision.RandomResizedCrop((20, 30), scale=(0.2, 0.6), interpolation=vision.Inter.NEAREST)(image)
    np.testing.assert_array_equal(out_image, plain)
    assert out_boxes.shape[1] == 5 and out_boxes.dtype == np.float32
    # Every box lies inside the output, and the labels of the kept ones are in order.
    assert np.all(out_boxes[:, 0] >= 0) and np.all(out_boxes[:, 0] + out_boxes[:, 2] <= 30 + 1e-4)
    assert np.all(out_boxes[:, 1] >= 0) and np.all(out_boxes[:, 1] + out_boxes[:, 3] <= 20 + 1e-4)
    assert list(out_boxes[:, 4]) == sorted(out_boxes[:, 4])


def test_crop_drops_the_boxes_it_leaves_out_and_keeps_the_extra_columns():
    image = numbered_image(61, 83)
    boxes = np.array([[0, 0, 5, 5, 7, 0.5], [70, 50, 10, 10, 8, 0.25]], np.float32)
    config.set_seed(3)
    out_image, out_boxes = vision.RandomCropWithBBox((20, 20))(image, boxes)
    top, left = position(out_image, image)
    np.testing.assert_array_equal(out_boxes, ref_crop_boxes(boxes, top, left, 20, 20))
    crop = vision.RandomCropWithBBox((61, 83))
    np.testing.assert_array_equal(crop(image, boxes)[1], boxes)
    empty = np.zeros((0, 4), np.float32)
    out_image, out_boxes = vision.RandomCropWithBBox((10, 10))(image, empty)
    assert out_image.shape == (10, 10, 3) and out_boxes.shape == (0, 4)


@pytest.mark.parametrize("size", [(30, 41), 45, (122, 200)])
def test_resize_scales_the_boxes(size):
    image = numbered_image(61, 83)
    out_image, out_boxes = vision.ResizeWithBBox(size)(image, BOXES)
    np.testing.assert_array_equal(out_image, vision.Resize(size)(image))
    np.testing.assert_array_equal(out_boxes, ref_scale_boxes(BOXES, (61, 83), out_image.shape[:2]))


def test_random_resize_draws_the_plain_interpolation():
    image = numbered_image(61, 83)
    for seed in range(4):
        config.set_seed(seed)
        out_image, out_boxes = vision.RandomResizeWithBBox((40, 50))(image, BOXES)
        config.set_seed(seed)
        np.testing.assert_array_equal(out_image, vision.RandomResize((40, 50))(image))
        np.testing.assert_array_equal(out_boxes, ref_scale_boxes(BOXES, (61, 83), (40, 50)))


def test_flips_happen_with_their_probability_and_move_the_boxes():
    image = numbered_image(20, 30)
    boxes = np.array([[2, 3, 10, 5, 1]], np.float32)
    flipped = 0
    for seed in range(200):
        config.set_seed(seed)
        out_image, out_boxes = vision.RandomHorizontalFlipWithBBox(0.3)(image, boxes)
        if np.array_equal(out_image, image[:, ::-1]):
            flipped += 1
            np.testing.assert_array_equal(out_boxes, [[30 - 12, 3, 10, 5, 1]])
        else:
            np.testing.assert_array_equal(out_image, image)
            np.testing.assert_array_equal(out_boxes, boxes)
    assert 40 <= flipped <= 80, flipped
    out_image, out_boxes = vision.RandomVerticalFlipWithBBox(1.0)(image, boxes)
    np.testing.assert_array_equal(out_image, image[::-1])
    np.testing.assert_array_equal(out_boxes, [[2, 20 - 8, 10, 5, 1]])


def test_bounding_box_augment_transforms_each_chosen_region():
    image = numbered_image(40, 50)
    boxes = np.array([[2, 3, 10, 5], [30.7, 20.2, 12.9, 9.9]], np.float32)
    out_image, out_boxes = vision.BoundingBoxAugment(vision.VerticalFlip(), ratio=1.0)(image, boxes)
    expected = image.copy()
    expected[3:8, 2:12] = image[3:8, 2:12][::-1]
    expected[20:29, 30:42] = image[20:29, 30:42][::-1]  # corner and size truncated: (30, 20), 12 x 9
    np.testing.assert_array_equal(out_image, expected)
    np.testing.assert_array_equal(out_boxes, boxes)
    untouched, _ = vision.BoundingBoxAugment(vision.VerticalFlip(), ratio=0.0)(image, boxes)
    np.testing.assert_array_equal(untouched, image)
    chosen = 0
    for seed in range(100):
        config.set_seed(seed)
        out, _ = vision.BoundingBoxAugment(vision.VerticalFlip(), ratio=0.4)(image, boxes[:1])
        chosen += not np.array_equal(out, image)
    assert 25 <= chosen <= 55, chosen


# ---- errors -----------------------------------------------------------------------------------

def test_errors_name_the_transform_and_the_fault():
    image = numbered_image(20, 30)
    with pytest.raises(ValueError, match=r"^RandomCropWithBBox: expected two columns \(the image and its "
                                         r"bounding boxes\), got 1$"):
        vision.RandomCropWithBBox(10)(image)
    with pytest.raises(ValueError, match=r"^ResizeWithBBox: bounding box 0 \[25, 3, 10, 5\] reaches past the "
                                         r"image of width 30 and height 20$"):
        vision.ResizeWithBBox(10)(image, np.array([[25, 3, 10, 5]], np.float32))
    with pytest.raises(ValueError, match=r"^RandomHorizontalFlipWithBBox: bounding box 0 has a negative "
                                         r"coordinate: \(-2, 3\)$"):
        vision.RandomHorizontalFlipWithBBox(1.0)(image, np.array([[-2, 3, 1, 1]], np.float32))
    with pytest.raises(ValueError, match=r"^BoundingBoxAugment: bounding boxes must be float32 of shape \(N, C\) "
                                         r"with C >= 4 .*got float64 of shape \[1, 4\]$"):
        vision.BoundingBoxAugment(vision.HorizontalFlip())(image, np.array([[0, 0, 1, 1]], np.float64))
    with pytest.raises(ValueError, match=r"^RandomCropWithBBox: the crop size \(30, 40\) is larger than the image"):
        vision.RandomCropWithBBox((30, 40))(image, np.zeros((0, 4), np.float32))
    with pytest.raises(TypeError, match=r"^BoundingBoxAugment: transform must be a transform of "
                                        r"headrace.dataset.vision"):
        vision.BoundingBoxAugment(lambda x: x)
    with pytest.raises(InvalidArgumentError, match=r"^BoundingBoxAugment: ratio must be a number in \[0, 1\]"):
        vision.BoundingBoxAugment(vision.HorizontalFlip(), ratio=1.5)
    with pytest.raises(InvalidArgumentError, match=r"^RandomVerticalFlipWithBBox: prob must be a number in \[0, 1\]"):
        vision.RandomVerticalFlipWithBBox(2)
    with pytest.raises(InvalidArgumentError, match=r"^RandomResizedCropWithBBox: scale must be"):
        vision.RandomResizedCropWithBBox(10, scale=(0.5, 0.1))


# ---- in a pipeline ----------------------------------------------------------------------------

def test_a_pipeline_over_image_and_boxes_keeps_every_row_and_is_reproducible():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (12, 48, 64, 3), dtype=np.uint8)
    boxes = np.tile(np.array([[4, 5, 20, 10, 1], [30, 20, 30, 25, 2]], np.float32), (12, 1, 1))

    def run():
        config.set_seed(11)
        data = ds.NumpySlicesDataset({"image": images, "bbox": boxes}, shuffle=False)
        data = data.map([vision.RandomHorizontalFlipWithBBox(0.5), vision.RandomCropWithBBox((40, 40)),
                         vision.ResizeWithBBox((20, 20))], input_columns=["image", "bbox"], num_parallel_workers=2)
        rows = []
        iterator = data.create_tuple_iterator(num_epochs=2, output_numpy=True)
        for _ in range(2):
            rows.append([(image.copy(), bbox.copy()) for image, bbox in iterator])
        return rows

    first, again = run(), run()
    for epoch in first:
        assert len(epoch) == 12
        for image, bbox in epoch:
            assert image.shape == (20, 20, 3) and bbox.dtype == np.float32 and bbox.shape[1] == 5
            assert np.all(bbox[:, 0] + bbox[:, 2] <= 20 + 1e-4) and np.all(bbox[:, 1] + bbox[:, 3] <= 20 + 1e-4)
    for a, b in zip(first, again):
        for (ia, ba), (ib, bb) in zip(a, b):
            np.testing.assert_array_equal(ia, ib)
            np.testing.assert_array_equal(ba, bb)
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(first[0], first[1])), "epochs draw anew"
