"""Geometric image transforms (mirror mindspore.dataset.vision): resize, crops, flips, pad,
rotation and affine warps.

They are native: in a pipeline they run in C++ map workers without the GIL, and they can be
called on NumPy arrays directly (``Resize(224)(image)``). Images are HWC (or HW) arrays.

Under the default config.set_image_resampling("mindspore") the resampling transforms give
MindSpore's pixels: Resize is OpenCV's cv::resize, Rotate and Affine are cv::warpAffine with
MindSpore's matrices (opencv_warp.h). Under "pillow" they follow Pillow on the same image:
Resize is ``Image.resize``, Rotate is ``Image.rotate``, Affine is
``torchvision.transforms.functional.affine`` on a PIL image, exactly for uint8 and to about
1e-6 relative for float32. Flips, crops and Pad take any numeric dtype and are exact.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union

from headrace._core import transforms as _transforms
from headrace.dataset.vision._arguments import FLOAT_MAX_INTEGER, INT32_MAX, check_bool, is_int, is_number
from headrace.dataset.vision.utils import Border, Inter, interpolation_kernel
from headrace.errors import InvalidArgumentError

if TYPE_CHECKING:  # typing.TypeGuard is Python 3.10's; annotations are not evaluated here
    from typing_extensions import TypeGuard

__all__ = [
    "Affine",
    "CenterCrop",
    "Crop",
    "HorizontalFlip",
    "Pad",
    "RandomCrop",
    "RandomCropDecodeResize",
    "RandomHorizontalFlip",
    "RandomResize",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomVerticalFlip",
    "Resize",
    "ResizedCrop",
    "Rotate",
    "VerticalFlip",
]

Size = Union[int, Sequence[int]]
Fill = Union[int, Sequence[int]]


def _is_int(value: Any) -> TypeGuard[int]:
    return is_int(value)


def _is_number(value: Any) -> TypeGuard[float]:
    """A finite number (bool is none)."""
    return is_number(value) and math.isfinite(value)


def _size(transform: str, value: Any, name: str = "size", maximum: int = INT32_MAX) -> Tuple[int, int]:
    """A positive int (a square) or a (height, width) pair of them: TypeError for anything
    else (a float, a str, a triple), as MindSpore; InvalidArgumentError below 1 or above
    `maximum`."""
    if _is_int(value):
        sides = (int(value), int(value))
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(_is_int(v) for v in value):
        sides = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{transform}: {name} must be an int or a (height, width) pair of ints, "
                        f"got {type(value).__name__} {value!r}")
    if not all(1 <= side <= maximum for side in sides):
        raise InvalidArgumentError(
            f"{transform}: {name} must be a positive int or a (height, width) pair, each in [1, {maximum}], "
            f"got {value!r}")
    return sides


def _border(transform: str, value: Any) -> str:
    try:
        return Border(value).value
    except (ValueError, TypeError):
        raise TypeError(f"{transform}: padding_mode must be a Border (CONSTANT, EDGE, REFLECT "
                        f"or SYMMETRIC), got {value!r}") from None


def _fill(transform: str, value: Any) -> List[int]:
    """fill_value: an int in [0, 255] for every channel, or a tuple of three (MindSpore's
    only) or four (one per channel of an RGBA image); another length is a TypeError, as
    MindSpore's."""
    values = [value] if _is_int(value) else value
    if (not isinstance(values, (list, tuple)) or not values or not all(_is_int(v) for v in values)
            or len(values) not in (1, 3, 4)):
        raise TypeError(f"{transform}: fill_value must be an int or a tuple of ints (one per channel), "
                        f"got {value!r}")
    if not all(0 <= v <= 255 for v in values):
        raise InvalidArgumentError(
            f"{transform}: fill_value must be an int in [0, 255] or a tuple of them (one per channel), "
            f"got {value!r}")
    return [int(v) for v in values]


def _padding(transform: str, value: Any) -> Tuple[int, int, int, int]:
    """An int (every side), (left/right, top/bottom) or (left, top, right, bottom)."""
    if not (_is_int(value) or (isinstance(value, (list, tuple)) and all(_is_int(v) for v in value))):
        raise TypeError(f"{transform}: padding must be an int or a tuple of ints, got {value!r}")
    sides = [int(value)] * 4 if _is_int(value) else [int(v) for v in value]  # type: ignore[union-attr]
    if len(sides) == 2:
        sides = sides * 2
    if len(sides) == 4 and all(0 <= v <= INT32_MAX for v in sides):
        return sides[0], sides[1], sides[2], sides[3]
    raise InvalidArgumentError(
        f"{transform}: padding must be a non-negative int, a (left/right, top/bottom) pair or a "
        f"(left, top, right, bottom) tuple, each at most {INT32_MAX}, got {value!r}")


