"""headrace.dataset.vision against Pillow and NumPy."""
