"""The resize transforms under the default config.set_image_resampling("mindspore") give
MindSpore 2.10's pixels.

- Every resize_* and resized_crop_* fixture of tests/data/mindspore_vision (MindSpore's own
  outputs) within 1 grey level, shape equal, and the Decode fixture exactly.
- Cases the fixtures do not cover (odd sizes, large upscales, 1 and 4 channels, float32,
  AREA by integer and non-integer factors and enlarging) against
  opencv_resize_reference.py, a NumPy model written from OpenCV's documented conventions:
  uint8 within 1 level (OpenCV's SIMD and scalar loops round differently), float32 within
  1e-4 on values in [0, 1].
- PILCUBIC and ANTIALIAS are Pillow's BICUBIC and LANCZOS.
"""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import map as map_module
from headrace.dataset import vision
from headrace.dataset.vision import Inter
from headrace.errors import InvalidArgumentError

from . import opencv_resize_reference as reference
from .mindspore_fixtures import FIXTURES, assert_close, cases, fixture

Image = pytest.importorskip("PIL.Image")

INTERS = {"nearest": Inter.NEAREST, "linear": Inter.LINEAR, "cubic": Inter.BICUBIC, "area": Inter.AREA,
          "pilcubic": Inter.PILCUBIC}
OPENCV = ["nearest", "linear", "cubic", "area"]


pytestmark = pytest.mark.usefixtures("mindspore_resampling")


def random_image(shape, seed: int, dtype=np.uint8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == np.float32:
        return rng.random(shape, dtype=np.float32)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def encoded(array: np.ndarray, fmt: str = "JPEG") -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, fmt, quality=90)
    return np.frombuffer(buffer.getvalue(), np.uint8)


# --- MindSpore's outputs ----------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(cases("cases.json")))
def test_resize_equals_mindspores_fixture(case):
    inter, size_text = case.split("_")
    size = tuple(int(v) for v in size_text.split("x")) if "x" in size_text else int(size_text)
    expected = fixture(f"resize_{case}.npy")
    ours = vision.Resize(size, INTERS[inter])(fixture("input_61x83.npy"))
    assert list(ours.shape) == cases("cases.json")[case]
    assert_close(ours, expected)


@pytest.mark.parametrize("case, args", [
    ("resized_crop_5_7_40_50_to_32x24_linear", (5, 7, 40, 50, (32, 24), Inter.LINEAR)),
    ("resized_crop_5_7_40_50_to_80x90_cubic", (5, 7, 40, 50, (80, 90), Inter.BICUBIC)),
])
def test_resized_crop_equals_mindspores_fixture(case, args):
    ours = vision.ResizedCrop(*args)(fixture("input_61x83.npy"))
    assert list(ours.shape) == cases("cases_geometry.json")[case]
    assert_close(ours, fixture(f"{case}.npy"))


def test_decode_equals_mindspores_decode():
    raw = np.fromfile(os.path.join(FIXTURES, "input_61x83.jpg"), np.uint8)
    np.testing.assert_array_equal(vision.Decode()(raw), fixture("decode_61x83.npy"))


@pytest.mark.parametrize("inter", OPENCV)
@pytest.mark.parametrize("size", [(30, 41), (100, 90), 20])
def test_random_crop_decode_resize_of_the_whole_image_is_mindspores_decode_then_resize(inter, size):
    # scale 1 and the image's own ratio make the window the whole image.
    raw = np.fromfile(os.path.join(FIXTURES, "input_61x83.jpg"), np.uint8)
    ratio = 83 / 61
    ours = vision.RandomCropDecodeResize(size, (1.0, 1.0), (ratio, ratio), INTERS[inter])(raw)
    height, width = (size, size) if isinstance(size, int) else size
    assert_close(ours, reference.resize(fixture("decode_61x83.npy"), height, width, inter))


@pytest.mark.parametrize("shape, size, expected", [
    # What MindSpore 2.10 gives: floor(longer / shorter * size) in float.
    ((61, 83, 3), 45, (45, 61)), ((10, 15, 3), 7, (7, 10)), ((7, 3, 3), 4, (9, 4)),
    ((375, 500, 3), 256, (256, 341)), ((100, 150, 3), 67, (67, 100)), ((33, 50, 3), 67, (67, 101)),
    ((99, 10), 5, (49, 5)), ((20, 20, 3), 7, (7, 7)),
])
def test_resize_keeps_the_aspect_ratio_as_mindspore(shape, size, expected):
    assert vision.Resize(size)(np.zeros(shape, np.uint8)).shape[:2] == expected


# --- cases of our own against the NumPy model of cv::resize -----------------------------

SHAPES_AND_SIZES = [
    ((37, 53, 3), (19, 27)),     # odd sizes, shrinking by non-integer factors
    ((5, 4, 3), (61, 52)),       # a large upscale
    ((3, 2, 3), (40, 41)),       # a larger one from a tiny image
    ((29, 31), (13, 44)),        # 2-D (one channel), shrink one way and enlarge the other
    ((21, 17, 1), (40, 9)),      # an explicit single channel
    ((24, 30, 4), (12, 15)),     # exactly 2x smaller (LINEAR takes the area path)
    ((60, 48, 3), (20, 16)),     # an integer factor of 3
    ((61, 83, 3), (29, 37)),     # AREA's general path
    ((13, 17, 3), (40, 45)),     # AREA enlarging
    ((1, 9, 3), (4, 3)),         # a one-row image
    ((33, 65, 3), (33, 200)),    # one axis unchanged (uint8 rows wider than a SIMD block)
]


