"""Random affine and perspective warps (mirror mindspore.dataset.vision): RandomAffine,
Perspective and RandomPerspective.

They are native and run MindSpore's kernels, OpenCV's cv::warpAffine and
cv::warpPerspective with pixel centres at integers (see Rotate and Affine in geometry.py).
Under config.set_image_resampling("pillow") RandomAffine uses torchvision's affine on
Pillow, as Affine does; the perspective warps are OpenCV's under either setting.
Arguments are checked here: a wrong type raises TypeError, a wrong value
InvalidArgumentError (a ValueError), each naming the transform and the argument.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple, Union

from headrace._core import transforms as _transforms
from headrace.dataset.vision.geometry import Fill, _fill, _is_int, _is_number, _warp_kernel
from headrace.dataset.vision.utils import Inter
from headrace.errors import InvalidArgumentError

__all__ = ["Perspective", "RandomAffine", "RandomPerspective"]

Number = Union[int, float]


def _numpy_interpolation(transform: str, name: str, value: Any) -> None:
    """MindSpore runs ANTIALIAS (Pillow's Lanczos) only on PIL images, never on arrays."""
    if isinstance(value, Inter) and value is Inter.ANTIALIAS:
        raise TypeError(f"{transform}: {name} ANTIALIAS is not supported with NumPy input")


def _numbers(transform: str, name: str, value: Any, lengths: Tuple[int, ...]) -> List[float]:
    """A list or tuple of `lengths` finite numbers, or TypeError."""
    if (not isinstance(value, (list, tuple)) or len(value) not in lengths
            or not all(_is_number(v) for v in value)):
        counts = " or ".join(str(n) for n in lengths)
        raise TypeError(f"{transform}: {name} must be a list or tuple of {counts} numbers, got {value!r}")
    return [float(v) for v in value]


def _ordered(transform: str, name: str, low: float, high: float, value: Any) -> None:
    if low > high:
        raise InvalidArgumentError(f"{transform}: {name} must be (min, max) with min <= max, got {value!r}")


def _degrees(value: Any) -> Tuple[float, float]:
    if _is_number(value):
        if value < 0:
            raise InvalidArgumentError(f"RandomAffine: degrees must be non-negative, got {value!r}")
        return -float(value), float(value)
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"RandomAffine: degrees must be a number or a (min, max) pair, got {value!r}")
    low, high = _numbers("RandomAffine", "degrees", value, (2,))
    _ordered("RandomAffine", "degrees", low, high, value)
    return low, high


def _translate(value: Any) -> List[float]:
    """(x_min, x_max, y_min, y_max) fractions; a pair moves along x only."""
    if value is None:
        return [0.0, 0.0, 0.0, 0.0]
    ranges = _numbers("RandomAffine", "translate", value, (2, 4))
    if not all(-1.0 <= t <= 1.0 for t in ranges):
        raise InvalidArgumentError(f"RandomAffine: translate must be fractions in [-1, 1], got {value!r}")
    if len(ranges) == 2:
        ranges += [0.0, 0.0]
    _ordered("RandomAffine", "translate", ranges[0], ranges[1], value)
    _ordered("RandomAffine", "translate", ranges[2], ranges[3], value)
    return ranges


def _scale(value: Any) -> Tuple[float, float]:
    if value is None:
        return 1.0, 1.0
    low, high = _numbers("RandomAffine", "scale", value, (2,))
    _ordered("RandomAffine", "scale", low, high, value)
    if low < 0 or high <= 0:
        raise InvalidArgumentError(f"RandomAffine: scale must be non-negative with max > 0, got {value!r}")
    return low, high


def _shear(value: Any) -> List[float]:
    """(x_min, x_max, y_min, y_max) degrees: a number s shears along x in (-s, s), a pair
    along x in it, four values along x and along y."""
    if value is None:
        return [0.0, 0.0, 0.0, 0.0]
    if _is_number(value):
        if value <= 0:
            raise InvalidArgumentError(f"RandomAffine: shear must be greater than 0, got {value!r}")
        return [-float(value), float(value), 0.0, 0.0]
    ranges = _numbers("RandomAffine", "shear", value, (2, 4))
    if len(ranges) == 2:
        ranges += [0.0, 0.0]
    _ordered("RandomAffine", "shear", ranges[0], ranges[1], value)
    _ordered("RandomAffine", "shear", ranges[2], ranges[3], value)
    return ranges


