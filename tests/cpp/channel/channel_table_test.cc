// Placeholder while the channel issue is in progress.
#include <gtest/gtest.h>
