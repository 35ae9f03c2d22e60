"""project and rename: choose, reorder or rename columns (Dataset.project, Dataset.rename)."""

from __future__ import annotations

from typing import List, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start
from headrace.dataset.validation import check_columns_exist, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["ProjectDataset", "RenameDataset"]


class ProjectDataset(Dataset):
    def __init__(self, child: Dataset, columns: Union[str, Sequence[str]]) -> None:
        super().__init__([child])
        names = column_list("columns", columns)
        if names is None:
            raise InvalidArgumentError("columns must name at least one column")
        check_columns_exist("project: columns", names, child.get_col_names(), role="column to be projected")
        self.columns = names

    def get_col_names(self) -> List[str]:
        return list(self.columns)

    def _pass_size(self) -> int:
        return self.children[0]._pass_size()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return [(self.children[0], start)]

    def _build(self, context: BuildContext) -> "_engine.Op":
        names = self.children[0].get_col_names()
        return _engine.project_op(context.build(self.children[0]),
                                  [names.index(c) for c in self.columns])


class RenameDataset(Dataset):
    """Renaming changes no data, so it builds no op of its own."""

    def __init__(self, child: Dataset, input_columns: Union[str, Sequence[str]],
                 output_columns: Union[str, Sequence[str]]) -> None:
        super().__init__([child])
        inputs = column_list("input_columns", input_columns)
        outputs = column_list("output_columns", output_columns)
        if inputs is None or outputs is None or len(inputs) != len(outputs):
            raise InvalidArgumentError("input_columns and output_columns must name as many columns")
        names = child.get_col_names()
        check_columns_exist("rename: input_columns", inputs, names, role="column to be renamed")
        renamed = [outputs[inputs.index(n)] if n in inputs else n for n in names]
        for name in renamed:
            if renamed.count(name) > 1:
                # MindSpore's wording: the fault is the name that already exists.
                raise InvalidArgumentError(
                    f"rename: output_columns: cannot rename a column into '{name}', the name of "
                    f"another column that already exists; the columns would be {renamed}")
        self._column_names = renamed

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        return self.children[0]._pass_size()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return [(self.children[0], start)]

    def _build(self, context: BuildContext) -> "_engine.Op":
        return context.build(self.children[0])
