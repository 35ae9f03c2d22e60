"""Random colour transforms (mirrors mindspore.dataset.vision): each draws its parameters
from the row's seed and applies a deterministic kernel with MindSpore's C++ arithmetic
(OpenCV's rounding); RandomAdjustSharpness, RandomSharpness, RandomColor, RandomInvert and
RandomSolarize take float32 images (0-255 scale) as well as uint8 (see headrace/transforms/vision/
random_color.h). `op.draw(seed)` tells what a row with that seed gets (empty: left as it
is) and `op.apply(image, parameters)` applies it, so the random transforms can be checked
against their deterministic counterparts."""

from __future__ import annotations

import math
from typing import Any, Sequence, Tuple, Union

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_int
from headrace.dataset.vision.color import _ignored, _min_max, _number
from headrace.errors import InvalidArgumentError

__all__ = ["RandomAdjustSharpness", "RandomAutoContrast", "RandomColor", "RandomEqualize", "RandomGrayscale",
           "RandomInvert", "RandomLighting", "RandomPosterize", "RandomSharpness", "RandomSolarize"]

Op = _transforms.RandomImageTransform


def _prob(transform: str, prob: Any) -> float:
    return _number(transform, "prob", prob, low=0.0, high=1.0)


def _degrees(transform: str, degrees: Any) -> Tuple[float, float]:
    return _min_max(transform, "degrees", degrees, 0.0, math.inf)


def _int_range(transform: str, name: str, value: Any, low: int, high: int,
               length_error: type = InvalidArgumentError) -> Tuple[int, int]:
    first, second = _min_max(transform, name, value, low, high, integers=True, length_error=length_error)
    return first, second


def RandomAdjustSharpness(degree: float, prob: float = 0.5) -> Op:  # noqa: N802 - a transform's name
    """Sharpness(degree) with probability prob; degree >= 0 (0 blurs, 1 keeps, 2 sharpens).
    MindSpore's blend rounds to nearest, so it can be one level from AdjustSharpness (Pillow's)."""
    degree = _number("RandomAdjustSharpness", "degree", degree, low=0.0)
    return _transforms.random_adjust_sharpness(degree, _prob("RandomAdjustSharpness", prob))


def RandomAutoContrast(cutoff: float = 0.0, ignore: Union[None, int, Sequence[int]] = None,  # noqa: N802
                       prob: float = 0.5) -> Op:
    """AutoContrast(cutoff, ignore) with probability prob."""
    cutoff = _number("RandomAutoContrast", "cutoff", cutoff, low=0.0, high=50.0, high_open=True)
    return _transforms.random_auto_contrast(cutoff, _ignored("RandomAutoContrast", ignore),
                                            _prob("RandomAutoContrast", prob))


def RandomColor(degrees: Sequence[float] = (0.1, 1.9)) -> Op:  # noqa: N802
    """An (H, W, 3) image blended with its grey level by t uniform in degrees (min, max):
    t * pixel + (1 - t) * grey, OpenCV's grey and rounding (as MindSpore's RandomColor)."""
    return _transforms.random_color(*_degrees("RandomColor", degrees))


def RandomEqualize(prob: float = 0.5) -> Op:  # noqa: N802
    """Equalizes each channel's histogram (OpenCV's equalizeHist, as MindSpore) with probability prob."""
    return _transforms.random_equalize(_prob("RandomEqualize", prob))


def RandomGrayscale(prob: float = 0.1) -> Op:  # noqa: N802
    """With probability prob, a colour image becomes grey in all three channels (grey images stay)."""
    return _transforms.random_grayscale(_prob("RandomGrayscale", prob))


def RandomInvert(prob: float = 0.5) -> Op:  # noqa: N802
    """255 - pixel with probability prob ((H, W, 3) images)."""
    return _transforms.random_invert(_prob("RandomInvert", prob))


def RandomLighting(alpha: float = 0.05) -> Op:  # noqa: N802
    """AlexNet's PCA lighting noise: ImageNet's RGB eigenvectors weighted by their eigenvalues
    times N(0, alpha) draws, added to every pixel of a uint8 (H, W, 3) image."""
    return _transforms.random_lighting(_number("RandomLighting", "alpha", alpha, low=0.0))


def RandomPosterize(bits: Union[int, Sequence[int]] = (8, 8)) -> Op:  # noqa: N802
    """Posterize(b), b uniform among the ints of bits (min, max) in [1, 8] (an int: fixed)."""
    if isinstance(bits, (list, tuple)):
        low, high = _int_range("RandomPosterize", "bits", bits, 1, 8, length_error=TypeError)
    else:
        low = high = check_int("RandomPosterize: bits", bits, 1, 8)
    return _transforms.random_posterize(low, high)


def RandomSharpness(degrees: Sequence[float] = (0.1, 1.9)) -> Op:  # noqa: N802
    """Sharpness(t) (as RandomAdjustSharpness), t uniform in degrees (min, max), min >= 0."""
    return _transforms.random_sharpness(*_degrees("RandomSharpness", degrees))


def RandomSolarize(threshold: Sequence[int] = (0, 255)) -> Op:  # noqa: N802
    """Solarize between two thresholds drawn uniformly from the ints of threshold (min, max)
    in [0, 255], sorted; equal draws t invert every value >= t."""
    return _transforms.random_solarize(*_int_range("RandomSolarize", "threshold", threshold, 0, 255))
