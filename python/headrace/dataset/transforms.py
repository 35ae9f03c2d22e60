"""Transforms that apply to any tensor (mirrors mindspore.dataset.transforms).

Native transforms run in C++ map workers without the GIL; they can also be called on NumPy
arrays directly: ``TypeCast(np.float32)(array)``.
"""

from __future__ import annotations

import functools
import weakref
from enum import IntEnum
from typing import Any, Callable, List, Optional, Sequence, Union

import numpy as np

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = ["Compose", "Concatenate", "Duplicate", "Fill", "Mask", "OneHot", "PadEnd", "RandomApply",
           "RandomChoice", "RandomOrder", "Relational", "Slice", "TypeCast", "Unique"]


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
    """TypeError for what is no NumPy dtype (np.dtype("x") and
    np.dtype(5) raise TypeError), InvalidArgumentError for a dtype that is not numeric or bool."""
    try:
        dtype = np.dtype(data_type)
    except TypeError:
        raise TypeError(f"data_type must be a NumPy dtype, got {data_type!r}") from None
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
    With smoothing_rate s the rows are float64 (as MindSpore): 1 - s + s/num_classes at the label,
    s/num_classes elsewhere."""
    check_int("num_classes", num_classes, minimum=1)
    if isinstance(smoothing_rate, bool) or not isinstance(smoothing_rate, (int, float)):
        raise TypeError(f"smoothing_rate must be a number, got {type(smoothing_rate).__name__} {smoothing_rate!r}")
    if not 0.0 <= smoothing_rate <= 1.0:
        raise InvalidArgumentError(f"smoothing_rate must be a number in [0, 1], got {smoothing_rate!r}")
    return _transforms.OneHot(num_classes, float(smoothing_rate))


# The scalars MindSpore takes as a fill, pad or comparison value (NumPy's float64 and
# bool_ are not all of them: MindSpore refuses np.int32(3), and so does this).
_SCALAR_TYPES = (str, float, bool, int, bytes)


def _check_scalar(name: str, value: Any) -> Any:
    if not isinstance(value, _SCALAR_TYPES):
        raise TypeError(f"{name} must be a str, bytes, int, float or bool, "
                        f"got {type(value).__name__} {value!r}")
    return value


def _check_int_type(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    return value


class Relational(IntEnum):
    """The comparisons of Mask, numbered as MindSpore numbers them."""
    EQ = 0
    NE = 1
    GT = 2
    GE = 3
    LT = 4
    LE = 5


@records_arguments
def Mask(operator: Relational, constant: Union[str, bytes, int, float, bool],  # noqa: N802
         dtype: Any = np.bool_) -> "_transforms.Mask":
    """Each element compared with `constant` (first converted to the column's dtype, as
    MindSpore does): a tensor of the results, of `dtype` (a numeric or bool NumPy dtype)."""
    if not isinstance(operator, Relational):
        raise TypeError(f"operator must be a Relational, got {type(operator).__name__} {operator!r}")
    _check_scalar("constant", constant)
    try:
        dtype_name = _numeric_dtype_name(dtype)
    except InvalidArgumentError:
        raise TypeError(f"Mask: dtype must be a numeric or bool NumPy dtype, got {dtype!r}") from None
    return _transforms.Mask(int(operator), np.array(constant), dtype_name)


@records_arguments
def Fill(fill_value: Union[str, bytes, int, float, bool]) -> "_transforms.Fill":  # noqa: N802
    """Every element replaced by `fill_value`, converted to the column's dtype; shape and
    dtype kept. A str or bytes value fills only a column of the same kind."""
    return _transforms.Fill(np.array(_check_scalar("fill_value", fill_value)))


@records_arguments
def Duplicate() -> "_transforms.Duplicate":  # noqa: N802
    """One column in, two equal columns out: map(Duplicate(), input_columns=["x"],
    output_columns=["x", "y"])."""
    return _transforms.Duplicate()


def _one_dimensional(name: str, value: Any) -> Optional[np.ndarray]:
    if value is None:
        return None
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(value).__name__}")
    if value.ndim != 1:
        raise InvalidArgumentError(f"{name}: can only {name} 1D arrays, got shape {value.shape}")
    return value


@records_arguments
def Concatenate(axis: int = 0, prepend: Optional[np.ndarray] = None,  # noqa: N802
                append: Optional[np.ndarray] = None) -> "_transforms.Concatenate":
    """The map's 1-D input columns joined, in order, between `prepend` and `append` (1-D
    arrays of the columns' dtype), into one column. axis: 0 or -1 (only 1-D exists)."""
    _check_int_type("axis", axis)
    if axis not in (0, -1):
        raise InvalidArgumentError(f"axis: only 1D concatenation supported (axis 0 or -1), got {axis}")
    return _transforms.Concatenate(axis, _one_dimensional("prepend", prepend),
                                   _one_dimensional("append", append))


