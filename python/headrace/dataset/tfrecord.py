"""TFRecordDataset: TFRecord files of tf.train.Example records (mindspore.dataset.TFRecordDataset).

    data = TFRecordDataset(["train-0.tfrecord", "train-1.tfrecord"], shuffle=False)
    for row in data.create_dict_iterator(num_epochs=1): ...

Columns, as MindSpore makes them: without a schema, every feature of the first record of
the first file, in name order; int64_list features are int64, float_list float32 and
bytes_list uint8 (the bytes), each 1-D (one value: shape [1]). A `schema` (a Schema or a
schema file) gives the columns, their order, dtypes (casts between numbers; bytes as
uint8, string or bytes) and shapes; `columns_list` keeps some of them, in its order.

Files are sorted by name (MindSpore does), plain or compressed as `compression_type`
says ('', 'GZIP', 'ZLIB'), read by the C++ op's threads without the GIL; every record's
CRCs are checked, and a damaged record stops the pipeline with an error naming the file
and the record's byte offset. Shards take whole files, or equal runs of rows with
`shard_equal_rows`. Each file's first record header is checked when the dataset is made.
"""

from __future__ import annotations

import os
from typing import Any, List, Optional, Sequence, Union

from headrace.dataset.record_files import RecordFilesDataset, Shuffle
from headrace.dataset.schema import Schema
from headrace.dataset.validation import check_bool, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["TFRecordDataset"]

_COMPRESSION_TYPES = ("", "GZIP", "ZLIB")


def _check_schema(schema: Any) -> Optional[Schema]:
    if schema is None or isinstance(schema, Schema):
        return schema
    if isinstance(schema, (str, os.PathLike)):
        return Schema(schema)
    raise InvalidArgumentError(f"schema must be a Schema or the path of a schema file, got {schema!r}")


class TFRecordDataset(RecordFilesDataset):
    def __init__(self, dataset_files: Union[str, Sequence[str]], schema: Any = None,
                 columns_list: Optional[Sequence[str]] = None, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Any = Shuffle.GLOBAL,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None,
                 shard_equal_rows: bool = False, cache: Any = None,
                 compression_type: Optional[str] = None) -> None:
        super().__init__()
        if compression_type is None:
            compression_type = ""
        if compression_type not in _COMPRESSION_TYPES:
            raise InvalidArgumentError("compression_type must be '' (or None), 'GZIP' or 'ZLIB', "
                                       f"got {compression_type!r}")
        self.compression_type = compression_type
        self.schema = _check_schema(schema)
        self.columns_list = column_list("columns_list", columns_list)
        shard_equal_rows = check_bool("shard_equal_rows", shard_equal_rows)
        # MindSpore: the schema's numRows caps the rows when num_samples does not.
        if not num_samples and self.schema is not None and self.schema.num_rows > 0:
            num_samples = self.schema.num_rows
        if compression_type and num_samples and num_shards is not None:
            # MindSpore: counting the rows of compressed files means inflating them all, so
            # with num_samples the shards are cut from equal runs of rows instead...
            shard_equal_rows = True
        self._equal_rows = shard_equal_rows
        self._init_files(dataset_files, num_samples, num_parallel_workers, shuffle, num_shards,
                         shard_id, cache)
        if compression_type and num_samples and len(self.dataset_files) < self.num_shards:
            # ... and, as in MindSpore, every shard must have a file of its own.
            raise InvalidArgumentError(
                "num_shards: with compression_type and num_samples there must be at least as many "
                f"files as shards, got {len(self.dataset_files)} files and num_shards {self.num_shards}")
        self.dataset_files = sorted(self.dataset_files)
        self._format()  # reads the first record now: columns_list and the schema are checked here
        self._format().check_files(self.dataset_files)

    def _make_format(self) -> Any:
        from headrace._core import records as _records

        schema = [] if self.schema is None else list(self.schema.columns)
        return _records.TFRecordFormat(schema, self.columns_list or [], self.compression_type,
                                       self.dataset_files[0] if self.schema is None else "")

    def get_col_names(self) -> List[str]:
        return list(self._format().column_names)
