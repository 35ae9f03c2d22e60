#include "headrace/core/version.h"

namespace headrace {

std::string_view Version() { return HEADRACE_VERSION_STRING; }

}  // namespace headrace
