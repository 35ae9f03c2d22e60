"""GeneratorDataset: rows from Python (mindspore.dataset.GeneratorDataset).

`source` is one of:
- a random-access object (``__getitem__`` and ``__len__``): read by index, in the
  sampler's order, on `num_parallel_workers` threads;
- a callable returning an iterator (a generator function): called at every epoch;
- an iterable: ``iter(source)`` at every epoch.
Each item is a tuple with one entry per column (a single array for one column).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Union

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.samplers import Sampler
from headrace.dataset.source_options import choose_sampler
from headrace.dataset.validation import check_int, column_list
from headrace.errors import InvalidArgumentError

__all__ = ["GeneratorDataset"]


class GeneratorDataset(Dataset):
    def __init__(self, source: Any, column_names: Union[None, str, Sequence[str]] = None,
                 column_types: Any = None, schema: Any = None, num_samples: Optional[int] = None,
                 num_parallel_workers: int = 1, shuffle: Optional[bool] = None,
                 sampler: Optional[Sampler] = None, num_shards: Optional[int] = None,
                 shard_id: Optional[int] = None, python_multiprocessing: bool = True,
                 max_rowsize: Any = None) -> None:
        super().__init__()
        names = column_list("column_names", column_names)
        if names is None:
            raise InvalidArgumentError("column_names is required: name every column the source yields")
        self._column_names = names
        self.num_parallel_workers = check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.source = source
        self._random_access = hasattr(source, "__getitem__") and hasattr(source, "__len__")
        if self._random_access:
            self.sampler: Optional[Sampler] = choose_sampler(shuffle, sampler, num_samples,
                                                             num_shards, shard_id)
            self.num_samples = num_samples
        else:
            if not callable(source) and not hasattr(source, "__iter__"):
                raise InvalidArgumentError(
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

    def _build(self, context: BuildContext) -> "_engine.Op":
        if self.sampler is not None:
            return _engine.python_random_access_source(
                self.source, self._column_names, self.sampler._build(context.next_seed()),
                self.num_parallel_workers)
        return _engine.python_stream_source(self._make_iterator, self._column_names,
                                            self.num_samples or 0)
