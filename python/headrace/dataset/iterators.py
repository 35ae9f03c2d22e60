"""Iterators over a pipeline: they launch the C++ tree and hand out its rows.

An iterator owns a running tree. It stops it (every thread joined) when it reaches the
end, meets an error, is closed with stop(), is garbage-collected, or when the interpreter
exits, so no engine thread outlives it. A pass begun after the last of its num_epochs
epochs raises FailedPreconditionError (a RuntimeError), as MindSpore does; after stop() or
an error it just ends.

get_state() says where the consumer stands (the epoch, the rows taken in it); an iterator
made with ``state=`` continues from there with the rows an uninterrupted run gives
(resume.py).
"""

from __future__ import annotations

import atexit
import os
import weakref
from typing import Any, Dict, List, Optional, Sequence, TypeVar

from headrace._core import engine as _engine
from headrace.dataset import config, resume
from headrace.dataset.resources import close_resources
from headrace.dataset.validation import check_columns_exist, check_int, column_list
from headrace.errors import FailedPreconditionError

__all__ = ["DictIterator", "TupleIterator"]

# Rows per block between ops; see cpp/headrace/engine/row_block.h. Each block costs a
# wake-up or two of the next op's thread; 128 measured best for small rows on 2 cores
# (32: 0.50 s, 128: 0.40 s, 512: 0.38 s for the light benchmark), and slow sources still
# flush after 500 us.
_BLOCK_ROWS = 128

# What get_next() says it returned (an end of epoch is the remaining kind, 1).
_ROW, _END_OF_DATA = 0, 2

_live: "weakref.WeakSet[_Iterator]" = weakref.WeakSet()
_Self = TypeVar("_Self", bound="_Iterator")


@atexit.register
def _stop_all() -> None:
    # Engine threads must not outlive the interpreter: they may hold Python objects.
    for iterator in list(_live):
        iterator.stop()


def _progress_bar(dataset: Any, num_epochs: int) -> Any:
    """A tqdm bar over the rows of `num_epochs` epochs (rows/s shown), or None without tqdm."""
    try:
        from tqdm import tqdm
    except ImportError:
        import warnings

        warnings.warn("config.set_progress_bar(True) needs tqdm (pip install tqdm); no bar is shown",
                      RuntimeWarning, stacklevel=3)
        return None
    try:
        total = dataset.get_dataset_size() * num_epochs if num_epochs > 0 else None
    except Exception:  # a size that cannot be known without reading: no total
        total = None
    return tqdm(total=total, unit="row", desc="headrace", dynamic_ncols=True)


