"""A slow NumPy model of OpenCV's cv::resize (what MindSpore's Resize, ResizedCrop and
RandomResizedCrop give), written from OpenCV's documented conventions, to test headrace's
kernels on cases the MindSpore fixtures do not cover.

Conventions modelled:
- NEAREST: source index floor(d * (1 / (dst / src))), clamped to the last pixel.
- LINEAR / CUBIC: source coordinate (d + 0.5) * src / dst - 0.5 (float32), its floor and
  fraction; LINEAR clamps the coordinate into the image, CUBIC (a = -0.75) replicates the
  edge pixels. uint8 images take 11-bit fixed-point weights (round(w * 2048)), an exact
  integer horizontal pass and a vertical pass that rounds as OpenCV's SIMD loop does;
  float32 images take float32 weights and sums.
- LINEAR shrinking by exactly 2 in both directions is the fast area path (2x2 blocks of
  1, 3 or 4 channels round half up, as OpenCV's SIMD loop, others to nearest even).
- AREA shrinking (src >= dst both ways): the mean of each integer block when both factors
  are integers, else each output pixel the area-weighted mean of the source pixels its
  cell covers. AREA enlarging: LINEAR with weights that cover the source cell each output
  pixel falls into.
"""

from __future__ import annotations

import math
from typing import List, Tuple

import numpy as np

COEF_BITS = 11
COEF_SCALE = 1 << COEF_BITS
F32 = np.float32


def _round_half_even(value: float) -> int:
    return int(np.rint(value))


def _cubic_coefficients(x: np.float32) -> List[np.float32]:
    a = F32(-0.75)
    one = F32(1.0)
    xp1 = x + one
    c0 = ((a * xp1 - F32(5.0) * a) * xp1 + F32(8.0) * a) * xp1 - F32(4.0) * a
    c1 = ((a + F32(2.0)) * x - (a + F32(3.0))) * x * x + one
    om = one - x
    c2 = ((a + F32(2.0)) * om - (a + F32(3.0))) * om * om + one
    c3 = one - c0 - c1 - c2
    return [F32(c0), F32(c1), F32(c2), F32(c3)]


def _axis_taps(src: int, dst: int, method: str, columns: bool) -> Tuple[List[List[int]], List[List[np.float32]]]:
    """For each output index: the source indices (clamped) and float32 weights. Along the
    columns a linear tap outside the image moves onto the edge pixel with weight 1; along the
    rows both weights stay, on the edge row twice (OpenCV's cv::resize)."""
    inv_scale = dst / src
    scale = 1.0 / inv_scale
    indices, weights = [], []
    for d in range(dst):
        if method == "area":  # enlarging
            s = math.floor(d * scale)
            f = F32((d + 1) - (s + 1) * inv_scale)
            f = F32(0.0) if f <= 0 else F32(f - F32(math.floor(f)))
        else:
            f = F32((d + 0.5) * scale - 0.5)
            s = math.floor(f)
            f = F32(f - F32(s))
        if method == "cubic":
            idx = [min(max(s - 1 + k, 0), src - 1) for k in range(4)]
            indices.append(idx)
            weights.append(_cubic_coefficients(f))
            continue
        if columns and s < 0:
            s, f = 0, F32(0.0)
        if columns and s >= src - 1:
            s, f = src - 1, F32(0.0)
        indices.append([min(max(s, 0), src - 1), min(max(s + 1, 0), src - 1)])
        weights.append([F32(1.0) - f, f])
    return indices, weights


def _separable(image: np.ndarray, out_h: int, out_w: int, method: str) -> np.ndarray:
    h, w = image.shape[:2]
    xi, xw = _axis_taps(w, out_w, method, columns=True)
    yi, yw = _axis_taps(h, out_h, method, columns=False)
    if image.dtype == np.uint8:
        src = image.astype(np.int64)
        xa = np.array([[_round_half_even(F32(v) * F32(COEF_SCALE)) for v in ws] for ws in xw], np.int64)
        ya = np.array([[_round_half_even(F32(v) * F32(COEF_SCALE)) for v in ws] for ws in yw], np.int64)
        rows = np.zeros((h, out_w) + image.shape[2:], np.int64)
        for d in range(out_w):
            for k, s in enumerate(xi[d]):
                rows[:, d] += src[:, s] * xa[d, k]
        out = np.zeros((out_h, out_w) + image.shape[2:], np.int64)
        for d in range(out_h):
            if method == "cubic":  # float vertical pass, rounded to nearest
                acc = np.zeros(rows.shape[1:], np.float64)
                for k, s in enumerate(yi[d]):
                    acc += rows[s] * float(ya[d, k])
                out[d] = np.rint(acc / float(1 << (2 * COEF_BITS)))
            else:  # ((row >> 4) * b >> 16) per tap, then a rounding shift by 2
                acc = np.zeros(rows.shape[1:], np.int64)
                for k, s in enumerate(yi[d]):
                    acc += ((rows[s] >> 4) * ya[d, k]) >> 16
                out[d] = (acc + 2) >> 2
        return np.clip(out, 0, 255).astype(np.uint8)
    src = image.astype(F32)
    rows = np.zeros((h, out_w) + image.shape[2:], F32)
    for d in range(out_w):
        acc = src[:, xi[d][0]] * xw[d][0]
        for k in range(1, len(xi[d])):
            acc = acc + src[:, xi[d][k]] * xw[d][k]
        rows[:, d] = acc
    out = np.zeros((out_h, out_w) + image.shape[2:], F32)
    for d in range(out_h):
        acc = rows[yi[d][0]] * yw[d][0]
        for k in range(1, len(yi[d])):
            acc = acc + rows[yi[d][k]] * yw[d][k]
        out[d] = acc
    return out


