"""What the sources over data files share: the Shuffle modes, the file list, and the
record-file op that reads TFRecord, CSV and text files.

    Shuffle.GLOBAL   files in a new order every epoch, and rows through a shuffle buffer
    Shuffle.FILES    files in a new order every epoch, rows in each file's order
    Shuffle.INFILE   files in their order, rows shuffled within each file (MindDataset)
    False            files and rows as given

Every order is drawn from the pipeline seed (config.set_seed) and the epoch, never from
the worker count. Shards: ``num_shards``/``shard_id`` give shard i every num_shards-th
file (TFRecord), or an equal run of rows over the files one after another (CSV, text, and
TFRecord with shard_equal_rows), as MindSpore does.
"""

from __future__ import annotations

import enum
import glob
import os
from typing import Any, List, Optional, Sequence, Tuple, Union

from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, unresumable
from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = ["RecordFilesDataset", "Shuffle", "expand_files"]


class Shuffle(str, enum.Enum):
    """mindspore.dataset.Shuffle."""

    GLOBAL = "global"
    FILES = "files"
    INFILE = "infile"


def expand_files(argument: str, dataset_files: Union[str, os.PathLike, Sequence[Any]]) -> List[str]:
    """The files of `dataset_files`: a path, a glob pattern (sorted matches), or a list of
    paths. InvalidArgumentError naming `argument` for anything else, a pattern that
    matches nothing, an empty list, or a path that is not a file."""
    if isinstance(dataset_files, (str, os.PathLike)):
        pattern = os.fspath(dataset_files)
        files = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not files:
            raise InvalidArgumentError(f"{argument}: no file matches {pattern!r}")
    elif isinstance(dataset_files, (list, tuple)):
        if not dataset_files:
            raise InvalidArgumentError(f"{argument} is an empty list")
        if not all(isinstance(f, (str, os.PathLike)) for f in dataset_files):
            raise InvalidArgumentError(f"{argument} must be a path or a list of paths, got {dataset_files!r}")
        files = [os.fspath(f) for f in dataset_files]
    else:
        raise InvalidArgumentError(f"{argument} must be a path or a list of paths, got {dataset_files!r}")
    for path in files:
        if not os.path.exists(path):
            raise InvalidArgumentError(f"{argument}: {path} does not exist")
        if not os.path.isfile(path):
            raise InvalidArgumentError(f"{argument}: {path} is not a file")
    return files


def check_shuffle(shuffle: Any, allow_infile: bool) -> Optional[Shuffle]:
    """`shuffle` as a Shuffle mode, None for no shuffle; True means GLOBAL."""
    if shuffle is False:
        return None
    if shuffle is True:
        return Shuffle.GLOBAL
    if isinstance(shuffle, Shuffle):
        if shuffle is Shuffle.INFILE and not allow_infile:
            raise InvalidArgumentError("shuffle: Shuffle.INFILE is only for MindDataset; use "
                                       "Shuffle.GLOBAL, Shuffle.FILES or False")
        return shuffle
    raise InvalidArgumentError(f"shuffle must be a bool or a Shuffle mode, got {shuffle!r}")


# MindSpore's rule for the shuffle buffer of Shuffle.GLOBAL over files read in a stream:
# four files' worth of rows, at least 10,000, at most every row of the shard.
_SHUFFLE_FILES_FACTOR = 4
_SHUFFLE_MINIMUM = 10000


def global_shuffle_buffer(num_files: int, shard_rows: int) -> int:
    """The buffer size of Shuffle.GLOBAL for a shard of `shard_rows` rows in `num_files` files."""
    per_file = shard_rows // max(1, num_files)
    return max(2, min(shard_rows, max(per_file * _SHUFFLE_FILES_FACTOR, _SHUFFLE_MINIMUM)))


class RecordFilesDataset(Dataset):
    """Base of the sources over record files read in a stream (TFRecord, CSV, text).

    A subclass checks its own arguments, then calls ``_init_files`` and implements
    ``_make_format()``: the C++ RecordFormat (headrace._core.records) that reads one file.
    The files, shards, shuffles, workers, num_samples, size and cache are handled here."""

    # Cut shards by rows rather than by files (CSV and text always; TFRecord when asked).
    _equal_rows = False

    def _init_files(self, dataset_files: Any, num_samples: Optional[int],
                    num_parallel_workers: Optional[int], shuffle: Any,
                    num_shards: Optional[int], shard_id: Optional[int], cache: Any) -> None:
        from headrace._core import records as _records

        self.dataset_files = expand_files("dataset_files", dataset_files)
        self.num_samples = 0 if num_samples is None else check_int("num_samples", num_samples, minimum=0)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        self.shuffle_mode = check_shuffle(shuffle, allow_infile=False)
        if (num_shards is None) != (shard_id is None):
            raise InvalidArgumentError("num_shards and shard_id must be given together")
        self.num_shards = 1 if num_shards is None else check_int("num_shards", num_shards, minimum=1)
        self.shard_id = 0 if shard_id is None else check_int("shard_id", shard_id, minimum=0)
        _records.check_shards(len(self.dataset_files), self.num_shards, self.shard_id, self._equal_rows)
        self.cache = check_cache(cache)
        self._file_rows: Optional[List[int]] = None

    def _make_format(self) -> Any:
        raise NotImplementedError

    def _format(self) -> Any:
        if getattr(self, "_format_object", None) is None:
            self._format_object = self._make_format()
        return self._format_object

    def get_col_names(self) -> List[str]:
        return list(self._format().column_names)

    def file_rows(self) -> List[int]:
        """Rows in each file, counted once (a text file has to be read to count them)."""
        if self._file_rows is None:
            self._file_rows = list(self._format().count_rows(self.dataset_files))
        return self._file_rows

    def _pass_size(self) -> int:
        from headrace._core import records as _records

        rows = _records.shard_rows(self.file_rows(), self.num_shards, self.shard_id, self._equal_rows)
        return min(rows, self.num_samples) if self.num_samples else rows

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        raise unresumable(self, "files read front to back cannot start in the middle yet")

    def _build(self, context: BuildContext) -> Any:
        from headrace._core import engine as _engine

        # A cache goes between the reader and the row shuffle, so that epochs read from the
        # cache are shuffled too.
        op = build_with_cache(self, context, self._build_reader) if self.cache is not None \
            else self._build_reader(context)
        if self.shuffle_mode is Shuffle.GLOBAL:
            buffer = global_shuffle_buffer(len(self.dataset_files), self._pass_size())
            op = _engine.shuffle_op(op, buffer, context.next_seed())
        return op

    def _build_reader(self, context: BuildContext) -> Any:
        from headrace._core import records as _records
        from headrace.dataset import config

        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        file_rows = self.file_rows() if self._equal_rows else []
        return _records.record_files_op(self._format(), self.dataset_files, file_rows,
                                        self.num_shards, self.shard_id,
                                        self.shuffle_mode is not None, self._equal_rows,
                                        context.next_seed(), workers, self.num_samples)