def _number(transform: str, name: str, value: Any) -> float:
    """A finite number: TypeError for another type (bool included), InvalidArgumentError
    for inf or nan."""
    if not is_number(value):
        raise TypeError(f"{transform}: {name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{transform}: {name} must be finite, got {value!r}")
    return float(value)


def _number_pair(transform: str, name: str, value: Any) -> Tuple[float, float]:
    if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(is_number(v) for v in value)):
        raise TypeError(f"{transform}: {name} must be a pair of numbers, got {value!r}")
    return _number(transform, name, value[0]), _number(transform, name, value[1])


def _ordered_range(transform: str, name: str, value: Any, minimum: float, strict: bool) -> Tuple[float, float]:
    """A (min, max) pair with minimum <= min (or < with `strict`) and min <= max."""
    low, high = _number_pair(transform, name, value)
    if low > high or low < minimum or (strict and low == minimum):
        relation = ">" if strict else ">="
        raise InvalidArgumentError(f"{transform}: {name} must be (min, max) with min {relation} {minimum:g} "
                                   f"and min <= max, got {value!r}")
    return low, high


def _probability(transform: str, value: Any) -> float:
    prob = _number(transform, "prob", value)
    if not 0.0 <= prob <= 1.0:
        raise InvalidArgumentError(f"{transform}: prob must be a number in [0, 1], got {value!r}")
    return prob


def _center(transform: str, value: Any) -> Optional[Tuple[float, float]]:
    """None or an (x, y) pair. As MindSpore: anything but a pair (a str, a triple) is a bad
    value, a pair of non-numbers a TypeError."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InvalidArgumentError(f"{transform}: center must be None or an (x, y) pair, got {value!r}")
    if not all(is_number(v) for v in value):
        raise TypeError(f"{transform}: center must be None or an (x, y) pair of numbers, got {value!r}")
    return _number(transform, "center", value[0]), _number(transform, "center", value[1])


def _mindspore_warps() -> bool:
    from headrace.dataset.config import get_image_resampling

    return get_image_resampling() == "mindspore"


# MindSpore's warps hand NEAREST, LINEAR, CUBIC and AREA to OpenCV (which treats AREA as
# LINEAR in a warp) and fall back to LINEAR for the Pillow-only PILCUBIC and ANTIALIAS.
_OPENCV_WARP_KERNELS = {"nearest": "nearest", "linear": "linear", "cubic": "cubic", "area": "area",
                        "pilcubic": "linear"}


def _warp_kernel(transform: str, value: Any, name: str = "resample", perspective: bool = False) -> str:
    """The C++ kernel of a warp's Inter: OpenCV's, as MindSpore's, under the "mindspore"
    image resampling (always for a `perspective`: Pillow has no such warp here), else Pillow's (Image.transform has no area
    or Lanczos warp: AREA is BILINEAR, as OpenCV makes it LINEAR, and ANTIALIAS is refused).
    MindSpore's affine warps refuse PILCUBIC and ANTIALIAS; its Perspective takes PILCUBIC
    as LINEAR."""
    kernel = interpolation_kernel(transform, value, name)
    inter = Inter(value)
    if perspective or _mindspore_warps():
        if inter is Inter.ANTIALIAS or (inter is Inter.PILCUBIC and not perspective):
            raise InvalidArgumentError(f"{transform}: {name} must be NEAREST, LINEAR, CUBIC or AREA for MindSpore's "
                                       f"warps, got {inter.name}")
        return _OPENCV_WARP_KERNELS[inter.value]
    if inter is Inter.AREA:
        return "pil_bilinear"
    if inter is Inter.ANTIALIAS:
        raise InvalidArgumentError(f"{transform}: {name} ANTIALIAS has no Pillow warp (NEAREST, BILINEAR, BICUBIC "
                                   f"or PILCUBIC)")
    return kernel


def _resize_size(transform: str, size: Any) -> List[int]:
    """[edge] (keep the aspect ratio) for an int, else [height, width]."""
    height, width = _size(transform, size, maximum=FLOAT_MAX_INTEGER)
    return [height] if _is_int(size) else [height, width]


def Resize(size: Size, interpolation: Inter = Inter.LINEAR) -> "_transforms.Resize":  # noqa: N802
    """Resizes to `size`: an int makes the shorter side that long and keeps the aspect ratio
    (longer = floor(longer / shorter * size), in float as MindSpore); (height, width) gives
    exactly that size. NEAREST, LINEAR, CUBIC and AREA are OpenCV's cv::resize, as
    MindSpore's (or Pillow's, under config.set_image_resampling("pillow")); PILCUBIC and
    ANTIALIAS are Pillow's BICUBIC and LANCZOS."""
    interp = interpolation_kernel("Resize", interpolation, "interpolation")
    return _transforms.Resize(_resize_size("Resize", size), interp)


