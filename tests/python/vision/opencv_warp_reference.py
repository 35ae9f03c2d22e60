"""A slow NumPy model of OpenCV's cv::warpAffine and cv::warpPerspective with
BORDER_CONSTANT (what MindSpore's Rotate, RandomRotation, Affine, RandomAffine and
Perspective give), written from OpenCV's documented conventions, plus the matrices
MindSpore builds, to test headrace's kernels on cases the MindSpore fixtures do not cover.

Conventions modelled:
- The matrix maps source to destination; the warp inverts it (in double) and maps every
  destination pixel (x, y), pixel centres at integers, back to the source.
- Affine: the source coordinate is computed in fixed point, 10 fractional bits per row
  start and per column step, each rounded to nearest (even); NEAREST adds a half and
  truncates, the others add half a table step and keep 5 fractional bits (INTER_BITS).
- Perspective: the matrix inverted by its adjugate, the source coordinate in double,
  times 32 (or 1 for NEAREST), rounded; each row's sums restart every 64 columns
  (OpenCV's blocks of 16 rows and 1024 pixels).
- MindSpore's Affine matrix is computed in float32, its cosines, sines and tangent too.
- The 5 fractional bits pick one of 32 x 32 weight tables: LINEAR (1 - t, t), CUBIC
  (Keys, a = -0.75) in float32; for uint8 the 2-D weights are rounded to 15 bits and
  adjusted to sum to exactly 32768, the sum rounds half up and saturates.
- Taps outside the image take the fill value (per channel); AREA is LINEAR.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from typing import List, Sequence, Tuple

import numpy as np

from .opencv_resize_reference import _cubic_coefficients

F32 = np.float32
INTER_BITS = 5
TAB = 1 << INTER_BITS
AB_BITS = 10
AB_SCALE = 1 << AB_BITS
COEF_BITS = 15
COEF_SCALE = 1 << COEF_BITS


def _tables(inter: str) -> Tuple[np.ndarray, np.ndarray]:
    """(float weights, int weights), both shaped (32*32, k*k), row index ay*32 + ax."""
    k = 2 if inter == "linear" else 4
    scale = F32(1.0) / F32(TAB)
    one_d = []
    for i in range(TAB):
        t = F32(i) * scale
        one_d.append([F32(1.0) - t, t] if k == 2 else _cubic_coefficients(t))
    ftab = np.zeros((TAB * TAB, k * k), np.float32)
    itab = np.zeros((TAB * TAB, k * k), np.int64)
    for i in range(TAB):
        for j in range(TAB):
            row = i * TAB + j
            for k1 in range(k):
                for k2 in range(k):
                    v = F32(one_d[i][k1] * one_d[j][k2])
                    ftab[row, k1 * k + k2] = v
                    itab[row, k1 * k + k2] = int(np.rint(F32(v * F32(COEF_SCALE))))
            diff = int(itab[row].sum()) - COEF_SCALE
            if diff:
                # Take the difference from the largest (or give it to the smallest) of the
                # four central weights.
                centre = [(k1, k2) for k1 in (k // 2, k // 2 + 1) for k2 in (k // 2, k // 2 + 1)]
                lo = hi = (k // 2, k // 2)
                for k1, k2 in centre:
                    v = itab[row, k1 * k + k2]
                    if v < itab[row, lo[0] * k + lo[1]]:
                        lo = (k1, k2)
                    elif v > itab[row, hi[0] * k + hi[1]]:
                        hi = (k1, k2)
                target = hi if diff < 0 else lo
                itab[row, target[0] * k + target[1]] -= diff
    return ftab, itab


def invert_affine(m: Sequence[float]) -> List[float]:
    d = m[0] * m[4] - m[1] * m[3]
    d = 1.0 / d if d != 0 else 0.0
    a11, a22 = m[4] * d, m[0] * d
    i = [a11, -m[1] * d, 0.0, -m[3] * d, a22, 0.0]
    i[2] = -i[0] * m[2] - i[1] * m[5]
    i[5] = -i[3] * m[2] - i[4] * m[5]
    return i


def invert_perspective(m: np.ndarray) -> np.ndarray:
    """cv::invert of a 3 x 3 matrix as warpPerspective does it: the adjugate over the
    determinant, in this order (zeros if singular); LAPACK's inverse differs in the last
    bits, which decides coordinates that fall on rounding boundaries."""
    a = [[float(v) for v in row] for row in np.asarray(m, np.float64).reshape(3, 3)]
    det = (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
           + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]))
    if det == 0:
        return np.zeros((3, 3))
    d = 1.0 / det
    return np.array([
        [(a[1][1] * a[2][2] - a[1][2] * a[2][1]) * d, (a[0][2] * a[2][1] - a[0][1] * a[2][2]) * d,
         (a[0][1] * a[1][2] - a[0][2] * a[1][1]) * d],
        [(a[1][2] * a[2][0] - a[1][0] * a[2][2]) * d, (a[0][0] * a[2][2] - a[0][2] * a[2][0]) * d,
         (a[0][2] * a[1][0] - a[0][0] * a[1][2]) * d],
        [(a[1][0] * a[2][1] - a[1][1] * a[2][0]) * d, (a[0][1] * a[2][0] - a[0][0] * a[2][1]) * d,
         (a[0][0] * a[1][1] - a[0][1] * a[1][0]) * d]])


def _affine_maps(inverse: Sequence[float], out_h: int, out_w: int, inter: str) -> Tuple[np.ndarray, np.ndarray]:
    """Fixed-point source coordinates: integer pixel (NEAREST) or pixel * 32 + fraction."""
    xs = np.arange(out_w, dtype=np.float64)
    adelta = np.rint(inverse[0] * xs * AB_SCALE).astype(np.int64)
    bdelta = np.rint(inverse[3] * xs * AB_SCALE).astype(np.int64)
    ys = np.arange(out_h, dtype=np.float64)
    round_delta = AB_SCALE // 2 if inter == "nearest" else AB_SCALE // TAB // 2
    x0 = np.rint((inverse[1] * ys + inverse[2]) * AB_SCALE).astype(np.int64) + round_delta
    y0 = np.rint((inverse[4] * ys + inverse[5]) * AB_SCALE).astype(np.int64) + round_delta
    shift = AB_BITS if inter == "nearest" else AB_BITS - INTER_BITS
    return (x0[:, None] + adelta[None, :]) >> shift, (y0[:, None] + bdelta[None, :]) >> shift


def _perspective_maps(inverse: np.ndarray, out_h: int, out_w: int, inter: str) -> Tuple[np.ndarray, np.ndarray]:
    m = inverse.reshape(-1)
    scale = 1.0 if inter == "nearest" else float(TAB)
    # warpPerspective walks blocks of at most 16 rows and 1024 / rows columns; each block
    # row starts from its own first column, which decides how the doubles round.
    bh = min(16, out_h)
    bw = min(1024 // bh, out_w)
    X = np.zeros((out_h, out_w), np.int64)
    Y = np.zeros((out_h, out_w), np.int64)
    for y in range(out_h):
        for bx in range(0, out_w, bw):
            x0 = m[0] * bx + m[1] * y + m[2]
            y0 = m[3] * bx + m[4] * y + m[5]
            w0 = m[6] * bx + m[7] * y + m[8]
            for x1 in range(min(bw, out_w - bx)):
                w = w0 + m[6] * x1
                w = scale / w if w else 0.0
                fx = max(-2147483648.0, min(2147483647.0, (x0 + m[0] * x1) * w))
                fy = max(-2147483648.0, min(2147483647.0, (y0 + m[3] * x1) * w))
                X[y, bx + x1] = int(np.rint(fx))
                Y[y, bx + x1] = int(np.rint(fy))
    return X, Y


def _fill_pixel(fill: Sequence[int], channels: int, dtype) -> np.ndarray:
    values = list(fill) if fill else [0]
    if len(values) == 1:
        values = values * channels
    return np.array([values[c] if c < len(values) else 0 for c in range(channels)], dtype=np.float64).astype(dtype)


def _remap(image: np.ndarray, X: np.ndarray, Y: np.ndarray, inter: str, fill: Sequence[int]) -> np.ndarray:
    squeeze = image.ndim == 2
    img = image[:, :, None] if squeeze else image
    h, w, c = img.shape
    cval = _fill_pixel(fill, c, img.dtype)
    if inter == "nearest":
        inside = (X >= 0) & (X < w) & (Y >= 0) & (Y < h)
        out = np.empty(X.shape + (c,), img.dtype)
        out[...] = cval
        out[inside] = img[Y[inside], X[inside]]
        return out[:, :, 0] if squeeze else out
    k = 2 if inter == "linear" else 4
    ftab, itab = _tables(inter)
    sx = (X >> INTER_BITS) - (k // 2 - 1)
    sy = (Y >> INTER_BITS) - (k // 2 - 1)
    alpha = (Y & (TAB - 1)) * TAB + (X & (TAB - 1))
    taps = []
    for ky in range(k):
        for kx in range(k):
            tx, ty = sx + kx, sy + ky
            ok = (tx >= 0) & (tx < w) & (ty >= 0) & (ty < h)
            v = np.empty(X.shape + (c,), img.dtype)
            v[...] = cval
            v[ok] = img[ty[ok], tx[ok]]
            taps.append(v)
    outside = (sx >= w) | (sx + k <= 0) | (sy >= h) | (sy + k <= 0)
    if img.dtype == np.uint8:
        weights = itab[alpha]
        total = np.zeros(X.shape + (c,), np.int64)
        for t, v in enumerate(taps):
            total += v.astype(np.int64) * weights[..., t:t + 1]
        out = np.clip((total + (1 << (COEF_BITS - 1))) >> COEF_BITS, 0, 255).astype(np.uint8)
    else:
        weights = ftab[alpha]
        total = np.zeros(X.shape + (c,), np.float32)
        for t, v in enumerate(taps):
            total = total + v.astype(np.float32) * weights[..., t:t + 1]
        out = total.astype(img.dtype)
    out[outside] = cval
    return out[:, :, 0] if squeeze else out


def warp_affine(image: np.ndarray, matrix: Sequence[float], out_h: int, out_w: int, inter: str,
                fill: Sequence[int] = (0,)) -> np.ndarray:
    """cv::warpAffine(image, forward 2x3 `matrix`, (out_w, out_h), inter, BORDER_CONSTANT, fill)."""
    inter = "linear" if inter == "area" else inter
    X, Y = _affine_maps(invert_affine([float(v) for v in matrix]), out_h, out_w, inter)
    return _remap(image, X, Y, inter, fill)


def warp_perspective(image: np.ndarray, matrix: np.ndarray, out_h: int, out_w: int, inter: str,
                     fill: Sequence[int] = (0,)) -> np.ndarray:
    """cv::warpPerspective(image, forward 3x3 `matrix`, (out_w, out_h), inter, BORDER_CONSTANT, fill)."""
    inter = "linear" if inter == "area" else inter
    X, Y = _perspective_maps(invert_perspective(np.asarray(matrix, np.float64)), out_h, out_w, inter)
    return _remap(image, X, Y, inter, fill)


# --- the matrices MindSpore builds ---------------------------------------------------------

def rotation_matrix(center_x: float, center_y: float, degrees: float) -> List[float]:
    """cv::getRotationMatrix2D(Point2f(center), degrees, 1): counter-clockwise on screen."""
    cx, cy = float(F32(center_x)), float(F32(center_y))
    angle = float(F32(degrees)) * math.pi / 180.0
    a, b = math.cos(angle), math.sin(angle)
    return [a, b, (1 - a) * cx - b * cy, -b, a, b * cx + (1 - a) * cy]


def rotate(image: np.ndarray, degrees: float, inter: str, expand: bool = False, center=None,
           fill: Sequence[int] = (0,)) -> np.ndarray:
    """MindSpore's Rotate: about ((w - 1) / 2, (h - 1) / 2) unless `center`; `expand` grows the
    output to the bounding box of the turned image (cv::RotatedRect, in float32)."""
    h, w = image.shape[:2]
    cx, cy = ((w - 1) * 0.5, (h - 1) * 0.5) if center is None else center
    m = rotation_matrix(cx, cy, degrees)
    out_h, out_w = h, w
    if expand:
        angle = float(F32(degrees)) * math.pi / 180.0
        b = F32(F32(math.cos(angle)) * F32(0.5))
        a = F32(F32(math.sin(angle)) * F32(0.5))
        fcx, fcy, fw, fh = F32(cx), F32(cy), F32(w), F32(h)
        p0 = (fcx - a * fh - b * fw, fcy + b * fh - a * fw)
        p1 = (fcx + a * fh - b * fw, fcy - b * fh - a * fw)
        p2 = (F32(2) * fcx - p0[0], F32(2) * fcy - p0[1])
        p3 = (F32(2) * fcx - p1[0], F32(2) * fcy - p1[1])
        xs = [p0[0], p1[0], p2[0], p3[0]]
        ys = [p0[1], p1[1], p2[1], p3[1]]
        bw = F32(max(xs) - min(xs))
        bh = F32(max(ys) - min(ys))
        m[2] += float(bw) / 2.0 - w / 2.0
        m[5] += float(bh) / 2.0 - h / 2.0
        out_w, out_h = int(np.rint(bw)), int(np.rint(bh))
    return warp_affine(image, m, out_h, out_w, inter, fill)


def _libm_float(name: str):
    """C's float function `name` (cosf, sinf, tanf) from the C maths library: MindSpore's
    float trigonometry, to the last bit (a float rounding of the double result can differ)."""
    function = getattr(ctypes.CDLL(ctypes.util.find_library("m")), name)
    function.restype, function.argtypes = ctypes.c_float, [ctypes.c_float]
    return lambda x: F32(function(float(x)))


_cosf, _sinf, _tanf = (_libm_float(name) for name in ("cosf", "sinf", "tanf"))


def affine_matrix(width: int, height: int, degrees: float, translate: Sequence[float], scale: float,
                  shear: Sequence[float]) -> List[float]:
    """MindSpore's Affine matrix: rotate `degrees` clockwise, scale and shear about
    ((w - 1) / 2, (h - 1) / 2), translate by `translate` pixels; everything in float32,
    the sines and cosines too (C++'s float overloads of cos, sin and tan)."""
    def radians(value: float) -> np.float32:
        return F32(math.pi * float(F32(value)) / 180.0)

    rad, sx, sy = radians(degrees), radians(shear[0]), radians(-shear[1])
    s = F32(scale)
    cx, cy = F32((width - 1) / 2.0), F32((height - 1) / 2.0)
    turn = F32(rad + sy)
    cos_turn, sin_turn, cos_sy, tan_sx = _cosf(turn), _sinf(turn), _cosf(sy), _tanf(sx)
    m = [s * cos_turn / cos_sy, s * (-cos_turn * tan_sx / cos_sy - _sinf(rad)), F32(0),
         s * sin_turn / cos_sy, s * (-sin_turn * tan_sx / cos_sy + _cosf(rad)), F32(0)]
    one = F32(1)
    m[2] = (one - m[0]) * cx - m[1] * cy + F32(translate[0])
    m[5] = (one - m[4]) * cy - m[3] * cx + F32(translate[1])
    return [float(v) for v in m]


def affine(image: np.ndarray, degrees: float, translate: Sequence[float], scale: float, shear: Sequence[float],
           inter: str, fill: Sequence[int] = (0,)) -> np.ndarray:
    h, w = image.shape[:2]
    return warp_affine(image, affine_matrix(w, h, degrees, translate, scale, shear), h, w, inter, fill)


def perspective_matrix(start: Sequence[Sequence[float]], end: Sequence[Sequence[float]]) -> np.ndarray:
    """cv::getPerspectiveTransform(start, end): the 3x3 matrix with [2][2] = 1 mapping each
    start point (x, y) to its end point, solved in double from float32 points."""
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i, ((x, y), (u, v)) in enumerate(zip(start, end)):
        x, y, u, v = (float(F32(t)) for t in (x, y, u, v))
        a[i] = [x, y, 1, 0, 0, 0, -x * u, -y * u]
        a[i + 4] = [0, 0, 0, x, y, 1, -x * v, -y * v]
        b[i], b[i + 4] = u, v
    return np.append(np.linalg.solve(a, b), 1.0).reshape(3, 3)
