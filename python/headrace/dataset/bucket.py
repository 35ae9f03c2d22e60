"""bucket_by_sequence_length: batches rows of similar length, padded per batch
(Dataset.bucket_by_sequence_length)."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset.batch import pad_specs
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, unresumable
from headrace.dataset.validation import check_bool, check_columns_exist, check_int, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["BucketBatchByLengthDataset"]


class BucketBatchByLengthDataset(Dataset):
    def __init__(self, child: Dataset, column_names: Union[str, Sequence[str]],
                 bucket_boundaries: Sequence[int], bucket_batch_sizes: Sequence[int],
                 element_length_function: Optional[Callable[..., int]] = None,
                 pad_info: Optional[Dict[str, Any]] = None,
                 pad_to_bucket_boundary: bool = False, drop_remainder: bool = False) -> None:
        super().__init__([child])
        names = column_list("column_names", column_names)
        if names is None:
            raise InvalidArgumentError("column_names must name the column(s) the length comes from")
        columns = child.get_col_names()
        check_columns_exist("column_names", names, columns)
        if element_length_function is None and len(names) != 1:
            raise InvalidArgumentError("column_names must name exactly one column when "
                                       "element_length_function is None")
        if element_length_function is not None and not callable(element_length_function):
            raise InvalidArgumentError("element_length_function must be callable")
        boundaries = [check_int(f"bucket_boundaries[{i}]", b, minimum=1)
                      for i, b in enumerate(bucket_boundaries)]
        if not boundaries or any(a >= b for a, b in zip(boundaries, boundaries[1:])):
            raise InvalidArgumentError(f"bucket_boundaries must be non-empty and increasing, got {list(bucket_boundaries)}")
        sizes = [check_int(f"bucket_batch_sizes[{i}]", s, minimum=1)
                 for i, s in enumerate(bucket_batch_sizes)]
        if len(sizes) != len(boundaries) + 1:
            raise InvalidArgumentError(f"bucket_batch_sizes must have len(bucket_boundaries) + 1 = "
                                       f"{len(boundaries) + 1} entries, got {len(sizes)}")
        self._input_indices = [columns.index(n) for n in names]
        self._length_fn = element_length_function
        self._boundaries, self._sizes = boundaries, sizes
        # MindSpore pads every column here: pad_info None means "the longest, with 0".
        self._pads = pad_specs(columns, pad_info if pad_info is not None else {})
        self._pad_to_boundary = check_bool("pad_to_bucket_boundary", pad_to_bucket_boundary)
        self._drop_remainder = check_bool("drop_remainder", drop_remainder)

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        return self._count_rows()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        raise unresumable(self, "its buckets hold rows of every length seen before the position")

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.bucket_batch_op(context.build(self.children[0]), self._input_indices,
                                       self._length_fn, self._boundaries, self._sizes, self._pads,
                                       self._pad_to_boundary, self._drop_remainder,
                                       self.get_col_names())