def ResizedCrop(top: int, left: int, height: int, width: int, size: Size,  # noqa: N802
                interpolation: Inter = Inter.BILINEAR) -> "_transforms.ResizedCrop":
    """The window at (`top`, `left`) of `height` x `width` cropped, then resized to `size`
    (an int makes a square, or (height, width)) with `interpolation` as Resize. The window
    must fit inside the image."""
    for name, value, minimum in (("top", top, 0), ("left", left, 0), ("height", height, 1), ("width", width, 1)):
        if not _is_int(value):
            raise TypeError(f"ResizedCrop: {name} must be an int, got {value!r}")
        if value < minimum:
            raise InvalidArgumentError(f"ResizedCrop: {name} must be an int >= {minimum}, got {value!r}")
    out_height, out_width = _size("ResizedCrop", size)
    return _transforms.ResizedCrop(int(top), int(left), int(height), int(width), (out_height, out_width),
                                   interpolation_kernel("ResizedCrop", interpolation, "interpolation"), _crop_first())


def RandomResize(size: Size) -> "_transforms.RandomResize":  # noqa: N802
    """Resize to `size` (as Resize) with an interpolation drawn per row among LINEAR,
    NEAREST, CUBIC and AREA, as MindSpore draws it."""
    kernels = [interpolation_kernel("RandomResize", inter, "interpolation")
               for inter in (Inter.LINEAR, Inter.NEAREST, Inter.CUBIC, Inter.AREA)]
    return _transforms.RandomResize(_resize_size("RandomResize", size), kernels)


def Crop(coordinates: Sequence[int], size: Size) -> "_transforms.Crop":  # noqa: N802
    """The window at `coordinates` = (top, left) of `size` (an int or (height, width)); it
    must fit inside the image."""
    if not (isinstance(coordinates, (list, tuple)) and len(coordinates) == 2
            and all(_is_int(v) for v in coordinates)):
        raise TypeError(f"Crop: coordinates must be a (top, left) pair of ints, got {coordinates!r}")
    if not all(v >= 0 for v in coordinates):
        raise InvalidArgumentError(
            f"Crop: coordinates must be a (top, left) pair of non-negative ints, got {coordinates!r}")
    height, width = _size("Crop", size, maximum=FLOAT_MAX_INTEGER)
    return _transforms.Crop(int(coordinates[0]), int(coordinates[1]), height, width)


def CenterCrop(size: Size) -> "_transforms.CenterCrop":  # noqa: N802
    """The centred window of `size`, starting at floor((side - crop) / 2) as MindSpore does
    (torchvision's rounding half to even under config.set_image_resampling("pillow")). A
    side longer than the image's is padded with zeros on both sides rather than raising."""
    from headrace.dataset.config import get_image_resampling

    return _transforms.CenterCrop(*_size("CenterCrop", size),
                                  torchvision_offsets=get_image_resampling() == "pillow")


def RandomCrop(size: Size, padding: Optional[Union[int, Sequence[int]]] = None,  # noqa: N802
               pad_if_needed: bool = False, fill_value: Fill = 0,
               padding_mode: Border = Border.CONSTANT) -> "_transforms.RandomCrop":
    """A uniformly placed window of `size`, after optional `padding` (as Pad); with
    `pad_if_needed`, a side shorter than the window is first padded on both ends."""
    height, width = _size("RandomCrop", size)
    ltrb = (0, 0, 0, 0) if padding is None else _padding("RandomCrop", padding)
    return _transforms.RandomCrop(height, width, ltrb, check_bool("RandomCrop", "pad_if_needed", pad_if_needed),
                                  _fill("RandomCrop", fill_value), _border("RandomCrop", padding_mode))


def _crop_first() -> bool:
    """Whether a Pillow kernel resizes the cropped window (MindSpore's PILCUBIC and
    ANTIALIAS) rather than taking the window as Pillow's box (torchvision on PIL images)."""
    from headrace.dataset.config import get_image_resampling

    return get_image_resampling() == "mindspore"


