"""shuffle: a random order through a buffer of rows (Dataset.shuffle)."""

from __future__ import annotations

from typing import List, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, unresumable
from headrace.dataset.validation import check_int

__all__ = ["ShuffleDataset"]


class ShuffleDataset(Dataset):
    def __init__(self, child: Dataset, buffer_size: int) -> None:
        super().__init__([child])
        self.buffer_size = check_int("buffer_size", buffer_size, minimum=2, maximum=2**31 - 1)

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        return self.children[0]._pass_size()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        raise unresumable(self, "the rows in its buffer depend on every row before the position; "
                          "the source's own shuffle (shuffle=True) resumes")

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.shuffle_op(context.build(self.children[0]), self.buffer_size,
                                  context.next_seed())
