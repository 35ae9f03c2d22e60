"""zip and concat: several datasets side by side, or one after another."""

from __future__ import annotations

from typing import List, Sequence

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.errors import InvalidArgumentError

__all__ = ["ConcatDataset", "ZipDataset"]


def _datasets(name: str, datasets: Sequence[Dataset]) -> List[Dataset]:
    items = list(datasets)
    if len(items) < 2:
        raise InvalidArgumentError(f"{name} needs at least two datasets, got {len(items)}")
    for item in items:
        if not isinstance(item, Dataset):
            raise InvalidArgumentError(f"{name}: {item!r} is not a dataset")
    return items


class ZipDataset(Dataset):
    """Row i of every dataset side by side; as long as the shortest."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        super().__init__(_datasets("zip", datasets))
        names = [n for child in self.children for n in child.get_col_names()]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InvalidArgumentError(f"zip: column names {repeated} appear in more than one "
                                       "dataset; rename them first")
        self._column_names = names

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        return min(child._pass_size() for child in self.children)

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.zip_op([child._build(context) for child in self.children])


class ConcatDataset(Dataset):
    """All rows of the first dataset, then of the next, ..."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        super().__init__(_datasets("concat", datasets))
        names = self.children[0].get_col_names()
        for child in self.children[1:]:
            if child.get_col_names() != names:
                raise InvalidArgumentError(
                    f"concat: the datasets have different columns {names} and {child.get_col_names()}")

    def get_col_names(self) -> List[str]:
        return self.children[0].get_col_names()

    def _pass_size(self) -> int:
        return sum(child._pass_size() for child in self.children)

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.concat_op([child._build(context) for child in self.children])
