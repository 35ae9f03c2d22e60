"""AutoAugment and RandAugment against Pillow, the fused Decode + RandomResizedCrop against
the unfused pair, and random image transforms following the pipeline's seed."""

from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pytest

import headrace.dataset as ds
from headrace._core import engine as _engine
from headrace.dataset import map as map_module
from headrace.dataset import vision
from headrace.errors import InvalidArgumentError

# These tests hold the transforms to Pillow (config.set_image_resampling("pillow")).
pytestmark = pytest.mark.usefixtures("pillow_resampling")

Image = pytest.importorskip("PIL.Image")
ImageEnhance = pytest.importorskip("PIL.ImageEnhance")
ImageOps = pytest.importorskip("PIL.ImageOps")


def photo(height: int, width: int, seed: int = 0) -> np.ndarray:
    """Smooth colours with an edge and noise: enough structure for every operation to show."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    field = np.stack([120 + 90 * np.sin(x / 7), 120 + 90 * np.cos(y / 5), (x + y) % 256], axis=-1)
    field[height // 4:height // 2, width // 3:width // 2] = (250, 20, 90)
    return np.clip(field + rng.normal(0, 10, field.shape), 0, 255).astype(np.uint8)


def jpeg(array: np.ndarray, quality: int = 90) -> np.ndarray:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="JPEG", quality=quality)
    return np.frombuffer(out.getvalue(), dtype=np.uint8)


# -- the operations with torchvision's meaning, computed with Pillow ---------------------

def linspace32(start: float, end: float, bins: int) -> np.ndarray:
    return np.linspace(start, end, bins, dtype=np.float32)


def magnitude_table(bins: int, height: int, width: int) -> dict:
    """torchvision's _augmentation_space: name -> (magnitudes or None, signed)."""
    return {
        "Identity": (None, False),
        "ShearX": (linspace32(0, 0.3, bins), True),
        "ShearY": (linspace32(0, 0.3, bins), True),
        "TranslateX": (linspace32(0, 150 / 331 * width, bins), True),
        "TranslateY": (linspace32(0, 150 / 331 * height, bins), True),
        "Rotate": (linspace32(0, 30, bins), True),
        "Brightness": (linspace32(0, 0.9, bins), True),
        "Color": (linspace32(0, 0.9, bins), True),
        "Contrast": (linspace32(0, 0.9, bins), True),
        "Sharpness": (linspace32(0, 0.9, bins), True),
        "Posterize": (8 - np.round(np.arange(bins) / ((bins - 1) / 4)).astype(int), False),
        "Solarize": (linspace32(255, 0, bins), False),
        "AutoContrast": (None, False),
        "Equalize": (None, False),
        "Invert": (None, False),
    }


def pillow_op(image, name: str, magnitude: float, fill=(0, 0, 0)):
    affine = {"ShearX": (1, math.tan(math.atan(magnitude)), 0, 0, 1, 0),
              "ShearY": (1, 0, 0, math.tan(math.atan(magnitude)), 1, 0),
              "TranslateX": (1, 0, -int(magnitude), 0, 1, 0),
              "TranslateY": (1, 0, 0, 0, 1, -int(magnitude))}
    if name in affine:
        return image.transform(image.size, Image.AFFINE, affine[name], Image.NEAREST, fillcolor=fill)
    enhance = {"Brightness": ImageEnhance.Brightness, "Color": ImageEnhance.Color,
               "Contrast": ImageEnhance.Contrast, "Sharpness": ImageEnhance.Sharpness}
    if name in enhance:
        return enhance[name](image).enhance(1 + magnitude)
    if name == "Rotate":
        return image.rotate(magnitude, Image.NEAREST, fillcolor=fill)
    if name == "Posterize":
        return ImageOps.posterize(image, int(magnitude))
    if name == "Solarize":
        return ImageOps.solarize(image, magnitude)
    return {"Identity": lambda i: i, "AutoContrast": ImageOps.autocontrast,
            "Equalize": ImageOps.equalize, "Invert": ImageOps.invert}[name](image)


def magnitudes_of(name: str, bin_: int, table: dict) -> list:
    values, signed = table[name]
    magnitude = 0.0 if values is None or bin_ is None else float(values[bin_])
    return [magnitude, -magnitude] if signed and magnitude else [magnitude]


