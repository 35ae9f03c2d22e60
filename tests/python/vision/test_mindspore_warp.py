"""The warps under the default config.set_image_resampling("mindspore") give MindSpore
2.10's pixels: Rotate, RandomRotation, Affine, RandomAffine, Perspective and
RandomPerspective run OpenCV's cv::warpAffine / cv::warpPerspective with MindSpore's
matrices.

- The rotate_* and affine_* fixtures of tests/data/mindspore_vision (MindSpore's own
  outputs) within 1 grey level (they agree exactly today), shapes equal.
- The warp_exact_* fixtures (record_warp_exact_cases.py: where a wide sweep once found us
  off, float32 and 1 to 4 channels included) exactly.
- Cases the fixtures do not cover (1 and 4 channels, float32, CUBIC, AREA, fill values,
  other sizes, perspective) against opencv_warp_reference.py, a NumPy model written from
  OpenCV's documented conventions: uint8 within 1 level, float32 within 1e-4 on [0, 1].
- The random warps: a seed gives the same rows with any number of workers, rows differ,
  and a range of one value is the deterministic transform.
"""

from __future__ import annotations


import numpy as np
import pytest

import headrace.dataset as ds
from headrace import _core
from headrace.dataset import vision
from headrace.dataset.vision import Inter
from headrace.errors import InvalidArgumentError

from . import opencv_warp_reference as reference
from .mindspore_fixtures import assert_close, cases, fixture

INTERS = {"nearest": Inter.NEAREST, "linear": Inter.LINEAR, "cubic": Inter.BICUBIC, "area": Inter.AREA}
F32 = np.float32


pytestmark = pytest.mark.usefixtures("mindspore_resampling")


def geometry_cases() -> dict:
    return cases("cases_geometry.json")


def random_image(shape, seed: int, dtype=np.uint8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == np.float32:
        return rng.random(shape, dtype=np.float32)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def smooth_image(height: int, width: int, channels: int = 3) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    planes = [(x * 3 + y * (c + 1) * 2) % 256 for c in range(channels)]
    return np.stack(planes, -1).astype(np.uint8)


def rows_through(op, images, seed: int, workers: int) -> list:
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([op], input_columns="image", num_parallel_workers=workers)
    return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]


# --- MindSpore's outputs ----------------------------------------------------------------

@pytest.mark.parametrize("case, make", [
    ("rotate_30_nearest", lambda: vision.Rotate(30, Inter.NEAREST)),
    ("rotate_30_linear_expand", lambda: vision.Rotate(30, Inter.LINEAR, expand=True)),
    ("affine_15_t0.5_-0.3_s1.1_sh5_linear", lambda: vision.Affine(15, [0.5, -0.3], 1.1, [5.0, 0.0], Inter.LINEAR)),
])
def test_warps_equal_mindspores_fixtures(case, make):
    ours = make()(fixture("input_61x83.npy"))
    assert list(ours.shape) == geometry_cases()[case]
    expected = fixture(f"{case}.npy")
    assert_close(ours, expected)
    # Not merely close: the fixed-point coordinates and weights are OpenCV's.
    assert np.count_nonzero(ours != expected) <= ours.size // 1000


@pytest.mark.parametrize("case, make", [
    ("rotate_30_nearest", lambda image: reference.rotate(image, 30, "nearest")),
    ("rotate_30_linear_expand", lambda image: reference.rotate(image, 30, "linear", expand=True)),
    ("affine_15_t0.5_-0.3_s1.1_sh5_linear",
     lambda image: reference.affine(image, 15, [F32(0.5) * F32(83), F32(-0.3) * F32(61)], 1.1, [5.0, 0.0], "linear")),
])
def test_the_numpy_model_reproduces_mindspores_fixtures(case, make):
    # The model the cases below rely on is itself held to MindSpore.
    np.testing.assert_array_equal(make(fixture("input_61x83.npy")), fixture(f"{case}.npy"))