def _random_resized_crop_args(transform: str, size: Any, scale: Any, ratio: Any, interpolation: Any,
                              max_attempts: Any
                              ) -> Tuple[int, int, Tuple[float, float], Tuple[float, float], str, int, bool]:
    height, width = _size(transform, size)
    scale_range = _ordered_range(transform, "scale", scale, 0.0, strict=False)
    ratio_range = _ordered_range(transform, "ratio", ratio, 0.0, strict=True)
    if not _is_int(max_attempts):
        raise TypeError(f"{transform}: max_attempts must be an int, got {max_attempts!r}")
    if max_attempts < 1:
        raise InvalidArgumentError(f"{transform}: max_attempts must be a positive int, got {max_attempts!r}")
    return (height, width, scale_range, ratio_range, interpolation_kernel(transform, interpolation, "interpolation"),
            int(max_attempts), _crop_first())


def RandomResizedCrop(size: Size, scale: Sequence[float] = (0.08, 1.0),  # noqa: N802
                      ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
                      interpolation: Inter = Inter.BILINEAR,
                      max_attempts: int = 10) -> "_transforms.RandomResizedCrop":
    """A random window (area fraction uniform in `scale`, width/height log-uniform in
    `ratio`, as torchvision chooses it) cropped, then resized to `size` as ResizedCrop
    (under config.set_image_resampling("pillow"): Pillow's ``image.resize(size, box=window)``).
    Right after Decode in a map, the two run as one step that decodes only the window."""
    return _transforms.RandomResizedCrop(
        *_random_resized_crop_args("RandomResizedCrop", size, scale, ratio, interpolation, max_attempts))


def RandomCropDecodeResize(size: Size, scale: Sequence[float] = (0.08, 1.0),  # noqa: N802
                           ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
                           interpolation: Inter = Inter.BILINEAR,
                           max_attempts: int = 10) -> "_transforms.RandomCropDecodeResize":
    """Decode, then RandomResizedCrop, in one step: it takes an encoded JPEG or PNG, and of a
    JPEG it decodes only the window (MindSpore's RandomCropDecodeResize)."""
    return _transforms.RandomCropDecodeResize(
        *_random_resized_crop_args("RandomCropDecodeResize", size, scale, ratio, interpolation, max_attempts))


def HorizontalFlip() -> "_transforms.HorizontalFlip":  # noqa: N802
    """Mirrors the image left to right."""
    return _transforms.HorizontalFlip()


def VerticalFlip() -> "_transforms.VerticalFlip":  # noqa: N802
    """Mirrors the image top to bottom."""
    return _transforms.VerticalFlip()


def RandomHorizontalFlip(prob: float = 0.5) -> "_transforms.RandomHorizontalFlip":  # noqa: N802
    """Mirrors left to right with probability `prob`."""
    return _transforms.RandomHorizontalFlip(_probability("RandomHorizontalFlip", prob))


def RandomVerticalFlip(prob: float = 0.5) -> "_transforms.RandomVerticalFlip":  # noqa: N802
    """Mirrors top to bottom with probability `prob`."""
    return _transforms.RandomVerticalFlip(_probability("RandomVerticalFlip", prob))


def Pad(padding: Union[int, Sequence[int]], fill_value: Fill = 0,  # noqa: N802
        padding_mode: Border = Border.CONSTANT) -> "_transforms.Pad":
    """Pads by `padding`: an int (every side), (left/right, top/bottom) or
    (left, top, right, bottom). The border is `fill_value` (an int or one value per channel)
    or mirrors/repeats the image by `padding_mode`, as np.pad does."""
    return _transforms.Pad(_padding("Pad", padding), _fill("Pad", fill_value), _border("Pad", padding_mode))


def Rotate(degrees: float, resample: Inter = Inter.NEAREST, expand: bool = False,  # noqa: N802
           center: Optional[Sequence[float]] = None, fill_value: Fill = 0) -> "_transforms.Rotate":
    """Turns the image `degrees` counter-clockwise about `center` (x, y); `expand` grows the
    output to hold the whole image. As MindSpore: the default centre is ((w - 1) / 2,
    (h - 1) / 2), pixel centres at integers (cv::getRotationMatrix2D and cv::warpAffine);
    under the "pillow" image resampling, Pillow's Image.rotate about (w / 2, h / 2)."""
    return _transforms.Rotate(_number("Rotate", "degrees", degrees), _warp_kernel("Rotate", resample),
                              check_bool("Rotate", "expand", expand), _center("Rotate", center),
                              _rotation_fill("Rotate", fill_value))


