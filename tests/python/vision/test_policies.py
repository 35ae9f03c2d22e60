"""RandomSelectSubpolicy, UniformAugment and TrivialAugmentWide: what they may produce, how
often, the magnitudes of MindSpore's wide space, seeds and errors."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision

MASK64 = 2**64 - 1


def eager_seed(seed: int, call: int) -> int:
    """The seed of eager call `call` after config.set_seed(seed) (MixSeed of core/random.h)."""
    x = (seed + 0x9E3779B97F4A7C15 * (call + 1)) & MASK64
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def photo(height: int = 20, width: int = 24, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    field = np.stack([40 + 8 * x, 30 + 9 * y, (x * y) % 200 + 20], axis=-1).astype(float)
    return np.clip(field + rng.normal(0, 6, field.shape), 0, 255).astype(np.uint8)


def key(array: np.ndarray) -> bytes:
    return array.tobytes()


# -- RandomSelectSubpolicy --------------------------------------------------------------

def test_random_select_subpolicy_outcomes_and_frequencies():
    image = photo()
    policy = [[(vision.Invert(), 1.0)],
              [(vision.HorizontalFlip(), 1.0), (vision.VerticalFlip(), 0.5)],
              [(lambda img: img // 2, 0.0)]]
    outcomes = {key(255 - image): "invert", key(image[:, ::-1]): "flip", key(image[::-1, ::-1]): "flip+flip",
                key(image): "nothing"}
    ds.config.set_seed(1)
    op = vision.RandomSelectSubpolicy(policy)
    counts = collections.Counter(outcomes[key(op(image))] for _ in range(900))
    # Each sub-policy a third of the time; the second step of the second half of that.
    assert 250 < counts["invert"] < 350 and 250 < counts["nothing"] < 350
    assert 110 < counts["flip"] < 190 and 110 < counts["flip+flip"] < 190


def test_random_select_subpolicy_runs_python_callables_and_random_ops():
    image = photo()
    op = vision.RandomSelectSubpolicy([[(lambda img: img // 2, 1.0), (vision.RandomCrop(8), 1.0)]])
    ds.config.set_seed(2)
    crops = [op(image) for _ in range(20)]
    halved = image // 2
    for crop in crops:
        assert crop.shape == (8, 8, 3)
        # A window of the halved image.
        assert any(np.array_equal(crop, halved[t:t + 8, l:l + 8]) for t in range(13) for l in range(17))
    assert len({key(c) for c in crops}) > 10  # the inner random op draws anew per row


def test_random_select_subpolicy_errors():
    with pytest.raises(TypeError, match="RandomSelectSubpolicy: policy must be a list"):
        vision.RandomSelectSubpolicy(((vision.Invert(), 1.0),))
    with pytest.raises(ValueError, match="RandomSelectSubpolicy: policy can not be empty"):
        vision.RandomSelectSubpolicy([])
    with pytest.raises(ValueError, match=r"RandomSelectSubpolicy: policy\[0\] can not be empty"):
        vision.RandomSelectSubpolicy([[]])
    with pytest.raises(ValueError, match=r"RandomSelectSubpolicy: policy\[0\]\[0\] must be an \(op, prob\) pair"):
        vision.RandomSelectSubpolicy([[vision.Invert()]])
    with pytest.raises(TypeError, match=r"the op of policy\[0\]\[1\] must be a transform or a callable"):
        vision.RandomSelectSubpolicy([[(vision.Invert(), 0.5), (3, 0.5)]])
    with pytest.raises(ValueError, match=r"the prob of policy\[1\]\[0\] must be in \[0.0, 1.0\]"):
        vision.RandomSelectSubpolicy([[(vision.Invert(), 0.5)], [(vision.Invert(), 1.5)]])
    with pytest.raises(ValueError, match=r"RandomSelectSubpolicy \(Invert\): "):
        vision.RandomSelectSubpolicy([[(vision.Invert(), 1.0)]])(np.zeros((4, 4, 3), np.float64))


# -- UniformAugment ---------------------------------------------------------------------

def test_uniform_augment_chooses_subsets_in_order_each_half_the_time():
    image = np.full((2, 2, 1), 3, np.uint8)
    add, double, square = (lambda x: x + 1), (lambda x: x * 2), (lambda x: x * x)
    op = vision.UniformAugment([add, double, square], num_ops=2)
    ds.config.set_seed(3)
    counts = collections.Counter(int(op(image)[0, 0, 0]) for _ in range(1200))
    # Subsets {add, double}, {add, square}, {double, square}, each applied in list order
    # (never square before add, say), each op half of the time.
    expected = {3: 3 / 12, 4: 2 / 12, 6: 2 / 12, 9: 2 / 12, 8: 1 / 12, 16: 1 / 12, 36: 1 / 12}
    assert set(counts) == set(expected)
    for value, share in expected.items():
        assert abs(counts[value] / 1200 - share) < 0.04, (value, counts[value])


def test_uniform_augment_of_native_transforms():
    image = photo()
    op = vision.UniformAugment([vision.Invert(), vision.HorizontalFlip()], num_ops=2)
    ds.config.set_seed(4)
    allowed = {key(image), key(255 - image), key(image[:, ::-1]), key(255 - image[:, ::-1])}
    seen = {key(op(image)) for _ in range(60)}
    assert seen == allowed


def test_uniform_augment_errors():
    with pytest.raises(ValueError, match=r"UniformAugment: num_ops \(3\) is greater than the number of transforms"):
        vision.UniformAugment([vision.Invert(), vision.Equalize()], num_ops=3)
    with pytest.raises(ValueError, match=r"UniformAugment: num_ops must be in \[1, "):
        vision.UniformAugment([vision.Invert()], num_ops=0)
    with pytest.raises(TypeError, match="UniformAugment: num_ops must be an int"):
        vision.UniformAugment([vision.Invert()], num_ops=1.0)
    with pytest.raises(ValueError, match="UniformAugment: transforms can not be empty"):
        vision.UniformAugment([])
    with pytest.raises(TypeError, match=r"UniformAugment: transforms\[1\] must be a transform or a callable"):
        vision.UniformAugment([vision.Invert(), "x"], num_ops=1)


# -- TrivialAugmentWide -----------------------------------------------------------------

def wide_space(bins: int) -> dict:
    """MindSpore's TrivialAugmentWide space: name -> (magnitudes, signed), float32 linspace."""
    def linspace(start, end):
        step = np.float32((np.float32(end) - np.float32(start)) / np.float32(bins - 1))
        return np.float32(start) + np.arange(bins, dtype=np.float32) * step

    posterize = np.round(np.arange(bins, dtype=np.float32) * np.float32(-6.0 / (bins - 1)) + 8)
    return {"Identity": ([0.0], False), "ShearX": (linspace(0, 0.99), True), "ShearY": (linspace(0, 0.99), True),
            "TranslateX": (linspace(0, 32), True), "TranslateY": (linspace(0, 32), True),
            "Rotate": (linspace(0, 135), True), "Brightness": (linspace(0, 0.99), True),
            "Color": (linspace(0, 0.99), True), "Contrast": (linspace(0, 0.99), True),
            "Sharpness": (linspace(0, 0.99), True), "Posterize": (posterize, False),
            "Solarize": (linspace(255, 0), False), "AutoContrast": ([0.0], False), "Equalize": ([0.0], False)}