# --- MindSpore's outputs where the warps once differed (cases_warp_exact.json) -----------
# A wide sweep against MindSpore 2.10 (Affine, Rotate, Perspective, their random forms with
# one-value ranges; every interpolation; uint8 with 1 to 4 channels and float32) found
# three causes, all fixed: Affine's matrix must be all float (MindSpore's cos, sin and tan
# are the float overloads), the border value is a cv::Scalar of three values and a 0, and
# warpPerspective's blocks are 64 columns wide. The recorded cases below exposed them; we
# now agree exactly, so they are held exactly.

EXACT_INPUTS = {
    "rgb": lambda image: image,
    "rgb_f32": lambda image: image.astype(np.float32) / np.float32(255),
    "rgba": lambda image: np.concatenate([image, image[:, :, 1:2]], axis=2),
    "grey": lambda image: image[:, :, 0].copy(),
    "tiled_101x130": lambda image: np.tile(image, (2, 2, 1))[:101, :130].copy(),
}


def exact_case(case: str):
    kind, call = cases("cases_warp_exact.json")[case]
    return EXACT_INPUTS[kind](fixture("input_61x83.npy")), call


@pytest.mark.parametrize("case", sorted(cases("cases_warp_exact.json")))
def test_warps_equal_mindspores_recorded_outputs_exactly(case):
    image, call = exact_case(case)
    ours = eval(f"vision.{call}")(image)  # noqa: S307 - the recorded calls
    expected = fixture(f"warp_exact_{case}.npy")
    assert ours.dtype == expected.dtype and ours.shape == expected.shape
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("case, degrees, translate, scale, shear", [
    ("affine_-10_s1.2_shy10_cubic", -10, [0, 0], 1.2, [0.0, 10.0]),
    ("affine_-10_s1.2_shy10_linear_f32", -10, [0, 0], 1.2, [0.0, 10.0]),
    ("affine_30_t0.1_0.2_s0.8_sh-12_7_cubic_f32", 30, [0.1, 0.2], 0.8, [-12.0, 7.0]),
])
def test_the_numpy_model_reproduces_mindspores_float_affine_matrix(case, degrees, translate, scale, shear):
    image, call = exact_case(case)
    inter = {"LINEAR": "linear", "BICUBIC": "cubic"}[call.split("vision.Inter.")[1].rstrip(")")]
    pixels = [F32(translate[0]) * F32(83), F32(translate[1]) * F32(61)]
    expected = fixture(f"warp_exact_{case}.npy")
    model = reference.affine(image, degrees, pixels, scale, shear, inter)
    if expected.dtype == np.uint8:
        np.testing.assert_array_equal(model, expected)
    else:  # the same taps and weights; the model sums the float products in another order
        np.testing.assert_allclose(model, expected, rtol=0, atol=1e-6)
    # Our matrix is the model's to the bit: the rounding that moved pixels depends on it.
    assert _core.transforms.mindspore_affine_matrix(83, 61, degrees, pixels, scale, shear) == \
        reference.affine_matrix(83, 61, degrees, pixels, scale, shear)


@pytest.mark.parametrize("inter", ["nearest", "linear", "bicubic"])
def test_the_numpy_model_walks_warp_perspectives_blocks_as_mindspore(inter):
    image, _ = exact_case(f"perspective_blocks_{inter}")
    # Our matrix (OpenCV's elimination, to the bit; NumPy's solver differs in the last bits,
    # which on this matrix's rounding boundaries moves pixels too).
    matrix = np.array(_core.transforms.perspective_transform([[0, 0], [100, 0], [100, 100], [0, 100]],
                                                             [[40, 40], [60, 40], [100, 100], [0, 100]])).reshape(3, 3)
    model = reference.warp_perspective(image, matrix, 101, 130, "cubic" if inter == "bicubic" else inter)
    np.testing.assert_array_equal(model, fixture(f"warp_exact_perspective_blocks_{inter}.npy"))


