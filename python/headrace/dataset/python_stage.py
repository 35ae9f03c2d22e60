"""GeneratorDataset -> map(Python functions) ... -> batch as one step of the engine.

Where a random-access GeneratorDataset (or a NumpySlicesDataset), the maps of Python
functions on threads above it and a plain batch meet, the engine runs them as one stage
(bindings/python_stage.h): the values stay Python objects from ``__getitem__`` (or the
table's row) to the last function, a block of indices takes the GIL once, and each batch
column is one copy from the arrays. The rows, their order, what the functions are given,
each step's number of threads and the errors are those of the unfused pipeline; the profile
shows one op ("Generator+Map+Batch", "NumpySlices+Map+Batch") where there were three. The
rows of a short last batch that is dropped are not read at all, and a batch is made by one
thread (python_stage.h says why that matters only for functions that release the GIL).
"""

from __future__ import annotations

from typing import Any, List, Optional

from headrace._core import engine as _engine
from headrace.dataset import config
from headrace.dataset.dataset import BuildContext

# Tests turn it off to compare the fused stage with the ops it replaces.
FUSE_PYTHON_STAGES = True


def _runs_in_threads(map_dataset: Any) -> bool:
    """A map whose every operation is a Python function, run on its own threads."""
    return (map_dataset.cache is None and not map_dataset.callbacks
            and not map_dataset.python_multiprocessing
            and not any(isinstance(op, _engine.TensorOp) for op in map_dataset.operations))


def _reads_in_threads(source: Any) -> bool:
    """A random-access GeneratorDataset read on threads, with no cache."""
    in_processes = source.python_multiprocessing and source.num_parallel_workers > 1
    return source.sampler is not None and source.cache is None and not in_processes


def build_fused_batch(batch: Any, context: BuildContext) -> Optional["_engine.Op"]:
    """The stage for `batch` (a BatchDataset) and what is below it, or None when they do not
    fuse: a batch with per_batch_map or padding, anything but Python maps between it and
    the source, or a source that is neither a random-access GeneratorDataset on threads nor
    a NumpySlicesDataset under at least one map (without maps its rows never meet Python)."""
    from headrace.dataset.generator import GeneratorDataset
    from headrace.dataset.map import MapDataset
    from headrace.dataset.numpy_slices import NumpySlicesDataset

    if not FUSE_PYTHON_STAGES or batch.per_batch_map is not None or batch._pads:
        return None
    maps: List[Any] = []
    node: Any = batch.children[0]
    while type(node) is MapDataset:
        if not _runs_in_threads(node):
            return None
        maps.append(node)
        node = node.children[0]
    is_generator = type(node) is GeneratorDataset and _reads_in_threads(node)
    is_table = type(node) is NumpySlicesDataset and bool(maps)
    if not (is_generator or is_table):
        return None
    maps.reverse()  # from the source up
    # The seeds go as they go unfused: the source's sampler first, then each map's.
    sampler = context.make_sampler(node.sampler)
    for _ in maps:
        context.next_seed()
    # The stage has the most workers of any step; each step keeps to its own.
    map_workers = [m.num_parallel_workers or config.get_num_parallel_workers() for m in maps]
    workers = max([node.num_parallel_workers] + map_workers)
    chain = [(list(m.operations), list(m._input_indices), list(m._layout), w)
             for m, w in zip(maps, map_workers)]
    batch_args = (chain, batch.batch_size, batch.drop_remainder, batch.get_col_names(), workers)
    if is_generator:
        return _engine.python_stage(node.source, node.get_col_names(), sampler,
                                    node.num_parallel_workers, *batch_args)
    return _engine.table_stage(node.get_col_names(), node._arrays, sampler, *batch_args)
