"""Enumerations the image transforms take (mirrors mindspore.dataset.vision.Inter, Border
and AutoAugmentPolicy)."""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional, Sequence

from headrace.errors import InvalidArgumentError

__all__ = ["AutoAugmentPolicy", "Border", "Inter"]


class Inter(str, Enum):
    """Interpolation of the resampling transforms, as MindSpore means them: NEAREST,
    LINEAR and CUBIC are OpenCV's (or Pillow's, see config.set_image_resampling), AREA is
    OpenCV's area averaging, PILCUBIC Pillow's bicubic and ANTIALIAS Pillow's Lanczos."""

    NEAREST = "nearest"
    LINEAR = "linear"
    BILINEAR = "linear"
    CUBIC = "cubic"
    BICUBIC = "cubic"
    AREA = "area"
    PILCUBIC = "pilcubic"
    ANTIALIAS = "antialias"


# The C++ kernel each Inter names, by config.get_image_resampling().
_KERNELS = {
    "mindspore": {"nearest": "nearest", "linear": "linear", "cubic": "cubic", "area": "area",
                  "pilcubic": "ms_pilcubic", "antialias": "pil_lanczos"},
    "pillow": {"nearest": "pil_nearest", "linear": "pil_bilinear", "cubic": "pil_bicubic", "area": "area",
               "pilcubic": "pil_bicubic", "antialias": "pil_lanczos"},
}


def interpolation_kernel(transform: str, value: Any, name: str = "interpolation",
                         allowed: Optional[Sequence[Inter]] = None) -> str:
    """The C++ kernel name of the Inter `value` under the current image resampling. What is
    no Inter (a str, an int) raises TypeError, an Inter outside `allowed` (the values the
    transform takes) InvalidArgumentError; both name `transform` and the argument `name`."""
    from headrace.dataset.config import get_image_resampling

    members = list(allowed) if allowed is not None else list(dict.fromkeys(Inter))
    names = ", ".join(m.name for m in members)
    try:
        inter = Inter(value)
    except (ValueError, TypeError):
        raise TypeError(f"{transform}: {name} must be an Inter ({names}), got {value!r}") from None
    if inter not in members:
        raise InvalidArgumentError(f"{transform}: {name} must be an Inter ({names}), got {value!r}")
    return _KERNELS[get_image_resampling()][inter.value]


class Border(str, Enum):
    """How Pad fills the new border."""

    CONSTANT = "constant"  # the fill value
    EDGE = "edge"  # the last pixel repeated
    REFLECT = "reflect"  # mirrored without the edge pixel: 3 2 | 1 2 3
    SYMMETRIC = "symmetric"  # mirrored with the edge pixel: 2 1 | 1 2 3


class AutoAugmentPolicy(str, Enum):
    """The learned policy AutoAugment applies."""

    IMAGENET = "imagenet"
    CIFAR10 = "cifar10"
    SVHN = "svhn"
