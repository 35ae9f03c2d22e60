"""repeat: the dataset several times in a row, as one epoch (Dataset.repeat)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start
from headrace.dataset.validation import check_int

__all__ = ["RepeatDataset"]


class RepeatDataset(Dataset):
    def __init__(self, child: Dataset, count: Optional[int] = None) -> None:
        super().__init__([child])
        if count is None or count == -1:
            self.count = -1
        else:
            self.count = check_int("count", count, minimum=1)

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def get_repeat_count(self) -> int:
        return self.count

    def _pass_size(self) -> int:
        rows = self.children[0]._pass_size()
        # MindSpore reports the size of one pass for an endless repeat.
        return rows if self.count == -1 else rows * self.count

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        # Repetition k of pass p is the child's pass p * count + k (k alone when endless).
        rows = self.children[0]._pass_size()
        repetition = start.row // rows if rows > 0 else 0
        if self.count != -1:
            repetition = min(repetition, self.count - 1)  # at the very end: the last one's end
        first = repetition if self.count == -1 else start.pass_index * self.count + repetition
        return [(self.children[0], Start(first, start.row - repetition * rows))]

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.repeat_op(context.build(self.children[0]), self.count)