def matches_one(result: np.ndarray, candidates: list) -> bool:
    """Equal to a candidate but for rare one-level or rounding-edge differences (the
    magnitudes are float32 in torchvision, as here; Pillow's reference uses doubles)."""
    for candidate in candidates:
        diff = np.abs(result.astype(int) - candidate.astype(int))
        if diff.mean() < 0.25 and (diff > 1).mean() < 0.01:
            return True
    return False


IMAGENET_POLICY = [
    (("Posterize", 0.4, 8), ("Rotate", 0.6, 9)), (("Solarize", 0.6, 5), ("AutoContrast", 0.6, None)),
    (("Equalize", 0.8, None), ("Equalize", 0.6, None)), (("Posterize", 0.6, 7), ("Posterize", 0.6, 6)),
    (("Equalize", 0.4, None), ("Solarize", 0.2, 4)), (("Equalize", 0.4, None), ("Rotate", 0.8, 8)),
    (("Solarize", 0.6, 3), ("Equalize", 0.6, None)), (("Posterize", 0.8, 5), ("Equalize", 1.0, None)),
    (("Rotate", 0.2, 3), ("Solarize", 0.6, 8)), (("Equalize", 0.6, None), ("Posterize", 0.4, 6)),
    (("Rotate", 0.8, 8), ("Color", 0.4, 0)), (("Rotate", 0.4, 9), ("Equalize", 0.6, None)),
    (("Equalize", 0.0, None), ("Equalize", 0.8, None)), (("Invert", 0.6, None), ("Equalize", 1.0, None)),
    (("Color", 0.6, 4), ("Contrast", 1.0, 8)), (("Rotate", 0.8, 8), ("Color", 1.0, 2)),
    (("Color", 0.8, 8), ("Solarize", 0.8, 7)), (("Sharpness", 0.4, 7), ("Invert", 0.6, None)),
    (("ShearX", 0.6, 5), ("Equalize", 1.0, None)), (("Color", 0.4, 0), ("Equalize", 0.6, None)),
    (("Equalize", 0.4, None), ("Solarize", 0.2, 4)), (("Solarize", 0.6, 5), ("AutoContrast", 0.6, None)),
    (("Invert", 0.6, None), ("Equalize", 1.0, None)), (("Color", 0.6, 4), ("Contrast", 1.0, 8)),
    (("Equalize", 0.8, None), ("Equalize", 0.6, None)),
]


CIFAR10_POLICY = [
    (("Invert", 0.1, None), ("Contrast", 0.2, 6)), (("Rotate", 0.7, 2), ("TranslateX", 0.3, 9)),
    (("Sharpness", 0.8, 1), ("Sharpness", 0.9, 3)), (("ShearY", 0.5, 8), ("TranslateY", 0.7, 9)),
    (("AutoContrast", 0.5, None), ("Equalize", 0.9, None)), (("ShearY", 0.2, 7), ("Posterize", 0.3, 7)),
    (("Color", 0.4, 3), ("Brightness", 0.6, 7)), (("Sharpness", 0.3, 9), ("Brightness", 0.7, 9)),
    (("Equalize", 0.6, None), ("Equalize", 0.5, None)), (("Contrast", 0.6, 7), ("Sharpness", 0.6, 5)),
    (("Color", 0.7, 7), ("TranslateX", 0.5, 8)), (("Equalize", 0.3, None), ("AutoContrast", 0.4, None)),
    (("TranslateY", 0.4, 3), ("Sharpness", 0.2, 6)), (("Brightness", 0.9, 6), ("Color", 0.2, 8)),
    (("Solarize", 0.5, 2), ("Invert", 0.0, None)), (("Equalize", 0.2, None), ("AutoContrast", 0.6, None)),
    (("Equalize", 0.2, None), ("Equalize", 0.6, None)), (("Color", 0.9, 9), ("Equalize", 0.6, None)),
    (("AutoContrast", 0.8, None), ("Solarize", 0.2, 8)), (("Brightness", 0.1, 3), ("Color", 0.7, 0)),
    (("Solarize", 0.4, 5), ("AutoContrast", 0.9, None)), (("TranslateY", 0.9, 9), ("TranslateY", 0.7, 9)),
    (("AutoContrast", 0.9, None), ("Solarize", 0.8, 3)), (("Equalize", 0.8, None), ("Invert", 0.1, None)),
    (("TranslateY", 0.7, 9), ("AutoContrast", 0.9, None)),
]

