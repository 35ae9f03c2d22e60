// Placeholder while the cache issue is in progress.
