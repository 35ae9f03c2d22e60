"""ImageFolderDataset: images in one folder per class (mindspore.dataset.ImageFolderDataset).

    root/cat/001.jpg, root/cat/002.jpg, root/dog/001.jpg  ->  rows (image, label)

Labels follow the sorted folder names (cat 0, dog 1) unless class_indexing gives them.
Rows come class by class, files sorted by name within a class (before the sampler). The
folders are listed here, once, when the dataset is made; the files are read by the C++
source op's workers, without the GIL. The image column holds the file's bytes (1-D uint8),
or with decode=True the HWC uint8 pixels; the label column is an int32 scalar.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from headrace._core import engine as _engine
from headrace._core import transforms as _transforms
from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, from_sampler
from headrace.dataset.samplers import Sampler
from headrace.dataset.source_options import choose_sampler
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import InvalidArgumentError, UnimplementedError

__all__ = ["ImageFolderDataset"]


def _check_extensions(extensions: Any) -> Optional[Tuple[str, ...]]:
    if extensions is None:
        return None
    if isinstance(extensions, str) or not all(isinstance(e, str) for e in extensions):
        raise InvalidArgumentError(f"extensions must be a list of strings such as ['.jpg'], got {extensions!r}")
    return tuple(extensions)


def _check_class_indexing(class_indexing: Any) -> Optional[Dict[str, int]]:
    if class_indexing is None:
        return None
    if not isinstance(class_indexing, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in class_indexing.items()):
        raise InvalidArgumentError("class_indexing must map folder names (str) to labels "
                                   f"(non-negative int), got {class_indexing!r}")
    return dict(class_indexing)


def list_image_folder(dataset_dir: str, extensions: Optional[Tuple[str, ...]],
                      class_indexing: Optional[Dict[str, int]]) -> Tuple[List[str], List[int], Dict[str, int]]:
    """(paths, labels, class indexing) of the files under `dataset_dir`, class by class.

    As MindSpore: a class is a sub-folder of dataset_dir (files directly in dataset_dir are
    not images of any class); its files, not its sub-folders, are its images; extensions
    match the end of the name exactly (case counts); with class_indexing only the folders
    it names are read."""
    if not os.path.isdir(dataset_dir):
        raise InvalidArgumentError(f"dataset_dir {dataset_dir!r} is not a directory")
    folders = sorted(entry.name for entry in os.scandir(dataset_dir) if entry.is_dir())
    if class_indexing is None:
        class_indexing = {name: label for label, name in enumerate(folders)}
    else:
        missing = sorted(set(class_indexing) - set(folders))
        if missing:
            raise InvalidArgumentError(f"class_indexing names folders that are not in {dataset_dir!r}: {missing}")
    paths: List[str] = []
    labels: List[int] = []
    for folder in folders:
        if folder not in class_indexing:
            continue
        directory = os.path.join(dataset_dir, folder)
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
        for name in names:
            if extensions is None or name.endswith(extensions):
                paths.append(os.path.join(directory, name))
                labels.append(class_indexing[folder])
    if not paths:
        wanted = "" if extensions is None else f" with extensions {list(extensions)}"
        raise InvalidArgumentError(f"dataset_dir {dataset_dir!r} has no image files{wanted} in class folders")
    return paths, labels, class_indexing


class ImageFolderDataset(Dataset):
    def __init__(self, dataset_dir: str, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, extensions: Optional[Sequence[str]] = None,
                 class_indexing: Optional[Dict[str, int]] = None, decode: bool = False,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None,
                 cache: Any = None, decrypt: Any = None) -> None:
        super().__init__()
        if decrypt is not None:
            raise UnimplementedError("ImageFolderDataset: decrypt is not implemented")
        self.cache = check_cache(cache)
        if not isinstance(dataset_dir, (str, os.PathLike)):
            raise InvalidArgumentError(f"dataset_dir must be a path, got {dataset_dir!r}")
        self.dataset_dir = os.fspath(dataset_dir)
        self.decode = check_bool("decode", decode)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        self.sampler = choose_sampler(shuffle, sampler, num_samples, num_shards, shard_id)
        self._paths, labels, self._class_indexing = list_image_folder(
            self.dataset_dir, _check_extensions(extensions), _check_class_indexing(class_indexing))
        self._labels = np.asarray(labels, dtype=np.int32)

    def get_col_names(self) -> List[str]:
        return ["image", "label"]

    def get_class_indexing(self) -> Dict[str, int]:
        """Folder name -> label."""
        return dict(self._class_indexing)

    def num_classes(self) -> int:
        return len(set(self._class_indexing.values()))

    def _pass_size(self) -> int:
        return self.sampler.pass_size(len(self._paths))

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return from_sampler(self)

    def _build(self, context: BuildContext) -> "_engine.Op":
        if self.cache is not None:
            return build_with_cache(self, context, self._build_uncached)
        return self._build_uncached(context)

    def _build_uncached(self, context: BuildContext) -> "_engine.Op":
        from headrace.dataset import config

        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        op = _engine.file_list_source("ImageFolder", self._paths, self._labels.tolist(),
                                      ["image", "label"], context.make_sampler(self.sampler),
                                      workers)
        context.place(self, op)
        if self.decode:
            # Decoding is a map over the image column on the same number of workers.
            op = _engine.map_op(op, [_transforms.Decode()], [0], [(True, 0), (False, 1)],
                                workers, 0, 0, False)
        return op
