"""Detection transforms (mirror mindspore.dataset.vision): the *WithBBox versions of the
geometric transforms, and BoundingBoxAugment.

Each takes two columns, ``map(..., input_columns=["image", "bbox"])``: an image and its
bounding boxes, a float32 array of shape (N, C) with C >= 4, one box per row as
[x, y, width, height, ...] in pixels (further columns, a label say, ride along). The image
goes through the plain transform of the same name, with the same pixels for the same
seed; the boxes move, scale, or are clipped to a crop, and a box that a crop leaves out is
dropped. Boxes must lie inside the image, as MindSpore requires.
"""

from __future__ import annotations

from typing import Any, Sequence

from headrace._core import engine as _engine
from headrace._core import transforms as _transforms
from headrace.dataset.vision.geometry import (
    Fill, Size, _border, _fill, _padding, _probability, _random_resized_crop_args,
    _resize_size, _size)
from headrace.dataset.vision._arguments import check_bool, is_number
from headrace.dataset.vision.utils import Border, Inter, interpolation_kernel
from headrace.errors import InvalidArgumentError

__all__ = [
    "BoundingBoxAugment",
    "RandomCropWithBBox",
    "RandomHorizontalFlipWithBBox",
    "RandomResizeWithBBox",
    "RandomResizedCropWithBBox",
    "RandomVerticalFlipWithBBox",
    "ResizeWithBBox",
]


def ResizeWithBBox(size: Size, interpolation: Inter = Inter.LINEAR) -> "_transforms.ResizeWithBBox":  # noqa: N802
    """Resize (same `size` and `interpolation`), the boxes scaled with the image."""
    kernel = interpolation_kernel("ResizeWithBBox", interpolation, "interpolation")
    return _transforms.ResizeWithBBox(_transforms.Resize(_resize_size("ResizeWithBBox", size), kernel))


def RandomResizeWithBBox(size: Size) -> "_transforms.ResizeWithBBox":  # noqa: N802
    """RandomResize (an interpolation drawn per row), the boxes scaled with the image."""
    kernels = [interpolation_kernel("RandomResizeWithBBox", inter, "interpolation")
               for inter in (Inter.LINEAR, Inter.NEAREST, Inter.CUBIC, Inter.AREA)]
    return _transforms.ResizeWithBBox(_transforms.RandomResize(_resize_size("RandomResizeWithBBox", size), kernels))


def RandomHorizontalFlipWithBBox(prob: float = 0.5) -> "_transforms.RandomFlipWithBBox":  # noqa: N802
    """With probability `prob`, the image and its boxes mirrored left to right."""
    return _transforms.RandomFlipWithBBox(_probability("RandomHorizontalFlipWithBBox", prob), horizontal=True)


def RandomVerticalFlipWithBBox(prob: float = 0.5) -> "_transforms.RandomFlipWithBBox":  # noqa: N802
    """With probability `prob`, the image and its boxes mirrored top to bottom."""
    return _transforms.RandomFlipWithBBox(_probability("RandomVerticalFlipWithBBox", prob), horizontal=False)


def RandomCropWithBBox(size: Size, padding: Any = None, pad_if_needed: bool = False,  # noqa: N802
                       fill_value: Fill = 0,
                       padding_mode: Border = Border.CONSTANT) -> "_transforms.RandomCropWithBBox":
    """RandomCrop (same arguments); the boxes move with the padding and are clipped to the
    window, and boxes outside it are dropped."""
    name = "RandomCropWithBBox"
    height, width = _size(name, size)
    ltrb = (0, 0, 0, 0) if padding is None else _padding(name, padding)
    crop = _transforms.RandomCrop(height, width, ltrb, check_bool(name, "pad_if_needed", pad_if_needed),
                                  _fill(name, fill_value), _border(name, padding_mode))
    return _transforms.RandomCropWithBBox(crop)


def RandomResizedCropWithBBox(size: Size, scale: Sequence[float] = (0.08, 1.0),  # noqa: N802
                              ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
                              interpolation: Inter = Inter.BILINEAR,
                              max_attempts: int = 10) -> "_transforms.RandomResizedCropWithBBox":
    """RandomResizedCrop (same arguments); the boxes are clipped to the window (or dropped),
    then scaled to the output size."""
    crop = _transforms.RandomResizedCrop(
        *_random_resized_crop_args("RandomResizedCropWithBBox", size, scale, ratio, interpolation, max_attempts))
    return _transforms.RandomResizedCropWithBBox(crop)


def BoundingBoxAugment(transform: Any, ratio: float = 0.3) -> "_transforms.BoundingBoxAugment":  # noqa: N802
    """Each box, with probability `ratio`, has its region of the image replaced by
    `transform` (a native image transform of this package) of that region; a result of
    another size is resized back with LINEAR. The boxes are unchanged."""
    if not isinstance(transform, _engine.TensorOp):
        raise TypeError(f"BoundingBoxAugment: transform must be a transform of headrace.dataset.vision, "
                        f"got {transform!r}")
    if not is_number(ratio):
        raise TypeError(f"BoundingBoxAugment: ratio must be a number in [0, 1], got {ratio!r}")
    if not 0.0 <= ratio <= 1.0:
        raise InvalidArgumentError(f"BoundingBoxAugment: ratio must be a number in [0, 1], got {ratio!r}")
    return _transforms.BoundingBoxAugment(transform, float(ratio))
