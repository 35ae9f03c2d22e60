"""Decode: encoded JPEG or PNG bytes to pixels."""

from __future__ import annotations

from headrace._core import transforms as _transforms
from headrace.dataset.validation import check_bool
from headrace.errors import UnimplementedError

__all__ = ["Decode"]


def Decode(to_pil: bool = False) -> "_transforms.Decode":  # noqa: N802 - a transform's name
    """Decodes a JPEG or PNG file (a 1-D uint8 array of its bytes) into HWC uint8 RGB."""
    if check_bool("Decode: to_pil", to_pil):
        raise UnimplementedError("Decode: to_pil=True is not supported; images stay NumPy arrays")
    return _transforms.Decode()
