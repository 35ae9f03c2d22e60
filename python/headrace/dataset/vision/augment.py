"""Automatic augmentation policies: AutoAugment and RandAugment (mirrors
mindspore.dataset.vision). Their operations (shears, translations, rotation, colour,
posterize, solarize, ...) are the native kernels of the other image transforms, and every
choice is drawn from the row's seed."""

from __future__ import annotations

from typing import Any

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_int
from headrace.dataset.vision._arguments import check_fill
from headrace.dataset.vision.geometry import _warp_kernel
from headrace.dataset.vision.utils import AutoAugmentPolicy, Inter, interpolation_kernel

__all__ = ["AutoAugment", "RandAugment"]

# The interpolations MindSpore's augmentations take (ANTIALIAS and PILCUBIC are resizes only).
_AUGMENT_INTERPOLATIONS = [Inter.NEAREST, Inter.BILINEAR, Inter.BICUBIC, Inter.AREA]


def augment_kernel(transform: str, interpolation: Any) -> str:
    """The warp kernel of an augmentation's `interpolation` under the current resampling:
    one of MindSpore's (OpenCV's) under "mindspore", of Pillow's under "pillow", which is
    also what decides whose operations the C++ side applies (augment_ops.h)."""
    interpolation_kernel(transform, interpolation, allowed=_AUGMENT_INTERPOLATIONS)
    return _warp_kernel(transform, interpolation, "interpolation")


def AutoAugment(policy: AutoAugmentPolicy = AutoAugmentPolicy.IMAGENET,  # noqa: N802
                interpolation: Inter = Inter.NEAREST, fill_value: Any = 0) -> "_transforms.AutoAugment":
    """One of the policy's sub-policies per image: two operations, each applied with its
    own probability and magnitude. uint8 RGB images (H, W, 3)."""
    try:
        policy = AutoAugmentPolicy(policy)
    except ValueError:
        raise TypeError(f"AutoAugment: policy must be an AutoAugmentPolicy, got {policy!r}") from None
    return _transforms.AutoAugment(policy.value, augment_kernel("AutoAugment", interpolation),
                                   check_fill("AutoAugment", fill_value))


def RandAugment(num_ops: int = 2, magnitude: int = 9, num_magnitude_bins: int = 31,  # noqa: N802
                interpolation: Inter = Inter.NEAREST, fill_value: Any = 0) -> "_transforms.RandAugment":
    """num_ops operations per image, drawn uniformly, each at bin `magnitude` of
    num_magnitude_bins with a random sign. uint8 RGB images (H, W, 3)."""
    check_int("RandAugment: num_ops", num_ops, minimum=0)
    check_int("RandAugment: num_magnitude_bins", num_magnitude_bins, minimum=2)
    check_int("RandAugment: magnitude", magnitude, minimum=0, maximum=num_magnitude_bins - 1)
    return _transforms.RandAugment(num_ops, magnitude, num_magnitude_bins,
                                   augment_kernel("RandAugment", interpolation),
                                   check_fill("RandAugment", fill_value))
