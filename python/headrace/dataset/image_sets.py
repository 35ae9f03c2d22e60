"""What MnistDataset and the CIFAR datasets share: argument checks and the build of a
random-access source over a few fixed files (read by the C++ source op's workers)."""

from __future__ import annotations

import os
from typing import Any, List, Optional, Tuple

from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, from_sampler
from headrace.dataset.samplers import Sampler
from headrace.dataset.source_options import choose_sampler
from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = ["ImageSetDataset"]

_USAGES = ("train", "test", "all")


class ImageSetDataset(Dataset):
    """Base of MnistDataset, Cifar10Dataset and Cifar100Dataset. A subclass lists its files
    in ``_find_files`` (from ``dataset_dir`` and ``usage``), counts their rows in
    ``_count_rows_of_files`` (from headers or sizes, without reading the rows) and makes
    its C++ op in ``_make_op``."""

    _columns: List[str] = []

    def __init__(self, dataset_dir: Any, usage: Optional[str], num_samples: Optional[int],
                 num_parallel_workers: Optional[int], shuffle: Optional[bool],
                 sampler: Optional[Sampler], num_shards: Optional[int], shard_id: Optional[int],
                 cache: Any) -> None:
        super().__init__()
        self.cache = check_cache(cache)
        if not isinstance(dataset_dir, (str, os.PathLike)):
            raise InvalidArgumentError(f"dataset_dir must be a path, got {dataset_dir!r}")
        self.dataset_dir = os.fspath(dataset_dir)
        if not os.path.isdir(self.dataset_dir):
            raise InvalidArgumentError(f"dataset_dir {self.dataset_dir!r} is not a directory")
        # MindSpore: usage None reads every part.
        self.usage = "all" if usage is None else usage
        if self.usage not in _USAGES:
            raise InvalidArgumentError(f"usage must be 'train', 'test' or 'all', got {usage!r}")
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        self.sampler = choose_sampler(shuffle, sampler, num_samples, num_shards, shard_id)
        self._files = self._find_files()
        # The headers and sizes are checked now, so that a bad file fails here.
        self._rows = self._count_rows_of_files()

    def _find_files(self) -> Any:
        raise NotImplementedError

    def _count_rows_of_files(self) -> int:
        raise NotImplementedError

    def _make_op(self, sampler: Any, workers: int) -> Any:
        raise NotImplementedError

    def _missing(self, what: str) -> InvalidArgumentError:
        return InvalidArgumentError(f"dataset_dir {self.dataset_dir!r} has no {what} (usage={self.usage!r})")

    def get_col_names(self) -> List[str]:
        return list(self._columns)

    def _pass_size(self) -> int:
        return self.sampler.pass_size(self._rows)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return from_sampler(self)

    def _build(self, context: BuildContext) -> Any:
        if self.cache is not None:
            return build_with_cache(self, context, self._build_uncached)
        return self._build_uncached(context)

    def _build_uncached(self, context: BuildContext) -> Any:
        from headrace.dataset import config

        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        return self._make_op(context.make_sampler(self.sampler), workers)
