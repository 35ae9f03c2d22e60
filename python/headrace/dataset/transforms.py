"""Transforms that apply to any tensor (mirrors mindspore.dataset.transforms).

Native transforms run in C++ map workers without the GIL; they can also be called on NumPy
arrays directly: ``TypeCast(np.float32)(array)``.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = ["Compose", "OneHot", "TypeCast"]


# How each native transform was made ("Resize((224, 224), interpolation=...)"): a cache
# keys a pipeline by its description, and the C++ objects do not show their arguments.
_MADE_WITH: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def records_arguments(factory: Callable, setting: Optional[Callable[[], str]] = None) -> Callable:
    """Decorates a transform factory so that described() can tell what it made. `setting`
    returns a global setting the op depends on ("resampling='pillow'"), recorded too."""
    @functools.wraps(factory)
    def make(*args: Any, **kwargs: Any) -> Any:
        op = factory(*args, **kwargs)
        arguments = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
        if setting is not None:
            arguments.append(setting())
        _MADE_WITH[op] = f"{factory.__name__}({', '.join(arguments)})"
        return op
    return make


def described(op: Any) -> Optional[str]:
    """How the native transform `op` was made, if a recorded factory made it."""
    try:
        return _MADE_WITH.get(op)
    except TypeError:  # not weak-referenceable: not one of ours
        return None


def _numeric_dtype_name(data_type: Any) -> str:
    try:
        dtype = np.dtype(data_type)
    except TypeError:
        raise InvalidArgumentError(f"data_type must be a NumPy dtype, got {data_type!r}") from None
    if dtype.kind not in "biuf":
        raise InvalidArgumentError(f"TypeCast: data_type must be a numeric or bool type, got {dtype}")
    return dtype.name


@records_arguments
def TypeCast(data_type: Any) -> "_transforms.TypeCast":  # noqa: N802 - a transform's name
    """Converts a numeric column to `data_type` (a NumPy dtype such as np.float32)."""
    return _transforms.TypeCast(_numeric_dtype_name(data_type))


@records_arguments
def OneHot(num_classes: int, smoothing_rate: float = 0.0) -> "_transforms.OneHot":  # noqa: N802
    """Integer labels to one-hot rows: a scalar to (num_classes,), (n,) to (n, num_classes).
    With smoothing_rate s the rows are float32: 1 - s + s/num_classes at the label,
    s/num_classes elsewhere."""
    check_int("num_classes", num_classes, minimum=1)
    if isinstance(smoothing_rate, bool) or not isinstance(smoothing_rate, (int, float)) \
            or not 0.0 <= smoothing_rate <= 1.0:
        raise InvalidArgumentError(f"smoothing_rate must be a number in [0, 1], got {smoothing_rate!r}")
    return _transforms.OneHot(num_classes, float(smoothing_rate))


def as_columns(result: Any) -> tuple:
    """What the engine makes of a result between two operations: arrays, a tuple spread."""
    if isinstance(result, tuple):
        return tuple(np.asarray(item) for item in result)
    return (np.asarray(result),)


class Compose:
    """Several transforms as one: each one's output is the next one's input.

    In a map the list is spread into the map's own chain, so that native transforms in it
    still run without returning to Python (and Python ones in worker processes when asked).
    Called directly, it applies them in turn."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        if isinstance(transforms, (str, bytes)) or not isinstance(transforms, Sequence) or not transforms:
            raise InvalidArgumentError(f"transforms must be a non-empty list of transforms, got {transforms!r}")
        for transform in transforms:
            if not callable(transform):
                raise InvalidArgumentError(f"transforms: {transform!r} is not callable")
        self.transforms: List[Callable] = list(transforms)

    def __call__(self, *columns: Any) -> Any:
        result = self.transforms[0](*columns)
        for transform in self.transforms[1:]:
            result = transform(*as_columns(result))
        return result

    def flatten(self) -> List[Callable]:
        """The transforms, with nested Compose spread out."""
        out: List[Callable] = []
        for transform in self.transforms:
            out.extend(transform.flatten() if isinstance(transform, Compose) else [transform])
        return out
