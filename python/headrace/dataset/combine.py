"""zip and concat: several datasets side by side, or one after another."""

from __future__ import annotations

import copy
from typing import Any, List, Sequence, Tuple

from headrace._core import engine as _engine
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start
from headrace.dataset.samplers import DistributedSampler, RandomSampler
from headrace.errors import InvalidArgumentError, UnimplementedError

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
            raise InvalidArgumentError(
                f"zip: duplicate column {', '.join(repr(n) for n in repeated)} already exists when "
                "zipping datasets (the same name in more than one dataset); rename them first")
        self._column_names = names

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        return min(child._pass_size() for child in self.children)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        return [(child, start) for child in self.children]

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.zip_op([context.build(child) for child in self.children])


def _sampled_source(dataset: Dataset) -> Any:
    """The random-access source under `dataset` whose sampler a concat may replace."""
    from headrace.dataset.batch import BatchDataset

    node = dataset
    while not hasattr(node, "sampler"):
        if isinstance(node, BatchDataset):
            raise TypeError("concat: use_sampler: a child must not be batched")
        if len(node.children) != 1:
            raise UnimplementedError("concat: use_sampler needs each child to read one source")
        node = node.children[0]
    if node.sampler is None:
        raise UnimplementedError(
            f"concat: use_sampler needs random-access sources, got {type(node).__name__}")
    if node.sampler.num_samples is not None:
        raise InvalidArgumentError(f"concat: use_sampler: the num_samples of {type(node).__name__}'s "
                                   "sampler can not be set")
    return node


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

    def use_sampler(self, sampler: Any) -> None:
        """Shards the concatenation as one dataset, as MindSpore's ConcatDataset.use_sampler:
        row k of the whole goes to shard k % num_shards. `sampler` is a DistributedSampler
        without shuffle or num_samples; each child's source gets a copy whose offset is where
        the children before it stopped."""
        if isinstance(sampler, RandomSampler):
            raise UnimplementedError("concat: use_sampler with a RandomSampler is not implemented")
        if not isinstance(sampler, DistributedSampler):
            raise TypeError(
                f"concat: the sampler must be a DistributedSampler, got {type(sampler).__name__}")
        if sampler.shuffle:
            raise InvalidArgumentError("concat: the parameter shuffle of DistributedSampler must be False")
        if sampler.num_samples is not None:
            raise InvalidArgumentError(
                "concat: the parameter num_samples of DistributedSampler can not be set")
        sizes = [child.get_dataset_size() for child in self.children]
        sources = [_sampled_source(child) for child in self.children]
        offset = 0
        for source, size in zip(sources, sizes):
            source.sampler = copy.copy(sampler).set_offset(offset)
            offset = (offset + size) % sampler.num_shards

    def _pass_size(self) -> int:
        return sum(child._pass_size() for child in self.children)

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        # The child the position falls in starts there; those before it at their end (they
        # give nothing), those after it at their first row.
        sizes = [child._pass_size() for child in self.children]
        starts, before = [], 0
        for child, size in zip(self.children, sizes):
            row = min(max(start.row - before, 0), size)
            starts.append((child, Start(start.pass_index, row)))
            before += size
        return starts

    def _build(self, context: BuildContext) -> "_engine.Op":
        return _engine.concat_op([context.build(child) for child in self.children])
