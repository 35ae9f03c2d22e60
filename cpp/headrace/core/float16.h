// IEEE 754 binary16 ("half", NumPy's float16) to and from float, rounding to nearest even.
// C++17 has no half type; tensors store float16 elements as their 16-bit patterns.
#pragma once

#include <cstdint>

namespace headrace {

float HalfToFloat(uint16_t half);
uint16_t FloatToHalf(float value);

}  // namespace headrace
