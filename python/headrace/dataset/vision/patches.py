"""Transforms that cut an image into several or pad it to a size (mirror
mindspore.dataset.vision FiveCrop, TenCrop, SlicePatches, PadToSize).

Native and exact for every numeric dtype, on (H, W) or (H, W, C) arrays. FiveCrop, TenCrop
and SlicePatches return several arrays: called directly, a tuple; in a map, one column
each (name them with output_columns). MindSpore's FiveCrop and TenCrop take PIL images;
these take the arrays Decode gives and return arrays.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional, Sequence, Union

from headrace._core import transforms as _transforms
from headrace.dataset.vision._arguments import (check_bool, check_enum, check_fill, check_int, check_size,
                                                optional_pair)
from headrace.dataset.vision.utils import Border

__all__ = ["FiveCrop", "PadToSize", "SliceMode", "SlicePatches", "TenCrop"]

Size = Union[int, Sequence[int]]


class SliceMode(str, Enum):
    """What SlicePatches does with an image that the patches do not divide evenly."""

    PAD = "pad"  # pad the bottom and right edges with fill_value to whole patches
    DROP = "drop"  # drop the rows and columns left over


def FiveCrop(size: Size) -> "_transforms.TenCrop":  # noqa: N802
    """Five crops of `size` (an int or (height, width)): top-left, top-right, bottom-left,
    bottom-right and centre, in that order."""
    height, width = check_size("FiveCrop", size)
    return _transforms.TenCrop(height, width, False, False)


def TenCrop(size: Size, use_vertical_flip: bool = False) -> "_transforms.TenCrop":  # noqa: N802
    """FiveCrop of the image and then of its mirror image (left to right, or top to bottom
    with use_vertical_flip): ten crops."""
    height, width = check_size("TenCrop", size)
    return _transforms.TenCrop(height, width, True, check_bool("TenCrop", "use_vertical_flip", use_vertical_flip))


def SlicePatches(num_height: int = 1, num_width: int = 1,  # noqa: N802
                 slice_mode: SliceMode = SliceMode.PAD, fill_value: int = 0) -> "_transforms.SlicePatches":
    """The image cut into num_height x num_width equal patches, row by row."""
    name = "SlicePatches"
    mode = check_enum(name, "slice_mode", slice_mode, SliceMode)
    if not isinstance(fill_value, int) or isinstance(fill_value, bool):
        raise TypeError(f"{name}: fill_value must be an int, got {type(fill_value).__name__} {fill_value!r}")
    return _transforms.SlicePatches(check_int(name, "num_height", num_height, 1),
                                    check_int(name, "num_width", num_width, 1), mode.value,
                                    check_int(name, "fill_value", fill_value, 0, 255))


def PadToSize(size: Size, offset: Optional[Union[int, Sequence[int]]] = None,  # noqa: N802
              fill_value: Any = 0, padding_mode: Border = Border.CONSTANT) -> "_transforms.PadToSize":
    """The image padded to `size` (an int or (height, width)); `offset` is the padding on
    the top and left (an int for both, or (top, left)), by default half of the extra."""
    name = "PadToSize"
    height, width = check_size(name, size)
    top_left = optional_pair(name, "offset", offset)
    fill = check_fill(name, fill_value)
    mode = check_enum(name, "padding_mode", padding_mode, Border)
    return _transforms.PadToSize(height, width, top_left, fill, mode.value)
