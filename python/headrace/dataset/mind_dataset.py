"""MindDataset: rows of MindRecord files (mindspore.dataset.MindDataset).

    MindDataset("train.mindrecord0")          the file and its sibling shards (from its header)
    MindDataset(["a.mindrecord0", "b.mindrecord"])   exactly these files, in this order

Rows come file by file, each file's rows by row id, as MindSpore reads them with
shuffle=False. The headers are read here, when the dataset is made (columns, sizes, errors
about the files); the rows are read by the C++ source op's workers, without the GIL, each
row's blob with one read. Columns come in the schema's (name) order unless columns_list
picks them: scalars as 0-d arrays, arrays with the schema's shape, strings as 0-d str
arrays, bytes as 1-D uint8 arrays.

shuffle: None or True or Shuffle.GLOBAL (every row, a new order each epoch), False,
Shuffle.FILES (the files in a new order each epoch, rows in file order) or Shuffle.INFILE
(file order kept, rows shuffled within each file); all drawn from the pipeline seed and the
epoch. num_shards / shard_id split rows, not files, as MindSpore does: shard d reads
positions d, d + num_shards, ... of the epoch's order, ceil(rows / num_shards) rows, wrapping
to the first rows when they do not divide; padded_sample / num_padded add rows at the end so
that they divide.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from headrace._core import records as _records
from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, from_sampler
from headrace.dataset.record_files import Shuffle, check_shuffle, expand_files
from headrace.dataset.samplers import DistributedSampler, RandomSampler, Sampler, SequentialSampler
from headrace.dataset.validation import check_int, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["MindDataset"]

# Blocks of rows hold about this many bytes of blobs (100 KB rows: 10 per block, not the
# pipeline's 128), which bounds the memory of rows in flight by bytes, and keeps the
# buffers rows are read into more likely in the CPU's caches.
_BLOCK_BYTES = 1 << 20

_NUMPY_TYPES = {"int32": np.int32, "int64": np.int64, "float32": np.float32, "float64": np.float64}


class _FileBlockSampler(Sampler):
    """Shuffle.FILES / Shuffle.INFILE over the files' row ranges (C++ FileBlockSampler)."""

    def __init__(self, mode: str, file_rows: Sequence[int], num_shards: int, shard_id: int,
                 num_samples: Optional[int]) -> None:
        super().__init__(num_samples)
        self.mode = mode
        self.file_rows = list(file_rows)
        self.num_shards = num_shards
        self.shard_id = shard_id

    def _build(self, seed: int) -> Any:
        return _records.FileBlockSampler(self.mode, self.file_rows, self.num_shards, self.shard_id,
                                         self._num_samples_arg(), seed)


def _dataset_files(dataset_files: Any) -> List[str]:
    """One path -> it and its siblings named in its header; a list -> those paths."""
    if isinstance(dataset_files, (str, os.PathLike)):
        path = os.fspath(dataset_files)
        _check_file(path)
        files = list(_records.mindrecord_siblings(path))
        for sibling in files:
            if not os.path.isfile(sibling):
                raise InvalidArgumentError(f"dataset_files: {path} names the shard file {sibling}, which does not exist")
        return files
    if isinstance(dataset_files, (list, tuple)):
        files = expand_files("dataset_files", dataset_files)
        if len(set(files)) != len(files):
            raise InvalidArgumentError(f"dataset_files has a repeated file: {files}")
        return files
    raise InvalidArgumentError(f"dataset_files must be a path or a non-empty list of paths, got {dataset_files!r}")


def _check_file(path: str) -> None:
    if not os.path.exists(path):
        raise InvalidArgumentError(f"dataset_files: {path} does not exist")
    if not os.path.isfile(path):
        raise InvalidArgumentError(f"dataset_files: {path} is not a file")


def _padded_columns(padded_sample: Dict[str, Any], columns: List[str], schema: Dict[str, Any]) -> List[np.ndarray]:
    """padded_sample as one array per column, with the dtype and rank the rows have."""
    if not isinstance(padded_sample, dict):
        raise InvalidArgumentError(f"padded_sample must be a dict of column values, got {type(padded_sample).__name__}")
    missing = [c for c in columns if c not in padded_sample]
    extra = [c for c in padded_sample if c not in columns]
    if missing or extra:
        raise InvalidArgumentError(f"padded_sample must give exactly the columns {columns}; "
                                   f"missing {missing}, not columns {extra}")
    arrays = []
    for column in columns:
        spec, value = schema[column], padded_sample[column]
        try:
            if spec["type"] == "bytes":
                if not isinstance(value, (bytes, bytearray, np.ndarray)):
                    raise TypeError("bytes expected")
                array = np.frombuffer(bytes(value), dtype=np.uint8) if not isinstance(value, np.ndarray) \
                    else np.ascontiguousarray(value, dtype=np.uint8).reshape(-1)
            elif spec["type"] == "string":
                if not isinstance(value, str):
                    raise TypeError("str expected")
                array = np.array(value)
            else:
                array = np.asarray(value, dtype=_NUMPY_TYPES[spec["type"]])
                if "shape" not in spec and array.ndim != 0:
                    raise TypeError("a scalar expected")
        except (TypeError, ValueError) as error:
            raise InvalidArgumentError(f"padded_sample['{column}'] does not fit column type {spec}: {error}") from None
        arrays.append(array)
    return arrays