@records_arguments
def PadEnd(pad_shape: List[Optional[int]],  # noqa: N802
           pad_value: Union[None, str, bytes, int, float, bool] = None) -> "_transforms.PadEnd":
    """The column padded at the end of each dimension, or cut, to `pad_shape` (None keeps a
    dimension). pad_value, converted to the column's dtype; None pads numbers with 0 and
    strings with ''."""
    if not isinstance(pad_shape, list):
        raise TypeError(f"pad_shape must be a list, got {type(pad_shape).__name__} {pad_shape!r}")
    sizes = []
    for size in pad_shape:
        if size is None:
            sizes.append(-1)
            continue
        _check_int_type("pad_shape: a value in the list", size)
        if size < 1:
            raise InvalidArgumentError(f"pad_shape: sizes must be positive or None, got {size}")
        sizes.append(size)
    value = None if pad_value is None else np.array(_check_scalar("pad_value", pad_value))
    return _transforms.PadEnd(sizes, value)


def _slice_option(position: int, option: Any) -> "_transforms.SliceOption":
    name = f"slices[{position}]"
    if option is None or option is Ellipsis or option is True:
        return _transforms.SliceOption.all()
    if option is False:
        raise InvalidArgumentError(f"{name}: False selects nothing")
    if isinstance(option, int):
        return _transforms.SliceOption.indices([option])
    if isinstance(option, list):
        if not option:
            raise InvalidArgumentError(f"{name}: a list of indices can not be empty")
        for index in option:
            _check_int_type(f"{name}: an index", index)
        return _transforms.SliceOption.indices(option)
    if isinstance(option, slice):
        for part in ("start", "stop", "step"):
            bound = getattr(option, part)
            if bound is not None:
                _check_int_type(f"{name}.{part}", bound)
        if option.step == 0:
            raise InvalidArgumentError(f"{name}: slice step cannot be zero")
        step = 1 if option.step is None else option.step
        return _transforms.SliceOption.range(option.start, option.stop, step)
    raise TypeError(f"{name} must be an int, a list of ints, a slice, None, Ellipsis or True, "
                    f"got {type(option).__name__} {option!r}")


@records_arguments
def Slice(*slices: Any) -> "_transforms.Slice":  # noqa: N802
    """A sub-tensor, one option per dimension from the first (the others kept whole): an
    int or a list of ints picks those positions (negative ones from the end), a slice a
    range, None, Ellipsis or True the whole dimension. As in MindSpore no dimension is
    dropped: Slice(1) of shape (4,) gives shape (1,)."""
    return _transforms.Slice([_slice_option(i, option) for i, option in enumerate(slices)])


@records_arguments
def Unique() -> "_transforms.Unique":  # noqa: N802
    """Three columns from one numeric column of rank >= 2 (flattened, as MindSpore 2.10):
    the distinct values in order of first occurrence, the index of every element among
    them (int32) and their counts (int32)."""
    return _transforms.Unique()


def _transform_list(transforms: Any) -> List[Callable]:
    """MindSpore's checks of a RandomApply / RandomChoice / RandomOrder list."""
    if not isinstance(transforms, list):
        raise TypeError(f"transforms must be a list, got {type(transforms).__name__} {transforms!r}")
    if not transforms:
        raise InvalidArgumentError("transforms list can not be empty")
    flat: List[Callable] = []
    for index, transform in enumerate(transforms):
        if isinstance(transform, type):
            raise InvalidArgumentError(
                f"transforms[{index}] should be a transform instance, but got {transform!r}; "
                "it may be missing parentheses for instantiation")
        if not callable(transform):
            raise TypeError(f"transforms[{index}] is neither a native transform nor a callable")
        # A Compose becomes RandomApply(its steps, prob=1): always applied, and its native
        # steps stay native instead of running through Compose.__call__.
        flat.append(_transforms.RandomApply(transform.flatten(), 1.0) if isinstance(transform, Compose)
                    else transform)
    return flat


def RandomApply(transforms: List[Callable], prob: float = 0.5) -> "_transforms.RandomApply":  # noqa: N802
    """All of `transforms`, in order, with probability `prob`, drawn per row from the
    row's seed; native and Python transforms alike. (The three random compositions run in
    the map's threads: Python transforms inside them take the GIL, even with
    python_multiprocessing=True.)"""
    operations = _transform_list(transforms)
    if isinstance(prob, bool) or not isinstance(prob, (int, float)):
        raise TypeError(f"prob must be a float or an int, got {type(prob).__name__} {prob!r}")
    if not 0.0 <= prob <= 1.0:
        raise InvalidArgumentError(f"prob must be in [0, 1], got {prob}")
    return _transforms.RandomApply(operations, float(prob))


def RandomChoice(transforms: List[Callable]) -> "_transforms.RandomChoice":  # noqa: N802
    """One of `transforms`, each as likely, drawn per row from the row's seed."""
    return _transforms.RandomChoice(_transform_list(transforms))


def RandomOrder(transforms: List[Callable]) -> "_transforms.RandomOrder":  # noqa: N802
    """All of `transforms` in an order drawn per row from the row's seed."""
    return _transforms.RandomOrder(_transform_list(transforms))


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
        if isinstance(transforms, (str, bytes)) or not isinstance(transforms, Sequence):
            raise TypeError(f"transforms must be a non-empty list of transforms, got {transforms!r}")
        if not transforms:
            raise InvalidArgumentError(f"transforms must be a non-empty list of transforms, got {transforms!r}")
        for transform in transforms:
            if not callable(transform):
                raise TypeError(f"transforms: {transform!r} is not callable")
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
