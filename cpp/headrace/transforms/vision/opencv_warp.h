// The warp kernels of MindSpore's Rotate, RandomRotation, Affine, RandomAffine and
// Perspective, which are OpenCV's cv::warpAffine and cv::warpPerspective with
// BORDER_CONSTANT, and the matrices OpenCV builds for them (getRotationMatrix2D,
// getPerspectiveTransform).
//
// Conventions (OpenCV's, documented in its imgwarp.cpp and reproduced by our own code):
// - `matrix` maps source to destination, pixel centres at integer coordinates; the warp
//   inverts it in double and maps every destination pixel back.
// - Affine warps compute the source coordinate in fixed point: 10 fractional bits for the
//   row start and for each column step, each rounded to nearest (even), summed, then cut
//   to 5 fractional bits (INTER_BITS) for the filters or to whole pixels for kNearest
//   (which rounds to the nearest pixel). Perspective warps divide in double and round the
//   coordinate, times 32 for the filters, each row's sums restarting every 64 columns
//   (OpenCV's blocks of 16 rows and 1024 pixels).
// - The 5 fractional bits choose one of 32 x 32 weight tables: kLinear (and kArea, which
//   OpenCV treats as kLinear in warps) 2 x 2, kCubic (Keys, a = -0.75) 4 x 4. uint8 images
//   use the weights rounded to 15 bits (adjusted to sum to exactly 32768), an exact integer
//   sum, rounding half up and saturation; float32 images use the float weights.
// - A tap outside the image reads the fill value; a pixel whose taps are all outside is
//   the fill value. kNearest takes any fixed-width dtype and any channel count, the
//   filters take uint8 and float32 with any channel count.
// Results equal MindSpore 2.10's to the bit on a sweep of about 7,000 warps (Affine,
// Rotate, Perspective and their random forms with one-value ranges; every interpolation;
// uint8 with 1 to 4 channels and float32 in [0, 1] and beyond; images from 1 x 1 to
// 200 x 300). That needs OpenCV's summation order and no FMA contraction (x86-64's
// default): a fused multiply-add moves a float matrix entry or a sum by an ulp.
//
// Thread-safe: the weight tables are built once (function-local statics); each call
// allocates its own coordinate rows.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/transforms/vision/image.h"
#include "headrace/transforms/vision/resample.h"

namespace headrace::transforms {

// A 2 x 3 matrix, row-major: (x, y) -> (m[0] x + m[1] y + m[2], m[3] x + m[4] y + m[5]).
using AffineMatrix = std::array<double, 6>;
// A 3 x 3 matrix, row-major, of homogeneous coordinates.
using PerspectiveMatrix = std::array<double, 9>;
// Four (x, y) points.
using Quad = std::array<std::array<double, 2>, 4>;

// cv::warpAffine(image, matrix, (out_width, out_height), interpolation, BORDER_CONSTANT,
// fill): `fill` as FillPixel takes it (empty: zeros; one value: every channel; else one
// per channel). kNearest, kLinear, kCubic or kArea. InvalidArgument (prefixed
// "OpenCvWarp: ") for a Pillow interpolation, an unsupported dtype, a fill that does not
// match the channels or a non-positive output size.
Result<TensorPtr> OpenCvWarpAffine(const Tensor& image, const ImageLayout& layout, const AffineMatrix& matrix,
                                   int64_t out_height, int64_t out_width, Interpolation interpolation,
                                   const std::vector<uint8_t>& fill);

// The per-channel fill MindSpore's warps give OpenCV for `fill` (one value or three, as
// MindSpore takes fill_value) on an image of `channels` channels: MindSpore builds a
// cv::Scalar of the three values (one value: three copies) and a fourth 0, and OpenCV
// hands channel c the value c % 4, so an RGBA image's alpha is filled with 0. Any other
// count of values is returned as it is (one per channel, as FillPixel takes it).
std::vector<uint8_t> MindSporeWarpFill(const std::vector<uint8_t>& fill, int64_t channels);

// cv::warpPerspective with the same arguments and errors; a singular matrix maps every
// pixel to the origin (OpenCV inverts it to zeros).
Result<TensorPtr> OpenCvWarpPerspective(const Tensor& image, const ImageLayout& layout,
                                        const PerspectiveMatrix& matrix, int64_t out_height, int64_t out_width,
                                        Interpolation interpolation, const std::vector<uint8_t>& fill);

// cv::getRotationMatrix2D(Point2f(center_x, center_y), degrees, 1): a turn by `degrees`
// counter-clockwise on screen (y down) about the centre, the centre rounded to float and
// the angle converted in double, as MindSpore passes them.
AffineMatrix RotationMatrix2D(double center_x, double center_y, float degrees);

// cv::getPerspectiveTransform(from, to): the matrix with m[8] = 1 that maps each `from`
// point to its `to` point (points taken as float, the 8 x 8 system solved by Gaussian
// elimination with partial pivoting). InvalidArgument when three points are collinear
// (the system is singular).
Result<PerspectiveMatrix> PerspectiveTransform(const Quad& from, const Quad& to);

}  // namespace headrace::transforms
