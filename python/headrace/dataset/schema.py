"""Schema: the columns a dataset's rows have, their dtypes and shapes (mindspore.dataset.Schema).

    schema = Schema()
    schema.add_column("image", de_type="uint8")            # 1-D, any length
    schema.add_column("label", de_type=np.int64, shape=[])  # a scalar
    schema.add_column("box", de_type="float32", shape=[-1, 4])
    data = TFRecordDataset(files, schema=schema)

A schema file is MindSpore's JSON:

    {"datasetType": "TF", "numRows": 100,
     "columns": {"label": {"type": "int64", "rank": 0},
                 "box": {"type": "float32", "rank": 2, "shape": [-1, 4]}}}

``columns`` is a dict (its columns in name order, as MindSpore reads it) or a list of
dicts with a ``name`` (in the list's order). A column has a ``type`` and a ``shape`` or a
``rank``: with a shape, the tensors have that shape (one -1 takes what is left); without
one, rank 0 is a scalar and any other rank a 1-D tensor of any length. ``numRows`` > 0
caps the rows read when ``num_samples`` is not given.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from headrace.errors import InvalidArgumentError

__all__ = ["Schema"]

_TYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "string", "bytes")
_TOP_LEVEL = ("datasetType", "numRows", "columns")

# (name, dtype name, shape or None for 1-D of any length)
Column = Tuple[str, str, Optional[List[int]]]


def _type_name(de_type: Any) -> str:
    """A dtype name from a name ("int64", also MindSpore's "Int64"), a NumPy dtype or type,
    str (string) or bytes."""
    if isinstance(de_type, str):
        name = de_type.lower()
        if name == "str":
            name = "string"
        if name in _TYPES:
            return name
        raise InvalidArgumentError(f"de_type: unknown type {de_type!r}; the types are {list(_TYPES)}")
    if de_type is str or de_type is np.str_:
        return "string"
    if de_type is bytes or de_type is np.bytes_:
        return "bytes"
    try:
        dtype = np.dtype(de_type)
    except TypeError:
        # A MindSpore mstype prints as its name: mstype.int64 -> "Int64".
        name = str(de_type).lower()
        if name in _TYPES:
            return name
        raise TypeError(f"de_type must be a type name or a NumPy dtype, got {de_type!r}") from None
    if dtype.kind == "U":
        return "string"
    if dtype.kind == "S":
        return "bytes"
    if dtype.name not in _TYPES:
        raise InvalidArgumentError(f"de_type: {dtype} is not a type a column can have; the types are {list(_TYPES)}")
    return dtype.name


def _shape(column: str, shape: Any) -> List[int]:
    if not isinstance(shape, (list, tuple)) or not all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in shape):
        raise TypeError(f"column '{column}': shape must be a list of ints, got {shape!r}")
    dims = [int(d) for d in shape]
    if any(d < -1 for d in dims) or dims.count(-1) > 1:
        raise InvalidArgumentError(f"column '{column}': shape {dims} may hold one -1, and otherwise "
                                   "dimensions of at least 0")
    return dims


class Schema:
    """The columns of a dataset (mindspore.dataset.Schema). `schema_file`: a JSON schema
    file to start from."""

    def __init__(self, schema_file: Optional[Union[str, os.PathLike]] = None) -> None:
        self.columns: List[Column] = []
        self.dataset_type = ""
        self.num_rows = 0
        self.schema_file = "" if schema_file is None else os.fspath(schema_file)
        if schema_file is not None:
            if not os.path.isfile(self.schema_file):
                raise InvalidArgumentError(f"schema_file: {self.schema_file} is not a file")
            try:
                with open(self.schema_file, encoding="utf-8") as handle:
                    content = json.load(handle)
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise InvalidArgumentError(f"schema_file: cannot read {self.schema_file} as JSON: {error}") from None
            self._from_object(content, f"schema file {self.schema_file}")

    def add_column(self, name: str, de_type: Any, shape: Optional[Sequence[int]] = None) -> None:
        """Adds a column: `de_type` a type name or NumPy dtype; `shape` None for a 1-D
        tensor of any length, [] for a scalar, or dimensions with at most one -1."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a non-empty string, got {name!r}")
        if not name:
            raise InvalidArgumentError(f"name must be a non-empty string, got {name!r}")
        if any(column[0] == name for column in self.columns):
            raise InvalidArgumentError(f"add_column: the schema has a column '{name}' already")
        dims = None if shape is None else _shape(name, shape)
        self.columns.append((name, _type_name(de_type), dims))

    def parse_columns(self, columns: Union[Dict[str, Any], Sequence[Dict[str, Any]]]) -> None:
        """Replaces the columns by `columns`: a dict of name -> {"type", "shape" or "rank"}
        (in name order) or a list of {"name", "type", "shape" or "rank"}."""
        self.columns = []
        self._parse_columns(columns, "columns")

    def from_json(self, json_obj: Dict[str, Any]) -> None:
        """Replaces the schema by a parsed schema file's object."""
        self.columns = []
        self._from_object(json_obj, "json_obj")

    def to_json(self) -> str:
        """The schema as MindSpore writes it."""
        columns = []
        for name, type_name, shape in self.columns:
            entry: Dict[str, Any] = {"name": name, "rank": 1 if shape is None else len(shape), "type": type_name}
            if shape is not None:
                entry["shape"] = list(shape)
            columns.append(entry)
        content: Dict[str, Any] = {"columns": columns}
        if self.dataset_type:
            content["datasetType"] = self.dataset_type
        if self.num_rows:
            content["numRows"] = self.num_rows
        return json.dumps(content, indent=2)

    def __str__(self) -> str:
        return self.to_json()

    @staticmethod
    def get_num_rows(schema: Union["Schema", str, os.PathLike]) -> int:
        """numRows of a schema or schema file (0 when not given)."""
        return (schema if isinstance(schema, Schema) else Schema(schema)).num_rows

    def _from_object(self, content: Any, where: str) -> None:
        if not isinstance(content, dict):
            raise InvalidArgumentError(f"{where}: a schema is a JSON object, got {type(content).__name__}")
        unknown = [key for key in content if key not in _TOP_LEVEL]
        if unknown:
            raise InvalidArgumentError(f"{where}: unknown field {unknown[0]!r}; the fields are {list(_TOP_LEVEL)}")
        if "columns" not in content:
            raise InvalidArgumentError(f"{where}: no \"columns\"")
        dataset_type = content.get("datasetType", "")
        if not isinstance(dataset_type, str):
            raise InvalidArgumentError(f"{where}: datasetType must be a string, got {dataset_type!r}")
        num_rows = content.get("numRows", 0)
        if isinstance(num_rows, bool) or not isinstance(num_rows, int) or num_rows < 0:
            raise InvalidArgumentError(f"{where}: numRows must be an int of at least 0, got {num_rows!r}")
        self.dataset_type = dataset_type
        self.num_rows = num_rows
        self._parse_columns(content["columns"], where)

    def _parse_columns(self, columns: Any, where: str) -> None:
        if isinstance(columns, dict):
            # MindSpore's JSON library keeps an object's keys in name order.
            entries = [(name, columns[name]) for name in sorted(columns)]
        elif isinstance(columns, (list, tuple)):
            entries = []
            for entry in columns:
                if not isinstance(entry, dict) or "name" not in entry:
                    raise InvalidArgumentError(f"{where}: a column in a list needs a \"name\", got {entry!r}")
                entries.append((entry["name"], entry))
        else:
            raise InvalidArgumentError(f"{where}: columns must be a dict or a list, got {type(columns).__name__}")
        if not entries:
            raise InvalidArgumentError(f"{where}: the schema has no columns")
        for name, entry in entries:
            if not isinstance(entry, dict) or "type" not in entry:
                raise InvalidArgumentError(f"{where}: column '{name}' needs a \"type\"")
            if "shape" in entry:
                shape: Optional[List[int]] = _shape(name, entry["shape"])
            else:
                rank = entry.get("rank")
                if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
                    raise InvalidArgumentError(f"{where}: column '{name}' needs a \"shape\" or a \"rank\" "
                                               f"of at least 0, got rank {rank!r}")
                shape = [] if rank == 0 else None
            self.add_column(name, entry["type"], shape)