class MindDataset(Dataset):
    def __init__(self, dataset_files: Any, columns_list: Optional[Sequence[str]] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Any = None,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None,
                 sampler: Optional[Sampler] = None, padded_sample: Optional[Dict[str, Any]] = None,
                 num_padded: Optional[int] = None, num_samples: Optional[int] = None,
                 cache: Any = None) -> None:
        super().__init__()
        self.cache = check_cache(cache)
        self.dataset_files = _dataset_files(dataset_files)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        # The headers: schema, rows per file. Errors name the file.
        headers = [_records.mindrecord_header(path) for path in self.dataset_files]
        first = json.loads(headers[0][0])
        self._schema: Dict[str, Any] = first["schema"][0]["schema"]
        for path, (text, _) in zip(self.dataset_files[1:], headers[1:]):
            if json.loads(text)["schema"][0]["schema"] != self._schema:
                raise InvalidArgumentError(f"dataset_files: {path} has another schema than {self.dataset_files[0]}")
        self._file_rows = [rows for _, rows in headers]
        all_columns = sorted(self._schema)
        self.columns_list = column_list("columns_list", columns_list)
        if self.columns_list is not None:
            for column in self.columns_list:
                if column not in self._schema:
                    raise InvalidArgumentError(f"columns_list: column '{column}' does not exist in "
                                               f"{self.dataset_files[0]}; its columns are {all_columns}")
        self._columns = self.columns_list or all_columns
        if num_samples is not None:
            check_int("num_samples", num_samples, minimum=0)
        self.num_samples = num_samples or None
        self.shuffle_mode = Shuffle.GLOBAL if shuffle is None else check_shuffle(shuffle, allow_infile=True)
        self.num_padded, self.padded_sample = self._check_padding(padded_sample, num_padded, num_shards)
        self.sampler = self._choose_sampler(sampler, shuffle, num_shards, shard_id)
        # The opened C++ source, made at the first build.
        self._format_object: Optional[_records.MindRecordSource] = None

    def _check_padding(self, padded_sample: Any, num_padded: Any, num_shards: Any) -> Any:
        if padded_sample is None and num_padded is None:
            return 0, None
        if padded_sample is None:
            raise InvalidArgumentError("num_padded is given without padded_sample")
        if num_shards is None:
            raise InvalidArgumentError("padded_sample needs num_shards and shard_id")
        count = 0 if num_padded is None else check_int("num_padded", num_padded, minimum=0)
        arrays = _padded_columns(padded_sample, self._columns, self._schema)
        rows = sum(self._file_rows)
        if isinstance(num_shards, int) and num_shards > 0 and (rows + count) % num_shards != 0:
            raise InvalidArgumentError(f"num_padded: the {rows} rows plus num_padded={count} must divide by "
                                       f"num_shards={num_shards}")
        return count, arrays

    def _choose_sampler(self, sampler: Any, shuffle: Any, num_shards: Any, shard_id: Any) -> Sampler:
        if sampler is not None:
            if not isinstance(sampler, Sampler):
                raise TypeError(f"sampler must be a headrace.dataset sampler, got {type(sampler).__name__}")
            if shuffle is not None or num_shards is not None or shard_id is not None:
                raise InvalidArgumentError("sampler cannot be given with shuffle or num_shards/shard_id")
            if self.num_samples is not None:
                raise InvalidArgumentError("sampler and num_samples cannot be given together; "
                                           "give num_samples to the sampler")
            return sampler
        if (num_shards is None) != (shard_id is None):
            raise InvalidArgumentError("num_shards and shard_id must be given together")
        shards, shard = 1, 0
        if num_shards is not None:
            shards = check_int("num_shards", num_shards, minimum=1)
            shard = check_int("shard_id", shard_id, minimum=0)
            if shard >= shards:
                raise InvalidArgumentError(f"shard_id must be in [0, num_shards={shards}), got {shard}")
        if self.shuffle_mode in (Shuffle.FILES, Shuffle.INFILE):
            return _FileBlockSampler(self.shuffle_mode.value, self._file_rows, shards, shard, self.num_samples)
        if num_shards is not None:
            return DistributedSampler(shards, shard, shuffle=self.shuffle_mode is Shuffle.GLOBAL,
                                      num_samples=self.num_samples)
        if self.shuffle_mode is Shuffle.GLOBAL:
            return RandomSampler(num_samples=self.num_samples)
        return SequentialSampler(num_samples=self.num_samples)

    def get_col_names(self) -> List[str]:
        return list(self._columns)

    def _source_size(self) -> int:
        return sum(self._file_rows) + self.num_padded

    def _pass_size(self) -> int:
        return self.sampler.pass_size(self._source_size())

    def _source(self) -> Any:
        if self._format_object is None:
            source = _records.mindrecord_open(self.dataset_files, self._columns)
            if self.padded_sample is not None:
                source.set_padded(self.padded_sample, self.num_padded)
            self._format_object = source
        return self._format_object

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return from_sampler(self)

    def _build(self, context: BuildContext) -> Any:
        if self.cache is not None:
            return build_with_cache(self, context, self._build_uncached)
        return self._build_uncached(context)

    def _build_uncached(self, context: BuildContext) -> Any:
        from headrace.dataset import config

        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        return _records.mindrecord_source_op(self._source(), context.make_sampler(self.sampler), workers,
                                             _BLOCK_BYTES)
