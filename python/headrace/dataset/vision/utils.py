"""Enumerations the image transforms take (mirrors mindspore.dataset.vision.Inter, Border
and AutoAugmentPolicy)."""

from __future__ import annotations

from enum import Enum

__all__ = ["AutoAugmentPolicy", "Border", "Inter"]


class Inter(str, Enum):
    """Interpolation of the resampling transforms."""

    NEAREST = "nearest"
    LINEAR = "bilinear"
    BILINEAR = "bilinear"
    CUBIC = "bicubic"
    BICUBIC = "bicubic"


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
