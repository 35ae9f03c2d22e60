"""batch: stacks consecutive rows into one (Dataset.batch)."""

from __future__ import annotations

from typing import Any, List, Optional

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import UnimplementedError

__all__ = ["BatchDataset"]


class BatchDataset(Dataset):
    def __init__(self, child: Dataset, batch_size: int, drop_remainder: bool = False,
                 num_parallel_workers: Optional[int] = None, per_batch_map: Any = None,
                 input_columns: Any = None, output_columns: Any = None, **kwargs: Any) -> None:
        super().__init__([child])
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
                                self.drop_remainder, self.get_col_names())
