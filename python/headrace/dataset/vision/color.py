"""Colour and value transforms (mirrors mindspore.dataset.vision): Normalize, Rescale,
HWC2CHW, brightness/contrast/saturation/hue/sharpness adjustments, Posterize, Solarize,
AutoContrast, Equalize, Invert and RandomColorAdjust.

The colour transforms take uint8 images of shape (H, W), (H, W, 1) or (H, W, 3) and give
the results MindSpore's C++ kernels give (OpenCV's arithmetic: rounded blends, its grey
level, HSV and histogram equalisation); under config.set_image_resampling("pillow") they
give Pillow's instead (ImageEnhance / ImageOps, as torchvision's functional transforms on
PIL images). A grey image keeps its saturation and hue.
Normalize and Rescale take uint8 or float32 and give float32; HWC2CHW takes any dtype.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Optional, Sequence, Tuple, Union

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import InvalidArgumentError

__all__ = [
    "AdjustBrightness",
    "AdjustContrast",
    "AdjustHue",
    "AdjustSaturation",
    "AdjustSharpness",
    "AutoContrast",
    "Equalize",
    "HWC2CHW",
    "Invert",
    "Normalize",
    "Posterize",
    "RandomColorAdjust",
    "Rescale",
    "Solarize",
]

Range = Union[float, Sequence[float]]


def _arithmetic() -> str:
    """Whose kernels the colour transforms use: "mindspore" or "pillow", as the image
    resampling mode says (see config.set_image_resampling)."""
    from headrace.dataset.config import get_image_resampling

    return get_image_resampling()


def _number(transform: str, name: str, value: Any, low: Optional[float] = None,
            high: Optional[float] = None, low_open: bool = False, high_open: bool = False) -> float:
    """`value` as a float, checked to lie in the interval given (open ends where told)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{transform}: {name} must be a finite number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{transform}: {name} must be a finite number, got {value!r}")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        interval = (("(" if low_open else "[") + ("-inf" if low is None else f"{low:g}") + ", " +
                    ("inf" if high is None else f"{high:g}") + (")" if high_open else "]"))
        raise InvalidArgumentError(f"{transform}: {name} must be in {interval}, got {value!r}")
    return value


def _numbers(transform: str, name: str, values: Any, **bounds: Any) -> list:
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{transform}: {name} must be a non-empty list or tuple of numbers, got {values!r}")
    if not values:
        raise InvalidArgumentError(
            f"{transform}: {name} must be a non-empty list or tuple of numbers, got {values!r}")
    return [_number(transform, f"{name}[{i}]", v, **bounds) for i, v in enumerate(values)]


def _min_max(transform: str, name: str, value: Any, low: float, high: float,
             integers: bool = False, length_error: type = InvalidArgumentError) -> Tuple[Any, Any]:
    """A (min, max) pair within [low, high] with min <= max; ints where `integers`. A
    sequence of another length raises `length_error`: MindSpore's checks differ (a
    TypeError for RandomPosterize and RandomColorAdjust, a ValueError for RandomColor)."""
    kind = "a sequence (min, max)" if integers else "a number or a sequence (min, max)"
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{transform}: {name} must be {kind}, got {type(value).__name__} {value!r}")
    if len(value) != 2:
        raise length_error(f"{transform}: {name} must be {kind}, got {value!r}")
    first: Any
    second: Any
    if integers:
        first = check_int(f"{transform}: {name}[0]", value[0], int(low), int(high))
        second = check_int(f"{transform}: {name}[1]", value[1], int(low), int(high))
    else:
        first = _number(transform, f"{name}[0]", value[0], low, high)
        second = _number(transform, f"{name}[1]", value[1], low, high)
    if first > second:
        raise InvalidArgumentError(
            f"{transform}: {name} must be (min, max) with min <= max, got {tuple(value)!r}")
    return first, second


def Normalize(mean: Sequence[float], std: Sequence[float],  # noqa: N802 - a transform's name
              is_hwc: bool = True) -> "_transforms.Normalize":
    """(pixel - mean[c]) / std[c] per channel, as float32. mean in [0, 255] and std in
    (0, 255], on the 0-255 scale, one value per channel (or one for all channels);
    is_hwc=False takes CHW images."""
    means = _numbers("Normalize", "mean", mean, low=0.0, high=255.0)
    stds = _numbers("Normalize", "std", std, low=0.0, high=255.0, low_open=True)
    if len(means) != len(stds):
        raise InvalidArgumentError(
            f"Normalize: mean and std must have the same length, got {len(means)} and {len(stds)}")
    return _transforms.Normalize(means, stds, check_bool("Normalize: is_hwc", is_hwc))


def Rescale(rescale: float, shift: float) -> "_transforms.Rescale":  # noqa: N802
    """pixel * rescale + shift, as float32."""
    return _transforms.Rescale(_number("Rescale", "rescale", rescale),
                               _number("Rescale", "shift", shift))


def HWC2CHW() -> "_transforms.HWC2CHW":  # noqa: N802
    """Transposes an (H, W, C) image to (C, H, W); an (H, W) image becomes (1, H, W)."""
    return _transforms.HWC2CHW()


def AdjustBrightness(brightness_factor: float) -> "_transforms.AdjustBrightness":  # noqa: N802
    """Scales every value: 0 gives black, 1 the image (ImageEnhance.Brightness in pillow mode)."""
    return _transforms.AdjustBrightness(
        _number("AdjustBrightness", "brightness_factor", brightness_factor, low=0.0), arithmetic=_arithmetic())


def AdjustContrast(contrast_factor: float) -> "_transforms.AdjustContrast":  # noqa: N802
    """Blends with the image's mean grey: 0 gives flat grey, 1 the image."""
    return _transforms.AdjustContrast(
        _number("AdjustContrast", "contrast_factor", contrast_factor, low=0.0), arithmetic=_arithmetic())


def AdjustSaturation(saturation_factor: float) -> "_transforms.AdjustSaturation":  # noqa: N802
    """Blends with the grey image: 0 gives grey, 1 the image."""
    return _transforms.AdjustSaturation(
        _number("AdjustSaturation", "saturation_factor", saturation_factor, low=0.0), arithmetic=_arithmetic())


def AdjustHue(hue_factor: float) -> "_transforms.AdjustHue":  # noqa: N802
    """Rotates the hue by hue_factor of a turn, hue_factor in [-0.5, 0.5]."""
    return _transforms.AdjustHue(_number("AdjustHue", "hue_factor", hue_factor, low=-0.5, high=0.5),
                                 arithmetic=_arithmetic())


def AdjustSharpness(sharpness_factor: float) -> "_transforms.AdjustSharpness":  # noqa: N802
    """Blends with the smoothed image: 0 blurs, 1 gives the image, 2 sharpens."""
    return _transforms.AdjustSharpness(
        _number("AdjustSharpness", "sharpness_factor", sharpness_factor, low=0.0), arithmetic=_arithmetic())


def Posterize(bits: int) -> "_transforms.Posterize":  # noqa: N802
    """Keeps the `bits` high bits of every value, bits in [0, 8]."""
    return _transforms.Posterize(check_int("Posterize: bits", bits, 0, 8))


def Solarize(threshold: Range) -> "_transforms.Solarize":  # noqa: N802
    """Inverts values: a number t inverts every value >= t; (min, max) inverts the values in
    [min, max] ((t, t) is the same as t). Thresholds in [0, 255]."""
    if isinstance(threshold, (list, tuple)):
        if len(threshold) != 2:  # a TypeError in MindSpore, unlike RandomColor's degrees
            raise TypeError(f"Solarize: threshold must be a number or a (min, max) pair, got {threshold!r}")
        low, high = _min_max("Solarize", "threshold", threshold, 0.0, 255.0)
    else:
        low = high = _number("Solarize", "threshold", threshold, 0.0, 255.0)
    return _transforms.Solarize(low, high)


def AutoContrast(cutoff: float = 0.0,  # noqa: N802
                 ignore: Union[None, int, Sequence[int]] = None) -> "_transforms.AutoContrast":
    """Stretches each channel to [0, 255] after dropping `cutoff` percent (in [0, 50)) of
    the pixels at each end and the values in `ignore` (ImageOps.autocontrast)."""
    cutoff = _number("AutoContrast", "cutoff", cutoff, low=0.0, high=50.0, high_open=True)
    return _transforms.AutoContrast(cutoff, _ignored("AutoContrast", ignore), arithmetic=_arithmetic())


def _ignored(transform: str, ignore: Union[None, int, Sequence[int]]) -> list:
    """AutoContrast's `ignore` (None, one value or a sequence, each in [0, 255]) as a list."""
    if ignore is None:
        return []
    if isinstance(ignore, (list, tuple)):
        return [check_int(f"{transform}: ignore[{i}]", v, 0, 255) for i, v in enumerate(ignore)]
    return [check_int(f"{transform}: ignore", ignore, 0, 255)]


def Equalize() -> "_transforms.Equalize":  # noqa: N802
    """Equalizes each channel's histogram (OpenCV's equalizeHist; ImageOps.equalize in pillow mode)."""
    return _transforms.Equalize(arithmetic=_arithmetic())


def Invert() -> "_transforms.Invert":  # noqa: N802
    """255 - value (ImageOps.invert)."""
    return _transforms.Invert()


def _factor_range(name: str, value: Range, is_hue: bool) -> Tuple[float, float]:
    if is_hue:
        if isinstance(value, (list, tuple)):
            return _min_max("RandomColorAdjust", name, value, -0.5, 0.5, length_error=TypeError)
        half = _number("RandomColorAdjust", name, value, low=0.0, high=0.5)
        return (-half, half)
    if isinstance(value, (list, tuple)):
        return _min_max("RandomColorAdjust", name, value, 0.0, math.inf, length_error=TypeError)
    half = _number("RandomColorAdjust", name, value, low=0.0)
    return (max(0.0, 1.0 - half), 1.0 + half)


def RandomColorAdjust(brightness: Range = (1, 1), contrast: Range = (1, 1),  # noqa: N802
                      saturation: Range = (1, 1), hue: Range = (0, 0)) -> "_transforms.RandomColorAdjust":
    """Adjusts brightness, contrast, saturation and hue in a random order with factors drawn
    per row. A number b for brightness, contrast or saturation is the range
    [max(0, 1 - b), 1 + b]; a number h for hue is [-h, h] (0 <= h <= 0.5); a sequence is
    (min, max). Ranges (1, 1) and hue (0, 0) skip that adjustment."""
    return _transforms.RandomColorAdjust(
        brightness=_factor_range("brightness", brightness, is_hue=False),
        contrast=_factor_range("contrast", contrast, is_hue=False),
        saturation=_factor_range("saturation", saturation, is_hue=False),
        hue=_factor_range("hue", hue, is_hue=True),
        arithmetic=_arithmetic(),
    )
