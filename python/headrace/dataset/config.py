"""Global settings of headrace pipelines, as ``mindspore.dataset.config``.

They are read when an iterator is created: changing them affects pipelines iterated
afterwards, not running ones.
"""

from __future__ import annotations

import os

from headrace._core import engine as _engine
from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = [
    "get_multiprocessing_start_method",
    "get_num_parallel_workers",
    "get_prefetch_size",
    "get_image_resampling",
    "get_progress_bar",
    "get_seed",
    "set_image_resampling",
    "set_multiprocessing_start_method",
    "set_num_parallel_workers",
    "set_prefetch_size",
    "set_progress_bar",
    "set_seed",
]

# MindSpore's defaults (workers: 8, or fewer on a machine with fewer cores).
_DEFAULT_SEED = 5489
_seed = _DEFAULT_SEED
_engine.set_eager_seed(_DEFAULT_SEED)
_prefetch_size = 16
_num_parallel_workers = min(8, os.cpu_count() or 1)
_multiprocessing_start_method = "fork"
_progress_bar = False
_image_resampling = "mindspore"


def set_seed(seed: int) -> None:
    """Seed of every random choice of later pipelines (samplers, shuffles, random
    transforms). The same seed gives the same rows in the same order."""
    global _seed
    check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    _seed = seed
    _engine.set_eager_seed(seed)


def get_seed() -> int:
    return _seed


def set_prefetch_size(size: int) -> None:
    """Rows each queue between two ops may hold (the connector capacity)."""
    global _prefetch_size
    check_int("size", size, minimum=1, maximum=2**31 - 1)
    _prefetch_size = size


def get_prefetch_size() -> int:
    return _prefetch_size


def set_progress_bar(enabled: bool) -> None:
    """Whether iterators made from now on show a progress bar (tqdm, when installed) with
    rows per second. Off by default."""
    global _progress_bar
    if not isinstance(enabled, bool):
        raise InvalidArgumentError(f"enabled must be a bool, got {enabled!r}")
    _progress_bar = enabled


def get_progress_bar() -> bool:
    return _progress_bar


def set_image_resampling(resampling: str) -> None:
    """Whose pixels the vision transforms give (headrace's own setting; MindSpore has only
    its own kernels).

    - ``"mindspore"`` (the default): MindSpore's C++ kernels. NEAREST, LINEAR and CUBIC
      follow OpenCV's cv::resize, cv::warpAffine and cv::warpPerspective (no antialiasing
      when shrinking), AREA is OpenCV's area averaging, PILCUBIC and ANTIALIAS in a resize
      are Pillow's bicubic and Lanczos as MindSpore carries them (in a warp PILCUBIC is
      LINEAR, as in MindSpore); the colour transforms use OpenCV's arithmetic and CenterCrop
      floors its offsets. A model trained on MindSpore's pixels sees the same pixels.
    - ``"pillow"``: what torchvision gives on PIL images: Pillow's Image.resize /
      Image.transform filters (bilinear and bicubic antialias when shrinking), ImageEnhance
      and ImageOps for the colour transforms, torchvision's rounding of centre crops.

    Read when a transform is made: transforms made before a change keep the kernels they
    were made with (and a cache tells pipelines made under each apart).
    """
    global _image_resampling
    if resampling not in ("mindspore", "pillow"):
        raise InvalidArgumentError(
            f"set_image_resampling: resampling must be 'mindspore' or 'pillow', got {resampling!r}")
    _image_resampling = resampling


def get_image_resampling() -> str:
    return _image_resampling


def set_num_parallel_workers(num: int) -> None:
    """Default number of workers of ops that are not given num_parallel_workers."""
    global _num_parallel_workers
    check_int("num", num, minimum=1, maximum=1024)
    _num_parallel_workers = num


def get_num_parallel_workers() -> int:
    return _num_parallel_workers


def set_multiprocessing_start_method(start_method: str = "fork") -> None:
    """How worker processes (python_multiprocessing=True) start: 'fork' (the default, as in
    MindSpore: lambdas and local functions work) or 'spawn' (a fresh interpreter; the
    functions must be picklable by reference)."""
    global _multiprocessing_start_method
    if not isinstance(start_method, str):
        raise TypeError(f"start_method must be a str, got {type(start_method).__name__}")
    if start_method not in ("fork", "spawn"):
        raise InvalidArgumentError(f"start_method must be 'fork' or 'spawn', got {start_method!r}")
    _multiprocessing_start_method = start_method


def get_multiprocessing_start_method() -> str:
    return _multiprocessing_start_method


def worker_store_bytes() -> int:
    """Capacity of the shared-memory store of one worker pool: 2 GiB, or half of what is
    free in /dev/shm if that is less. Pages are reserved only as they are used; when the
    store is full, results travel through the pipe instead (slower, nothing lost)."""
    limit = 2 << 30
    try:
        stats = os.statvfs("/dev/shm")
        limit = min(limit, stats.f_bavail * stats.f_frsize // 2)
    except OSError:
        pass
    return max(limit, 1 << 20)
