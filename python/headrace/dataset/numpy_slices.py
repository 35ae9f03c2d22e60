"""NumpySlicesDataset: rows sliced from in-memory arrays (mindspore.dataset.NumpySlicesDataset).

The arrays are handed to C++ once, without copying; row i is slice i of every column.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, from_sampler
from headrace.dataset.samplers import Sampler
from headrace.dataset.source_options import choose_sampler
from headrace.dataset.validation import check_int, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["NumpySlicesDataset"]


def _columns_of(data: Any) -> "tuple[List[str], List[np.ndarray]]":
    """(default names, arrays): a dict gives one column per key, a tuple one per item,
    anything else (a list, an array) is one column."""
    if isinstance(data, dict):
        names, values = list(data.keys()), list(data.values())
    elif isinstance(data, tuple):
        names, values = [f"column_{i}" for i in range(len(data))], list(data)
    else:
        names, values = ["column_0"], [data]
    arrays = []
    for name, value in zip(names, values):
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise InvalidArgumentError(f"data: column '{name}' cannot be made an array: {error}") from None
        if array.ndim == 0:
            raise InvalidArgumentError(f"data: column '{name}' is a scalar; it needs one entry per row")
        arrays.append(array)
    if not arrays:
        raise InvalidArgumentError("data has no column")
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise InvalidArgumentError(f"data: the columns have different lengths {[len(a) for a in arrays]}")
    return names, arrays


class NumpySlicesDataset(Dataset):
    def __init__(self, data: Any, column_names: Union[None, str, Sequence[str]] = None,
                 num_samples: Optional[int] = None, num_parallel_workers: int = 1,
                 shuffle: Optional[bool] = None, sampler: Optional[Sampler] = None,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None) -> None:
        super().__init__()
        names, self._arrays = _columns_of(data)
        given = column_list("column_names", column_names)
        if given is not None:
            if len(given) != len(self._arrays):
                raise InvalidArgumentError(
                    f"column_names has {len(given)} names for {len(self._arrays)} columns")
            names = given
        self._column_names = names
        self.num_parallel_workers = check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.sampler = choose_sampler(shuffle, sampler, num_samples, num_shards, shard_id)

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        return self.sampler.pass_size(len(self._arrays[0]))

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return from_sampler(self)

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.table_source(self._column_names, self._arrays,
                                    context.make_sampler(self.sampler),
                                    self.num_parallel_workers)
