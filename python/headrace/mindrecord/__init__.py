"""headrace.mindrecord: writing MindRecord files (mirrors mindspore.mindrecord).

    writer = FileWriter("train.mindrecord", shard_num=4)
    writer.add_schema({"label": {"type": "int32"}, "image": {"type": "bytes"}}, "my data")
    writer.add_index(["label"])
    writer.write_raw_data([{"label": 1, "image": b"..."}, ...])
    writer.commit()     # the headers, then train.mindrecord0.db ... (SQLite index files)

The files have the layout MindSpore writes (headrace.dataset.MindDataset and
mindspore.dataset.MindDataset both read them): the page layout and the .db files are made
in C++ (headrace/engine/sources/mindrecord/), beside the reader. As MindSpore does, rows
that do not match the schema are left out with a warning, and the rows of one
write_raw_data call are split into one run per shard file.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from typing import Any, Dict, List, Optional

import numpy as np

from headrace._core import records as _records
from headrace.errors import FailedPreconditionError, InvalidArgumentError, UnimplementedError

__all__ = ["FileWriter"]

MIN_HEADER_SIZE, MAX_HEADER_SIZE = 1 << 14, 1 << 27
MIN_PAGE_SIZE, MAX_PAGE_SIZE = 1 << 15, 1 << 28
MIN_SHARD_COUNT, MAX_SHARD_COUNT = 1, 1000
DEFAULT_HEADER_SIZE, DEFAULT_PAGE_SIZE = 1 << 24, 1 << 25

_SCALAR_TYPES = ("int32", "int64", "float32", "float64", "string", "bytes")
_ARRAY_TYPES = ("int32", "int64", "float32", "float64")
# Python (and NumPy scalar) types a schema type accepts, as mindspore.mindrecord checks them.
_ACCEPTS = {"int32": (int, np.int32, np.int64), "int64": (int, np.int32, np.int64),
            "float32": (float, np.float32, np.float64), "float64": (float, np.float32, np.float64),
            "string": (str,), "bytes": (bytes,)}
_FORBIDDEN = set('\\/:*?"<>|`&\';')


def _is_accepted(value: Any, type_name: str) -> bool:
    """Whether `value` is a scalar of the schema type `type_name` (a bool is not a number)."""
    return not isinstance(value, bool) and isinstance(value, _ACCEPTS[type_name])


def _check_filename(path: Any) -> str:
    if not path:
        raise InvalidArgumentError("file_name must not be None or empty")
    if not isinstance(path, str):
        raise InvalidArgumentError(f"file_name must be a str, got {type(path).__name__}")
    if path.endswith("/"):
        raise InvalidArgumentError(f"file_name {path!r} must not end with '/'")
    base = os.path.basename(path)
    if set(base) & _FORBIDDEN:
        raise InvalidArgumentError(f"file_name {path!r}: a file name must not contain any of \\/:*?\"<>|`&;'")
    if base.startswith(" ") or base.endswith(" "):
        raise InvalidArgumentError(f"file_name {path!r}: a file name must not start or end with a space")
    return path


def _check_schema(content: Any) -> None:
    if not content:
        raise InvalidArgumentError("add_schema: the schema content is empty")
    if not isinstance(content, dict):
        raise InvalidArgumentError(f"add_schema: the schema content must be a dict, got {type(content).__name__}")
    for name, spec in content.items():
        if not isinstance(name, str) or not re.match(r"^[0-9a-zA-Z_]+$", name):
            raise InvalidArgumentError(f"add_schema: field {name!r} must be made of '0-9', 'a-z', 'A-Z' or '_'")
        if not isinstance(spec, dict) or not spec:
            raise InvalidArgumentError(f"add_schema: field '{name}' must be a dict such as {{'type': 'int32'}}")
        if set(spec) == {"type"}:
            if spec["type"] not in _SCALAR_TYPES:
                raise InvalidArgumentError(f"add_schema: field '{name}' has type {spec['type']!r}; "
                                           f"the types are {list(_SCALAR_TYPES)}")
        elif set(spec) == {"type", "shape"}:
            if spec["type"] not in _ARRAY_TYPES:
                raise InvalidArgumentError(f"add_schema: array field '{name}' has type {spec['type']!r}; "
                                           f"arrays are of {list(_ARRAY_TYPES)}")
            shape = spec["shape"]
            if not isinstance(shape, list) or not shape or not all(
                    isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1) for d in shape) \
                    or shape.count(-1) > 1:
                raise InvalidArgumentError(f"add_schema: field '{name}' has shape {shape!r}; a shape is a list of "
                                           "positive ints with at most one -1")
        else:
            raise InvalidArgumentError(f"add_schema: field '{name}' has attributes {sorted(spec)}; "
                                       "a field has 'type' and, for arrays, 'shape'")


class FileWriter:
    """Writes rows into MindRecord files (mindspore.mindrecord.FileWriter).

    shard_num > 1 writes file_name0 .. file_name{shard_num-1} (the number zero-padded to
    the width of shard_num - 1), each with its .db index file. overwrite=True replaces
    files of the same names; otherwise they are an error."""

    def __init__(self, file_name: str, shard_num: int = 1, overwrite: bool = False) -> None:
        self._file_name = _check_filename(file_name)
        if isinstance(shard_num, bool) or not isinstance(shard_num, int):
            raise InvalidArgumentError(f"shard_num must be an int, got {type(shard_num).__name__}")
        if not MIN_SHARD_COUNT <= shard_num <= MAX_SHARD_COUNT:
            raise InvalidArgumentError(f"shard_num must be in [{MIN_SHARD_COUNT}, {MAX_SHARD_COUNT}], got {shard_num}")
        if not isinstance(overwrite, bool):
            raise InvalidArgumentError(f"overwrite must be a bool, got {type(overwrite).__name__}")
        self._shard_num = shard_num
        self._overwrite = overwrite
        width = len(str(shard_num - 1))
        self._paths = [file_name] if shard_num == 1 else \
            [f"{file_name}{str(i).rjust(width, '0')}" for i in range(shard_num)]
        folder = os.path.dirname(os.path.abspath(file_name))
        if not os.path.isdir(folder):
            raise InvalidArgumentError(f"file_name {file_name!r}: the folder {folder} does not exist")
        self._schema: Optional[Dict[str, Any]] = None
        self._desc = ""
        self._index_fields: List[str] = []
        self._header_size = DEFAULT_HEADER_SIZE
        self._page_size = DEFAULT_PAGE_SIZE
        self._writer: Any = None
        self._committed = False

    @classmethod
    def open_for_append(cls, file_name: str) -> "FileWriter":
        raise UnimplementedError("FileWriter.open_for_append is not implemented")

    @property
    def _blob_fields(self) -> List[str]:
        schema = self._schema or {}
        return [name for name in sorted(schema) if schema[name]["type"] == "bytes" or "shape" in schema[name]]

    def add_schema(self, content: Dict[str, Any], desc: Optional[str] = None) -> int:
        """Sets the schema: {"name": {"type": t}} for scalars (int32, int64, float32,
        float64, string, bytes), {"name": {"type": t, "shape": [...]}} for NumPy arrays.
        Returns the schema id (0: a data set has one schema)."""
        self._check_not_started("add_schema")
        if self._schema is not None:
            raise FailedPreconditionError("add_schema: the schema is already set; a MindRecord data set has one")
        _check_schema(content)
        if desc is not None and not isinstance(desc, str):
            raise InvalidArgumentError(f"desc must be a str, got {type(desc).__name__}")
        self._schema = {name: dict(spec) for name, spec in content.items()}
        self._desc = desc or ""
        return 0

    def add_index(self, index_fields: List[str]) -> None:
        """Index fields (scalar columns) for the .db files; without it, every scalar column."""
        self._check_not_started("add_index")
        if not index_fields or not isinstance(index_fields, list):
            raise InvalidArgumentError("index_fields must be a non-empty list of field names")
        if self._schema is None:
            raise FailedPreconditionError("add_index: call add_schema first")
        for field in index_fields:
            if not isinstance(field, str):
                raise InvalidArgumentError(f"index_fields must hold field names (str), got {field!r}")
            if field in self._blob_fields:
                raise InvalidArgumentError(f"add_index: field '{field}' is not of a primitive type and cannot "
                                           "be an index field")
            if field not in self._schema:
                raise InvalidArgumentError(f"add_index: field '{field}' is not in the schema {sorted(self._schema)}")
        if len(set(index_fields)) != len(index_fields) or set(index_fields) & set(self._index_fields):
            raise InvalidArgumentError(f"add_index: a field is given twice: {self._index_fields + index_fields}")
        self._index_fields += index_fields

    def set_header_size(self, header_size: int) -> None:
        """Bytes kept for each file's header, in [16 KB, 128 MB] and a multiple of 4."""
        self._check_not_started("set_header_size")
        self._header_size = self._check_size("header_size", header_size, MIN_HEADER_SIZE, MAX_HEADER_SIZE)

    def set_page_size(self, page_size: int) -> None:
        """Bytes of a page, in [32 KB, 256 MB] and a multiple of 4; a row must fit in one."""
        self._check_not_started("set_page_size")
        self._page_size = self._check_size("page_size", page_size, MIN_PAGE_SIZE, MAX_PAGE_SIZE)

    @staticmethod
    def _check_size(name: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(f"{name} must be an int, got {type(value).__name__}")
        if not low <= value <= high:
            raise InvalidArgumentError(f"{name} {value} must be in [{low} bytes, {high} bytes]")
        if value % 4:
            raise InvalidArgumentError(f"{name} {value} must be a multiple of 4")
        return value

    def _check_not_started(self, what: str) -> None:
        if self._writer is not None or self._committed:
            raise FailedPreconditionError(f"{what} must come before write_raw_data and commit")

    def _open(self) -> Any:
        if self._committed:
            raise FailedPreconditionError("the MindRecord files are committed: write_raw_data after commit is not "
                                          "allowed")
        if self._writer is None:
            if self._schema is None:
                raise FailedPreconditionError("no schema: call add_schema before write_raw_data or commit")
            self._writer = _records.MindRecordWriter(self._paths, json.dumps(self._schema), self._desc,
                                                     self._index_fields, self._header_size, self._page_size,
                                                     self._overwrite)
        return self._writer

    def _split_row(self, position: int, row: Any) -> Optional[tuple]:
        """(scalar columns, blob columns' bytes) of `row`, or None (with a warning) when it
        does not match the schema, as mindspore.mindrecord leaves such rows out."""
        assert self._schema is not None
        scalars: Dict[str, Any] = {}
        blobs: List[bytes] = []
        for field, spec in sorted(self._schema.items()):
            if field not in row:
                warnings.warn(f"write_raw_data: row {position} is left out: it has no field '{field}'", stacklevel=3)
                return None
            value = row[field]
            if "shape" in spec:
                if not isinstance(value, np.ndarray) or str(value.dtype) != spec["type"]:
                    warnings.warn(f"write_raw_data: row {position} is left out: field '{field}' must be a NumPy "
                                  f"array of {spec['type']}, got {type(value).__name__}"
                                  f"{' of ' + str(value.dtype) if isinstance(value, np.ndarray) else ''}",
                                  stacklevel=3)
                    return None
                try:
                    np.reshape(value, spec["shape"])
                except ValueError:
                    warnings.warn(f"write_raw_data: row {position} is left out: field '{field}' has shape "
                                  f"{value.shape}, which does not fit {spec['shape']}", stacklevel=3)
                    return None
                blobs.append(np.ascontiguousarray(value).tobytes())
                continue
            if not _is_accepted(value, spec["type"]):
                warnings.warn(f"write_raw_data: row {position} is left out: field '{field}' is of type "
                              f"{type(value).__name__}, not {spec['type']}", stacklevel=3)
                return None
            if spec["type"] == "bytes":
                blobs.append(value)
            elif spec["type"] == "int32" and not -(1 << 31) <= int(value) < (1 << 31):
                warnings.warn(f"write_raw_data: row {position} is left out: field '{field}' = {value} is out of "
                              "the int32 range", stacklevel=3)
                return None
            else:
                scalars[field] = value.item() if isinstance(value, np.generic) else value
        return scalars, blobs

    def write_raw_data(self, raw_data: List[Dict[str, Any]], parallel_writer: bool = False) -> None:
        """Writes `raw_data` (a list of dicts, one per row). The rows are split into one
        run per shard file; parallel_writer is accepted for compatibility (the writing is
        done in C++ either way)."""
        if not isinstance(parallel_writer, bool):
            raise InvalidArgumentError("parallel_writer must be a bool")
        if not isinstance(raw_data, list):
            raise InvalidArgumentError(f"raw_data must be a list of dicts, got {type(raw_data).__name__}")
        if not all(isinstance(row, dict) for row in raw_data):
            raise InvalidArgumentError("raw_data must be a list of dicts: an item is not a dict")
        writer = self._open()
        scalars, blobs = [], []
        for position, row in enumerate(raw_data):
            split = self._split_row(position, row)
            if split is not None:
                scalars.append(split[0])
                blobs.append(split[1])
        if not scalars:
            raise InvalidArgumentError("write_raw_data: there is no valid row to write (see the warnings above)")
        writer.write(scalars, blobs)

    def commit(self) -> None:
        """Writes the headers and the .db index files. No rows can be written afterwards."""
        writer = self._open()
        self._committed = True
        writer.commit()
        self._writer = None
