"""Erasing transforms (mirror mindspore.dataset.vision CutOut, Erase, RandomErasing).

Native: in a pipeline they run in C++ map workers, and they can be called on NumPy arrays
directly. Random ones draw from the row's seed (config.set_seed).

- CutOut zeroes num_patches squares whose corners are drawn from [-length, H] x [-length, W]
  (they may hang over the border), on HWC or CHW images of any numeric dtype.
- Erase sets a fixed box of an (H, W, 3) image to a value (rounded to nearest for integer
  images, as OpenCV's setTo).
- RandomErasing works on (C, H, W) images, as MindSpore's (which runs after ToTensor):
  with probability prob it tries up to max_attempts boxes of area fraction in `scale` and
  aspect ratio in `ratio`, and fills the first that fits with `value`, or with standard
  normal noise for value='random'.

MindSpore's `inplace` changes no result here: the output is always a new array.
"""

from __future__ import annotations

from typing import Any, List, Sequence, Union

from headrace._core import transforms as _transforms
from headrace.dataset.vision._arguments import (FLOAT_MAX_INTEGER, check_bool, check_int, check_number,
                                                check_range, is_int, is_number)
from headrace.errors import InvalidArgumentError

__all__ = ["CutOut", "Erase", "RandomErasing"]


def CutOut(length: int, num_patches: int = 1, is_hwc: bool = True) -> "_transforms.CutOut":  # noqa: N802
    """Zeroes `num_patches` squares of side `length` at random places (clipped at the
    border). Images of rank 3, HWC (or CHW with is_hwc=False)."""
    return _transforms.CutOut(check_int("CutOut", "length", length, 1, FLOAT_MAX_INTEGER),
                              check_int("CutOut", "num_patches", num_patches, 1, FLOAT_MAX_INTEGER),
                              check_bool("CutOut", "is_hwc", is_hwc))


def _erase_value(value: Any) -> List[float]:
    values = (value,) * 3 if is_number(value) else value
    if not isinstance(values, tuple) or len(values) != 3 or not all(is_number(v) for v in values):
        raise TypeError(f"Erase: value must be a number or a 3-tuple of numbers, got {value!r}")
    for v in values:
        if not 0 <= v <= 255:
            raise InvalidArgumentError(f"Erase: value must be in [0, 255], got {value!r}")
    return [float(v) for v in values]


def Erase(top: int, left: int, height: int, width: int,  # noqa: N802
          value: Union[float, Sequence[float]] = 0.0, inplace: bool = False) -> "_transforms.Erase":
    """Sets the box (top, left, height, width) of an (H, W, 3) image to `value` (one
    number, or one per channel R, G, B)."""
    check_bool("Erase", "inplace", inplace)
    return _transforms.Erase(check_int("Erase", "top", top, 0), check_int("Erase", "left", left, 0),
                             check_int("Erase", "height", height, 1), check_int("Erase", "width", width, 1),
                             _erase_value(value))


def RandomErasing(prob: float = 0.5, scale: Sequence[float] = (0.02, 0.33),  # noqa: N802
                  ratio: Sequence[float] = (0.3, 3.3), value: Union[int, str, Sequence[int]] = 0,
                  inplace: bool = False, max_attempts: int = 10) -> "_transforms.RandomErasing":
    """With probability `prob`, erases a random box of a (C, H, W) image: area fraction
    uniform in `scale`, aspect ratio (width / height) uniform in `ratio`, filled with
    `value` (an int, three ints, or 'random' for standard normal noise)."""
    name = "RandomErasing"
    prob = check_number(name, "prob", prob, 0.0, 1.0)
    scale_range = check_range(name, "scale", scale)
    if scale_range[0] < 0 or not scale_range[1] > 0:
        raise InvalidArgumentError(f"{name}: scale must be non-negative with a positive max, got {scale!r}")
    ratio_range = check_range(name, "ratio", ratio)
    if not ratio_range[0] > 0:
        raise InvalidArgumentError(f"{name}: ratio must be positive, got {ratio!r}")
    check_bool(name, "inplace", inplace)
    max_attempts = check_int(name, "max_attempts", max_attempts, 1, FLOAT_MAX_INTEGER)
    random_value = isinstance(value, str)
    if random_value and value != "random":
        raise InvalidArgumentError(f"{name}: value must be an int, three ints or 'random', got {value!r}")
    values: List[float] = [0.0]
    if not random_value:
        items: Any = [value] if is_int(value) else value
        if not isinstance(items, (list, tuple)) or not all(is_int(v) for v in items):
            raise TypeError(f"{name}: value must be an int, three ints or 'random', got {value!r}")
        if not is_int(value) and len(items) != 3:  # a ValueError in MindSpore, unlike a non-int
            raise InvalidArgumentError(f"{name}: value must be an int, three ints or 'random', got {value!r}")
        if not all(0 <= v <= 255 for v in items):
            raise InvalidArgumentError(f"{name}: value must be in [0, 255], got {value!r}")
        values = [float(v) for v in items]
    return _transforms.RandomErasing(prob, scale_range, ratio_range, values, random_value, max_attempts)
