"""Global settings of headrace pipelines, as ``mindspore.dataset.config``.

They are read when an iterator is created: changing them affects pipelines iterated
afterwards, not running ones.
"""

from __future__ import annotations

import os

from headrace.dataset.validation import check_int

__all__ = [
    "get_num_parallel_workers",
    "get_prefetch_size",
    "get_seed",
    "set_num_parallel_workers",
    "set_prefetch_size",
    "set_seed",
]

# MindSpore's defaults (workers: 8, or fewer on a machine with fewer cores).
_DEFAULT_SEED = 5489
_seed = _DEFAULT_SEED
_prefetch_size = 16
_num_parallel_workers = min(8, os.cpu_count() or 1)


def set_seed(seed: int) -> None:
    """Seed of every random choice of later pipelines (samplers, shuffles, random
    transforms). The same seed gives the same rows in the same order."""
    global _seed
    check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    _seed = seed


def get_seed() -> int:
    return _seed


def set_prefetch_size(size: int) -> None:
    """Rows each queue between two ops may hold (the connector capacity)."""
    global _prefetch_size
    check_int("size", size, minimum=1, maximum=2**31 - 1)
    _prefetch_size = size


def get_prefetch_size() -> int:
    return _prefetch_size


def set_num_parallel_workers(num: int) -> None:
    """Default number of workers of ops that are not given num_parallel_workers."""
    global _num_parallel_workers
    check_int("num", num, minimum=1, maximum=1024)
    _num_parallel_workers = num


def get_num_parallel_workers() -> int:
    return _num_parallel_workers
