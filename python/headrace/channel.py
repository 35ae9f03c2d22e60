"""A pipe from a data-processing process to training processes through headrace-server's
shared memory (mirrors mindpandas.channel).

    # processing process                       # training process
    sender = DataSender(num_shards=2)           receiver = DataReceiver(shard_id=0)
    for batch in batches:                       for part in receiver:   # ends at close()
        sender.send(batch)                          train(part)
    sender.close()

``send`` pickles the object (protocol 5): NumPy arrays in it of 64 KiB or more travel as
out-of-band buffers, each written once into a block of the server's shared-memory store,
and the receiver gets them back as read-only views of that block, without a copy; the
block is freed when every receiver that must read it has let go of it. A receiver on
another machine gets the bytes over gRPC (with the server's token).

With ``num_shards=N`` every object is split along its first axis into N even shards (the
first ones one longer when it does not divide), and receiver i gets shard i of every object
in order; ``full_batch=True`` gives every receiver the whole object. ``send`` waits while
the shard's queue holds ``max_queue_size`` objects; ``recv`` waits for an object, the end of
the stream (``EOFError``) or its timeout; both wake as soon as the queue changes.

``address=None`` means the local server (HEADRACE_CACHE_HOST/PORT or 127.0.0.1:50052),
started if none runs.
"""

from __future__ import annotations

import math
import numbers
import pickle
from typing import Any, Iterator, List, Optional, Tuple

import numpy as np

from headrace._address import default_address, default_token, parse_address
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import InvalidArgumentError

__all__ = ["DataReceiver", "DataSender"]

# Buffers at least this large leave the pickle stream and travel as blocks of their own.
OUT_OF_BAND_BYTES = 64 << 10
# recv/send waits are cut into calls of at most this long, so that Ctrl-C is seen between
# them; each call still returns the moment its queue changes.
_WAIT_SLICE = 1.0


def _connect(address: Optional[str], token: Optional[str]) -> Any:
    from headrace._core import channel as _channel

    if address is None:  # the local server, started if none runs
        from headrace.server import ensure_local_server

        host, port = default_address()
        ensure_local_server(host, port)
    else:
        host, port = parse_address(address)
    return _channel.ChannelClient(host, port, default_token(token))


