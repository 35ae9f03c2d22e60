"""GeneratorDataset: rows from Python (mindspore.dataset.GeneratorDataset).

`source` is one of:
- a random-access object (``__getitem__`` and ``__len__``): read by index, in the
  sampler's order, by `num_parallel_workers` worker processes when python_multiprocessing
  is on (the default) and there are several workers, as in MindSpore, otherwise by as many
  threads;
- a callable returning an iterator (a generator function): called at every epoch;
- an iterable: ``iter(source)`` at every epoch.
Each item is a tuple with one entry per column (a single array for one column).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np

from headrace._core import engine as _engine
from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, from_sampler, unresumable
from headrace.dataset.samplers import Sampler
from headrace.dataset.source_options import choose_sampler
from headrace.dataset.validation import check_bool, check_int, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["GeneratorDataset"]


def _check_row_width(row: Any, column_names: Sequence[str]) -> None:
    """Raises unless `row` (a tuple, or one value) has one entry per column."""
    width = len(row) if isinstance(row, tuple) else 1
    if width != len(column_names):
        raise InvalidArgumentError(
            f"GeneratorDataset: the source gave a row of {width} column(s), but column_names "
            f"has {len(column_names)} names")


class _ItemAt:
    """source[index] checked against the columns: what a worker process runs for each row
    index the sampler chose."""

    def __init__(self, source: Any, column_names: Sequence[str]) -> None:
        self.source = source
        self.column_names = list(column_names)

    def __call__(self, index: np.ndarray) -> Any:
        row = self.source[int(index)]
        _check_row_width(row, self.column_names)
        return row


class GeneratorDataset(Dataset):
    def __init__(self, source: Any, column_names: Union[None, str, Sequence[str]] = None,
                 column_types: Any = None, schema: Any = None, num_samples: Optional[int] = None,
                 num_parallel_workers: int = 1, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, num_shards: Optional[int] = None,
                 shard_id: Optional[int] = None, python_multiprocessing: bool = True,
                 max_rowsize: Any = None, cache: Any = None) -> None:
        super().__init__()
        # Not in MindSpore's GeneratorDataset: a cache over a Python source (for a stream,
        # the Cache op; for a random-access source, CacheLookup and CacheMerge).
        self.cache = check_cache(cache)
        names = column_list("column_names", column_names)
        if names is None:
            raise InvalidArgumentError("column_names is required: name every column the source yields")
        self._column_names = names
        self.num_parallel_workers = check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.source = source
        self.python_multiprocessing = check_bool("python_multiprocessing", python_multiprocessing)
        self._random_access = hasattr(source, "__getitem__") and hasattr(source, "__len__")
        if self._random_access:
            self.sampler: Optional[Sampler] = choose_sampler(shuffle, sampler, num_samples,
                                                             num_shards, shard_id)
            self.num_samples = num_samples
        else:
            if not callable(source) and not hasattr(source, "__iter__"):
                raise TypeError(
                    "source must be random-access (__getitem__ and __len__), a callable "
                    f"returning an iterator, or an iterable; got {type(source).__name__}")
            if shuffle or sampler is not None or num_shards is not None:
                raise InvalidArgumentError(
                    "shuffle, sampler and num_shards need a random-access source "
                    "(__getitem__ and __len__)")
            if num_samples is not None:
                check_int("num_samples", num_samples, minimum=0)
            self.sampler = None
            self.num_samples = num_samples

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        if self.sampler is not None:
            return self.sampler.pass_size(len(self.source))
        # A stream's length is only known by reading it.
        count = sum(1 for _ in self._make_iterator())
        return min(count, self.num_samples) if self.num_samples else count

    def _make_iterator(self):
        return self.source() if callable(self.source) else iter(self.source)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        if self.sampler is None:
            raise unresumable(self, "its source is an iterable without random access, which "
                              "cannot start in the middle; give the source __getitem__ and __len__")
        return from_sampler(self)

    def _build(self, context: BuildContext) -> "_engine.Op":
        if self.cache is not None:
            return build_with_cache(self, context, self._build_uncached)
        return self._build_uncached(context)

    def _build_uncached(self, context: BuildContext) -> "_engine.Op":
        if self.sampler is not None and self.python_multiprocessing and self.num_parallel_workers > 1:
            return self._build_in_processes(context)
        if self.sampler is not None:
            return _engine.python_random_access_source(
                self.source, self._column_names, context.make_sampler(self.sampler),
                self.num_parallel_workers)
        return _engine.python_stream_source(self._make_iterator, self._column_names,
                                            self.num_samples or 0)

    def _build_in_processes(self, context: BuildContext) -> "_engine.Op":
        # The sampler's row indices, as a one-column table, mapped to source[index] by a
        # pool of worker processes: the map op keeps the sampler's order.
        from headrace.dataset.map import ROWS_IN_FLIGHT
        from headrace.dataset.workers import start_pool

        indices = _engine.table_source(["index"], [np.arange(len(self.source), dtype=np.int64)],
                                       context.make_sampler(self.sampler), 1)
        context.place(self, indices)
        description = "GeneratorDataset source"
        pool = start_pool(_ItemAt(self.source, self._column_names), self.num_parallel_workers,
                          description, context)
        layout = [(True, column) for column in range(len(self._column_names))]
        return _engine.map_op(indices, [_engine.WorkerPoolOp(pool, "Generator", description)],
                              [0], layout, self.num_parallel_workers, ROWS_IN_FLIGHT, 0, False)
