"""Batch transforms that mix images with their one-hot labels (mirror
mindspore.dataset.vision MixUpBatch, CutMixBatch, MixUp).

They take two columns, a batch of images and its one-hot labels, so they go in a map after
batch(): ``ds.batch(32).map([MixUpBatch()], input_columns=["image", "label"])``. Every draw
comes from the batch's seed (config.set_seed).

- MixUpBatch: one lambda ~ Beta(alpha, alpha) for the batch, image i mixed with image p[i]
  of a random permutation p; labels as float32.
- CutMixBatch: per image, with probability prob, a box of about (1 - lambda) of it pasted
  from image p[i], labels mixed by the pasted area; labels as float32.
- MixUp: MindSpore's Python MixUp, one lambda per image; images and labels come back as
  float64 (NumPy's result there).
"""

from __future__ import annotations

from enum import Enum

from headrace._core import transforms as _transforms
from headrace.dataset.vision._arguments import FLOAT_MAX_INTEGER, check_bool, check_enum, check_int, check_number

__all__ = ["CutMixBatch", "ImageBatchFormat", "MixUp", "MixUpBatch"]

_FLOAT32_MAX = 3.4028234663852886e38


class ImageBatchFormat(str, Enum):
    """The layout of a batch of images."""

    NHWC = "nhwc"
    NCHW = "nchw"


def MixUpBatch(alpha: float = 1.0) -> "_transforms.MixUpBatch":  # noqa: N802
    """MixUp over a batch: lam * image[i] + (1 - lam) * image[p[i]], the same for the
    labels. Images (N, H, W, C) or (N, C, H, W) of uint8 or float32, integer one-hot labels
    (N, C) or (N, L, C)."""
    return _transforms.MixUpBatch(check_number("MixUpBatch", "alpha", alpha, maximum=_FLOAT32_MAX, positive=True))


def CutMixBatch(image_batch_format: ImageBatchFormat, alpha: float = 1.0,  # noqa: N802
                prob: float = 1.0) -> "_transforms.CutMixBatch":
    """CutMix over a batch: each image, with probability prob, gets a box pasted from a
    randomly paired image of the batch; its labels mix by the box's share of the area."""
    name = "CutMixBatch"
    batch_format = check_enum(name, "image_batch_format", image_batch_format, ImageBatchFormat)
    return _transforms.CutMixBatch(batch_format.value,
                                   check_number(name, "alpha", alpha, maximum=_FLOAT32_MAX, positive=True),
                                   check_number(name, "prob", prob, 0.0, 1.0))


def MixUp(batch_size: int, alpha: float, is_single: bool = True) -> "_transforms.MixUp":  # noqa: N802
    """One lambda ~ Beta(alpha, alpha) per image; with is_single image i mixes with image
    (i + 1) % batch_size of its batch, otherwise with the previous batch's output (order
    dependent: use one worker). Images (batch_size, ...) and labels (batch_size, C)."""
    name = "MixUp"
    return _transforms.MixUp(check_int(name, "batch_size", batch_size, 1, FLOAT_MAX_INTEGER),
                             check_number(name, "alpha", alpha, positive=True),
                             check_bool(name, "is_single", is_single))
