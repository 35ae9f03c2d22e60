"""Samplers: which rows of a random-access source a pass reads, and in what order
(mirrors ``mindspore.dataset`` samplers)."""

from __future__ import annotations

import operator
from typing import Optional

import numpy as np

from headrace._core import engine as _engine
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import InvalidArgumentError

__all__ = [
    "DistributedSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "SubsetSampler",
]


class Sampler:
    """Base of the samplers; `num_samples` limits the rows of a pass (None: all)."""

    def __init__(self, num_samples: Optional[int] = None) -> None:
        if num_samples is not None:
            check_int("num_samples", num_samples, minimum=0)
        self.num_samples = num_samples

    def _num_samples_arg(self) -> int:
        return self.num_samples or 0

    def _build(self, seed: int) -> "_engine.Sampler":
        raise NotImplementedError

    def pass_size(self, source_size: int) -> int:
        return self._build(0).pass_size(source_size)


class SequentialSampler(Sampler):
    """Rows start_index, start_index + 1, ... in order."""

    def __init__(self, start_index: Optional[int] = None, num_samples: Optional[int] = None) -> None:
        super().__init__(num_samples)
        self.start_index = 0 if start_index is None else check_int("start_index", start_index, minimum=0)

    def _build(self, seed: int) -> "_engine.Sampler":
        return _engine.SequentialSampler(self.start_index, self._num_samples_arg())


class RandomSampler(Sampler):
    """A new random order every pass; with replacement, independent draws."""

    def __init__(self, replacement: bool = False, num_samples: Optional[int] = None) -> None:
        super().__init__(num_samples)
        self.replacement = check_bool("replacement", replacement)

    def _build(self, seed: int) -> "_engine.Sampler":
        return _engine.RandomSampler(self.replacement, self._num_samples_arg(), seed)


class DistributedSampler(Sampler):
    """Shard `shard_id` of `num_shards`: every shard gets ceil(rows / num_shards) rows,
    positions shard_id, shard_id + num_shards, ... wrapping around to pad the last ones.
    Shards shuffle alike (same seed), so together they read every row.

    offset (MindSpore's): -1 for the above; 0 <= offset <= num_shards deals the rows
    without padding from shard `offset` on (row 0 to shard offset, row 1 to the next, ...),
    so shards may differ by one row. ConcatDataset.use_sampler sets it for each child so
    that the whole concatenation is dealt as one dataset."""

    def __init__(self, num_shards: int, shard_id: int, shuffle: bool = True,
                 num_samples: Optional[int] = None, offset: int = -1) -> None:
        super().__init__(num_samples)
        self.num_shards = check_int("num_shards", num_shards, minimum=1)
        self.shard_id = check_int("shard_id", shard_id, minimum=0)
        if shard_id >= num_shards:
            raise InvalidArgumentError(f"shard_id must be less than num_shards ({num_shards}), got {shard_id}")
        self.shuffle = check_bool("shuffle", shuffle)
        self.offset = self._checked_offset(offset)

    def _checked_offset(self, offset: int) -> int:
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise TypeError(f"offset must be an int, got {type(offset).__name__} {offset!r}")
        if offset < -1 or offset > self.num_shards:
            raise InvalidArgumentError(
                f"offset must be -1 or no more than num_shards({self.num_shards}), but got: {offset}")
        return offset

    def set_offset(self, offset: int) -> "DistributedSampler":
        """Sets `offset` (as MindSpore's set_offset); returns the sampler."""
        self.offset = self._checked_offset(offset)
        return self

    def _build(self, seed: int) -> "_engine.Sampler":
        return _engine.DistributedSampler(self.num_shards, self.shard_id, self.shuffle,
                                          self._num_samples_arg(), seed, self.offset)


class SubsetSampler(Sampler):
    """The rows at `indices`, in that order."""

    _shuffle = False

    def __init__(self, indices, num_samples: Optional[int] = None) -> None:
        super().__init__(num_samples)
        if isinstance(indices, (str, bytes)):
            raise TypeError(f"indices must be a sequence of ints, got {indices!r}")
        try:
            items = list(indices)
        except TypeError:
            raise TypeError(f"indices must be a sequence of ints, got {indices!r}") from None
        values = []
        for position, item in enumerate(items):
            # Integers only (NumPy's too): int() would turn 1.9 into 1 and '2' into 2.
            try:
                value = operator.index(item) if not isinstance(item, (bool, np.bool_)) else None
            except TypeError:
                value = None
            if value is None:
                raise TypeError(f"indices[{position}] must be an int, got {type(item).__name__} {item!r}")
            values.append(check_int(f"indices[{position}]", value, minimum=0))
        self.indices = values

    def pass_size(self, source_size: int) -> int:
        count = len(self.indices)
        return min(count, self.num_samples) if self.num_samples else count

    def _build(self, seed: int) -> "_engine.Sampler":
        return _engine.SubsetSampler(self.indices, self._shuffle, self._num_samples_arg(), seed)


class SubsetRandomSampler(SubsetSampler):
    """The rows at `indices`, in a new random order every epoch."""

    _shuffle = True
