"""Pipelines with a DatasetCache: epoch 2 gives the same rows as epoch 1 and reads them from
the cache; shuffles above it still shuffle; a server that dies mid-epoch or is absent."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import warnings

import numpy as np
import pytest

import headrace.dataset as ds
from headrace._core import cache as _cache
from headrace.errors import CancelledError, InvalidArgumentError
from headrace.server import ServerProcess, status, stop

from conftest import in_shared_memory

ROWS = 50


@pytest.fixture
def server():
    with ServerProcess.start(port=0) as process:
        yield process


def new_cache(server, **options) -> ds.DatasetCache:
    client = _cache.CacheClient(server.host, server.port)
    return ds.DatasetCache(session_id=client.create_session(), port=server.port, **options)


class Counted:
    """A map function that counts its calls (maps run in threads here)."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with self.lock:
            self.calls += 1
        return x * 10 + 1


def epochs(data, count: int):
    iterator = data.create_tuple_iterator(num_epochs=count)
    out = []
    for _ in range(count):
        out.append([tuple(np.asarray(c).tolist() for c in row) for row in iterator])
    return out


def cache_stats(cache: ds.DatasetCache) -> dict:
    caches = cache.get_stat()["caches"]
    assert len(caches) == 1, caches
    return caches[0]


def test_a_cache_on_a_map_serves_epoch_two_without_running_the_map(server):
    cache = new_cache(server)
    function = Counted()
    source = ds.NumpySlicesDataset({"x": np.arange(ROWS), "y": -np.arange(ROWS)}, shuffle=False)
    data = source.map(function, input_columns="x", cache=cache, num_parallel_workers=2)
    first, second, third = epochs(data, 3)
    expected = [(x * 10 + 1, -x) for x in range(ROWS)]
    assert first == second == third == expected
    assert function.calls == ROWS  # epochs 2 and 3 came from the cache
    stats = cache_stats(cache)
    assert stats["rows_in_memory"] == ROWS and stats["hits"] == 2 * ROWS


def test_a_cache_on_a_shuffled_leaf_keeps_each_epoch_s_order_and_reads_nothing_twice(server):
    cache = new_cache(server)
    reads = Counted()

    class Source:
        def __len__(self):
            return ROWS

        def __getitem__(self, index):
            reads(np.int64(index))
            return np.int64(index), np.float32(index / 2)

    ds.config.set_seed(7)
    cached = ds.GeneratorDataset(Source(), ["i", "f"], shuffle=True, cache=cache,
                                 python_multiprocessing=False)
    got = epochs(cached, 2)
    ds.config.set_seed(7)
    plain = epochs(ds.GeneratorDataset(Source(), ["i", "f"], shuffle=True, python_multiprocessing=False), 2)
    assert got == plain  # same orders as without a cache
    assert got[0] != got[1] and sorted(got[0]) == sorted(got[1])
    assert reads.calls == 2 * ROWS + ROWS  # cached run: ROWS reads; plain run: 2 * ROWS


def test_a_shuffle_above_the_cache_still_shuffles(server):
    cache = new_cache(server)
    data = ds.NumpySlicesDataset({"x": np.arange(ROWS)}, shuffle=False).map(lambda x: x + 1, cache=cache)
    first, second = epochs(data.shuffle(16), 2)
    assert sorted(first) == sorted(second) == [(x + 1,) for x in range(ROWS)]
    assert first != second


def test_a_streaming_source_is_read_once_then_served_from_the_cache(server):
    cache = new_cache(server)
    starts = []

    def rows():
        starts.append(1)
        for i in range(ROWS):
            yield np.full(3, i, np.int32), np.str_(f"row {i}")

    data = ds.GeneratorDataset(rows, ["a", "s"], cache=cache)
    first, second, third = epochs(data, 3)
    assert first == second == third == [([i] * 3, f"row {i}") for i in range(ROWS)]
    assert len(starts) == 1
    assert cache_stats(cache)["complete"]


def test_identical_pipelines_of_a_session_share_one_cache(server):
    cache = new_cache(server)
    make = lambda: ds.NumpySlicesDataset({"x": np.arange(ROWS)}, shuffle=False).map(  # noqa: E731
        ds.transforms.TypeCast(np.float32), cache=cache, num_parallel_workers=1)
    epochs(make(), 1)
    other = ds.NumpySlicesDataset({"x": np.arange(ROWS)}, shuffle=False).map(
        ds.transforms.TypeCast(np.float32), cache=cache, num_parallel_workers=3)
    assert epochs(other, 1)[0] == [(float(x),) for x in range(ROWS)]
    stats = cache_stats(cache)  # one cache: worker counts do not change the data
    assert stats["hits"] == ROWS
    different = ds.NumpySlicesDataset({"x": np.arange(ROWS)}, shuffle=False).map(
        ds.transforms.TypeCast(np.float64), cache=cache)
    epochs(different, 1)
    assert len(cache.get_stat()["caches"]) == 2


def test_the_server_killed_mid_epoch_warns_once_and_every_row_arrives_once():
    process = ServerProcess.start(port=0)
    try:
        cache = new_cache(process)
        data = ds.NumpySlicesDataset({"x": np.arange(400)}, shuffle=False).map(lambda x: x * 2, cache=cache)
        iterator = data.create_tuple_iterator(num_epochs=2, output_numpy=True)
        assert [int(r[0]) for r in iterator] == [2 * x for x in range(400)]  # epoch 1 fills the cache
        got = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for row in iterator:
                got.append(int(row[0]))
                if len(got) == 100:
                    os.kill(process.pid, signal.SIGKILL)
        assert got == [2 * x for x in range(400)]
        messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        assert len(messages) == 1 and "carries on without the cache" in messages[0], messages
    finally:
        process.stop()  # returns at once for a killed server, and closes its pipes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_absent_server_fails_the_iterator_within_a_second_naming_it():
    port = free_port()
    cache = ds.DatasetCache(session_id=1234, port=port)
    data = ds.NumpySlicesDataset({"x": np.arange(4)}).map(lambda x: x, cache=cache)
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{port}.*headrace cache start"):
        data.create_tuple_iterator(num_epochs=1)
    assert time.monotonic() - started < 1.5


