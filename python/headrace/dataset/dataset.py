"""Dataset: the description of a pipeline, as ``mindspore.dataset.Dataset``.

A Dataset object only describes; nothing runs until an iterator is created. Then the
description is built bottom-up into C++ ops (``_build``), handed to the engine, and the
iterator reads the rows. Arguments are checked when a Dataset is made, so a mistake is
reported at the line that made it.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Optional, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset import config
from headrace.dataset.resources import close_resources

if TYPE_CHECKING:  # iterators imports this module
    from headrace.dataset.iterators import DictIterator, TupleIterator
    from headrace.dataset.resume import Start

__all__ = ["BuildContext", "Dataset"]


class BuildContext:
    """What building one pipeline shares: the seeds handed to random parts, and what the
    pipeline owns besides its threads (worker pools), closed when it stops."""

    def __init__(self, seed: int, starts: Optional[Dict[int, Deque["Start"]]] = None) -> None:
        self._random = random.Random(seed)
        # Resuming: where each node's first pass begins (resume.plan_starts); None otherwise.
        self._starts = starts
        self.resources: List[Any] = []
        # Set by a cache while the pipeline below it is built (cache.py): the leaf's
        # sampler is wrapped in the cache's lookup.
        self.sampler_wrappers: List[Callable[[Any], Any]] = []

    def own(self, resource: Any) -> Any:
        """Keeps `resource` (it has close()) until the pipeline stops; returns it."""
        self.resources.append(resource)
        return resource

    def build(self, dataset: "Dataset") -> "_engine.Op":
        """The C++ op of `dataset` (a child being built), started where its rows resume."""
        op = dataset._build(self)
        self.place(dataset, op)
        starts = None if self._starts is None else self._starts.get(id(dataset))
        if starts and len(starts) > 1:  # a node used again takes its next start
            starts.popleft()
        return op

    def place(self, dataset: "Dataset", op: "_engine.Op") -> None:
        """When resuming, starts `op` (the op of `dataset`, or one inside it that makes the
        same rows) at `dataset`'s start."""
        starts = None if self._starts is None else self._starts.get(id(dataset))
        if starts:
            op.set_start(starts[0].pass_index, starts[0].row)

    def next_seed(self) -> int:
        """A seed for the next random part; the same pipeline seed gives the same ones."""
        return self._random.getrandbits(64)

    def make_sampler(self, sampler: Any) -> Any:
        """The C++ sampler of a leaf: `sampler` seeded, wrapped by a cache above if any."""
        built = sampler._build(self.next_seed())
        for wrap in self.sampler_wrappers:
            built = wrap(built)
        return built


