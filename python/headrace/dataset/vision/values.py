"""Value transforms (mirrors mindspore.dataset.vision): AdjustGamma, GaussianBlur,
NormalizePad, ToTensor, ToType and LinearTransformation, with MindSpore's arguments,
defaults and arithmetic (OpenCV's for GaussianBlur)."""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np

from headrace._core import transforms as _transforms
from headrace.dataset.transforms import _numeric_dtype_name
from headrace.dataset.validation import check_bool
from headrace.dataset.vision.color import _number, _numbers
from headrace.errors import InvalidArgumentError

__all__ = ["AdjustGamma", "GaussianBlur", "LinearTransformation", "NormalizePad", "ToTensor", "ToType"]


def AdjustGamma(gamma: float, gain: float = 1) -> "_transforms.AdjustGamma":  # noqa: N802 - a transform's name
    """255 * gain * (pixel / 255)^gamma for uint8 images (MindSpore's table), and
    (pixel * gain)^gamma clipped to [0, 1] for float32 ones; gamma >= 0."""
    return _transforms.AdjustGamma(_number("AdjustGamma", "gamma", gamma, low=0.0),
                                   _number("AdjustGamma", "gain", gain))


def _odd_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"GaussianBlur: kernel_size must be an int or a (width, height) pair of ints, got {value!r}")
    if value <= 0 or value % 2 == 0:
        raise InvalidArgumentError(f"GaussianBlur: kernel_size must be positive odd ints, got {value!r}")
    return value


def GaussianBlur(kernel_size: Union[int, Sequence[int]],  # noqa: N802
                 sigma: Union[None, float, Sequence[float]] = None) -> "_transforms.GaussianBlur":
    """OpenCV's Gaussian blur with the reflect-101 border. kernel_size: an odd size or
    (width, height); sigma: one for both axes or (sigma_x, sigma_y), >= 0. None (or 0) gives
    MindSpore's default, kernel_size * 0.15 + 0.35 (from the width for a single sigma)."""
    if isinstance(kernel_size, (list, tuple)):
        if len(kernel_size) != 2:
            raise TypeError(
                f"GaussianBlur: kernel_size must be an int or a sequence (width, height), got {kernel_size!r}")
        kernel_x, kernel_y = (_odd_size(k) for k in kernel_size)
    else:
        kernel_x = kernel_y = _odd_size(kernel_size)
    sigma_y = -1.0  # the same as sigma_x
    if sigma is None:
        sigma_x = 0.0
    elif isinstance(sigma, (list, tuple)):
        if len(sigma) != 2:
            raise TypeError(
                f"GaussianBlur: sigma must be a number or a sequence (sigma_x, sigma_y), got {sigma!r}")
        sigma_x, sigma_y = (_number("GaussianBlur", f"sigma[{i}]", s, low=0.0) for i, s in enumerate(sigma))
    else:
        sigma_x = _number("GaussianBlur", "sigma", sigma, low=0.0)
    return _transforms.GaussianBlur(kernel_x, kernel_y, sigma_x, sigma_y)


def NormalizePad(mean: Sequence[float], std: Sequence[float],  # noqa: N802
                 dtype: str = "float32", is_hwc: bool = True) -> "_transforms.NormalizePad":
    """Normalize ((pixel - mean[c]) / std[c]) of a 3-channel image, then a fourth channel of
    zeros: (H, W, 3) -> (H, W, 4), or (3, H, W) -> (4, H, W) with is_hwc=False. dtype
    "float32" or "float16"; mean in [0, 255], std in (0, 255]."""
    if not isinstance(dtype, str):
        raise TypeError(f"NormalizePad: dtype must be a str, 'float32' or 'float16', got {dtype!r}")
    means = _numbers("NormalizePad", "mean", mean, low=0.0, high=255.0)
    stds = _numbers("NormalizePad", "std", std, low=0.0, high=255.0, low_open=True)
    if len(means) != 3 or len(stds) != 3:
        raise InvalidArgumentError(
            f"NormalizePad: mean and std must have 3 values, got {len(means)} and {len(stds)}")
    if dtype not in ("float32", "float16"):
        raise InvalidArgumentError(f"NormalizePad: dtype must be 'float32' or 'float16', got {dtype!r}")
    return _transforms.NormalizePad(means, stds, dtype, check_bool("NormalizePad: is_hwc", is_hwc))


def _numeric_dtype(transform: str, name: str, value: Any) -> str:
    """TypeCast's check of a dtype, its error naming `transform` and `name`."""
    try:
        return _numeric_dtype_name(value)
    except (TypeError, InvalidArgumentError) as error:
        raise type(error)(f"{transform}: {name} must be a numeric or bool NumPy dtype, got {value!r}") from None


def ToTensor(output_type: Any = np.float32) -> "_transforms.ToTensor":  # noqa: N802
    """(H, W, C) -> (C, H, W) ((H, W) -> (1, H, W)) with every value divided by 255 in
    float32, then cast to output_type."""
    name = _numeric_dtype("ToTensor", "output_type", output_type)
    if name == "bool":
        raise InvalidArgumentError("ToTensor: output_type must be a numeric type, got bool")
    return _transforms.ToTensor(name)


def ToType(data_type: Any) -> "_transforms.TypeCast":  # noqa: N802
    """Casts the image to data_type, as transforms.TypeCast (MindSpore's ToType is TypeCast)."""
    return _transforms.TypeCast(_numeric_dtype("ToType", "data_type", data_type))


class LinearTransformation(_transforms.LinearTransformation):
    """The image flattened to D values, minus mean_vector (D,), times transformation_matrix
    (D, D), reshaped back (NumPy's dot). float64, or float32 when both arguments and the
    image are float32 (or the image a small integer type).

    A class rather than a recorded factory: a pipeline's cache key describes it by its
    attributes, the two arrays by their contents (a factory's record would hold their
    repr, which NumPy shortens for large arrays)."""

    def __init__(self, transformation_matrix: np.ndarray, mean_vector: np.ndarray) -> None:
        for name, value in (("transformation_matrix", transformation_matrix), ("mean_vector", mean_vector)):
            if not isinstance(value, np.ndarray):
                raise TypeError(
                    f"LinearTransformation: {name} must be a numpy.ndarray, got {type(value).__name__}")
            if value.dtype.kind not in "biuf":
                raise InvalidArgumentError(f"LinearTransformation: {name} must be numeric, got {value.dtype}")
        matrix, mean = transformation_matrix, mean_vector
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
            raise InvalidArgumentError(
                f"LinearTransformation: transformation_matrix must be a square matrix, got shape {matrix.shape}")
        if mean.ndim != 1 or mean.shape[0] != matrix.shape[0]:
            raise InvalidArgumentError(
                f"LinearTransformation: mean_vector must have shape ({matrix.shape[0]},) to match the "
                f"transformation_matrix {matrix.shape}, got {mean.shape}")
        float32 = matrix.dtype == np.float32 and mean.dtype == np.float32
        super().__init__(np.asarray(matrix, np.float64).ravel().tolist(), np.asarray(mean, np.float64).tolist(),
                         float32)
        self.transformation_matrix = matrix.copy()
        self.mean_vector = mean.copy()