def test_without_a_session_a_local_server_is_started():
    port = free_port()
    cache = ds.DatasetCache(port=port)
    try:
        data = ds.NumpySlicesDataset({"x": np.arange(10)}, shuffle=False).map(lambda x: x + 1, cache=cache)
        assert epochs(data, 2)[1] == [(x + 1,) for x in range(10)]
        assert cache.session_id is not None
        assert status(f"127.0.0.1:{port}")["port"] == port
    finally:
        stop(f"127.0.0.1:{port}")


def test_only_maps_may_lie_between_a_cache_and_its_source(server):
    cache = new_cache(server)
    data = ds.NumpySlicesDataset({"x": np.arange(4)}).filter(lambda x: x > 0).map(lambda x: x, cache=cache)
    with pytest.raises(InvalidArgumentError, match="only maps may lie between a cache and its source"):
        data.create_tuple_iterator(num_epochs=1)
    with pytest.raises(InvalidArgumentError, match="cache must be a DatasetCache"):
        ds.NumpySlicesDataset({"x": np.arange(4)}).map(lambda x: x, cache="yes")


def test_the_tree_shows_the_cache_ops(server):
    cache = new_cache(server)
    mapped = ds.NumpySlicesDataset({"x": np.arange(8)}, shuffle=False).map(lambda x: x, cache=cache)
    iterator = mapped.create_tuple_iterator(num_epochs=1)
    tree = iterator.get_tree_string()
    assert "CacheMerge(" in tree and "sampler=CacheLookup(SequentialSampler(" in tree, tree
    iterator.stop()
    streamed = ds.GeneratorDataset(lambda: iter([(np.int32(1),)]), ["x"], cache=cache)
    iterator = streamed.create_tuple_iterator(num_epochs=1)
    assert iterator.get_tree_string().splitlines()[1].strip().startswith("Cache("), iterator.get_tree_string()
    iterator.stop()


def test_a_stream_whose_server_dies_while_reading_the_cache_gives_every_row_once():
    process = ServerProcess.start(port=0)
    try:
        cache = new_cache(process)
        data = ds.GeneratorDataset(lambda: ((np.int64(i),) for i in range(300)), ["x"], cache=cache)
        iterator = data.create_tuple_iterator(num_epochs=2, output_numpy=True)
        assert [int(r[0]) for r in iterator] == list(range(300))
        got = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for row in iterator:
                got.append(int(row[0]))
                if len(got) == 70:
                    os.kill(process.pid, signal.SIGKILL)
        assert got == list(range(300))
        assert [w for w in caught if issubclass(w.category, RuntimeWarning)], "no warning"
    finally:
        process.stop()


def test_a_cached_pipeline_dropped_mid_epoch_leaves_no_thread_or_mapping(server, nothing_left_behind):
    cache = new_cache(server)
    data = ds.NumpySlicesDataset({"x": np.arange(2000)}, shuffle=False).map(lambda x: x + 1, cache=cache)
    epochs(data, 1)  # fills the cache
    iterator = data.create_tuple_iterator(num_epochs=3)
    for _, row in zip(range(100), iterator):  # cached rows: views of the server's store
        held = row[0]
    assert int(held) == 100 and in_shared_memory(held)  # no copy was made
    del iterator, row, held, data, cache


def test_pipelines_that_differ_in_their_functions_or_sources_do_not_share_a_cache(server):
    cache = new_cache(server)

    class Split:
        def __init__(self, offset: int) -> None:
            self.offset = offset

        def __len__(self) -> int:
            return 5

        def __getitem__(self, index: int):
            return (np.int64(index + self.offset),)

    train = ds.GeneratorDataset(Split(0), ["x"], shuffle=False, cache=cache)
    val = ds.GeneratorDataset(Split(1000), ["x"], shuffle=False, cache=cache)
    assert epochs(train, 1)[0] == [(i,) for i in range(5)]
    assert epochs(val, 1)[0] == [(1000 + i,) for i in range(5)]
    source = ds.NumpySlicesDataset({"x": np.arange(5)}, shuffle=False)
    doubled = source.map(lambda x: x * 2, cache=cache)
    shifted = source.map(lambda x: x + 100, cache=cache)
    assert epochs(doubled, 1)[0] == [(2 * i,) for i in range(5)]
    assert epochs(shifted, 1)[0] == [(i + 100,) for i in range(5)]
    assert len(cache.get_stat()["caches"]) == 4


def test_stopping_a_pipeline_does_not_wait_for_a_server_that_hangs():
    process = ServerProcess.start(port=0)
    try:
        cache = new_cache(process)
        data = ds.NumpySlicesDataset({"x": np.arange(5000)}, shuffle=False).map(lambda x: x, cache=cache)
        epochs(data, 1)  # fills the cache
        iterator = data.create_tuple_iterator(num_epochs=1)
        os.kill(process.pid, signal.SIGSTOP)  # the server hangs: calls get no answer
        threading.Timer(0.5, iterator.stop).start()
        started = time.monotonic()
        rows = 0
        # A stop() from another thread ends a waiting next() with CancelledError.
        with warnings.catch_warnings(), pytest.raises(CancelledError):
            warnings.simplefilter("ignore")
            for _ in iterator:
                rows += 1
        assert time.monotonic() - started < 5, "stop() waited for the hung server"
        assert rows < 5000
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.stop()