@pytest.mark.parametrize("fill, channels, expected", [
    ([9], 4, [9, 9, 9, 0]), ([9, 8, 7], 4, [9, 8, 7, 0]), ([9, 8, 7], 1, [9]), ([9, 8, 7], 2, [9, 8]),
    ([9, 8, 7], 5, [9, 8, 7, 0, 9]), ([9], 3, [9, 9, 9]), ([1, 2, 3, 4], 4, [1, 2, 3, 4]), ([], 3, []),
])
def test_the_border_value_is_mindspores_cv_scalar(fill, channels, expected):
    # Three values and a 0, repeated over the channels; other counts are per channel.
    image = np.full((6, 8, channels), 100, np.uint8)
    out = vision.Affine(45, [0, 0], 1.0, [0, 0], Inter.NEAREST, fill_value=tuple(fill) if fill else 0)(image)
    np.testing.assert_array_equal(out[0, 0], expected if fill else [0] * channels)
    np.testing.assert_array_equal(out[3, 4], [100] * channels)


# --- the kernels against the NumPy model -----------------------------------------------

AFFINE_MATRICES = [
    [0.9, -0.35, 6.2, 0.28, 1.05, -3.7],   # rotation, scale and shear
    [1.6, 0.0, -4.25, 0.0, 1.6, -2.5],     # an enlargement with half-pixel offsets
    [0.45, 0.1, 3.0, -0.05, 0.5, 1.0],     # a reduction
    [-1.0, 0.0, 30.0, 0.0, 1.0, 0.0],      # a mirror
]
SHAPES = [(29, 31), (24, 37, 1), (23, 31, 3), (17, 20, 4)]