def _area_fast(image: np.ndarray, out_h: int, out_w: int, fy: int, fx: int) -> np.ndarray:
    blocks = image[: out_h * fy, : out_w * fx].reshape((out_h, fy, out_w, fx) + image.shape[2:])
    if image.dtype == np.uint8:
        total = blocks.astype(np.int64).sum(axis=(1, 3))
        channels = image.shape[2] if image.ndim == 3 else 1
        if fx == 2 and fy == 2 and channels in (1, 3, 4):  # OpenCV's SIMD loop rounds half up
            return ((total + 2) >> 2).astype(np.uint8)
        return np.clip(np.rint(total.astype(F32) * F32(1.0 / (fx * fy))), 0, 255).astype(np.uint8)
    return (blocks.astype(F32).sum(axis=(1, 3), dtype=F32) * F32(1.0 / (fx * fy))).astype(F32)


def _area_table(src: int, dst: int, scale: float) -> List[Tuple[int, int, np.float32]]:
    """(output index, source index, weight) of each source pixel a cell covers."""
    table = []
    for d in range(dst):
        start = d * scale
        end = start + scale
        cell = min(scale, src - start)
        first = math.ceil(start)
        last = min(math.floor(end), src - 1)
        first = min(first, last)
        if first - start > 1e-3:
            table.append((d, first - 1, F32((first - start) / cell)))
        for s in range(first, last):
            table.append((d, s, F32(1.0 / cell)))
        if end - last > 1e-3:
            table.append((d, last, F32(min(min(end - last, 1.0), cell) / cell)))
    return table


def _area_general(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    h, w = image.shape[:2]
    xtab = _area_table(w, out_w, 1.0 / (out_w / w))
    ytab = _area_table(h, out_h, 1.0 / (out_h / h))
    src = image.astype(F32)
    out = np.zeros((out_h, out_w) + image.shape[2:], F32)
    started = [False] * out_h
    for dy, sy, beta in ytab:
        row = np.zeros((out_w,) + image.shape[2:], F32)
        for dx, sx, alpha in xtab:
            row[dx] = row[dx] + src[sy, sx] * alpha
        if not started[dy]:
            out[dy] = beta * row
            started[dy] = True
        else:
            out[dy] = out[dy] + beta * row
    if image.dtype == np.uint8:
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return out


def _nearest(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    h, w = image.shape[:2]
    ys = [min(math.floor(d * (1.0 / (out_h / h))), h - 1) for d in range(out_h)]
    xs = [min(math.floor(d * (1.0 / (out_w / w))), w - 1) for d in range(out_w)]
    return image[ys][:, xs]


def resize(image: np.ndarray, out_h: int, out_w: int, interpolation: str) -> np.ndarray:
    """cv::resize(image, (out_w, out_h), interpolation) for an HW or HWC uint8 or float32
    array; interpolation is 'nearest', 'linear', 'cubic' or 'area'."""
    h, w = image.shape[:2]
    if (h, w) == (out_h, out_w):
        return image.copy()
    if interpolation == "nearest":
        return _nearest(image, out_h, out_w)
    scale_x, scale_y = 1.0 / (out_w / w), 1.0 / (out_h / h)
    fx, fy = int(round(scale_x)), int(round(scale_y))
    integer = abs(scale_x - fx) < np.finfo(float).eps and abs(scale_y - fy) < np.finfo(float).eps
    if interpolation == "linear" and integer and fx == 2 and fy == 2:
        return _area_fast(image, out_h, out_w, 2, 2)
    if interpolation == "area" and scale_x >= 1 and scale_y >= 1:
        return _area_fast(image, out_h, out_w, fy, fx) if integer else _area_general(image, out_h, out_w)
    return _separable(image, out_h, out_w, interpolation)


def resized_crop(image: np.ndarray, top: int, left: int, height: int, width: int,
                 out_h: int, out_w: int, interpolation: str) -> np.ndarray:
    """MindSpore's crop-then-resize: the window alone is the image that is resized."""
    return resize(np.ascontiguousarray(image[top:top + height, left:left + width]), out_h, out_w, interpolation)
