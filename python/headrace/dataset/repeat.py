"""repeat: the dataset several times in a row, as one epoch (Dataset.repeat)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start
from headrace.dataset.validation import check_int

__all__ = ["RepeatDataset"]

# The child passes an endless repeat's pass may use: RepeatOp::kEndlessStride.
_ENDLESS_STRIDE = 1 << 32


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
        # Repetition k of pass p is the child's pass p * count + k (repeat_op.h).
        rows = self.children[0]._pass_size()
        repetition = start.row // rows if rows > 0 else 0
        if self.count != -1:
            repetition = min(repetition, self.count - 1)  # at the very end: the last one's end
        stride = _ENDLESS_STRIDE if self.count == -1 else self.count
        return [(self.children[0], Start(start.pass_index * stride + repetition,
                                         start.row - repetition * rows))]

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.repeat_op(context.build(self.children[0]), self.count)
