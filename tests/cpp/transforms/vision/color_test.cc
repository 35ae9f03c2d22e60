// Placeholder while the image issue is in progress.
#include <gtest/gtest.h>
