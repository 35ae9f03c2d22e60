"""Python functions of a pipeline run in worker processes (``python_multiprocessing=True``):
map's Python operations, batch's per_batch_map and GeneratorDataset's reads by index.

``pool.WorkerPool`` starts the processes and hands them blocks of rows; ``worker_main`` is
the loop each process runs; ``transport`` moves results back, their arrays through the
shared-memory store instead of through the pipe.
"""

from headrace.dataset.workers.pool import WorkerPool, start_pool

__all__ = ["WorkerPool", "start_pool"]
