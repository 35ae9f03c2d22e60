"""How a result travels from a worker process back to the pipeline.

A result is pickled with protocol 5: every contiguous buffer in it (the data of each NumPy
array, wherever it sits in tuples, dicts or other picklable objects) is handed to a
callback instead of being copied into the pickle. Buffers of at least
``SHARED_MEMORY_MIN_BYTES`` are written once into the shared-memory store by the worker;
the pipeline then rebuilds the object over the store's blocks, so its arrays are views of
shared memory and nothing is copied again. Smaller buffers stay in the pickle: for them a
block costs more than the bytes. When the store is full, buffers stay in the pickle too:
slower, but nothing is lost.
"""

from __future__ import annotations

import pickle
from typing import Any, List, Tuple

from headrace.errors import OutOfMemoryError

__all__ = ["SHARED_MEMORY_MIN_BYTES", "decode", "discard", "encode"]

# Below this a buffer is cheaper to copy through the pipe than to place in a block.
SHARED_MEMORY_MIN_BYTES = 64 * 1024

# (pickle bytes, [(offset, size) of each out-of-band buffer, in pickle order])
Encoded = Tuple[bytes, List[Tuple[int, int]]]


def encode(obj: Any, store: Any) -> Encoded:
    """Pickles `obj`, its large buffers written into `store` (in the worker process)."""
    blocks: List[Tuple[int, int]] = []

    def out_of_band(buffer: pickle.PickleBuffer) -> bool:
        view = buffer.raw()
        if view.nbytes < SHARED_MEMORY_MIN_BYTES:
            return True  # in the pickle
        try:
            offset = store.put(view)
        except OutOfMemoryError:
            return True
        blocks.append((offset, view.nbytes))
        return False

    try:
        data = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band)
    except BaseException:
        discard(blocks, store)
        raise
    return data, blocks


def decode(encoded: Encoded, store: Any) -> Any:
    """The object again (in the pipeline process): its arrays are views of the blocks,
    which are freed when the last view goes."""
    data, blocks = encoded
    buffers = [store.take(offset, size) for offset, size in blocks]
    return pickle.loads(data, buffers=buffers)


def discard(blocks: List[Tuple[int, int]], store: Any) -> None:
    """Frees the blocks of a result nobody will decode (the pipeline stopped)."""
    for offset, _ in blocks:
        store.release(offset)
