"""take and skip: the first rows of each epoch, or all but them (Dataset.take, Dataset.skip)."""

from __future__ import annotations

from typing import List, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start
from headrace.dataset.validation import check_int

__all__ = ["SkipDataset", "TakeDataset"]


class TakeDataset(Dataset):
    def __init__(self, child: Dataset, count: int = -1) -> None:
        super().__init__([child])
        self.count = -1 if count == -1 else check_int("count", count, minimum=1)

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        rows = self.children[0]._pass_size()
        return rows if self.count == -1 else min(rows, self.count)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return [(self.children[0], start)]

    def _build(self, context: BuildContext) -> "_engine.Op":
        child = context.build(self.children[0])
        return child if self.count == -1 else _engine.take_op(child, self.count)


class SkipDataset(Dataset):
    def __init__(self, child: Dataset, count: int) -> None:
        super().__init__([child])
        self.count = check_int("count", count, minimum=0)

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        return max(0, self.children[0]._pass_size() - self.count)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        # The child starts past the skipped rows; the skip op then skips none of that pass.
        return [(self.children[0], Start(start.pass_index, start.row + self.count))]

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.skip_op(context.build(self.children[0]), self.count)
