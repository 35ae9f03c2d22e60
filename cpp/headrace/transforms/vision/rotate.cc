// Placeholder while the image issue is in progress; replaced by its implementation.
