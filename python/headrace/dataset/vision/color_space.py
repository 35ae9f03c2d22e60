"""Colour-space conversions (mirrors mindspore.dataset.vision): ConvertMode, ConvertColor,
Grayscale, RgbToHsv and HsvToRgb.

ConvertColor is OpenCV's cvtColor, as MindSpore's; Grayscale is Pillow's "L" conversion, as
MindSpore's (which takes PIL images; here uint8 arrays); RgbToHsv and HsvToRgb apply Python's
colorsys to every pixel, as MindSpore's do, on the values as they are (no scaling).
"""

from __future__ import annotations

from enum import Enum
from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_bool
from headrace.errors import InvalidArgumentError

__all__ = ["ConvertColor", "ConvertMode", "Grayscale", "HsvToRgb", "RgbToHsv"]


class ConvertMode(str, Enum):
    """The conversions ConvertColor makes (MindSpore's ConvertMode, OpenCV's codes)."""

    COLOR_BGR2BGRA = "COLOR_BGR2BGRA"
    COLOR_RGB2RGBA = "COLOR_RGB2RGBA"
    COLOR_BGRA2BGR = "COLOR_BGRA2BGR"
    COLOR_RGBA2RGB = "COLOR_RGBA2RGB"
    COLOR_BGR2RGBA = "COLOR_BGR2RGBA"
    COLOR_RGB2BGRA = "COLOR_RGB2BGRA"
    COLOR_RGBA2BGR = "COLOR_RGBA2BGR"
    COLOR_BGRA2RGB = "COLOR_BGRA2RGB"
    COLOR_BGR2RGB = "COLOR_BGR2RGB"
    COLOR_RGB2BGR = "COLOR_RGB2BGR"
    COLOR_BGRA2RGBA = "COLOR_BGRA2RGBA"
    COLOR_RGBA2BGRA = "COLOR_RGBA2BGRA"
    COLOR_BGR2GRAY = "COLOR_BGR2GRAY"
    COLOR_RGB2GRAY = "COLOR_RGB2GRAY"
    COLOR_GRAY2BGR = "COLOR_GRAY2BGR"
    COLOR_GRAY2RGB = "COLOR_GRAY2RGB"
    COLOR_GRAY2BGRA = "COLOR_GRAY2BGRA"
    COLOR_GRAY2RGBA = "COLOR_GRAY2RGBA"
    COLOR_BGRA2GRAY = "COLOR_BGRA2GRAY"
    COLOR_RGBA2GRAY = "COLOR_RGBA2GRAY"


def ConvertColor(convert_mode: ConvertMode) -> "_transforms.ConvertColor":  # noqa: N802 - a transform's name
    """Converts between RGB, BGR, RGBA, BGRA and grey with OpenCV's arithmetic: uint8,
    uint16 or float32 images; grey outputs are (H, W), a new alpha channel is opaque."""
    if not isinstance(convert_mode, ConvertMode):
        raise TypeError(
            f"ConvertColor: convert_mode must be a ConvertMode, got {type(convert_mode).__name__} {convert_mode!r}")
    return _transforms.ConvertColor(convert_mode.value)


def Grayscale(num_output_channels: int = 1) -> "_transforms.Grayscale":  # noqa: N802
    """Pillow's grey level (R*299 + G*587 + B*114) / 1000 of a uint8 RGB image: (H, W), or
    (H, W, 3) with num_output_channels=3."""
    if isinstance(num_output_channels, bool) or not isinstance(num_output_channels, int):
        raise TypeError(f"Grayscale: num_output_channels must be an int, got {num_output_channels!r}")
    if num_output_channels not in (1, 3):
        raise InvalidArgumentError(
            f"Grayscale: num_output_channels must be 1 or 3, got {num_output_channels!r}")
    return _transforms.Grayscale(num_output_channels)


def RgbToHsv(is_hwc: bool = False) -> "_transforms.HsvConversion":  # noqa: N802
    """colorsys.rgb_to_hsv of every pixel of a (3, H, W) or (N, 3, H, W) image, or (H, W, 3) /
    (N, H, W, 3) with is_hwc=True. float32 stays float32; other dtypes give float64."""
    return _transforms.HsvConversion(True, check_bool("RgbToHsv: is_hwc", is_hwc))


def HsvToRgb(is_hwc: bool = False) -> "_transforms.HsvConversion":  # noqa: N802
    """colorsys.hsv_to_rgb of every pixel; the layouts and dtypes of RgbToHsv."""
    return _transforms.HsvConversion(False, check_bool("HsvToRgb: is_hwc", is_hwc))
