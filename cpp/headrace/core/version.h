// The headrace version, taken from pyproject.toml at build time.
#pragma once

#include <string_view>

namespace headrace {

// E.g. "0.1.0".
std::string_view Version();

}  // namespace headrace
