"""headrace's core types from Python: Tensor and the error classes."""