class _Iterator:
    def __init__(self, dataset: Any, num_epochs: int, state: Optional[Dict[str, Any]] = None) -> None:
        from headrace.dataset.dataset import build_pipeline
        if num_epochs != -1:
            check_int("num_epochs", num_epochs, minimum=1)
        self._owner_pid = os.getpid()
        self._column_names = dataset.get_col_names()
        self._dataset = dataset
        # Where the consumer stands: the epoch, and the rows it has taken of it.
        self._epoch, self._rows = 0, 0
        self._seed = config.get_seed()
        self._fingerprint: Optional[str] = None  # of the pipeline, made at the first get_state()
        starts = None
        if state is not None:
            self._epoch, self._rows, self._seed = resume.check_state(state, dataset, num_epochs)
            self._fingerprint = state["pipeline"]
        elif dataset._init_step:
            self._epoch, self._rows = resume.init_step_position(dataset, dataset._init_step)
        if self._epoch or self._rows:
            starts = resume.plan_starts(dataset, self._epoch, self._rows)
        root, context = build_pipeline(dataset, self._seed, starts)
        # Worker pools and the like: closed once the tree's threads are gone.
        self._resources = context.resources
        self._tree: Optional[_engine.Iterator]  # None once stopped
        try:
            self._tree = _engine.Iterator(root, config.get_prefetch_size(), _BLOCK_ROWS, num_epochs,
                                          self._epoch)
        except BaseException:
            close_resources(self._resources)
            raise
        self._finished = False
        # Set when the last of `num_epochs` epochs has ended: one more pass is a mistake
        # that MindSpore reports (a RuntimeError) instead of ending silently.
        self._num_epochs = num_epochs
        self._past_last_epoch = False
        self._progress = _progress_bar(dataset, num_epochs) if config.get_progress_bar() else None
        _live.add(self)

    def __iter__(self: _Self) -> _Self:
        return self

    def _next_columns(self) -> Sequence[Any]:
        tree = self._tree
        if self._finished or tree is None:  # stop() may run on another thread
            if self._past_last_epoch:  # (checked here, off the path of every row)
                raise FailedPreconditionError(
                    "EOF buffer encountered. User tries to fetch data beyond the specified number of "
                    f"epochs (num_epochs={self._num_epochs}).")
            raise StopIteration
        try:
            kind, columns = tree.get_next()
        except BaseException:
            # The traceback keeps this frame: it must not keep the tree (see stop()).
            del tree
            self._finished = True
            self.stop()
            raise
        if kind == _ROW:
            assert columns is not None
            self._rows += 1
            if self._progress is not None:
                self._progress.update(1)
            return columns
        self._epoch, self._rows = self._epoch + 1, 0
        if kind == _END_OF_DATA:
            self._finished = self._past_last_epoch = True
            self.stop()
        raise StopIteration

    def get_state(self) -> Dict[str, Any]:
        """Where the consumer stands, as a small dict of plain values (picklable, JSON-able):
        the epoch, the rows taken of it, the pipeline seed. ``create_tuple_iterator(...,
        state=s)`` continues from it: the rows not yet taken, equal to those this iterator
        would give, none read twice. What the engine has prefetched is not part of it.
        Raises FailedPreconditionError if the pipeline cannot resume exactly (a buffer
        shuffle, a filter, a Python generator without random access, a cache, ...)."""
        if self._fingerprint is None:
            self._fingerprint = resume.fingerprint(self._dataset)
        return resume.make_state(self._dataset, self._fingerprint, self._epoch, self._rows,
                                 self._seed, self._num_epochs)

    def stop(self) -> None:
        """Stops the pipeline and joins its threads; the iterator then ends. Does nothing
        in a forked child that inherited the iterator: the threads are the parent's."""
        if getattr(self, "_owner_pid", None) != os.getpid():
            return
        tree = getattr(self, "_tree", None)
        if tree is not None:
            tree.stop()
            self._final_statistics = tree.statistics()
            # Drop the stopped tree now: it holds the error that ended it, and that
            # exception's traceback holds this iterator, a cycle through C++ that the
            # garbage collector cannot see (it kept the tree and its rows forever).
            self._tree = None
            del tree
        close_resources(getattr(self, "_resources", []))
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.close()
            self._progress = None
        self._finished = True

    def __del__(self) -> None:
        self.stop()

    def get_statistics(self) -> List[Dict[str, Any]]:
        """Every op's statistics so far, root first (rows, worker time split into busy,
        waiting for input and blocked on output; see headrace.dataset.profile); after the
        iterator stopped, as they were then."""
        tree = self._tree
        if tree is not None:
            return tree.statistics()
        return list(getattr(self, "_final_statistics", []))

    def get_tree_string(self) -> str:
        """The launched tree, one op per line (for debugging), while the iterator runs."""
        if self._tree is None:
            raise FailedPreconditionError("get_tree_string: the iterator has stopped")
        return self._tree.tree_string()


class TupleIterator(_Iterator):
    """Yields each row as a list of NumPy arrays (``columns`` selects and orders them)."""

    def __init__(self, dataset: Any, columns: Optional[Sequence[str]], num_epochs: int,
                 state: Optional[Dict[str, Any]] = None) -> None:
        selected = column_list("columns", columns)
        if selected is not None:  # before anything is launched
            check_columns_exist("columns", selected, dataset.get_col_names())
        super().__init__(dataset, num_epochs, state)
        self._select = None if selected is None else [self._column_names.index(c) for c in selected]

    def __next__(self) -> List[Any]:
        row = self._next_columns()
        return list(row) if self._select is None else [row[i] for i in self._select]


class DictIterator(_Iterator):
    """Yields each row as {column name: NumPy array}."""

    def __next__(self) -> Dict[str, Any]:
        return dict(zip(self._column_names, self._next_columns()))
