"""headrace: a data engine for machine-learning training.

The C++ core lives in the private extension ``headrace._core``; this package is its
typed facade. ``headrace.errors`` holds the exception classes, ``headrace.server`` starts
and queries ``headrace-server``.
"""

from headrace import errors
from headrace._core import Tensor, __version__
from headrace.errors import HeadraceError

__all__ = ["HeadraceError", "Tensor", "__version__", "errors"]