def geometric_reference(image, name, magnitude):
    """The geometric operations as MindSpore's ApplyAugment makes them with NEAREST: shears
    through the Affine transform about the centre (m radians, as MindSpore computes the
    angle in float), translations as whole-pixel shifts filled with 0, Rotate."""
    nearest = vision.Inter.NEAREST
    degrees = float(np.float32(np.float32(magnitude) * np.float32(180.0)) / np.pi)
    degrees = float(np.float32(degrees))

    def shifted(dx, dy):
        out = np.zeros_like(image)
        h, w = image.shape[:2]
        if abs(dx) >= w or abs(dy) >= h:
            return out  # shifted out of the frame
        out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
        return out

    ops = {"ShearX": lambda: vision.Affine(0.0, (0, 0), 1.0, (degrees, 0.0), nearest)(image),
           "ShearY": lambda: vision.Affine(0.0, (0, 0), 1.0, (0.0, degrees), nearest)(image),
           "TranslateX": lambda: shifted(int(magnitude), 0),
           "TranslateY": lambda: shifted(0, int(magnitude)),
           "Rotate": lambda: vision.Rotate(float(magnitude), nearest)(image)}
    return ops[name]() if name in ops else None


@pytest.mark.parametrize("bins", [31, 5])
def test_trivial_augment_wide_draws_from_the_wide_space(bins):
    op = vision.TrivialAugmentWide(num_magnitude_bins=bins)
    space = wide_space(bins)
    names, signs = collections.Counter(), collections.Counter()
    for seed in range(3000):
        name, magnitude = op.draw(seed)
        magnitudes, signed = space[name]
        assert np.float32(abs(magnitude)) in np.asarray(magnitudes, np.float32), (name, magnitude)
        names[name] += 1
        if signed and magnitude != 0:
            signs[magnitude > 0] += 1
    assert set(names) == set(space) and min(names.values()) > 150  # uniform over 14: ~214 each
    assert abs(signs[True] - signs[False]) < 0.1 * sum(signs.values())


