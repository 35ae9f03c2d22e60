"""Geometric image transforms: resize, crops, flips, pad, rotation (in progress)."""

from __future__ import annotations

__all__: list = []
