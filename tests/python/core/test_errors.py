"""A C++ Status of each code arrives in Python as the right exception, message intact."""

import pytest

import headrace
from headrace import _core, errors

# (code, class name, built-in it must also be, canonical code name)
EXPECTED = [
    (1, "CancelledError", None, "CANCELLED"),
    (2, "UnknownError", RuntimeError, "UNKNOWN"),
    (3, "InvalidArgumentError", ValueError, "INVALID_ARGUMENT"),
    (4, "DeadlineExceededError", TimeoutError, "DEADLINE_EXCEEDED"),
    (5, "NotFoundError", KeyError, "NOT_FOUND"),
    (6, "AlreadyExistsError", FileExistsError, "ALREADY_EXISTS"),
    (7, "PermissionDeniedError", PermissionError, "PERMISSION_DENIED"),
    (8, "OutOfMemoryError", MemoryError, "RESOURCE_EXHAUSTED"),
    (9, "FailedPreconditionError", RuntimeError, "FAILED_PRECONDITION"),
    (10, "AbortedError", RuntimeError, "ABORTED"),
    (11, "OutOfRangeError", IndexError, "OUT_OF_RANGE"),
    (12, "UnimplementedError", NotImplementedError, "UNIMPLEMENTED"),
    (13, "InternalError", RuntimeError, "INTERNAL"),
    (14, "UnavailableError", ConnectionError, "UNAVAILABLE"),
    (15, "DataLossError", OSError, "DATA_LOSS"),
    (16, "UnauthenticatedError", PermissionError, "UNAUTHENTICATED"),
]


@pytest.mark.parametrize("code,name,builtin,code_name", EXPECTED)
def test_each_code_raises_its_class_with_the_message(code, name, builtin, code_name):
    message = f"code {code}: 'quoted' and unicode é, kept exactly"
    cls = getattr(errors, name)
    with pytest.raises(cls) as info:
        _core._raise_status(code, message)
    error = info.value
    assert type(error) is cls
    assert isinstance(error, errors.HeadraceError)
    if builtin is not None:
        assert isinstance(error, builtin)
    assert str(error) == message
    assert error.args == (message,)
    assert error.code == code_name
    assert type(error).__module__ == "headrace.errors"


def test_every_code_is_covered_once():
    assert sorted(errors.ERROR_CLASSES) == [code for code, *_ in EXPECTED]
    assert len(set(errors.ERROR_CLASSES.values())) == len(EXPECTED)


def test_builtin_handlers_catch_headrace_errors():
    with pytest.raises(KeyError):
        _core._raise_status(5, "session 42 not found")
    with pytest.raises(ConnectionError):
        _core._raise_status(14, "cannot reach 127.0.0.1:1")
    with pytest.raises(headrace.HeadraceError):
        _core._raise_status(3, "bad")


def test_not_found_message_is_not_quoted_like_a_plain_key_error():
    with pytest.raises(KeyError) as info:
        _core._raise_status(5, "session 42 not found")
    assert str(info.value) == "session 42 not found"


def test_a_message_that_is_not_utf8_keeps_its_class_and_text():
    with pytest.raises(errors.DataLossError) as info:
        _core._raise_status(15, b"cannot read /data/caf\xe9.jpg")
    assert str(info.value) == "cannot read /data/caf\\xe9.jpg"


def test_out_of_range_code_is_an_invalid_argument():
    with pytest.raises(errors.InvalidArgumentError, match=r"code must be in \[1, 16\], got 99"):
        _core._raise_status(99, "x")