@pytest.mark.parametrize("inter", OPENCV)
@pytest.mark.parametrize("shape, size", SHAPES_AND_SIZES)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_resize_equals_the_opencv_model(inter, shape, size, dtype):
    image = random_image(shape, seed=sum(shape) + size[0], dtype=dtype)
    ours = vision.Resize(size, INTERS[inter])(image)
    assert_close(ours, reference.resize(image, size[0], size[1], inter))


@pytest.mark.parametrize("inter", OPENCV)
def test_resized_crop_is_the_crop_resized(inter):
    image = random_image((50, 70, 3), seed=5)
    rng = np.random.default_rng(7)
    for _ in range(10):
        top, left = rng.integers(0, 30, 2)
        height, width = rng.integers(1, 20, 2)
        out_h, out_w = rng.integers(1, 60, 2)
        ours = vision.ResizedCrop(int(top), int(left), int(height), int(width), (int(out_h), int(out_w)),
                                  INTERS[inter])(image)
        expected = reference.resized_crop(image, top, left, height, width, out_h, out_w, inter)
        assert_close(ours, expected)


@pytest.mark.parametrize("inter", OPENCV)
def test_random_resized_crop_of_the_whole_image_is_a_resize(inter):
    image = random_image((45, 60, 3), seed=2)
    op = vision.RandomResizedCrop((31, 23), scale=(1.0, 1.0), ratio=(60 / 45, 60 / 45), interpolation=INTERS[inter])
    assert_close(op(image), reference.resize(image, 31, 23, inter))


@pytest.mark.parametrize("inter, pillow", [(Inter.PILCUBIC, "BICUBIC"), (Inter.ANTIALIAS, "LANCZOS")])
@pytest.mark.parametrize("size", [(30, 41), (128, 97)])
def test_pilcubic_and_antialias_are_pillows_filters(inter, pillow, size):
    image = fixture("input_61x83.npy")
    expected = np.asarray(Image.fromarray(image).resize((size[1], size[0]), getattr(Image, pillow)))
    assert_close(vision.Resize(size, inter)(image), expected)


@pytest.mark.parametrize("case", sorted(cases("cases_resize_up.json")))
def test_enlarging_equals_mindspores_recorded_output_exactly(case):
    # Rows above and below the image keep both weights of OpenCV's vertical pass (the same
    # edge row twice), which rounds apart from one weight of 1 by a level now and then.
    _, size, inter = cases("cases_resize_up.json")[case]
    recorded = np.load(os.path.join(FIXTURES, f"resize_up_{case}.npz"))
    ours = vision.Resize(tuple(size), getattr(Inter, inter))(recorded["image"])
    np.testing.assert_array_equal(ours, recorded["resized"])


@pytest.mark.parametrize("size", [(45, 200), (30, 300), (20, 150)])
def test_pilcubic_runs_the_horizontal_pass_first(size):
    # MindSpore's copy of Pillow's resampling always runs the horizontal pass first; Pillow 13
    # runs the vertical one first when the height shrinks much more than the width, and the
    # 8-bit intermediate image then rounds differently. Pillow resizing one axis at a time,
    # width then height, is the reference.
    image = fixture("input_61x83.npy")
    height, width = size
    wide = Image.fromarray(image).resize((width, image.shape[0]), Image.BICUBIC)
    expected = np.asarray(wide.resize((width, height), Image.BICUBIC))
    np.testing.assert_array_equal(vision.Resize(size, Inter.PILCUBIC)(image), expected)


def test_pillow_resampling_keeps_pillows_own_pass_order(pillow_resampling):
    image = fixture("input_61x83.npy")
    expected = np.asarray(Image.fromarray(image).resize((200, 45), Image.BICUBIC))
    np.testing.assert_array_equal(vision.Resize((45, 200), Inter.PILCUBIC)(image), expected)


@pytest.mark.parametrize("inter, pillow", [(Inter.PILCUBIC, "BICUBIC"), (Inter.ANTIALIAS, "LANCZOS")])
def test_resized_crops_with_pillows_filters_resize_the_crop_alone(inter, pillow):
    # MindSpore crops, then runs Pillow's filter: nothing outside the window is read (with
    # set_image_resampling("pillow") the window is Pillow's box instead, as torchvision).
    image = fixture("input_61x83.npy")
    crop = Image.fromarray(np.ascontiguousarray(image[5:45, 7:57]))
    expected = np.asarray(crop.resize((24, 32), getattr(Image, pillow)))
    assert_close(vision.ResizedCrop(5, 7, 40, 50, (32, 24), inter)(image), expected)
    whole = np.asarray(Image.fromarray(image).resize((24, 32), getattr(Image, pillow)))
    op = vision.RandomResizedCrop((32, 24), scale=(1.0, 1.0), ratio=(83 / 61, 83 / 61), interpolation=inter)
    assert_close(op(image), whole)