SVHN_POLICY = [
    (("ShearX", 0.9, 4), ("Invert", 0.2, None)), (("ShearY", 0.9, 8), ("Invert", 0.7, None)),
    (("Equalize", 0.6, None), ("Solarize", 0.6, 6)), (("Invert", 0.9, None), ("Equalize", 0.6, None)),
    (("Equalize", 0.6, None), ("Rotate", 0.9, 3)), (("ShearX", 0.9, 4), ("AutoContrast", 0.8, None)),
    (("ShearY", 0.9, 8), ("Invert", 0.4, None)), (("ShearY", 0.9, 5), ("Solarize", 0.2, 6)),
    (("Invert", 0.9, None), ("AutoContrast", 0.8, None)), (("Equalize", 0.6, None), ("Rotate", 0.9, 3)),
    (("ShearX", 0.9, 4), ("Solarize", 0.3, 3)), (("ShearY", 0.8, 8), ("Invert", 0.7, None)),
    (("Equalize", 0.9, None), ("TranslateY", 0.6, 6)), (("Invert", 0.9, None), ("Equalize", 0.6, None)),
    (("Contrast", 0.3, 3), ("Rotate", 0.8, 4)), (("Invert", 0.8, None), ("TranslateY", 0.0, 2)),
    (("ShearY", 0.7, 6), ("Solarize", 0.4, 8)), (("Invert", 0.6, None), ("Rotate", 0.8, 4)),
    (("ShearY", 0.3, 7), ("TranslateX", 0.9, 3)), (("ShearX", 0.1, 6), ("Invert", 0.6, None)),
    (("Solarize", 0.7, 2), ("TranslateY", 0.6, 7)), (("ShearY", 0.8, 4), ("Invert", 0.8, None)),
    (("ShearX", 0.7, 9), ("TranslateY", 0.8, 3)), (("ShearY", 0.8, 5), ("AutoContrast", 0.7, None)),
    (("ShearX", 0.7, 2), ("Invert", 0.1, None)),
]

POLICIES = {"imagenet": IMAGENET_POLICY, "cifar10": CIFAR10_POLICY, "svhn": SVHN_POLICY}


def test_rand_augment_applies_one_of_its_operations_as_pillow_does():
    array = photo(29, 37)
    image = Image.fromarray(array)
    bins, bin_ = 31, 9
    table = magnitude_table(bins, 29, 37)
    by_name = {name: [np.asarray(pillow_op(image, name, m)) for m in magnitudes_of(name, bin_, table)]
               for name in table if name != "Invert"}
    op = vision.RandAugment(num_ops=1, magnitude=bin_, num_magnitude_bins=bins)
    _engine.set_eager_seed(5)
    seen = set()
    for _ in range(120):
        out = op(array)
        assert out.shape == array.shape and out.dtype == np.uint8
        names = [name for name, candidates in by_name.items() if matches_one(out, candidates)]
        assert names, "the output is none of RandAugment's operations"
        seen.update(names)
    assert len(seen) >= 12, seen


@pytest.mark.parametrize("policy_name", sorted(POLICIES))
def test_auto_augment_applies_a_sub_policy_of_its_policy_as_pillow_does(policy_name):
    array = photo(24, 30, seed=2)
    image = Image.fromarray(array)
    table = magnitude_table(10, 24, 30)
    candidates = []
    for policy in POLICIES[policy_name]:
        for applied in itertools.product([False, True], repeat=2):
            steps = [step for step, on in zip(policy, applied) if on]
            choices = [[(name, m) for m in magnitudes_of(name, bin_, table)] for name, _, bin_ in steps]
            for chosen in itertools.product(*choices):
                result = image
                for name, magnitude in chosen:
                    result = pillow_op(result, name, magnitude)
                candidates.append(np.asarray(result))
    op = vision.AutoAugment(vision.AutoAugmentPolicy(policy_name))
    _engine.set_eager_seed(9)
    changed = 0
    for _ in range(60):
        out = op(array)
        assert matches_one(out, candidates), f"the output is no outcome of a {policy_name} sub-policy"
        changed += not np.array_equal(out, array)
    assert changed > 30


