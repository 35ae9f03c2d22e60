// Placeholder while the cache issue is in progress.
#include <gtest/gtest.h>