class Dataset:
    """Base of every dataset. Subclasses set ``children`` and implement ``_build``,
    ``get_col_names`` and ``_pass_size``."""

    def __init__(self, children: Sequence["Dataset"] = ()) -> None:
        self.children: List[Dataset] = list(children)
        self._init_step = 0  # set_init_step

    # -- description ------------------------------------------------------------------

    def get_col_names(self) -> List[str]:
        """The names of the columns of every row."""
        raise NotImplementedError

    def get_dataset_size(self) -> int:
        """Rows (or batches) of one epoch."""
        return self._pass_size()

    def _pass_size(self) -> int:
        raise NotImplementedError

    def get_batch_size(self) -> int:
        """The batch size of the nearest batch below, 1 if there is none."""
        return self.children[0].get_batch_size() if self.children else 1

    def get_repeat_count(self) -> int:
        """The count of the nearest repeat below, 1 if there is none."""
        return self.children[0].get_repeat_count() if self.children else 1

    def output_shapes(self) -> List[List[int]]:
        """Shapes of the columns of the first row."""
        return [list(column.shape) for column in self._first_row()]

    def output_types(self) -> List[Any]:
        """NumPy dtypes of the columns of the first row."""
        return [column.dtype for column in self._first_row()]

    def _count_rows(self) -> int:
        """Rows of one epoch found by running the pipeline, for ops whose output size only
        the data decides (filter, bucketing), as MindSpore does."""
        iterator = self.create_tuple_iterator(num_epochs=1)
        try:
            return sum(1 for _ in iterator)
        finally:
            iterator.stop()

    def _first_row(self) -> List[Any]:
        iterator = self.create_tuple_iterator(num_epochs=1)
        try:
            return next(iterator)
        finally:
            iterator.stop()

    def _build(self, context: BuildContext) -> "_engine.Op":
        raise NotImplementedError

    def _resume_children(self, start: "Start") -> List[Tuple["Dataset", "Start"]]:
        """Where each child starts when this node starts at `start` (see resume.py), or an
        error (resume.unresumable) if this node cannot start in the middle of its rows."""
        from headrace.dataset.resume import unresumable
        raise unresumable(self, "it cannot start in the middle of an epoch")

    # -- operations -------------------------------------------------------------------

    def map(self, operations: Union[Callable, Sequence[Callable]],
            input_columns: Union[None, str, Sequence[str]] = None,
            output_columns: Union[None, str, Sequence[str]] = None,
            num_parallel_workers: Optional[int] = None, **kwargs: Any) -> "Dataset":
        """Applies `operations` in order to `input_columns` of every row."""
        from headrace.dataset.map import MapDataset
        return MapDataset(self, operations, input_columns, output_columns,
                          num_parallel_workers, **kwargs)

    def batch(self, batch_size: int, drop_remainder: bool = False,
              num_parallel_workers: Optional[int] = None, **kwargs: Any) -> "Dataset":
        """Stacks `batch_size` rows into one."""
        from headrace.dataset.batch import BatchDataset
        return BatchDataset(self, batch_size, drop_remainder, num_parallel_workers, **kwargs)

    def padded_batch(self, batch_size: int, drop_remainder: bool = False,
                     num_parallel_workers: Optional[int] = None,
                     pad_info: Optional[Dict[str, Any]] = None) -> "Dataset":
        """Like batch, padding rows of different shapes: pad_info maps a column to
        (shape, pad value); None dimensions pad to the longest of the batch."""
        from headrace.dataset.batch import BatchDataset
        return BatchDataset(self, batch_size, drop_remainder, num_parallel_workers,
                            pad_info=pad_info)

    def bucket_by_sequence_length(self, column_names: Union[str, Sequence[str]],
                                  bucket_boundaries: Sequence[int],
                                  bucket_batch_sizes: Sequence[int],
                                  element_length_function: Optional[Callable[..., int]] = None,
                                  pad_info: Optional[Dict[str, Any]] = None,
                                  pad_to_bucket_boundary: bool = False,
                                  drop_remainder: bool = False) -> "Dataset":
        """Batches rows of similar length together, each batch padded."""
        from headrace.dataset.bucket import BucketBatchByLengthDataset
        return BucketBatchByLengthDataset(self, column_names, bucket_boundaries,
                                          bucket_batch_sizes, element_length_function, pad_info,
                                          pad_to_bucket_boundary, drop_remainder)

    # MindSpore's name for the same operation.
    bucket_batch_by_length = bucket_by_sequence_length

    def repeat(self, count: Optional[int] = None) -> "Dataset":
        """The dataset `count` times in a row (None or -1: without end)."""
        from headrace.dataset.repeat import RepeatDataset
        return RepeatDataset(self, count)

    def zip(self, datasets: Union["Dataset", Sequence["Dataset"]]) -> "Dataset":
        """This dataset's rows side by side with those of `datasets`."""
        from headrace.dataset.combine import ZipDataset
        others = [datasets] if isinstance(datasets, Dataset) else list(datasets)
        return ZipDataset([self, *others])

    def concat(self, datasets: Union["Dataset", Sequence["Dataset"]]) -> "Dataset":
        """This dataset's rows, then those of `datasets`."""
        from headrace.dataset.combine import ConcatDataset
        others = [datasets] if isinstance(datasets, Dataset) else list(datasets)
        return ConcatDataset([self, *others])

    def __add__(self, other: "Dataset") -> "Dataset":
        return self.concat(other)

    def filter(self, predicate: Callable[..., bool],
               input_columns: Union[None, str, Sequence[str]] = None,
               num_parallel_workers: Optional[int] = None) -> "Dataset":
        """Only the rows for which `predicate(*input_columns)` is true."""
        from headrace.dataset.filter import FilterDataset
        return FilterDataset(self, predicate, input_columns, num_parallel_workers)

    def shuffle(self, buffer_size: int) -> "Dataset":
        """Rows in a random order, through a buffer of `buffer_size` rows (at least 2)."""
        from headrace.dataset.shuffle import ShuffleDataset
        return ShuffleDataset(self, buffer_size)

    def take(self, count: int = -1) -> "Dataset":
        """The first `count` rows of each epoch (-1: all)."""
        from headrace.dataset.take_skip import TakeDataset
        return TakeDataset(self, count)

    def skip(self, count: int) -> "Dataset":
        """Every row of each epoch but the first `count`."""
        from headrace.dataset.take_skip import SkipDataset
        return SkipDataset(self, count)

    def project(self, columns: Union[str, Sequence[str]]) -> "Dataset":
        """Only `columns`, in that order."""
        from headrace.dataset.columns import ProjectDataset
        return ProjectDataset(self, columns)

    def rename(self, input_columns: Union[str, Sequence[str]],
               output_columns: Union[str, Sequence[str]]) -> "Dataset":
        """The same rows with columns renamed."""
        from headrace.dataset.columns import RenameDataset
        return RenameDataset(self, input_columns, output_columns)

    # -- iteration --------------------------------------------------------------------

    def profile(self, num_epochs: int = 1, interval: float = 0.05) -> Any:
        """Runs this pipeline for `num_epochs`, reading every row, and returns where it
        spent its time: a headrace.dataset.profile.Profile (table(), bottleneck(),
        suggestion(), plot(path))."""
        from headrace.dataset.profile import profile

        return profile(self, num_epochs, interval)

    def create_tuple_iterator(self, columns: Optional[Sequence[str]] = None,
                              num_epochs: int = -1, output_numpy: bool = False,
                              do_copy: bool = True,
                              state: Optional[Dict[str, Any]] = None) -> "TupleIterator":
        """An iterator yielding each row as a list of NumPy arrays; each epoch ends with
        StopIteration, and the next ``for`` loop over it reads the next epoch. `state`
        (an iterator's get_state()) continues where that iterator's consumer stood."""
        from headrace.dataset.iterators import TupleIterator
        return TupleIterator(self, columns, num_epochs, state)

    def create_dict_iterator(self, num_epochs: int = -1, output_numpy: bool = False,
                             do_copy: bool = True,
                             state: Optional[Dict[str, Any]] = None) -> "DictIterator":
        """Like create_tuple_iterator, yielding {column name: NumPy array}."""
        from headrace.dataset.iterators import DictIterator
        return DictIterator(self, num_epochs, state)

    def set_init_step(self, init_step: int) -> "Dataset":
        """Starts the iterators made after this call at step `init_step`, counted over
        epochs (epoch init_step // size, row init_step % size), as MindSpore's name for
        failure recovery; without replaying the steps before it (see resume.py)."""
        from headrace.dataset.validation import check_int
        self._init_step = check_int("init_step", init_step, minimum=0)
        return self

    def __iter__(self):
        return iter(self.create_tuple_iterator(num_epochs=1))

    def __len__(self) -> int:
        return self.get_dataset_size()


def build_pipeline(dataset: Dataset, seed: Optional[int] = None,
                   starts: Optional[Dict[int, Deque["Start"]]] = None) -> Tuple["_engine.Op", BuildContext]:
    """The C++ op tree of `dataset`, seeded with `seed` (by default the current config's)
    and, when resuming, started at `starts` (resume.plan_starts); and the context that owns
    what the tree needs besides its threads. If building fails, what was made so far is
    closed."""
    context = BuildContext(config.get_seed() if seed is None else seed, starts)
    try:
        return context.build(dataset), context
    except BaseException:
        close_resources(context.resources)
        raise