def test_augment_arguments_and_images_are_checked():
    with pytest.raises(InvalidArgumentError, match="magnitude must be at most 30"):
        vision.RandAugment(magnitude=31)
    with pytest.raises(TypeError, match="fill_value"):
        vision.RandAugment(fill_value=(1, 2))
    with pytest.raises(TypeError, match="policy"):
        vision.AutoAugment(policy="best")
    with pytest.raises(ValueError, match=r"RandAugment: expected an image .* 3 channels of uint8, "
                                         r"got float32 of shape \[4, 4, 3\]"):
        vision.RandAugment()(np.zeros((4, 4, 3), np.float32))


# -- seeds ------------------------------------------------------------------------------

def augmented(seed: int, workers: int, epochs: int = 1) -> list:
    images = np.stack([photo(40, 48, seed=i) for i in range(24)])
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"image": images}, shuffle=False)
    data = data.map([vision.RandomResizedCrop(24), vision.RandomHorizontalFlip(),
                     vision.RandomColorAdjust(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1),
                     vision.RandAugment()], input_columns="image", num_parallel_workers=workers)
    iterator = data.create_tuple_iterator(num_epochs=epochs)
    return [row[0] for _ in range(epochs) for row in iterator]


def test_the_same_seed_gives_the_same_images_with_any_number_of_workers():
    first = augmented(seed=3, workers=1, epochs=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, augmented(seed=3, workers=3, epochs=2)))
    other = augmented(seed=4, workers=1, epochs=2)
    assert sum(np.array_equal(a, b) for a, b in zip(first, other)) < 3
    # Each epoch draws anew.
    assert sum(np.array_equal(a, b) for a, b in zip(first[:24], first[24:])) < 3


# -- the fused Decode + RandomResizedCrop ---------------------------------------------

def decoded_and_cropped(files: list, fuse: bool, size: int, seed: int = 1) -> list:
    map_module.FUSE_TRANSFORMS = fuse
    try:
        ds.config.set_seed(seed)
        data = ds.GeneratorDataset(lambda: iter((f,) for f in files), ["image"])
        data = data.map([vision.Decode(), vision.RandomResizedCrop(size)], input_columns="image",
                        num_parallel_workers=2)
        iterator = data.create_tuple_iterator(num_epochs=1)
        assert ("Decode+RandomResizedCrop" in iterator.get_tree_string()) == fuse
        return [row[0] for row in iterator]
    finally:
        map_module.FUSE_TRANSFORMS = True


@pytest.mark.parametrize("size", [64, 160])
def test_fused_decode_and_crop_stays_within_resampling_tolerance_of_the_pair(size):
    files = [jpeg(photo(300, 400, seed=i)) for i in range(30)]
    fused = decoded_and_cropped(files, True, size)
    unfused = decoded_and_cropped(files, False, size)
    for a, b in zip(fused, unfused):
        assert a.shape == b.shape == (size, size, 3)
        diff = np.abs(a.astype(int) - b.astype(int))
        # The same window (a wrong one would differ by tens of levels everywhere); the
        # pixels differ by resampling only: DCT scaling and block-aligned borders.
        assert diff.mean() < 2.5, diff.mean()
        assert np.percentile(diff, 99) <= 16


def test_fused_decode_names_a_corrupt_file(tmp_path):
    folder = tmp_path / "cls"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg(photo(50, 60)).tobytes()[:300])
    data = ds.ImageFolderDataset(str(tmp_path), shuffle=False)
    data = data.map([vision.Decode(), vision.RandomResizedCrop(32)], input_columns="image")
    with pytest.raises(ValueError, match=f"Decode: corrupt or truncated JPEG.* in {folder / 'a.jpg'}"):
        list(data.create_tuple_iterator(num_epochs=1))


def test_native_and_python_transforms_mix_in_one_map():
    files = [jpeg(photo(30 + i, 40)) for i in range(6)]
    data = ds.GeneratorDataset(lambda: iter((f,) for f in files), ["image"])
    data = data.map([vision.Decode(), lambda image: image[:, ::-1] // 2, vision.Resize((16, 20)),
                     vision.HWC2CHW()], input_columns="image", num_parallel_workers=2)
    got = [row[0] for row in data.create_tuple_iterator(num_epochs=1)]
    for out, encoded in zip(got, files):
        halved = np.asarray(Image.open(io.BytesIO(encoded.tobytes())).convert("RGB"))[:, ::-1] // 2
        expected = np.asarray(Image.fromarray(np.ascontiguousarray(halved)).resize((20, 16), Image.BILINEAR))
        np.testing.assert_array_equal(out, expected.transpose(2, 0, 1))
