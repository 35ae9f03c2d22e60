"""Python functions in worker processes (python_multiprocessing=True)."""
