"""Transforms that apply to any tensor (mirrors mindspore.dataset.transforms).

Native transforms run in C++ map workers without the GIL; they can also be called on NumPy
arrays directly: ``TypeCast(np.float32)(array)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headrace._core import transforms as _transforms
from headrace.errors import InvalidArgumentError

__all__ = ["TypeCast"]


def _numeric_dtype_name(data_type: Any) -> str:
    try:
        dtype = np.dtype(data_type)
    except TypeError:
        raise InvalidArgumentError(f"data_type must be a NumPy dtype, got {data_type!r}") from None
    if dtype.kind not in "biuf":
        raise InvalidArgumentError(f"TypeCast: data_type must be a numeric or bool type, got {dtype}")
    return dtype.name


def TypeCast(data_type: Any) -> "_transforms.TypeCast":  # noqa: N802 - a transform's name
    """Converts a numeric column to `data_type` (a NumPy dtype such as np.float32)."""
    return _transforms.TypeCast(_numeric_dtype_name(data_type))
