"""Colour and value transforms: normalize, rescale, colour adjustment (in progress)."""

from __future__ import annotations

__all__: list = []