# --- RandomResize, the fused decode, errors -----------------------------------------------

def rows_through(op, images, seed: int, workers: int) -> list:
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([op], input_columns="image", num_parallel_workers=workers)
    return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]


def test_random_resize_draws_one_of_mindspores_four_interpolations_per_row():
    image = random_image((23, 31, 3), seed=1)
    choices = [vision.Resize(15, inter)(image) for inter in (Inter.LINEAR, Inter.NEAREST, Inter.CUBIC, Inter.AREA)]
    # The four differ on this image, so each row tells which was drawn.
    assert all(not np.array_equal(a, b) for i, a in enumerate(choices) for b in choices[i + 1:])
    rows = rows_through(vision.RandomResize(15), np.stack([image] * 40), seed=3, workers=1)
    drawn = [next(i for i, c in enumerate(choices) if np.array_equal(row, c)) for row in rows]
    assert set(drawn) == {0, 1, 2, 3}
    again = rows_through(vision.RandomResize(15), np.stack([image] * 40), seed=3, workers=3)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again))


def photo(height: int, width: int, seed: int) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    smooth = np.stack([(x * 0.7 + y * 0.2) % 256, (x * 0.1 + y * 0.9) % 256, (x + y) % 256], -1)
    noise = np.random.default_rng(seed).integers(-25, 25, smooth.shape)
    return np.clip(smooth + noise, 0, 255).astype(np.uint8)


def decoded_and_cropped(files: list, fuse: bool, size: int, inter: Inter) -> list:
    map_module.FUSE_TRANSFORMS = fuse
    try:
        ds.config.set_seed(11)
        data = ds.GeneratorDataset(lambda: iter((f,) for f in files), ["image"])
        data = data.map([vision.Decode(), vision.RandomResizedCrop(size, interpolation=inter)],
                        input_columns="image", num_parallel_workers=2)
        iterator = data.create_tuple_iterator(num_epochs=1)
        assert ("Decode+RandomResizedCrop" in iterator.get_tree_string()) == fuse
        return [row[0] for row in iterator]
    finally:
        map_module.FUSE_TRANSFORMS = True


@pytest.mark.parametrize("inter", [Inter.LINEAR, Inter.BICUBIC, Inter.AREA, Inter.NEAREST, Inter.PILCUBIC])
def test_the_fused_decode_and_crop_gives_the_pairs_pixels_exactly(inter):
    # It decodes only the window, at full scale and with a margin, so the pixels are the
    # full decode's and the resize of the crop is MindSpore's.
    files = [encoded(photo(180 + 7 * i, 240 - 5 * i, seed=i)) for i in range(12)]
    fused = decoded_and_cropped(files, True, 56, inter)
    unfused = decoded_and_cropped(files, False, 56, inter)
    for a, b in zip(fused, unfused):
        assert a.shape == (56, 56, 3)
        np.testing.assert_array_equal(a, b)


def test_random_crop_decode_resize_takes_png_and_jpeg_and_names_itself():
    png = encoded(photo(40, 50, seed=1), "PNG")
    op = vision.RandomCropDecodeResize((20, 30))
    assert op(png).shape == (20, 30, 3)
    assert op(encoded(photo(40, 50, seed=1))).shape == (20, 30, 3)
    with pytest.raises(InvalidArgumentError, match="RandomCropDecodeResize: max_attempts"):
        vision.RandomCropDecodeResize(8, max_attempts=0)
    with pytest.raises(InvalidArgumentError, match="RandomCropDecodeResize: size"):
        vision.RandomCropDecodeResize(0)
    with pytest.raises(TypeError, match="RandomCropDecodeResize: interpolation"):
        vision.RandomCropDecodeResize(8, interpolation="bilinear-ish")
    with pytest.raises(ValueError, match="Decode: expected the encoded image as a 1-D uint8 array"):
        op(photo(40, 50, seed=1))


def test_resized_crop_refuses_bad_windows():
    image = random_image((20, 30, 3), seed=0)
    with pytest.raises(ValueError, match=r"ResizedCrop: the window \(top=15, left=0, height=10, width=5\) "
                                         r"does not fit in the image of shape \[20, 30, 3\]"):
        vision.ResizedCrop(15, 0, 10, 5, 8)(image)
    for args in [(-1, 0, 3, 3, 4), (0, 0, 0, 3, 4), (0, 0, 3, 3, 0), (0, 0, 3, 3, (4, 0))]:
        with pytest.raises(InvalidArgumentError, match="ResizedCrop: "):
            vision.ResizedCrop(*args)


def test_resize_refuses_what_it_cannot_resize():
    with pytest.raises(ValueError, match="Resize: .*uint8 or float32"):
        vision.Resize(4, Inter.LINEAR)(np.zeros((5, 6), np.int16))
    # Nearest copies any dtype.
    assert vision.Resize((3, 2), Inter.NEAREST)(np.arange(30, dtype=np.int16).reshape(5, 6)).dtype == np.int16
