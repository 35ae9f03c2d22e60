"""headrace.training: batches for torch and JAX."""
