"""MnistDataset: MNIST's IDX files (mindspore.dataset.MnistDataset).

    dataset_dir/train-images-idx3-ubyte  train-labels-idx1-ubyte    usage 'train'
                t10k-images-idx3-ubyte   t10k-labels-idx1-ubyte     usage 'test'

(``train-images.idx3-ubyte`` and the like are found too.) usage 'all' (or None) reads the
test files, then the train files, as MindSpore does. Rows (before the sampler) are in file
order: ``image`` a (rows, cols, 1) uint8 array, ``label`` a uint32 scalar. The headers are
checked when the dataset is made (magic numbers, sizes, image and label counts); the
images are read by the C++ source op's workers, one pread a row.
"""

from __future__ import annotations

import os
from typing import Any, List, Optional, Tuple

from headrace.dataset.image_sets import ImageSetDataset
from headrace.dataset.samplers import Sampler

__all__ = ["MnistDataset"]

# usage -> file-name prefixes, in row order.
_PREFIXES = {"train": ["train"], "test": ["t10k"], "all": ["t10k", "train"]}


def _find(directory: str, prefix: str, kind: str, idx: str) -> Optional[str]:
    for name in (f"{prefix}-{kind}-{idx}-ubyte", f"{prefix}-{kind}.{idx}-ubyte"):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


class MnistDataset(ImageSetDataset):
    _columns = ["image", "label"]

    def __init__(self, dataset_dir: Any, usage: Optional[str] = None, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, num_shards: Optional[int] = None,
                 shard_id: Optional[int] = None, cache: Any = None) -> None:
        super().__init__(dataset_dir, usage, num_samples, num_parallel_workers, shuffle, sampler,
                         num_shards, shard_id, cache)

    def _find_files(self) -> Tuple[List[str], List[str]]:
        images: List[str] = []
        labels: List[str] = []
        for prefix in _PREFIXES[self.usage]:
            image = _find(self.dataset_dir, prefix, "images", "idx3")
            label = _find(self.dataset_dir, prefix, "labels", "idx1")
            if image is None and label is None and self.usage == "all":
                continue  # 'all' reads the parts that are there
            if image is None:
                raise self._missing(f"{prefix}-images-idx3-ubyte")
            if label is None:
                raise self._missing(f"{prefix}-labels-idx1-ubyte for {os.path.basename(image)}")
            images.append(image)
            labels.append(label)
        if not images:
            raise self._missing("MNIST files (train-images-idx3-ubyte, t10k-images-idx3-ubyte, ...)")
        return images, labels

    def _count_rows_of_files(self) -> int:
        from headrace._core import records as _records

        return _records.mnist_rows(*self._files)

    def _make_op(self, sampler: Any, workers: int) -> Any:
        from headrace._core import records as _records

        return _records.mnist_source(self._files[0], self._files[1], sampler, workers)
