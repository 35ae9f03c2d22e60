"""Argument checks of the erasing, patch, mixing and policy transforms, raising what
MindSpore raises: TypeError for a value of the wrong type, ValueError
(InvalidArgumentError) for one out of range; each message names the transform and the
argument."""

from __future__ import annotations

import math
import numbers
from typing import Any, List, Optional, Tuple

from headrace.errors import InvalidArgumentError

INT32_MAX = 2**31 - 1
FLOAT_MAX_INTEGER = 2**24  # the largest int a float32 holds exactly: MindSpore's bound of counts


def is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_int(transform: str, name: str, value: Any, minimum: int, maximum: int = INT32_MAX) -> int:
    if not is_int(value):
        raise TypeError(f"{transform}: {name} must be an int, got {type(value).__name__} {value!r}")
    if not minimum <= value <= maximum:
        raise InvalidArgumentError(f"{transform}: {name} must be in [{minimum}, {maximum}], got {value}")
    return int(value)


def check_number(transform: str, name: str, value: Any, minimum: float = -math.inf,
                 maximum: float = math.inf, positive: bool = False) -> float:
    if not is_number(value):
        raise TypeError(f"{transform}: {name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if positive and not value > 0:
        raise InvalidArgumentError(f"{transform}: {name} must be positive, got {value}")
    if not (math.isfinite(value) and minimum <= value <= maximum):
        raise InvalidArgumentError(f"{transform}: {name} must be in [{minimum}, {maximum}], got {value}")
    return value


def check_bool(transform: str, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{transform}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return value


def check_size(transform: str, value: Any, name: str = "size") -> Tuple[int, int]:
    """A positive int (a square) or a (height, width) pair of them."""
    if is_int(value):
        side = check_int(transform, name, value, 1)
        return side, side
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(is_int(v) for v in value):
        raise TypeError(f"{transform}: {name} must be an int or a (height, width) pair of ints, got {value!r}")
    return check_int(transform, name, value[0], 1), check_int(transform, name, value[1], 1)


def check_fill(transform: str, value: Any, name: str = "fill_value") -> List[int]:
    """An int in [0, 255] for every channel, or a tuple of three (R, G, B)."""
    values = [value] if is_int(value) else value
    if not isinstance(values, (list, tuple)) or len(values) not in (1, 3) or not all(is_int(v) for v in values):
        raise TypeError(f"{transform}: {name} must be an int or a tuple of three ints, got {value!r}")
    for v in values:
        if not 0 <= v <= 255:
            raise InvalidArgumentError(f"{transform}: {name} must be in [0, 255], got {value!r}")
    return [int(v) for v in values]


def check_range(transform: str, name: str, value: Any) -> Tuple[float, float]:
    """A (min, max) pair of numbers with min <= max."""
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(is_number(v) for v in value):
        raise TypeError(f"{transform}: {name} must be a (min, max) pair of numbers, got {value!r}")
    low, high = float(value[0]), float(value[1])
    if low > high:
        raise InvalidArgumentError(f"{transform}: {name} must be in (min, max) order, got {value!r}")
    return low, high


def check_enum(transform: str, name: str, value: Any, enum: Any) -> Any:
    """`value` as a member of `enum` (a str Enum; its values are the C++ names)."""
    if not isinstance(value, enum):
        raise TypeError(f"{transform}: {name} must be a {enum.__name__}, got {value!r}")
    return value


def optional_pair(transform: str, name: str, value: Any) -> Optional[Tuple[int, int]]:
    """None, a non-negative int (both), or a pair of them; an empty sequence is None."""
    if value is None:
        return None
    if is_int(value):
        both = check_int(transform, name, value, 0)
        return both, both
    if not isinstance(value, (list, tuple)) or not all(is_int(v) for v in value):
        raise TypeError(f"{transform}: {name} must be an int or a pair of ints, got {value!r}")
    if len(value) == 0:
        return None
    if len(value) != 2:
        raise InvalidArgumentError(f"{transform}: {name} must be empty or a pair, got {value!r}")
    return check_int(transform, name, value[0], 0), check_int(transform, name, value[1], 0)
