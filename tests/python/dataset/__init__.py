"""headrace.dataset pipelines: sources, operations, iterators, transforms, profiles."""
