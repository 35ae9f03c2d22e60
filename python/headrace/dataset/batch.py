"""batch: stacks consecutive rows into one (Dataset.batch)."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset import config
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, unresumable
from headrace.dataset.map import output_layout
from headrace.dataset.python_stage import build_fused_batch
from headrace.dataset.validation import check_bool, check_columns_exist, check_int, column_list, read_columns
from headrace.errors import InvalidArgumentError

__all__ = ["BatchDataset", "BatchInfo", "pad_specs"]


def pad_specs(columns: Sequence[str], pad_info: Optional[Dict[str, Any]]) -> List["_engine.PadSpec"]:
    """One PadSpec per column from MindSpore's pad_info: None pads nothing; a dict pads every
    column, those it names to (shape, value) (None dimensions: the longest of the batch),
    the others to the longest with 0. A value of None pads with 0 (or '' for strings), a
    shape smaller than a row cuts the row, as in MindSpore."""
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
        if value is None:
            specs.append(_engine.PadSpec(True, dims, 0.0, ""))
        elif isinstance(value, (str, bytes)):
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            specs.append(_engine.PadSpec(True, dims, 0.0, text))
        elif isinstance(value, (int, float)) or hasattr(value, "item"):
            specs.append(_engine.PadSpec(True, dims, float(value), ""))
        else:
            raise InvalidArgumentError(f"pad_info['{column}']: the pad value must be a number or a string, got {value!r}")
    return specs


class BatchInfo:
    """What per_batch_map learns about the batch it is given (as MindSpore's BatchInfo)."""

    def __init__(self, batch_num: int, epoch_num: int) -> None:
        self._batch_num = batch_num
        self._epoch_num = epoch_num

    def get_batch_num(self) -> int:
        """The batch's index within its epoch, from 0."""
        return self._batch_num

    def get_epoch_num(self) -> int:
        """The epoch's index, from 0."""
        return self._epoch_num


class _BatchMapCall:
    """The user's per_batch_map(*columns, batch_info) as the engine calls it; a class, not
    a closure, so that 'spawn' worker processes can receive it."""

    def __init__(self, function: Callable) -> None:
        self.function = function

    def __call__(self, batch_num: int, epoch_num: int, *columns: Any) -> Any:
        return self.function(*columns, BatchInfo(batch_num, epoch_num))


class BatchDataset(Dataset):
    def __init__(self, child: Dataset, batch_size: int, drop_remainder: bool = False,
                 num_parallel_workers: Optional[int] = None, per_batch_map: Optional[Callable] = None,
                 input_columns: Union[None, str, Sequence[str]] = None,
                 output_columns: Union[None, str, Sequence[str]] = None,
                 python_multiprocessing: bool = False, max_rowsize: Any = None,
                 pad_info: Optional[Dict[str, Any]] = None) -> None:
        super().__init__([child])
        self.batch_size = check_int("batch_size", batch_size, minimum=1, maximum=2**31 - 1)
        self.drop_remainder = check_bool("drop_remainder", drop_remainder)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        self.python_multiprocessing = check_bool("python_multiprocessing", python_multiprocessing)
        columns = child.get_col_names()
        self.per_batch_map = per_batch_map
        if per_batch_map is None:
            if input_columns is not None or output_columns is not None:
                raise InvalidArgumentError("input_columns and output_columns need per_batch_map")
            self._column_names = columns
            self._input_indices: List[int] = []
            self._layout: List[Tuple[bool, int]] = []
        else:
            if not callable(per_batch_map):
                raise InvalidArgumentError(f"per_batch_map must be callable, got {per_batch_map!r}")
            inputs, self._input_indices = read_columns("input_columns", input_columns, columns,
                                                        default=columns)
            outputs = column_list("output_columns", output_columns) or list(inputs)
            self._column_names, self._layout = output_layout(columns, inputs, outputs)
        self._pads = pad_specs(self._column_names, pad_info)

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def get_batch_size(self) -> int:
        return self.batch_size

    def _pass_size(self) -> int:
        rows = self.children[0]._pass_size()
        full, rest = divmod(rows, self.batch_size)
        return full if self.drop_remainder or rest == 0 else full + 1

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        if self.per_batch_map is not None:
            raise unresumable(self, "a per_batch_map may keep its own state from batch to batch")
        return [(self.children[0], Start(start.pass_index, start.row * self.batch_size))]

    def _build(self, context: BuildContext) -> "_engine.Op":
        fused = build_fused_batch(self, context)
        if fused is not None:
            return fused
        # Stacking is light; more workers than the default pay only with per_batch_map.
        workers = self.num_parallel_workers or (
            config.get_num_parallel_workers() if self.per_batch_map else 1)
        child = context.build(self.children[0])
        call: object = None  # what batch_op calls per batch: the function, or a pool running it
        name, in_processes = "", False
        if self.per_batch_map is not None:
            call = _BatchMapCall(self.per_batch_map)
            name = getattr(self.per_batch_map, "__name__", "per_batch_map")
            if self.python_multiprocessing:
                from headrace.dataset.workers import start_pool
                call = start_pool(call, workers, f"per_batch_map '{name}'", context)
                in_processes = True
        return _engine.batch_op(child, self.batch_size, self.drop_remainder,
                                self.get_col_names(), self._pads, workers, call, name,
                                self._input_indices, self._layout, in_processes)