def _check_name(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(f"{name} must be a non-empty string, got {value!r}")
    return value


def split_evenly(obj: Any, num_shards: int) -> List[Any]:
    """`obj` cut along its first axis into num_shards parts whose lengths differ by at most
    one, the longer ones first (numpy.array_split's rule)."""
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0:
            raise InvalidArgumentError("send: a 0-d array cannot be split into shards; use full_batch=True")
        return np.array_split(obj, num_shards)
    length = len(obj) if hasattr(obj, "__len__") else None
    bounds: List[Tuple[Any, Any]] = []  # (start, stop) of each shard
    if length is not None:
        base, extra = divmod(length, num_shards)
        sizes = [base + (1 if i < extra else 0) for i in range(num_shards)]
        starts = np.cumsum([0] + sizes)
        bounds = list(zip(starts[:-1], starts[1:]))
    if isinstance(obj, list):
        return [obj[a:b] for a, b in bounds]
    if type(obj).__name__ == "DataFrame" and hasattr(obj, "iloc"):  # pandas, when installed
        return [obj.iloc[a:b] for a, b in bounds]
    raise InvalidArgumentError(
        f"send: with num_shards > 1 the object must be a NumPy array, a list or a pandas DataFrame "
        f"to be split, got {type(obj).__name__}; pass full_batch=True to send it whole")


class DataSender:
    """The sending end of the channel (namespace, dataset_name)."""

    def __init__(self, address: Optional[str] = None, namespace: str = "default", num_shards: int = 1,
                 dataset_name: str = "dataset", full_batch: bool = False, max_queue_size: int = 10,
                 token: Optional[str] = None) -> None:
        self._namespace = _check_name("namespace", namespace)
        self._dataset_name = _check_name("dataset_name", dataset_name)
        self._num_shards = check_int("num_shards", num_shards, minimum=1)
        self._full_batch = check_bool("full_batch", full_batch)
        self._max_queue_size = check_int("max_queue_size", max_queue_size, minimum=1)
        self._client = _connect(address, token)
        self._lease = self._client.attach(namespace, dataset_name, num_shards, full_batch, max_queue_size)
        self._channel_id = self._lease.channel_id

    @property
    def num_shards(self) -> int:
        return self._num_shards

    @property
    def namespace(self) -> str:
        return self._namespace

    @property
    def dataset_name(self) -> str:
        return self._dataset_name

    @property
    def full_batch(self) -> bool:
        return self._full_batch

    def send(self, obj: Any) -> None:
        """Sends `obj` (any picklable object): split into shards, or whole to every receiver."""
        if self._lease is None:
            raise InvalidArgumentError("send: the sender is closed")
        if self._full_batch and self._num_shards > 1:
            self._put(-1, obj)
        elif self._num_shards == 1:
            self._put(0, obj)
        else:
            for shard, part in enumerate(split_evenly(obj, self._num_shards)):
                self._put(shard, part)

    def _put(self, shard: int, obj: Any) -> None:
        buffers: List[pickle.PickleBuffer] = []

        def out_of_band(buffer: pickle.PickleBuffer) -> bool:
            if buffer.raw().nbytes >= OUT_OF_BAND_BYTES:
                buffers.append(buffer)
                return False
            return True

        stream = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band)
        blobs = []
        for data in [stream] + [b.raw() for b in buffers]:
            source = np.frombuffer(data, dtype=np.uint8)
            blob = self._client.new_blob(source.nbytes)
            np.copyto(blob.memory, source)  # the one copy: into the server's store when local
            blobs.append(blob)
        self._client.put(self._channel_id, shard, blobs)

    def get_queue(self, shard_id: Optional[int] = None) -> List[Any]:
        """The objects sent and not yet received, oldest first, left in their queue: of
        shard `shard_id`, or with None of every shard (one list per shard; a single list
        when there is one shard)."""
        if shard_id is not None:
            check_int("shard_id", shard_id, minimum=0, maximum=self._num_shards - 1)
            shards = [shard_id]
        else:
            shards = list(range(self._num_shards))
        queues = [[pickle.loads(blobs[0], buffers=blobs[1:])
                   for blobs in self._client.queued(self._channel_id, shard)] for shard in shards]
        return queues[0] if shard_id is not None or self._num_shards == 1 else queues

    def close(self) -> None:
        """No more objects: receivers get what is queued, then the end of the stream."""
        if self._lease is not None:
            self._client.close(self._channel_id)
            self._lease = None

    def __enter__(self) -> "DataSender":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class DataReceiver:
    """The receiving end of shard `shard_id` of the channel (namespace, dataset_name)."""

    def __init__(self, address: Optional[str] = None, namespace: str = "default", shard_id: int = 0,
                 dataset_name: str = "dataset", token: Optional[str] = None) -> None:
        self._namespace = _check_name("namespace", namespace)
        self._dataset_name = _check_name("dataset_name", dataset_name)
        self._shard_id = check_int("shard_id", shard_id, minimum=0)
        self._client = _connect(address, token)
        self._info: Optional[dict] = None
        self._ended = False
        # A channel that exists already is checked now; one that does not yet is waited
        # for by the first recv, up to its timeout.
        try:
            self._describe(0.0)
        except KeyError:
            pass

    def _describe(self, timeout: Optional[float]) -> dict:
        if self._info is None:
            info = self._client.describe(self._namespace, self._dataset_name, timeout)
            if self._shard_id >= info["num_shards"]:
                raise InvalidArgumentError(
                    f"shard_id {self._shard_id} is out of range: the channel "
                    f"{self._namespace}/{self._dataset_name} has {info['num_shards']} shards")
            self._info = info
        return self._info

    @property
    def shard_id(self) -> int:
        return self._shard_id

    @property
    def num_shards(self) -> int:
        return self._describe(None)["num_shards"]

    def _get(self, timeout: Optional[float], peek: bool) -> Any:
        from headrace.errors import DeadlineExceededError

        # The client checks each wait too, but the slices below would turn a NaN timeout
        # into waits of a second, forever. An infinite one waits as None does.
        if timeout is not None and not (isinstance(timeout, numbers.Real) and timeout >= 0):
            raise InvalidArgumentError(f"timeout must be None or a non-negative number of seconds, got {timeout}")
        if timeout is not None and math.isinf(timeout):
            timeout = None
        info = self._describe(timeout)
        remaining = timeout
        while True:
            wait = _WAIT_SLICE if remaining is None else min(_WAIT_SLICE, remaining)
            try:
                blobs = self._client.get(info["channel_id"], self._shard_id, wait, peek)
                break
            except DeadlineExceededError:
                if remaining is not None:
                    remaining -= wait
                    if remaining <= 0:
                        raise TimeoutError(
                            f"recv: nothing arrived on {self._namespace}/{self._dataset_name} shard "
                            f"{self._shard_id} within {timeout} s") from None
        if blobs is None:
            self._ended = True
            raise EOFError(f"the sender of {self._namespace}/{self._dataset_name} has closed the channel")
        return pickle.loads(blobs[0], buffers=blobs[1:])

    def recv(self, timeout: Optional[float] = None) -> Any:
        """The next object of this shard. Raises EOFError once the sender has closed and
        everything was received, TimeoutError when nothing came within `timeout` seconds."""
        return self._get(timeout, peek=False)

    def peek(self, timeout: Optional[float] = None) -> Any:
        """The next object, left in the queue."""
        return self._get(timeout, peek=True)

    def __iter__(self) -> Iterator[Any]:
        while True:
            try:
                yield self.recv()
            except EOFError:
                return
