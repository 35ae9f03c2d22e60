"""batch: stacks consecutive rows into one (Dataset.batch)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.validation import check_bool, check_columns_exist, check_int
from headrace.errors import InvalidArgumentError, UnimplementedError

__all__ = ["BatchDataset", "pad_specs"]


def pad_specs(columns: Sequence[str], pad_info: Optional[Dict[str, Any]]) -> List["_engine.PadSpec"]:
    """One PadSpec per column from MindSpore's pad_info: None pads nothing; a dict pads every
    column, those it names to (shape, value) (None dimensions: the longest of the batch),
    the others to the longest with 0."""
    if pad_info is None:
        return []
    if not isinstance(pad_info, dict):
        raise InvalidArgumentError(f"pad_info must be a dict or None, got {type(pad_info).__name__}")
    check_columns_exist("pad_info", list(pad_info), columns)
    specs = []
    for column in columns:
        shape, value = pad_info.get(column, (None, 0))
        if shape is None:
            dims: List[int] = []
        elif isinstance(shape, (list, tuple)):
            dims = []
            for dim in shape:
                if dim is not None:
                    check_int(f"pad_info['{column}'] shape", dim, minimum=0)
                dims.append(-1 if dim is None else dim)
        else:
            raise InvalidArgumentError(f"pad_info['{column}']: the shape must be a list or None, got {shape!r}")
        if isinstance(value, (str, bytes)):
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            specs.append(_engine.PadSpec(True, dims, 0.0, text))
        elif isinstance(value, (int, float)) or hasattr(value, "item"):
            specs.append(_engine.PadSpec(True, dims, float(value), ""))
        else:
            raise InvalidArgumentError(f"pad_info['{column}']: the pad value must be a number or a string, got {value!r}")
    return specs


class BatchDataset(Dataset):
    def __init__(self, child: Dataset, batch_size: int, drop_remainder: bool = False,
                 num_parallel_workers: Optional[int] = None, per_batch_map: Any = None,
                 input_columns: Any = None, output_columns: Any = None,
                 pad_info: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__([child])
        self._pads = pad_specs(child.get_col_names(), pad_info)
        self.batch_size = check_int("batch_size", batch_size, minimum=1, maximum=2**31 - 1)
        self.drop_remainder = check_bool("drop_remainder", drop_remainder)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        if per_batch_map is not None or input_columns is not None or output_columns is not None or kwargs:
            raise UnimplementedError("batch: per_batch_map and its options are not implemented yet")

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def get_batch_size(self) -> int:
        return self.batch_size

    def _pass_size(self) -> int:
        rows = self.children[0]._pass_size()
        full, rest = divmod(rows, self.batch_size)
        return full if self.drop_remainder or rest == 0 else full + 1

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.batch_op(self.children[0]._build(context), self.batch_size,
                                self.drop_remainder, self.get_col_names(), self._pads)