@pytest.mark.parametrize("inter", list(INTERS))
@pytest.mark.parametrize("matrix", AFFINE_MATRICES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_warp_affine_equals_the_opencv_model(inter, matrix, shape, dtype):
    image = random_image(shape, seed=sum(shape), dtype=dtype)
    channels = 1 if len(shape) == 2 else shape[2]
    fill = [7, 99, 201, 13][:channels]
    out_h, out_w = shape[0] + 3, shape[1] - 2
    ours = _core.transforms.opencv_warp_affine(image, matrix, out_h, out_w, inter, fill)
    expected = reference.warp_affine(image, matrix, out_h, out_w, inter, fill)
    assert ours.shape == expected.shape
    assert_close(ours, expected)


PERSPECTIVES = [
    ([[0, 0], [30, 0], [30, 28], [0, 28]], [[3, 2], [27, 5], [29, 26], [1, 24]]),
    ([[2, 3], [25, 1], [28, 27], [4, 20]], [[0, 0], [30, 0], [30, 28], [0, 28]]),
    ([[0, 0], [10, 0], [10, 10], [0, 10]], [[-5, 3], [18, -2], [14, 17], [2, 12]]),
]


@pytest.mark.parametrize("inter", list(INTERS))
@pytest.mark.parametrize("points", PERSPECTIVES)
@pytest.mark.parametrize("shape", [(29, 31), (29, 31, 3), (30, 28, 4)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_warp_perspective_equals_the_opencv_model(inter, points, shape, dtype):
    image = random_image(shape, seed=len(shape) + shape[1], dtype=dtype)
    matrix = reference.perspective_matrix(*points)
    np.testing.assert_allclose(_core.transforms.perspective_transform(*points), matrix.reshape(-1),
                               rtol=1e-9, atol=1e-12)
    ours = _core.transforms.opencv_warp_perspective(image, matrix.reshape(-1).tolist(), shape[0], shape[1], inter,
                                                    [40])
    assert_close(ours, reference.warp_perspective(image, matrix, shape[0], shape[1], inter, [40]))


def test_warp_perspective_walks_opencvs_blocks():
    # 1024 / 16 = 64 columns per block: a wider image restarts its sums at columns 64, 128...
    # (perspective_blocks_* above are MindSpore's outputs where that decides pixels).
    image = random_image((40, 300, 3), seed=3)
    matrix = reference.perspective_matrix([[0, 0], [299, 0], [299, 39], [0, 39]],
                                          [[4, 1], [290, 3], [296, 37], [2, 35]])
    for inter in ("nearest", "linear"):
        ours = _core.transforms.opencv_warp_perspective(image, matrix.reshape(-1).tolist(), 40, 300, inter, [])
        assert_close(ours, reference.warp_perspective(image, matrix, 40, 300, inter))


def test_nearest_warps_any_dtype_and_the_identity_is_exact():
    image = np.arange(5 * 7 * 2, dtype=np.int16).reshape(5, 7, 2)
    identity = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    np.testing.assert_array_equal(_core.transforms.opencv_warp_affine(image, identity, 5, 7, "nearest", []), image)
    rgb = random_image((9, 11, 3), seed=1)
    for inter in INTERS:
        np.testing.assert_array_equal(_core.transforms.opencv_warp_affine(rgb, identity, 9, 11, inter, []), rgb)


# --- Rotate and Affine on cases of our own ----------------------------------------------

@pytest.mark.parametrize("inter", list(INTERS))
@pytest.mark.parametrize("shape, dtype", [((33, 47), np.uint8), ((33, 47, 1), np.uint8), ((26, 19, 3), np.uint8),
                                          ((26, 19, 3), np.float32), ((21, 21, 4), np.uint8)])
@pytest.mark.parametrize("degrees, expand, center", [(30, False, None), (-47.5, True, None), (90, False, None),
                                                     (200, True, None), (12, False, (4.5, 7.0))])
def test_rotate_equals_the_opencv_model(inter, shape, dtype, degrees, expand, center):
    image = random_image(shape, seed=shape[0] + abs(int(degrees)), dtype=dtype)
    channels = 1 if len(shape) == 2 else shape[2]
    fill = 77 if channels == 1 else tuple([10, 200, 30, 5][:channels])
    ours = vision.Rotate(degrees, INTERS[inter], expand=expand, center=center, fill_value=fill)(image)
    fills = [fill] if isinstance(fill, int) else list(fill)
    if channels == 3:
        fills = fills[::-1]  # MindSpore's Rotate hands OpenCV its fill reversed
    assert_close(ours, reference.rotate(image, degrees % 360, inter, expand, center, fills))


def test_rotate_fills_the_channels_in_reverse_as_mindspore_does(pillow_resampling):
    from headrace.dataset import config

    image = np.full((10, 10, 3), 128, np.uint8)
    config.set_image_resampling("mindspore")
    for op in (vision.Rotate(45, Inter.NEAREST, fill_value=(10, 20, 30)),
               vision.RandomRotation((45, 45), Inter.NEAREST, fill_value=(10, 20, 30))):
        out = op(image)
        np.testing.assert_array_equal(out[0, 0], [30, 20, 10])
        np.testing.assert_array_equal(out[5, 5], [128, 128, 128])
    config.set_image_resampling("pillow")  # Pillow keeps the order
    np.testing.assert_array_equal(vision.Rotate(45, Inter.NEAREST, fill_value=(10, 20, 30))(image)[0, 0], [10, 20, 30])


@pytest.mark.parametrize("case", sorted(cases("cases_warp_fill.json")))
def test_rotation_fills_equal_mindspores_recorded_output(case):
    ours = eval(f"vision.{cases('cases_warp_fill.json')[case]}")(fixture("input_61x83.npy"))  # noqa: S307
    np.testing.assert_array_equal(ours, fixture(f"{case}.npy"))


@pytest.mark.parametrize("inter", list(INTERS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("degrees, translate, scale, shear", [
    (15, (0.5, -0.3), 1.1, (5.0, 0.0)), (-120, (0.0, 0.25), 0.7, (-10.0, 20.0)), (0, (0.1, 0.1), 1.0, (0.0, 0.0)),
    (45, (-1.0, 1.0), 2.5, (30.0, -15.0)),
])
def test_affine_equals_the_opencv_model(inter, dtype, degrees, translate, scale, shear):
    image = random_image((31, 44, 3), seed=int(degrees) + 300, dtype=dtype)
    ours = vision.Affine(degrees, list(translate), scale, list(shear), INTERS[inter], fill_value=(1, 2, 3))(image)
    pixels = [F32(translate[0]) * F32(44), F32(translate[1]) * F32(31)]
    expected = reference.affine(image, degrees, pixels, scale, shear, inter, [1, 2, 3])
    assert_close(ours, expected)
    np.testing.assert_allclose(_core.transforms.mindspore_affine_matrix(44, 31, degrees, pixels, scale, shear),
                               reference.affine_matrix(44, 31, degrees, pixels, scale, shear), rtol=0, atol=1e-6)


def test_affine_warps_refuse_pilcubic_and_antialias_as_mindspore_does():
    # MindSpore 2.10 raises for both on arrays (Rotate, RandomRotation, Affine, RandomAffine);
    # its Perspective takes PILCUBIC as LINEAR.
    for inter in (Inter.PILCUBIC, Inter.ANTIALIAS):
        for make in (lambda: vision.Rotate(33, inter), lambda: vision.RandomRotation(30, inter),
                     lambda: vision.Affine(10, [0, 0], 1.0, [0.0, 0.0], inter)):
            with pytest.raises(ValueError, match=rf"resample must be NEAREST, LINEAR, CUBIC or AREA for "
                                                 rf"MindSpore's warps, got {inter.name}$"):
                make()
    image = random_image((20, 30, 3), seed=4)
    corners = [[0, 0], [29, 0], [29, 19], [0, 19]]
    moved = [[1, 2], [27, 0], [29, 18], [2, 17]]
    np.testing.assert_array_equal(vision.Perspective(corners, moved, Inter.PILCUBIC)(image),
                                  vision.Perspective(corners, moved, Inter.LINEAR)(image))


def test_random_rotation_draws_per_row_from_the_seed():
    image = smooth_image(24, 32)
    images = np.stack([image] * 12)
    rows = rows_through(vision.RandomRotation(40, Inter.BILINEAR), images, seed=5, workers=1)
    again = rows_through(vision.RandomRotation(40, Inter.BILINEAR), images, seed=5, workers=3)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again))
    assert len({row.tobytes() for row in rows}) == len(rows)
    other = rows_through(vision.RandomRotation(40, Inter.BILINEAR), images, seed=6, workers=1)
    assert any(not np.array_equal(a, b) for a, b in zip(rows, other))
    # A range of one angle is that Rotate.
    np.testing.assert_array_equal(vision.RandomRotation((33, 33), Inter.LINEAR)(image),
                                  reference.rotate(image, 33, "linear"))


@pytest.mark.parametrize("degrees, expected", [
    (40, (-40, 40)), (400, (-40, 40)), ((-30, 30), (330, 390)), ((10, 50), (10, 50)), ((-200, 200), (-180, 180)),
    ((370, 380), (10, 20)),
])
def test_random_rotation_normalises_its_range_as_mindspore(degrees, expected):
    from headrace.dataset.vision.geometry import _mindspore_rotation_range

    low, high = (-degrees, degrees) if isinstance(degrees, int) else degrees
    assert _mindspore_rotation_range(degrees, float(low), float(high)) == expected


def test_random_rotation_of_400_degrees_turns_at_most_40():
    line = np.zeros((81, 121), np.uint8)
    line[40, 10:111] = 255
    angles = [line_angle(row) for row in rows_through(vision.RandomRotation(400), np.stack([line] * 30), 2, 1)]
    assert max(abs(a) for a in angles) <= 41 and max(abs(a) for a in angles) > 20


def line_angle(image: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise on screen) of the line of lit pixels."""
    ys, xs = np.nonzero(image)
    slope = np.polyfit(xs, ys, 1)[0]
    return float(-np.degrees(np.arctan(slope)))


def test_random_rotation_angles_are_uniform_in_the_range():
    # A horizontal line through the centre, turned: its slope tells the drawn angle.
    image = np.zeros((81, 121), np.uint8)
    image[40, 10:111] = 255
    assert abs(line_angle(vision.Rotate(25)(image)) - 25) < 1
    rows = rows_through(vision.RandomRotation((10, 40)), np.stack([image] * 60), seed=8, workers=2)
    angles = [line_angle(row) for row in rows]
    assert all(9 <= a <= 41 for a in angles), angles
    # Uniform: each third of the range is drawn about a third of the time.
    thirds = np.histogram(angles, bins=[10, 20, 30, 40])[0]
    assert all(8 <= n <= 32 for n in thirds), thirds


# --- RandomAffine, Perspective, RandomPerspective -----------------------------------------

def test_random_affine_with_single_value_ranges_is_affine():
    image = random_image((27, 35, 3), seed=8)
    op = vision.RandomAffine((20, 20), translate=(0.1, 0.1, -0.2, -0.2), scale=(1.2, 1.2),
                             shear=(5, 5, -3, -3), resample=Inter.BILINEAR, fill_value=(9, 8, 7))
    expected = vision.Affine(20, [0.1, -0.2], 1.2, [5, -3], Inter.BILINEAR, fill_value=(9, 8, 7))(image)
    np.testing.assert_array_equal(op(image), expected)
    np.testing.assert_array_equal(vision.RandomAffine(0)(image), image)


def test_random_affine_draws_per_row_from_the_seed():
    image = smooth_image(30, 40)
    images = np.stack([image] * 10)
    op = vision.RandomAffine(30, translate=(-0.2, 0.2, -0.1, 0.1), scale=(0.8, 1.2), shear=10)
    rows = rows_through(op, images, seed=11, workers=1)
    again = rows_through(op, images, seed=11, workers=2)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again))
    assert len({row.tobytes() for row in rows}) == len(rows)
    assert all(row.shape == image.shape and row.dtype == np.uint8 for row in rows)


def test_random_affine_translations_stay_in_their_range():
    # A pure translation by at most 0.25 of the width moves a one-pixel dot by at most 10.
    image = np.zeros((21, 41), np.uint8)
    image[10, 20] = 255
    rows = rows_through(vision.RandomAffine(0, translate=(-0.25, 0.25)), np.stack([image] * 40), seed=2, workers=1)
    shifts = []
    for row in rows:
        ys, xs = np.nonzero(row)
        assert list(ys) in ([], [10])
        shifts.extend(int(x) - 20 for x in xs)
    assert shifts and max(abs(s) for s in shifts) <= 10
    assert min(shifts) < -3 and max(shifts) > 3  # both directions are drawn


@pytest.mark.parametrize("inter", list(INTERS))
def test_perspective_equals_the_opencv_model(inter):
    image = fixture("input_61x83.npy")
    start = [[0, 0], [82, 0], [82, 60], [0, 60]]
    end = [[5, 3], [78, 0], [80, 58], [2, 55]]
    ours = vision.Perspective(start, end, INTERS[inter])(image)
    matrix = reference.perspective_matrix(start, end)
    assert_close(ours, reference.warp_perspective(image, matrix, 61, 83, inter))
    # Moving the corners onto themselves changes nothing.
    np.testing.assert_array_equal(vision.Perspective(start, start, INTERS[inter])(image), image)


def test_random_perspective_draws_per_row_and_keeps_rows_with_prob():
    image = smooth_image(32, 40)
    images = np.stack([image] * 16)
    rows = rows_through(vision.RandomPerspective(0.6, 0.5), images, seed=4, workers=1)
    again = rows_through(vision.RandomPerspective(0.6, 0.5), images, seed=4, workers=3)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again))
    unchanged = sum(np.array_equal(row, image) for row in rows)
    assert 2 <= unchanged <= 14
    changed = {row.tobytes() for row in rows if not np.array_equal(row, image)}
    assert len(changed) == len(rows) - unchanged
    assert all(np.array_equal(row, image) for row in rows_through(vision.RandomPerspective(0.6, 0.0), images, 4, 1))
    # No distortion: the corners stay, the image too.
    np.testing.assert_array_equal(vision.RandomPerspective(0.0, 1.0, Inter.BILINEAR)(image), image)


def test_random_perspective_keeps_rows_whose_corners_fall_on_a_line():
    # On a 3 x 5 image with distortion 1 the corners often land three on a line: no
    # perspective maps there, and the row is kept rather than failing the pipeline.
    image = random_image((3, 5, 3), seed=5)
    rows = rows_through(vision.RandomPerspective(1.0, 1.0), np.stack([image] * 60), seed=3, workers=1)
    kept = sum(np.array_equal(row, image) for row in rows)
    assert 0 < kept < len(rows)
    # Tiny images have no distinct corners at all.
    tiny = random_image((1, 6), seed=6)
    np.testing.assert_array_equal(vision.RandomPerspective(0.5, 1.0)(tiny), tiny)


def test_random_perspective_moves_corners_inwards_within_the_scale():
    # The corners of an all-white image: a moved corner leaves a black border at most
    # distortion_scale * half the side wide.
    image = np.full((40, 60), 255, np.uint8)
    for row in rows_through(vision.RandomPerspective(0.5, 1.0, Inter.NEAREST), np.stack([image] * 20), 9, 1):
        assert row[20, 30] == 255
        assert (row[:, 16:44] == 255).any(axis=0).all() and (row[11:29, :] == 255).any(axis=1).all()


# --- AutoAugment and RandAugment under MindSpore's kernels --------------------------------

@pytest.mark.parametrize("make", [lambda: vision.AutoAugment(), lambda: vision.RandAugment(num_ops=3, magnitude=9),
                                  lambda: vision.AutoAugment(interpolation=Inter.BILINEAR, fill_value=(1, 2, 3))])
def test_auto_augment_and_rand_augment_run_their_geometric_ops(make):
    image = fixture("input_61x83.npy")
    rows = rows_through(make(), np.stack([image] * 24), seed=3, workers=2)
    assert all(row.shape == image.shape and row.dtype == np.uint8 for row in rows)
    assert len({row.tobytes() for row in rows}) > 4


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("make, error, message", [
    (lambda: vision.Affine(0, (2, 0), 1, 0), InvalidArgumentError, "Affine: translate must be fractions"),
    (lambda: vision.RandomAffine(-1), InvalidArgumentError, "RandomAffine: degrees must be non-negative"),
    (lambda: vision.RandomAffine((5, 1)), InvalidArgumentError, "RandomAffine: degrees must be (min, max)"),
    (lambda: vision.RandomAffine("10"), TypeError, "RandomAffine: degrees must be a number or a (min, max) pair"),
    (lambda: vision.RandomAffine(0, translate=(0.5,)), TypeError, "RandomAffine: translate must be a list or tuple"),
    (lambda: vision.RandomAffine(0, translate=(0.2, 1.5)), InvalidArgumentError, "RandomAffine: translate must be "
                                                                                  "fractions in [-1, 1]"),
    (lambda: vision.RandomAffine(0, scale=(2, 1)), InvalidArgumentError, "RandomAffine: scale must be (min, max)"),
    (lambda: vision.RandomAffine(0, scale=(0, 0)), InvalidArgumentError, "RandomAffine: scale must be non-negative"),
    (lambda: vision.RandomAffine(0, shear=0), InvalidArgumentError, "RandomAffine: shear must be greater than 0"),
    (lambda: vision.RandomAffine(0, shear=(1, 2, 3)), TypeError, "RandomAffine: shear must be a list or tuple"),
    (lambda: vision.RandomAffine(0, resample="bilinear"), TypeError, "RandomAffine: resample must be"),
    (lambda: vision.RandomAffine(0, fill_value=300), InvalidArgumentError, "RandomAffine: fill_value must be"),
    (lambda: vision.Perspective([[0, 0]] * 3, [[0, 0]] * 4), TypeError, "Perspective: start_points must be a list"),
    (lambda: vision.Perspective([[0, 0]] * 4, [[0, 0.5]] * 4), TypeError, "Perspective: end_points must be a list"),
    (lambda: vision.Perspective([[0, 0], [1, 1], [2, 2], [3, 3]], [[0, 0], [1, 0], [1, 1], [0, 1]]),
     InvalidArgumentError, "Perspective: the perspective transform is singular"),
    (lambda: vision.Perspective([[0, 0]] * 4, [[0, 0]] * 4, "x"), TypeError, "Perspective: interpolation"),
    (lambda: vision.RandomPerspective(1.5), InvalidArgumentError, "RandomPerspective: distortion_scale must be in"),
    (lambda: vision.RandomPerspective(0.5, -0.1), InvalidArgumentError, "RandomPerspective: prob must be in [0, 1]"),
    (lambda: vision.RandomPerspective(0.5, "1"), TypeError, "RandomPerspective: prob must be a number"),
    (lambda: vision.RandomAffine(0, resample=Inter.ANTIALIAS), TypeError, "RandomAffine: resample ANTIALIAS is not"),
    (lambda: vision.Perspective([[0, 0]] * 4, [[0, 0]] * 4, Inter.ANTIALIAS), TypeError,
     "Perspective: interpolation ANTIALIAS is not supported with NumPy input"),
])
def test_arguments_are_checked_and_named(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert str(info.value).startswith(message), str(info.value)


def test_filtered_warps_refuse_what_they_cannot_interpolate():
    with pytest.raises(ValueError, match="Rotate: expected an image .* of uint8 or float32, got int32"):
        vision.Rotate(10, Inter.LINEAR)(np.zeros((4, 4), np.int32))
    with pytest.raises(ValueError, match="Perspective: expected an image"):
        vision.Perspective([[0, 0], [3, 0], [3, 3], [0, 3]], [[0, 0], [3, 0], [3, 3], [0, 3]])(np.zeros(5, np.uint8))
    assert vision.Rotate(10, Inter.NEAREST)(np.zeros((4, 4), np.int32)).dtype == np.int32


def test_pillow_resampling_keeps_pillows_warps_and_runs_the_new_ones(pillow_resampling):
    image = random_image((20, 24, 3), seed=12)
    Image = pytest.importorskip("PIL.Image")
    expected = np.asarray(Image.fromarray(image).rotate(30, Image.BILINEAR))
    np.testing.assert_array_equal(vision.Rotate(30, Inter.BILINEAR)(image), expected)
    assert vision.RandomAffine(10, translate=(0.1, 0.1), resample=Inter.BILINEAR)(image).shape == image.shape
    assert vision.RandomPerspective(0.3, 1.0)(image).shape == image.shape
    # Pillow's transform has no area warp (AREA is BILINEAR, as OpenCV makes it LINEAR) and
    # no Lanczos one.
    np.testing.assert_array_equal(vision.Rotate(30, Inter.AREA)(image), expected)
    with pytest.raises(InvalidArgumentError, match="Rotate: resample ANTIALIAS has no Pillow warp"):
        vision.Rotate(30, Inter.ANTIALIAS)


# ---- the augment policies' fills ------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: vision.RandAugment(num_ops=1, magnitude=20, fill_value=(10, 20, 30)),
                                  lambda: vision.TrivialAugmentWide(fill_value=(10, 20, 30)),
                                  lambda: vision.AutoAugment(fill_value=(10, 20, 30))])
def test_augment_rotations_turn_the_fill_by_one_as_mindspore_does(make):
    # Measured on MindSpore 2.10 with a flat grey image: corners of its rotations read
    # (20, 30, 10), of its shears and translations (10, 20, 30); never (30, 20, 10), the
    # reversed fill of vision.Rotate.
    op = make()
    image = np.full((32, 40, 3), 128, np.uint8)
    corners = {tuple(int(v) for v in op(image)[0, 0]) for _ in range(300)}
    assert (20, 30, 10) in corners
    assert (30, 20, 10) not in corners


def test_augmentations_follow_the_resampling_mode_whatever_the_interpolation():
    # The C++ side applies MindSpore's operations with MindSpore's kernels and torchvision's
    # with Pillow's: the facade gives each mode only its own kernels, AREA included.
    from headrace.dataset import config
    from headrace.dataset.vision.augment import augment_kernel

    assert [augment_kernel("RandAugment", inter) for inter in (Inter.NEAREST, Inter.BILINEAR, Inter.BICUBIC,
                                                                Inter.AREA)] == ["nearest", "linear", "cubic", "area"]
    config.set_image_resampling("pillow")
    assert augment_kernel("RandAugment", Inter.AREA) == "pil_bilinear"
    assert augment_kernel("RandAugment", Inter.NEAREST) == "pil_nearest"
    for make in (vision.AutoAugment, vision.RandAugment, vision.TrivialAugmentWide):
        for inter in (Inter.PILCUBIC, Inter.ANTIALIAS):
            for mode in ("mindspore", "pillow"):
                config.set_image_resampling(mode)
                with pytest.raises(ValueError, match=r"interpolation must be an Inter \(NEAREST, LINEAR, CUBIC, AREA\)"):
                    make(interpolation=inter)