def RandomAffine(degrees: Union[Number, Sequence[Number]], translate: Optional[Sequence[Number]] = None,  # noqa: N802
                 scale: Optional[Sequence[Number]] = None, shear: Union[None, Number, Sequence[Number]] = None,
                 resample: Inter = Inter.NEAREST, fill_value: Fill = 0) -> "_transforms.RandomAffine":
    """Affine with parameters drawn per row, uniformly, in MindSpore's order: an angle in
    `degrees` (a number d: (-d, d)), a translation in `translate` ((x_min, x_max) or
    (x_min, x_max, y_min, y_max), fractions of the width and height), a scale in `scale`
    ((min, max)) and shears in `shear` (degrees; a number s: (-s, s) along x; a pair along
    x; four values along x and y). None keeps the identity."""
    ranges = (_degrees(degrees), _translate(translate), _scale(scale), _shear(shear))
    _numpy_interpolation("RandomAffine", "resample", resample)
    kernel = _warp_kernel("RandomAffine", resample)
    return _transforms.RandomAffine(*ranges, kernel, _fill("RandomAffine", fill_value))


def _points(name: str, value: Any) -> List[List[float]]:
    if (not isinstance(value, (list, tuple)) or len(value) != 4
            or not all(isinstance(p, (list, tuple)) and len(p) == 2 and all(_is_int(v) for v in p)
                       for p in value)):
        raise TypeError(f"Perspective: {name} must be a list of 4 [x, y] pairs of ints, got {value!r}")
    if not all(-2**31 <= v < 2**31 for p in value for v in p):
        raise InvalidArgumentError(f"Perspective: {name} must be int32 coordinates, got {value!r}")
    return [[float(p[0]), float(p[1])] for p in value]


def Perspective(start_points: Sequence[Sequence[int]], end_points: Sequence[Sequence[int]],  # noqa: N802
                interpolation: Inter = Inter.BILINEAR) -> "_transforms.Perspective":
    """The perspective warp that moves the four `start_points` ([x, y], top-left, top-right,
    bottom-right, bottom-left) to the four `end_points`, the output of the input's size and
    pixels from outside black: cv::getPerspectiveTransform and cv::warpPerspective."""
    start = _points("start_points", start_points)
    end = _points("end_points", end_points)
    _numpy_interpolation("Perspective", "interpolation", interpolation)
    return _transforms.Perspective(start, end, _warp_kernel("Perspective", interpolation, "interpolation", perspective=True))


def _unit(transform: str, name: str, value: Any) -> float:
    if not _is_number(value):
        raise TypeError(f"{transform}: {name} must be a number, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise InvalidArgumentError(f"{transform}: {name} must be in [0, 1], got {value!r}")
    return float(value)


def RandomPerspective(distortion_scale: float = 0.5, prob: float = 0.5,  # noqa: N802
                      interpolation: Inter = Inter.BICUBIC) -> "_transforms.RandomPerspective":
    """With probability `prob` per row, Perspective from the image corners to corners
    moved inwards by whole pixels, each uniform in [0, distortion_scale * half the width
    (height)], as MindSpore and torchvision draw them. MindSpore runs it on PIL images with
    Pillow's warp; here it is OpenCV's, as Perspective (ANTIALIAS is refused, PILCUBIC is
    LINEAR as for Perspective)."""
    _numpy_interpolation("RandomPerspective", "interpolation", interpolation)
    return _transforms.RandomPerspective(
        _unit("RandomPerspective", "distortion_scale", distortion_scale), _unit("RandomPerspective", "prob", prob),
        _warp_kernel("RandomPerspective", interpolation, "interpolation", perspective=True))
