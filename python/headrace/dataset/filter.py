"""filter: keeps the rows for which a predicate returns True (Dataset.filter)."""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset import config
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, unresumable
from headrace.dataset.validation import check_int, read_columns

__all__ = ["FilterDataset"]


class FilterDataset(Dataset):
    def __init__(self, child: Dataset, predicate: Callable[..., bool],
                 input_columns: Union[None, str, Sequence[str]] = None,
                 num_parallel_workers: Optional[int] = None) -> None:
        super().__init__([child])
        if not callable(predicate):
            raise TypeError(f"predicate must be callable, got {predicate!r}")
        self.predicate = predicate
        names = child.get_col_names()
        _, self._input_indices = read_columns("input_columns", input_columns, names, default=names)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        return self._count_rows()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        raise unresumable(self, "which rows it keeps before the position is known only by running the predicate on them")

    def _build(self, context: BuildContext) -> "_engine.Op":
        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        return _engine.filter_op(context.build(self.children[0]), self.predicate,
                                 self._input_indices, workers)
