"""Argument checks shared by the dataset API: each error names the argument at fault. A
value of the wrong type raises TypeError and one out of range InvalidArgumentError (a
ValueError), as MindSpore's validators do; bool is not an int."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple, Union

from headrace.errors import InvalidArgumentError


def check_int(name: str, value: Any, minimum: Optional[int] = None,
              maximum: Optional[int] = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise InvalidArgumentError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise InvalidArgumentError(f"{name} must be at most {maximum}, got {value}")
    return value


def check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} {value!r}")
    return value


def column_list(name: str, value: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    """None, one name, or a list of distinct names -> None or a list."""
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)):
        raise TypeError(f"{name} must be a column name or a non-empty list of them, got {value!r}")
    if not names:
        raise InvalidArgumentError(f"{name} must be a column name or a non-empty list of them, got {value!r}")
    for column in names:
        if not isinstance(column, str):
            raise TypeError(f"{name} must hold non-empty strings, got {column!r}")
        if not column:
            raise InvalidArgumentError(f"{name} must hold non-empty strings, got {column!r}")
    if len(set(names)) != len(names):
        raise InvalidArgumentError(f"{name} has a repeated column name: {list(names)}")
    return list(names)


def check_columns_exist(name: str, columns: Sequence[str], available: Sequence[str],
                        role: str = "column") -> None:
    """`role` says what the missing column was for ("column to be renamed")."""
    for column in columns:
        if column not in available:
            raise InvalidArgumentError(
                f"{name}: {role} '{column}' does not exist; the columns are {list(available)}")


def read_columns(name: str, value: Union[None, str, Sequence[str]], available: Sequence[str],
                  default: Sequence[str]) -> Tuple[List[str], List[int]]:
    """The columns an operation reads (`default` when `value` is None), checked against
    `available`, and their positions in it."""
    names = column_list(name, value)
    names = list(default) if names is None else names
    check_columns_exist(name, names, available)
    return names, [list(available).index(column) for column in names]
