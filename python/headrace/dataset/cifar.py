"""Cifar10Dataset and Cifar100Dataset: CIFAR's binary batches (mindspore.dataset's).

    CIFAR-10   dataset_dir/data_batch_1.bin ... data_batch_5.bin   usage 'train'
               dataset_dir/test_batch.bin                          usage 'test'
    CIFAR-100  dataset_dir/train.bin, test.bin

usage 'all' (or None) reads both, in the sorted order of their names as MindSpore does
(CIFAR-10: train then test; CIFAR-100: test.bin then train.bin). CIFAR-10's train files are
the ``.bin`` files whose name holds ``data_batch``, its test files those holding
``test_batch``. Rows (before the sampler) are in file
order: ``image`` a (32, 32, 3) uint8 array (HWC; the files hold it planar), then
``label`` (CIFAR-10) or ``coarse_label`` and ``fine_label`` (CIFAR-100), uint32 scalars.
The row count comes from the file sizes, so a file with a partial record fails when the
dataset is made; records are read by the C++ source op's workers, one pread a row.
"""

from __future__ import annotations

import os
from typing import Any, List, Optional

from headrace.dataset.image_sets import ImageSetDataset
from headrace.dataset.samplers import Sampler

__all__ = ["Cifar10Dataset", "Cifar100Dataset"]


class _CifarDataset(ImageSetDataset):
    _cifar100 = False

    def _count_rows_of_files(self) -> int:
        from headrace._core import records as _records

        return _records.cifar_rows(self._cifar100, self._files)

    def _make_op(self, sampler: Any, workers: int) -> Any:
        from headrace._core import records as _records

        return _records.cifar_source(self._cifar100, self._files, sampler, workers)


class Cifar10Dataset(_CifarDataset):
    _columns = ["image", "label"]

    def __init__(self, dataset_dir: Any, usage: Optional[str] = None, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, num_shards: Optional[int] = None,
                 shard_id: Optional[int] = None, cache: Any = None) -> None:
        super().__init__(dataset_dir, usage, num_samples, num_parallel_workers, shuffle, sampler,
                         num_shards, shard_id, cache)

    def _find_files(self) -> List[str]:
        names = sorted(entry.name for entry in os.scandir(self.dataset_dir)
                       if entry.is_file() and entry.name.endswith(".bin"))
        train = [name for name in names if "data_batch" in name]
        test = [name for name in names if "test_batch" in name]
        # 'all': both kinds in sorted order, as MindSpore lists them.
        every = [name for name in names if "data_batch" in name or "test_batch" in name]
        chosen = {"train": train, "test": test, "all": every}[self.usage]
        if not chosen:
            wanted = {"train": "data_batch_*.bin", "test": "test_batch.bin",
                      "all": "data_batch_*.bin or test_batch.bin"}[self.usage]
            raise self._missing(f"CIFAR-10 batches {wanted}")
        return [os.path.join(self.dataset_dir, name) for name in chosen]


class Cifar100Dataset(_CifarDataset):
    _columns = ["image", "coarse_label", "fine_label"]
    _cifar100 = True

    def __init__(self, dataset_dir: Any, usage: Optional[str] = None, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, num_shards: Optional[int] = None,
                 shard_id: Optional[int] = None, cache: Any = None) -> None:
        super().__init__(dataset_dir, usage, num_samples, num_parallel_workers, shuffle, sampler,
                         num_shards, shard_id, cache)

    def _find_files(self) -> List[str]:
        names = {"train": ["train.bin"], "test": ["test.bin"], "all": ["test.bin", "train.bin"]}[self.usage]
        present = [name for name in names if os.path.isfile(os.path.join(self.dataset_dir, name))]
        if self.usage != "all" and not present:
            raise self._missing(f"CIFAR-100 file {names[0]}")
        if not present:
            raise self._missing("CIFAR-100 files train.bin or test.bin")
        return [os.path.join(self.dataset_dir, name) for name in present]