def _rotation_fill(transform: str, value: Any) -> List[int]:
    """The fill of a rotation. MindSpore's Rotate and RandomRotation hand OpenCV the three
    fill values in reverse order (channel 0 gets the last), and so do they here under the
    default "mindspore" resampling; Pillow's keep the order."""
    from headrace.dataset.config import get_image_resampling

    fill = _fill(transform, value)
    return fill[::-1] if get_image_resampling() == "mindspore" and len(fill) == 3 else fill


def _mindspore_rotation_range(degrees: Any, low: float, high: float) -> Tuple[float, float]:
    """The range MindSpore draws from: a number d is taken modulo 360 first (so 400 means
    (-40, 40)); a pair spanning 360 or more is (-180, 180), else both ends modulo 360 with
    the upper one moved up a turn if it came out below the lower."""
    if _is_number(degrees):
        d = high % 360.0
        return -d, d
    if high - low >= 360.0:
        return -180.0, 180.0
    low, high = low % 360.0, high % 360.0
    return (low, high + 360.0) if low > high else (low, high)


def RandomRotation(degrees: Union[float, Sequence[float]], resample: Inter = Inter.NEAREST,  # noqa: N802
                   expand: bool = False, center: Optional[Sequence[float]] = None,
                   fill_value: Fill = 0) -> "_transforms.RandomRotation":
    """Rotate by an angle uniform in (-degrees, degrees), or in (min, max) for a pair (under
    the "mindspore" image resampling normalised modulo 360 as MindSpore does)."""
    if _is_number(degrees):
        if degrees < 0:
            raise InvalidArgumentError(f"RandomRotation: degrees must be non-negative, got {degrees!r}")
        low, high = -float(degrees), float(degrees)
    else:
        try:
            low, high = _number_pair("RandomRotation", "degrees", degrees)
        except TypeError:
            raise TypeError(
                f"RandomRotation: degrees must be a non-negative number or a (min, max) pair, got {degrees!r}"
            ) from None
        if low > high:
            raise InvalidArgumentError(f"RandomRotation: degrees must be (min, max) with min <= max, got {degrees!r}")
    if _mindspore_warps():
        low, high = _mindspore_rotation_range(degrees, low, high)
    return _transforms.RandomRotation(low, high, _warp_kernel("RandomRotation", resample),
                                      check_bool("RandomRotation", "expand", expand),
                                      _center("RandomRotation", center), _rotation_fill("RandomRotation", fill_value))


def Affine(degrees: float, translate: Sequence[float], scale: float,  # noqa: N802
           shear: Union[float, Sequence[float]], resample: Inter = Inter.NEAREST,
           fill_value: Fill = 0) -> "_transforms.Affine":
    """Rotates by `degrees` (clockwise), scales by `scale` and shears by `shear` (degrees;
    a number shears along x, a pair along x and y) about the image centre, then translates
    by `translate`. As MindSpore: the translation is a fraction of the width and height, in
    [-1, 1], and the centre ((w - 1) / 2, (h - 1) / 2) (cv::warpAffine). Under the "pillow"
    image resampling: ``torchvision.transforms.functional.affine`` on a PIL image, the
    translation in pixels."""
    if not -180.0 <= _number("Affine", "degrees", degrees) <= 180.0:
        raise InvalidArgumentError(f"Affine: degrees must be a number in [-180, 180], got {degrees!r}")
    tx, ty = _number_pair("Affine", "translate", translate)
    kernel = _warp_kernel("Affine", resample)
    if _mindspore_warps() and not (-1.0 <= tx <= 1.0 and -1.0 <= ty <= 1.0):
        raise InvalidArgumentError(
            f"Affine: translate must be fractions of the width and height in [-1, 1], got {translate!r}")
    if _number("Affine", "scale", scale) <= 0:
        raise InvalidArgumentError(f"Affine: scale must be a positive number, got {scale!r}")
    if _is_number(shear):
        shear_pair = (float(shear), 0.0)  # type: ignore[arg-type]
    else:
        try:
            shear_pair = _number_pair("Affine", "shear", shear)
        except TypeError:
            raise TypeError(
                f"Affine: shear must be a number or an (x, y) pair of numbers, got {shear!r}") from None
    if not all(-180.0 <= s <= 180.0 for s in shear_pair):
        raise InvalidArgumentError(f"Affine: shear must be in [-180, 180], got {shear!r}")
    return _transforms.Affine(float(degrees), (tx, ty), float(scale), shear_pair, kernel,
                              _fill("Affine", fill_value))