def test_trivial_augment_wide_applies_the_drawn_operation():
    image = photo(24, 28)
    op = vision.TrivialAugmentWide()
    ds.config.set_seed(12)
    outputs = [op(image) for _ in range(200)]  # first: the references below are eager calls too
    checked = collections.Counter()
    for call, got in enumerate(outputs):
        assert got.shape == image.shape and got.dtype == np.uint8
        name, magnitude = op.draw(eager_seed(12, call))
        # Each row gets the drawn operation (whose colour kernels test_mindspore_misc.py holds
        # to MindSpore's pixels) ...
        np.testing.assert_array_equal(got, op.apply(image, name, magnitude), err_msg=f"{name} {magnitude}")
        # ... and the geometric ones are the Affine and Rotate transforms.
        expected = geometric_reference(image, name, magnitude)
        if expected is not None:
            np.testing.assert_array_equal(got, expected, err_msg=f"{name} {magnitude}")
        checked[name] += 1
    assert len(checked) == 14
    assert not np.array_equal(op.apply(image, "Brightness", 0.5), image)
    np.testing.assert_array_equal(op.apply(image, "Identity", 0.0), image)
    with pytest.raises(ValueError, match="unknown augmentation operation 'Blur'"):
        op.apply(image, "Blur", 1.0)


def test_trivial_augment_wide_repeats_with_the_seed_in_a_pipeline():
    images = np.stack([photo(16, 18, seed=i) for i in range(24)])

    def run(workers):
        ds.config.set_seed(7)
        data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
        data = data.map([vision.TrivialAugmentWide(fill_value=(1, 2, 3)),
                         vision.UniformAugment([vision.Invert(), vision.HorizontalFlip()], 1)],
                        input_columns="image", num_parallel_workers=workers)
        return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]

    first = run(1)
    assert all(np.array_equal(a, b) for a, b in zip(first, run(3)))
    assert sum(np.array_equal(a, b) for a, b in zip(first, images)) < 8


def test_trivial_augment_wide_errors():
    with pytest.raises(ValueError, match=r"TrivialAugmentWide: num_magnitude_bins must be in \[2, "):
        vision.TrivialAugmentWide(1)
    with pytest.raises(TypeError, match="TrivialAugmentWide: interpolation must be an Inter"):
        vision.TrivialAugmentWide(interpolation="nearest")
    with pytest.raises(ValueError, match=r"TrivialAugmentWide: fill_value must be in \[0, 255\]"):
        vision.TrivialAugmentWide(fill_value=(0, 0, 256))
    with pytest.raises(ValueError, match=r"TrivialAugmentWide: expected an image .* 3 channels of uint8"):
        vision.TrivialAugmentWide()(np.zeros((4, 4, 3), np.float32))


def test_policies_with_python_callables_in_a_pipeline_of_several_workers():
    images = np.stack([photo(12, 14, seed=i) for i in range(30)])

    def run(workers):
        ds.config.set_seed(9)
        data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
        policy = [[(lambda img: img // 2, 0.5), (vision.RandomHorizontalFlip(1.0), 0.5)], [(vision.Invert(), 1.0)]]
        data = data.map([vision.RandomSelectSubpolicy(policy),
                         vision.UniformAugment([lambda img: 255 - img, vision.VerticalFlip()], 1)],
                        input_columns="image", num_parallel_workers=workers)
        return [row[0] for row in data.create_tuple_iterator(num_epochs=1)]

    first = run(1)
    assert all(np.array_equal(a, b) for a, b in zip(first, run(4)))
    for out, image in zip(first, images):
        # Every output is the image through some of the steps, each at most once.
        steps = [image, image // 2, image[:, ::-1], (image // 2)[:, ::-1], 255 - image]
        candidates = steps + [255 - s for s in steps] + [s[::-1] for s in steps]
        assert any(np.array_equal(out, c) for c in candidates)


def test_trivial_augment_wide_takes_the_interpolations_of_mindspore_warps():
    for inter in (vision.Inter.NEAREST, vision.Inter.BILINEAR, vision.Inter.BICUBIC, vision.Inter.AREA):
        vision.TrivialAugmentWide(interpolation=inter)
    for inter in (vision.Inter.ANTIALIAS, vision.Inter.PILCUBIC):
        with pytest.raises(ValueError, match="TrivialAugmentWide: interpolation must be an Inter "
                                             r"\(NEAREST, LINEAR, CUBIC, AREA\)"):
            vision.TrivialAugmentWide(interpolation=inter)
