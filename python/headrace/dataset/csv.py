"""CSVDataset: rows of CSV files (mindspore.dataset.CSVDataset).

    name,score          CSVDataset("a.csv", column_defaults=["", 0.0])
    "Smith, J",3.5  ->  rows (name="Smith, J", score=3.5)

Fields follow RFC 4180 (quoted fields may hold the delimiter, line ends and doubled
quotes). ``column_defaults`` gives each column's type by the type of its value: int ->
int32, float -> float32, str -> string (the value itself is never used: an empty field is
an empty string, and in a number column an error, as in MindSpore); columns past its end
are strings. Without ``column_names`` the first line of every file is a header naming the
columns, and every file's header must be the same; with them, every line is a row. Rows
are 0-d arrays. A malformed record is a DataLossError naming the file and the line.

Files are read by the C++ record-file op (record_files.py): shards are equal runs of rows
over the files one after another, shuffles as Shuffle describes.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

from headrace.dataset.record_files import RecordFilesDataset, Shuffle
from headrace.errors import InvalidArgumentError

__all__ = ["CSVDataset"]


def _check_field_delim(field_delim: Any) -> str:
    if not isinstance(field_delim, str) or len(field_delim) != 1 or field_delim in '"\r\n' \
            or not field_delim.isascii():
        raise InvalidArgumentError("field_delim must be one ASCII character other than a quote "
                                   f"or a line end, got {field_delim!r}")
    return field_delim


def _column_types(column_defaults: Any) -> List[str]:
    """The column types of `column_defaults` (its values' types): names of
    records.CSVColumnType, kept as text so that the cache key can describe them."""
    if column_defaults is None:
        return []
    if not isinstance(column_defaults, (list, tuple)):
        raise InvalidArgumentError(f"column_defaults must be a list of int, float or str values, "
                                   f"got {column_defaults!r}")
    types = []
    for index, value in enumerate(column_defaults):
        # bool is an int to Python, and to MindSpore: an int32 column.
        if isinstance(value, int):
            types.append("INT32")
        elif isinstance(value, float):
            types.append("FLOAT32")
        elif isinstance(value, str):
            types.append("STRING")
        else:
            raise InvalidArgumentError(f"column_defaults[{index}] must be an int, float or str, "
                                       f"got {type(value).__name__}")
    return types


def _check_column_names(column_names: Any) -> Optional[List[str]]:
    if column_names is None:
        return None
    if isinstance(column_names, str) or not isinstance(column_names, (list, tuple)) \
            or not all(isinstance(name, str) for name in column_names):
        raise InvalidArgumentError(f"column_names must be a list of str, got {column_names!r}")
    if not column_names:
        raise InvalidArgumentError("column_names is an empty list")
    if len(set(column_names)) != len(column_names):
        raise InvalidArgumentError(f"column_names has a name twice: {list(column_names)}")
    return list(column_names)


def _read_headers(files: Sequence[str], field_delim: str) -> List[str]:
    """The column names of the first file's header, checked against every other file's."""
    from headrace._core import records as _records

    names = list(_records.CSVFormat.read_header(files[0], field_delim))
    for path in files[1:]:
        other = list(_records.CSVFormat.read_header(path, field_delim))
        if other != names:
            raise InvalidArgumentError(f"dataset_files: the header of {path} names the columns {other}, "
                                       f"unlike the header of {files[0]}: {names}")
    if len(set(names)) != len(names):
        raise InvalidArgumentError(f"dataset_files: the header of {files[0]} has a column name twice: {names}")
    return names


class CSVDataset(RecordFilesDataset):
    _equal_rows = True

    def __init__(self, dataset_files: Any, field_delim: str = ",",
                 column_defaults: Optional[Sequence[Any]] = None,
                 column_names: Optional[Sequence[str]] = None, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Any = Shuffle.GLOBAL,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None,
                 cache: Any = None) -> None:
        super().__init__()
        self.field_delim = _check_field_delim(field_delim)
        self._column_types = _column_types(column_defaults)
        self.column_defaults = None if column_defaults is None else list(column_defaults)
        self.column_names = _check_column_names(column_names)
        self._init_files(dataset_files, num_samples, num_parallel_workers, shuffle, num_shards,
                         shard_id, cache)
        self._header_line = self.column_names is None
        self._names = _read_headers(self.dataset_files, self.field_delim) if self.column_names is None \
            else self.column_names
        if len(self._column_types) > len(self._names):
            raise InvalidArgumentError(f"column_defaults has {len(self._column_types)} values but there are "
                                       f"{len(self._names)} columns {self._names}")

    def _make_format(self) -> Any:
        from headrace._core import records as _records

        types = [getattr(_records.CSVColumnType, name) for name in self._column_types]
        return _records.CSVFormat(self.field_delim, self._names, types, self._header_line)
