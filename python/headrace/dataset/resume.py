"""Resuming a pipeline exactly where an iterator stopped.

An iterator's state (``iterator.get_state()``) says where its consumer stands: the epoch
and the rows it has taken in that epoch, the pipeline seed and a fingerprint of the
pipeline. Nothing of what the engine had prefetched is in it: rows made but not taken are
made again after a resume, and they come out the same.

To resume, each node of the pipeline is told where its first pass begins: the number of
that pass in an uninterrupted run (which seeds its samplers and random transforms) and the
row of that pass it starts at. The root starts at (epoch, rows); each node works out its
children's starts from its own (``Dataset._resume_children``): a map's child starts where
the map does, a batch's child at row * batch_size, a repeat's at the repetition and row the
position falls in, and so on. A random-access source then reads from its sampler's order
at that row, so nothing before the position is read, decoded or mapped, however far into
the epoch it was.

A node whose output at a position cannot be known without producing the rows before it
(a buffer shuffle, a filter, a stream without random access, a cache, ...) says so: its
``_resume_children`` raises an error naming it, and ``get_state()`` raises it, never a
state that would resume to other rows.
"""

from __future__ import annotations

import hashlib
from collections import deque
from typing import Any, Deque, Dict, List, NamedTuple, Tuple

from headrace.errors import FailedPreconditionError, InvalidArgumentError

__all__ = ["Start", "check_state", "fingerprint", "from_sampler", "init_step_position", "make_state", "plan_starts",
           "refuse_cache", "unresumable"]

STATE_FORMAT = "headrace.iterator_state"
STATE_VERSION = 1


class Start(NamedTuple):
    """Where a node's first pass begins: its number, and the row of it the output begins at."""

    pass_index: int
    row: int


def unresumable(dataset: Any, why: str) -> FailedPreconditionError:
    """The error of a node that cannot resume exactly."""
    return FailedPreconditionError(
        f"get_state: a pipeline with {type(dataset).__name__} cannot be resumed exactly: {why}")


def refuse_cache(dataset: Any) -> None:
    """Raises if `dataset` has a cache: a cache's passes are not numbered like the rows
    below it (a hit is read from the cache, a miss computed), so it cannot start mid-pass."""
    if getattr(dataset, "cache", None) is not None:
        raise unresumable(dataset, "a cache's passes are not numbered like the rows below it")


def from_sampler(dataset: Any) -> List[Tuple[Any, Start]]:
    """The children of a random-access source when it resumes: none. Its sampler's order
    is read from the start row on (SourceOp); nothing before it is read."""
    refuse_cache(dataset)
    return []


def plan_starts(dataset: Any, epoch: int, row: int) -> Dict[int, Deque[Start]]:
    """Every node's start when the root starts at row `row` of epoch `epoch`, by id(node).

    A node object used twice in the tree (ds.concat(ds)) has one start per use, in the
    order its uses are built (left to right), which is this walk's order."""
    starts: Dict[int, Deque[Start]] = {}

    def visit(node: Any, start: Start) -> None:
        starts.setdefault(id(node), deque()).append(start)
        for child, child_start in node._resume_children(start):
            visit(child, child_start)

    visit(dataset, Start(epoch, row))
    return starts


# Parameters that do not change the rows: a job may resume with other workers.
_SAME_ROWS = {"num_parallel_workers", "python_multiprocessing"}


def _parameters(node: Any) -> str:
    """A node's (or sampler's) plain parameters: batch_size=32, count=3, shuffle=True, ..."""
    plain = (bool, int, float, str)
    items = sorted((k, v) for k, v in vars(node).items()
                   if not k.startswith("_") and isinstance(v, plain) and k not in _SAME_ROWS)
    return ",".join(f"{k}={v!r}" for k, v in items)


def fingerprint(dataset: Any) -> str:
    """The pipeline's shape: each node's class, plain parameters, sampler, columns and rows
    a pass, depth first. A state resumes only the pipeline it was taken of (the functions a
    map runs are not compared: they cannot be)."""
    parts: List[str] = []

    def visit(node: Any) -> None:
        sampler = getattr(node, "sampler", None)
        used = "" if sampler is None else f";{type(sampler).__name__}({_parameters(sampler)})"
        parts.append(f"{type(node).__name__}({_parameters(node)}{used}){node.get_col_names()}"
                     f":{node._pass_size()}(")
        for child in node.children:
            visit(child)
        parts.append(")")

    visit(dataset)
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:32]


def make_state(dataset: Any, pipeline: str, epoch: int, rows: int, seed: int,
               num_epochs: int) -> Dict[str, Any]:
    """The state of an iterator over `dataset` (whose fingerprint is `pipeline`) whose
    consumer took `rows` rows of epoch `epoch`; raises if it cannot resume exactly."""
    plan_starts(dataset, epoch, rows)
    return {"format": STATE_FORMAT, "version": STATE_VERSION, "epoch": epoch, "rows": rows,
            "seed": seed, "num_epochs": num_epochs, "pipeline": pipeline}


def check_state(state: Any, dataset: Any, num_epochs: int) -> Tuple[int, int, int]:
    """(epoch, rows, seed) of `state`, checked against the pipeline it is to resume."""
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise InvalidArgumentError(
            "state must be what an iterator's get_state() returned (a dict with "
            f"format={STATE_FORMAT!r}), got {type(state).__name__}")
    if state.get("version") != STATE_VERSION:
        raise InvalidArgumentError(f"state: version {state.get('version')!r} is not this headrace's "
                                   f"({STATE_VERSION})")
    epoch, rows, seed = state.get("epoch"), state.get("rows"), state.get("seed")
    for name, value in (("epoch", epoch), ("rows", rows), ("seed", seed)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidArgumentError(f"state: {name} must be an int >= 0, got {value!r}")
    assert isinstance(epoch, int) and isinstance(rows, int) and isinstance(seed, int)
    if num_epochs != -1 and epoch > num_epochs:
        raise InvalidArgumentError(f"state: it is at epoch {epoch}, past num_epochs={num_epochs}")
    if state.get("pipeline") != fingerprint(dataset):
        raise InvalidArgumentError(
            "state: it was taken of another pipeline (its nodes, their parameters, columns or "
            "sizes differ)")
    return epoch, rows, seed


def init_step_position(dataset: Any, init_step: int) -> Tuple[int, int]:
    """(epoch, row) of step `init_step` counted over epochs (Dataset.set_init_step)."""
    size = dataset.get_dataset_size()
    if size <= 0:
        raise InvalidArgumentError(f"set_init_step: the dataset has no rows to start at step {init_step}")
    epoch, row = divmod(init_step, size)
    return epoch, row
