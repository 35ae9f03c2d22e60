"""Feeding a training loop: a pipeline's batches as PyTorch tensors or JAX arrays, kept ready
ahead of the step on a background thread (the send queue of the design).

    loader = headrace.training.to_torch(data, prefetch=4)   # iterable, one epoch per `for`
    for images, labels in loader:
        loss = step(images, labels)
    loader.statistics()   # how often the step found the queue empty, mean batches ready

Tensors share memory with the engine's arrays (torch.from_numpy: no copy). With a CUDA
device the background thread pins each batch and copies it to the device with
non_blocking=True on a stream of its own, so the step does not wait for the copy. Neither
framework is a dependency: each is imported only when asked for.
"""

from __future__ import annotations

import queue
import threading
import time
import warnings
from typing import Any, Callable, Dict, Iterator, List, Optional

from headrace.dataset.validation import check_int

__all__ = ["Prefetcher", "to_jax", "to_torch"]

_END = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Prefetcher:
    """Iterates `make_iterator()` on a background thread and keeps up to `prefetch`
    converted batches ready; each `for` over it is one pass (epoch) of the pipeline.

    An exception in the pipeline or the conversion is raised in the loop that iterates,
    with its own type and traceback. Leaving the loop early (break, an exception in the
    step) stops the thread and the pipeline."""

    def __init__(self, make_iterator: Callable[[], Iterator[Any]], convert: Callable[[Any], Any],
                 prefetch: int = 2) -> None:
        self._make_iterator = make_iterator
        self._convert = convert
        self._prefetch = check_int("prefetch", prefetch, minimum=1)
        self._steps = 0
        self._empty_steps = 0
        self._ready_sum = 0
        self._wait_seconds = 0.0
        self.last_iterator: Any = None  # the pipeline iterator of the latest pass (for profiles)

    def statistics(self) -> Dict[str, float]:
        """Over every pass so far: steps, steps that found no batch ready (the step waited),
        the seconds it waited, and the mean number of batches ready when a step asked."""
        return {"steps": self._steps, "empty_steps": self._empty_steps,
                "wait_seconds": self._wait_seconds,
                "mean_ready": self._ready_sum / self._steps if self._steps else 0.0,
                "prefetch": self._prefetch}

    def __iter__(self) -> Iterator[Any]:
        ready: "queue.Queue[Any]" = queue.Queue(maxsize=self._prefetch)
        stop = threading.Event()

        def produce() -> None:
            iterator = None
            try:
                iterator = self._make_iterator()
                self.last_iterator = iterator
                for batch in iterator:
                    item = self._convert(batch)
                    while not stop.is_set():
                        try:
                            ready.put(item, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                item = _END
            except BaseException as error:  # raised again in the training loop
                item = _Failure(error)
            finally:
                stop_iterator = getattr(iterator, "stop", None)
                if stop_iterator is not None:
                    stop_iterator()
            while not stop.is_set():
                try:
                    ready.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue

        thread = threading.Thread(target=produce, name="headrace-prefetch", daemon=True)
        thread.start()
        try:
            while True:
                self._steps += 1
                self._ready_sum += ready.qsize()
                try:
                    item = ready.get_nowait()
                except queue.Empty:
                    self._empty_steps += 1
                    started = time.perf_counter()
                    item = ready.get()
                    self._wait_seconds += time.perf_counter() - started
                if item is _END:
                    self._steps -= 1
                    return
                if isinstance(item, _Failure):
                    self._steps -= 1
                    raise item.error
                yield item
        finally:
            stop.set()
            thread.join()


def _columns(row: Any) -> List[Any]:
    return list(row.values()) if isinstance(row, dict) else list(row)


def to_torch(dataset: Any, prefetch: int = 2, device: Optional[Any] = None,
             columns: Optional[List[str]] = None) -> Prefetcher:
    """The pipeline's rows as tuples of torch tensors that share memory with the engine's
    arrays; with a CUDA `device`, copied there from pinned memory off the step's path."""
    import torch

    target = torch.device(device) if device is not None else None
    on_accelerator = target is not None and target.type == "cuda"
    stream = torch.cuda.Stream(device=target) if on_accelerator else None

    def tensor(array: Any) -> Any:
        with warnings.catch_warnings():
            # Read-only arrays (views of shared memory) make tensors over the same bytes;
            # a step must not write into its input batch.
            warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
            return torch.from_numpy(array)

    def convert(row: Any) -> Any:
        tensors = tuple(tensor(array) for array in _columns(row))
        if stream is not None:  # on_accelerator
            with torch.cuda.stream(stream):
                tensors = tuple(t.pin_memory().to(target, non_blocking=True) for t in tensors)
            stream.synchronize()  # on this background thread: the step gets a finished copy
        elif target is not None and target.type != "cpu":
            tensors = tuple(t.to(target) for t in tensors)
        return tensors

    return Prefetcher(lambda: dataset.create_tuple_iterator(columns=columns, num_epochs=1), convert, prefetch)


def to_jax(dataset: Any, prefetch: int = 2, device: Optional[Any] = None,
           columns: Optional[List[str]] = None) -> Prefetcher:
    """The pipeline's rows as tuples of JAX arrays, put on `device` (default: JAX's first
    device) by the background thread."""
    import jax

    target = device if device is not None else jax.devices()[0]

    def convert(row: Any) -> Any:
        return tuple(jax.device_put(array, target) for array in _columns(row))

    return Prefetcher(lambda: dataset.create_tuple_iterator(columns=columns, num_epochs=1), convert, prefetch)
