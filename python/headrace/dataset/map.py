"""map: applies a chain of operations to some columns of every row (Dataset.map)."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from headrace._core import engine as _engine
from headrace.dataset import config
from headrace.dataset.cache import build_with_cache, check_cache
from headrace.dataset.dataset import BuildContext, Dataset
from headrace.dataset.resume import Start, refuse_cache, unresumable
from headrace.dataset.transforms import Compose, as_columns
from headrace.dataset.validation import check_bool, check_int, column_list, read_columns
from headrace.errors import InvalidArgumentError, UnimplementedError

__all__ = ["MapDataset"]


def output_layout(columns: List[str], inputs: List[str],
                  outputs: List[str]) -> Tuple[List[str], List[Tuple[bool, int]]]:
    """The output column names and, per output column, (True, result index) or (False,
    input column index).

    As MindSpore 2.10 does (checked against its CPU wheel): when the operations return as
    many columns as they take, result i takes the place of input column i. Otherwise the
    results come first, then the columns that were not inputs, in their order.
    """
    if len(inputs) == len(outputs):
        names, layout = [], []
        for index, name in enumerate(columns):
            if name in inputs:
                position = inputs.index(name)
                names.append(outputs[position])
                layout.append((True, position))
            else:
                names.append(name)
                layout.append((False, index))
    else:
        rest = [name for name in columns if name not in inputs]
        names = list(outputs) + rest
        layout = [(True, i) for i in range(len(outputs))] + [(False, columns.index(n)) for n in rest]
    if len(set(names)) != len(names):
        raise InvalidArgumentError(f"output_columns: the row would have repeated column names {names}")
    return names, layout


# Neighbouring native transforms that do better as one step are fused (Decode then
# RandomResizedCrop decodes only what the crop keeps). Tests and the image benchmark turn
# it off to compare; random choices are the same either way.
FUSE_TRANSFORMS = True

# Rows handed to a worker process at once. Enough that the process seldom waits for the
# engine: each block costs a round trip through the pipeline's thread, during which the
# process idles (1 ms rows on 2 processes: the workers had 93% of the 2 cores with blocks
# of 8, 97% with 16 or 32). Few, because all results of a block are held together (16 MB
# rows: 256 MB), and the first rows come after one block.
ROWS_IN_FLIGHT = 16


class _Chain:
    """Consecutive Python operations as one function for a worker process: each one's
    result, as arrays, is the next one's arguments, as in the engine's chain."""

    def __init__(self, operations: Sequence[Callable]) -> None:
        self.operations = list(operations)

    def __call__(self, *columns: Any) -> Any:
        result = self.operations[0](*columns)
        for operation in self.operations[1:]:
            result = operation(*as_columns(result))
        return result


def _operation_name(operation: Callable) -> str:
    return getattr(operation, "__qualname__", None) or type(operation).__name__


def with_worker_pools(operations: Sequence[Callable], workers: int,
                      context: BuildContext) -> List[Callable]:
    """`operations` with each run of consecutive Python callables replaced by one op whose
    calls run in a pool of `workers` processes; native operations stay in the engine."""
    from headrace.dataset.workers import start_pool

    chain: List[Callable] = []
    run: List[Callable] = []

    def flush() -> None:
        if not run:
            return
        name = "+".join(_operation_name(op) for op in run)
        description = f"map function '{name}'"
        function = run[0] if len(run) == 1 else _Chain(run)
        pool = start_pool(function, workers, description, context)
        chain.append(_engine.WorkerPoolOp(pool, name, description))
        run.clear()

    for operation in operations:
        if isinstance(operation, _engine.TensorOp):
            flush()
            chain.append(operation)
        else:
            run.append(operation)
    flush()
    return chain


class MapDataset(Dataset):
    def __init__(self, child: Dataset, operations: Union[Callable, Sequence[Callable]],
                 input_columns: Union[None, str, Sequence[str]] = None,
                 output_columns: Union[None, str, Sequence[str]] = None,
                 num_parallel_workers: Optional[int] = None,
                 python_multiprocessing: bool = False, cache: Any = None,
                 callbacks: Any = None, max_rowsize: Any = None, offload: Any = None) -> None:
        super().__init__([child])
        ops: List[Any] = list(operations) if isinstance(operations, (list, tuple)) else [operations]
        if not ops:
            raise InvalidArgumentError("operations must hold at least one operation")
        for op in ops:
            if not callable(op):
                raise InvalidArgumentError(f"operations: {op!r} is not callable")
        # A Compose's transforms join the map's own chain (native ones stay native).
        self.operations: List[Callable] = [
            inner for op in ops for inner in (op.flatten() if isinstance(op, Compose) else [op])]
        child_columns = child.get_col_names()
        # Without input_columns, what MindSpore 2.10 does (its docs say all columns): the
        # first column only.
        inputs, self._input_indices = read_columns("input_columns", input_columns, child_columns,
                                                    default=child_columns[:1])
        outputs = column_list("output_columns", output_columns) or list(inputs)
        self.input_columns, self.output_columns = inputs, outputs
        self._column_names, self._layout = output_layout(child_columns, inputs, outputs)
        if num_parallel_workers is not None:
            check_int("num_parallel_workers", num_parallel_workers, minimum=1)
        self.num_parallel_workers = num_parallel_workers
        self.python_multiprocessing = check_bool("python_multiprocessing", python_multiprocessing)
        if offload:
            raise UnimplementedError("map: offload is not implemented")
        self.cache = check_cache(cache)
        self.callbacks = []
        if callbacks is not None:
            from headrace.dataset.callback import make_dispatcher
            self.callbacks = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
            make_dispatcher(self.callbacks)  # checks them now

    def get_col_names(self) -> List[str]:
        return list(self._column_names)

    def _pass_size(self) -> int:
        return self.children[0]._pass_size()

    def _resume_children(self, start: Start) -> List[Tuple[Dataset, Start]]:
        refuse_cache(self)
        if self.callbacks:
            raise unresumable(self, "its callbacks count epochs and steps from the first row")
        return [(self.children[0], start)]  # a row for a row

    def _build(self, context: BuildContext) -> "_engine.Op":
        if self.cache is not None:
            return build_with_cache(self, context, self._build_uncached)
        return self._build_uncached(context)

    def _build_uncached(self, context: BuildContext) -> "_engine.Op":
        workers = self.num_parallel_workers or config.get_num_parallel_workers()
        child = context.build(self.children[0])
        operations, child_block_rows = self.operations, 0
        if self.python_multiprocessing:
            operations = with_worker_pools(self.operations, workers, context)
            if any(isinstance(op, _engine.WorkerPoolOp) for op in operations):
                child_block_rows = ROWS_IN_FLIGHT
        op = _engine.map_op(child, operations, self._input_indices, self._layout, workers,
                            child_block_rows, context.next_seed(), FUSE_TRANSFORMS)
        if self.callbacks:
            from headrace.dataset.callback import has_step_hooks, make_dispatcher
            op = _engine.callback_op(op, make_dispatcher(self.callbacks),
                                     has_step_hooks(self.callbacks))
        return op
