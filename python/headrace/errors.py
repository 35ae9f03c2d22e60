"""Exceptions raised by headrace.

Every error is a :class:`HeadraceError` and also an instance of the built-in exception a
Python user would reach for, so ``except ValueError`` catches a bad argument and
``except ConnectionError`` a server that cannot be reached. Each class has a ``code``
attribute: the gRPC canonical status code name of the C++ error it comes from.

===========================  =====================  ===================
class                        also a                 code
===========================  =====================  ===================
CancelledError               -                      CANCELLED
UnknownError                 RuntimeError           UNKNOWN
InvalidArgumentError         ValueError             INVALID_ARGUMENT
DeadlineExceededError        TimeoutError           DEADLINE_EXCEEDED
NotFoundError                KeyError               NOT_FOUND
AlreadyExistsError           FileExistsError        ALREADY_EXISTS
PermissionDeniedError        PermissionError        PERMISSION_DENIED
OutOfMemoryError             MemoryError            RESOURCE_EXHAUSTED
FailedPreconditionError      RuntimeError           FAILED_PRECONDITION
AbortedError                 RuntimeError           ABORTED
OutOfRangeError              IndexError             OUT_OF_RANGE
UnimplementedError           NotImplementedError    UNIMPLEMENTED
InternalError                RuntimeError           INTERNAL
UnavailableError             ConnectionError        UNAVAILABLE
DataLossError                OSError                DATA_LOSS
UnauthenticatedError         PermissionError        UNAUTHENTICATED
===========================  =====================  ===================
"""

from headrace._core import (
    ERROR_CLASSES,
    AbortedError,
    AlreadyExistsError,
    CancelledError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    HeadraceError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfMemoryError,
    OutOfRangeError,
    PermissionDeniedError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
)

__all__ = [
    "ERROR_CLASSES",
    "AbortedError",
    "AlreadyExistsError",
    "CancelledError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "HeadraceError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfMemoryError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
]
