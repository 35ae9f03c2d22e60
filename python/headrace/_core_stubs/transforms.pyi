# headrace._core.transforms (bindings/register_transforms.cc, register_vision_*.cc): native
# transforms, usable in map() and callable on NumPy arrays. Sizes are (height, width),
# padding (left, top, right, bottom), enums their string values, fills 0-255 per channel.
from typing import Optional, Sequence

import numpy as np

from headrace._core_stubs.engine import TensorOp

class TypeCast(TensorOp):
    def __init__(self, data_type: str) -> None: ...

class Decode(TensorOp):
    def __init__(self) -> None: ...

class OneHot(TensorOp):
    def __init__(self, num_classes: int, smoothing_rate: float) -> None: ...

class AutoAugment(TensorOp):
    def __init__(self, policy: str, interpolation: str, fill: Sequence[int]) -> None: ...

class RandAugment(TensorOp):
    def __init__(self, num_ops: int, magnitude: int, num_magnitude_bins: int,
                 interpolation: str, fill: Sequence[int]) -> None: ...

# Geometry (register_vision_geometry.cc).
class Resize(TensorOp):
    # size: (edge,) keeps the aspect ratio, else (height, width).
    def __init__(self, size: Sequence[int], interpolation: str) -> None: ...

class Crop(TensorOp):
    def __init__(self, top: int, left: int, height: int, width: int) -> None: ...

class CenterCrop(TensorOp):
    def __init__(self, height: int, width: int) -> None: ...

class RandomCrop(TensorOp):
    def __init__(self, height: int, width: int, padding: Sequence[int], pad_if_needed: bool,
                 fill: Sequence[int], padding_mode: str) -> None: ...

class RandomResizedCrop(TensorOp):
    # crop_first: a Pillow kernel resizes the cropped window (MindSpore) instead of using
    # the window as Pillow's box.
    def __init__(self, height: int, width: int, scale: Sequence[float], ratio: Sequence[float],
                 interpolation: str, max_attempts: int, crop_first: bool) -> None: ...

class ResizedCrop(TensorOp):
    def __init__(self, top: int, left: int, height: int, width: int, size: Sequence[int],
                 interpolation: str, crop_first: bool) -> None: ...

class RandomResize(TensorOp):
    # size: (edge,) keeps the aspect ratio, else (height, width); one kernel drawn per row.
    def __init__(self, size: Sequence[int], interpolations: Sequence[str]) -> None: ...

class RandomCropDecodeResize(TensorOp):
    def __init__(self, height: int, width: int, scale: Sequence[float], ratio: Sequence[float],
                 interpolation: str, max_attempts: int, crop_first: bool) -> None: ...

class HorizontalFlip(TensorOp):
    def __init__(self) -> None: ...

class VerticalFlip(TensorOp):
    def __init__(self) -> None: ...

class RandomHorizontalFlip(TensorOp):
    def __init__(self, prob: float) -> None: ...

class RandomVerticalFlip(TensorOp):
    def __init__(self, prob: float) -> None: ...

class Pad(TensorOp):
    def __init__(self, padding: Sequence[int], fill: Sequence[int], padding_mode: str) -> None: ...

class Rotate(TensorOp):
    def __init__(self, degrees: float, resample: str, expand: bool,
                 center: Optional[Sequence[float]], fill: Sequence[int]) -> None: ...

class RandomRotation(TensorOp):
    def __init__(self, min_degrees: float, max_degrees: float, resample: str, expand: bool,
                 center: Optional[Sequence[float]], fill: Sequence[int]) -> None: ...

class Affine(TensorOp):
    def __init__(self, degrees: float, translate: Sequence[float], scale: float,
                 shear: Sequence[float], resample: str, fill: Sequence[int]) -> None: ...

# The kernels themselves, for tests and for Python code that needs one call.
def resize_region(image: object, box: Sequence[float], height: int, width: int,
                  interpolation: str) -> np.ndarray: ...
def warp_affine(image: object, inverse: Sequence[float], height: int, width: int,
                interpolation: str, fill: Sequence[int]) -> np.ndarray: ...
def inverse_affine_matrix(center_x: float, center_y: float, angle: float,
                          translate: Sequence[float], scale: float,
                          shear: Sequence[float]) -> list[float]: ...

# Colour and value (register_vision_color.cc).
class Normalize(TensorOp):
    def __init__(self, mean: Sequence[float], std: Sequence[float], is_hwc: bool = True) -> None: ...

class Rescale(TensorOp):
    def __init__(self, rescale: float, shift: float) -> None: ...

class HWC2CHW(TensorOp):
    def __init__(self) -> None: ...

class AdjustBrightness(TensorOp):
    def __init__(self, brightness_factor: float) -> None: ...

class AdjustContrast(TensorOp):
    def __init__(self, contrast_factor: float) -> None: ...

class AdjustSaturation(TensorOp):
    def __init__(self, saturation_factor: float) -> None: ...

class AdjustHue(TensorOp):
    def __init__(self, hue_factor: float) -> None: ...

class AdjustSharpness(TensorOp):
    def __init__(self, sharpness_factor: float) -> None: ...

class Posterize(TensorOp):
    def __init__(self, bits: int) -> None: ...

class Solarize(TensorOp):
    def __init__(self, threshold_min: float, threshold_max: float) -> None: ...

class AutoContrast(TensorOp):
    def __init__(self, cutoff: float = 0.0, ignore: Sequence[int] = ...) -> None: ...

class Equalize(TensorOp):
    def __init__(self) -> None: ...

class Invert(TensorOp):
    def __init__(self) -> None: ...

class RandomColorAdjust(TensorOp):
    # Each a (min, max) factor range.
    def __init__(self, brightness: tuple[float, float], contrast: tuple[float, float],
                 saturation: tuple[float, float], hue: tuple[float, float]) -> None: ...
