"""Python functions in worker processes (python_multiprocessing=True): order, results
through shared memory, errors, dead workers, and nothing left behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import weakref

import numpy as np
import pytest

import headrace.dataset as ds
from conftest import child_pids, process_gone, wait_until
from headrace.dataset.map import ROWS_IN_FLIGHT
from headrace.errors import AbortedError


def numbers(rows: int) -> ds.NumpySlicesDataset:
    return ds.NumpySlicesDataset({"x": np.arange(rows, dtype=np.int64)}, shuffle=False)


def big_row(x):
    # 256 KiB: travels through the shared-memory store.
    return np.full((256, 256), x, dtype=np.float32)


def where(x):
    return np.array([os.getpid(), int(x)], dtype=np.int64)


def test_results_keep_order_and_come_from_worker_processes(nothing_left_behind):
    data = numbers(300).map(where, num_parallel_workers=2, python_multiprocessing=True)
    rows = [row[0] for row in data.create_tuple_iterator(num_epochs=1)]
    assert [int(r[1]) for r in rows] == list(range(300))
    pids = {int(r[0]) for r in rows}
    assert os.getpid() not in pids
    assert len(pids) == 2


def test_large_arrays_match_the_threaded_pipeline(nothing_left_behind):
    threaded = numbers(64).map(big_row, num_parallel_workers=2)
    processes = numbers(64).map(big_row, num_parallel_workers=2, python_multiprocessing=True)
    expected = [row[0] for row in threaded.create_tuple_iterator(num_epochs=1)]
    got = [row[0] for row in processes.create_tuple_iterator(num_epochs=1)]
    assert len(got) == 64
    for a, b in zip(expected, got):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_tuples_dicts_and_lambdas(nothing_left_behind):
    data = numbers(20).map(lambda x: (x * 2, big_row(x)), input_columns="x",
                           output_columns=["double", "big"], num_parallel_workers=2,
                           python_multiprocessing=True)
    for i, (double, big) in enumerate(data.create_tuple_iterator(num_epochs=1)):
        assert int(double) == 2 * i
        assert big.shape == (256, 256) and float(big[0, 0]) == i


def test_chain_of_python_and_native_operations(nothing_left_behind):
    from headrace.dataset import transforms
    data = numbers(50).map([lambda x: x + 1, lambda x: x * 3, transforms.TypeCast(np.float32)],
                           num_parallel_workers=2, python_multiprocessing=True)
    got = [row[0] for row in data.create_tuple_iterator(num_epochs=1)]
    assert [float(v) for v in got] == [float((i + 1) * 3) for i in range(50)]
    assert got[0].dtype == np.float32


def fail_on_seven(x):
    if int(x) == 7:
        raise KeyError(f"no row {int(x)}")
    return x


def test_user_exception_keeps_its_type_and_remote_traceback(nothing_left_behind):
    data = numbers(40).map(fail_on_seven, num_parallel_workers=2, python_multiprocessing=True)
    with pytest.raises(KeyError, match="no row 7") as caught:
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert "fail_on_seven" in str(caught.value.__cause__)


def fail_on_one_then_stall(x):
    if int(x) == 1:
        raise KeyError("no row 1")
    if int(x) > 1:
        time.sleep(5)
    return x


def test_an_error_ends_its_block_at_once(nothing_left_behind):
    # A block's results travel together: the rows after an error in the same block
    # (2..7, half a minute of sleep) are not run, so the error is not kept waiting for them.
    data = numbers(8).map(fail_on_one_then_stall, num_parallel_workers=1,
                          python_multiprocessing=True)
    start = time.monotonic()
    with pytest.raises(KeyError, match="no row 1"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert time.monotonic() - start < 3


def exit_on_five(x):
    if int(x) == 5:
        os._exit(3)
    return x


def kill_on_five(x):
    if int(x) == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def segfault_on_five(x):
    if int(x) == 5:
        import ctypes
        import faulthandler
        faulthandler.disable()  # pytest's would print this process's stack
        ctypes.string_at(0)  # reads address 0
    return x


@pytest.mark.parametrize("function, how", [(exit_on_five, "exited with code 3"),
                                           (kill_on_five, "killed by SIGKILL"),
                                           (segfault_on_five, "killed by SIGSEGV")])
def test_dead_worker_is_reported_within_a_second(function, how, nothing_left_behind):
    data = numbers(40).map(function, num_parallel_workers=2, python_multiprocessing=True)
    start = time.monotonic()
    with pytest.raises(AbortedError, match=f"worker process [01] \\(pid \\d+\\) .* {how}"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert time.monotonic() - start < 1.0 + 1.0  # one second, plus the workers' start


def run_out_of_memory(x):
    if int(x) == 5:
        import resource
        with open("/proc/self/status") as status:
            mapped = next(int(line.split()[1]) * 1024 for line in status
                          if line.startswith("VmSize:"))
        # Room for 256 MiB more (the reply, the traceback), not for 2 GiB.
        limit = mapped + (256 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        return np.ones(1 << 31, dtype=np.uint8)
    return x


def test_a_worker_out_of_memory_raises_memory_error(nothing_left_behind):
    data = numbers(20).map(run_out_of_memory, num_parallel_workers=2, python_multiprocessing=True)
    with pytest.raises(MemoryError) as caught:
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert "run_out_of_memory" in str(caught.value.__cause__)


def test_iterator_dropped_mid_epoch(nothing_left_behind):
    data = numbers(2000).map(big_row, num_parallel_workers=2, python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=1)
    for _ in range(3):
        next(iterator)
    del iterator


def test_several_epochs_and_take(nothing_left_behind):
    data = numbers(30).map(where, num_parallel_workers=2, python_multiprocessing=True).take(10)
    iterator = data.create_tuple_iterator(num_epochs=3)
    for _ in range(3):  # one pass of the iterator per epoch, as in MindSpore
        assert [int(row[0][1]) for row in iterator] == list(range(10))


def test_killed_pipeline_leaves_no_worker(tmp_path):
    script = tmp_path / "pipeline.py"
    script.write_text(textwrap.dedent("""
        import os, sys, time
        import numpy as np
        import headrace.dataset as ds

        def slow(x):
            time.sleep(0.01)
            return x

        data = ds.NumpySlicesDataset({"x": np.arange(100000)}, shuffle=False)
        data = data.map(slow, num_parallel_workers=2, python_multiprocessing=True)
        iterator = data.create_tuple_iterator(num_epochs=1)
        next(iterator)
        children = [p for p in os.listdir("/proc") if p.isdigit() and
                    open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
        print(" ".join(children), flush=True)
        time.sleep(60)
    """))
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in process.stdout.readline().split()]
        assert len(workers) == 2
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert wait_until(lambda: all(process_gone(pid) for pid in workers), 3), \
            "worker processes outlived their killed pipeline"
        # Segments are unlinked as soon as they are made: nothing may remain by name.
        assert [name for name in os.listdir("/dev/shm")
                if name.startswith(f"headrace-{process.pid}-")] == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_spawn_start_method(nothing_left_behind):
    ds.config.set_multiprocessing_start_method("spawn")
    try:
        data = numbers(20).map(big_row, num_parallel_workers=2, python_multiprocessing=True)
        got = [float(row[0][0, 0]) for row in data.create_tuple_iterator(num_epochs=1)]
        batches = [row[0] for row in numbers(20).batch(
            10, per_batch_map=pids_and_sums, num_parallel_workers=2,
            python_multiprocessing=True).create_tuple_iterator(num_epochs=1)]
        read = [int(row[0]) for row in generator(20, shuffle=False, num_parallel_workers=2)
                .create_tuple_iterator(num_epochs=1)]
    finally:
        ds.config.set_multiprocessing_start_method("fork")
    assert got == [float(i) for i in range(20)]
    assert [list(b[:, 1]) for b in batches] == [list(range(10)), list(range(11, 21))]
    assert read == list(range(20))


def test_bad_arguments():
    with pytest.raises(TypeError, match="python_multiprocessing"):
        numbers(3).map(where, python_multiprocessing="yes")
    with pytest.raises(ValueError, match="start_method"):
        ds.config.set_multiprocessing_start_method("forkserver")


def test_a_full_store_sends_results_through_the_pipe(monkeypatch, nothing_left_behind):
    # 1 MiB of store for 256 KiB results, several in flight: most cannot get a block.
    monkeypatch.setattr(ds.config, "worker_store_bytes", lambda: 1 << 20)
    data = numbers(40).map(big_row, num_parallel_workers=2, python_multiprocessing=True)
    got = [float(row[0][0, 0]) for row in data.create_tuple_iterator(num_epochs=1)]
    assert got == [float(i) for i in range(40)]


def slow(x):
    time.sleep(0.05)
    return x


def stall_after_first_block(x):
    # The first block is quick, so next() returns; later rows would take minutes
    # unless cancelling the pipeline reaches the waiting threads.
    if int(x) >= ROWS_IN_FLIGHT:
        time.sleep(5)
    return x


def test_dropping_a_busy_pipeline_is_quick(nothing_left_behind):
    data = numbers(1000).map(stall_after_first_block, num_parallel_workers=2,
                             python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=1)
    next(iterator)
    start = time.monotonic()
    iterator.stop()  # both workers are in the middle of a block
    assert time.monotonic() - start < 0.5


def test_results_owed_after_an_early_stop_are_not_mixed_in(nothing_left_behind):
    # take() stops the map early every epoch while the workers still owe results.
    data = numbers(200).map(slow, num_parallel_workers=2, python_multiprocessing=True).take(3)
    iterator = data.create_tuple_iterator(num_epochs=3)
    for _ in range(3):
        assert [int(row[0]) for row in iterator] == [0, 1, 2]


def test_a_worker_killed_between_rows_is_named(nothing_left_behind):
    data = numbers(400).map(where, num_parallel_workers=1, python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=1)
    worker = int(next(iterator)[0][0])
    os.kill(worker, signal.SIGKILL)
    with pytest.raises(AbortedError, match=f"worker process 0 \\(pid {worker}\\) .* SIGKILL"):
        for _ in iterator:
            pass


def test_a_dead_worker_leaves_other_pipelines_running(nothing_left_behind):
    doomed = numbers(400).map(where, num_parallel_workers=1, python_multiprocessing=True) \
        .create_tuple_iterator(num_epochs=1)
    other = numbers(400).map(where, num_parallel_workers=2, python_multiprocessing=True) \
        .create_tuple_iterator(num_epochs=1)
    first = [int(next(other)[0][1])]
    worker = int(next(doomed)[0][0])
    os.kill(worker, signal.SIGKILL)
    with pytest.raises(AbortedError, match=f"pid {worker}"):
        for _ in doomed:
            pass
    assert first + [int(row[0][1]) for row in other] == list(range(400))


def test_forked_workers_hold_no_other_pipelines_fds(nothing_left_behind):
    from headrace._core import engine
    from headrace.dataset.workers import pool

    first = numbers(100).map(where, num_parallel_workers=2, python_multiprocessing=True) \
        .create_tuple_iterator(num_epochs=1)
    next(first)  # running: its cancel pipe and worker connections are open
    pipeline_only = {os.readlink(f"/proc/self/fd/{fd}") for fd in pool._pipeline_only_fds()}
    assert len(pipeline_only) >= 2 + len(engine.cancel_pipe_fds()) // 2
    second = numbers(100).map(where, num_parallel_workers=2, python_multiprocessing=True) \
        .create_tuple_iterator(num_epochs=1)
    workers = {int(next(second)[0][0]) for _ in range(ROWS_IN_FLIGHT + 4)}  # both have a block
    assert len(workers) == 2
    for worker in workers:
        held = {os.readlink(f"/proc/{worker}/fd/{fd}") for fd in os.listdir(f"/proc/{worker}/fd")}
        assert held & pipeline_only == set(), f"worker {worker} holds a pipeline's fds"
    first.stop()
    second.stop()


def test_an_iterator_made_by_a_thread_that_ended_keeps_its_workers(nothing_left_behind):
    import threading
    made = []
    thread = threading.Thread(target=lambda: made.append(
        numbers(50).map(where, num_parallel_workers=2, python_multiprocessing=True)
        .create_tuple_iterator(num_epochs=1)))
    thread.start()
    thread.join()
    assert [int(row[0][1]) for row in made[0]] == list(range(50))


def as_list(x):
    return [x, 1]


def test_a_chain_passes_arrays_between_functions_as_threads_do(nothing_left_behind):
    # The engine turns each result into arrays before the next function; so must the
    # chain that runs in a worker process.
    chain = [as_list, lambda x: x.sum()]
    threads = [int(r[0]) for r in numbers(10).map(chain).create_tuple_iterator(num_epochs=1)]
    processes = [int(r[0]) for r in numbers(10).map(chain, num_parallel_workers=2,
                                                     python_multiprocessing=True)
                 .create_tuple_iterator(num_epochs=1)]
    assert processes == threads == [i + 1 for i in range(10)]


def test_native_operations_alone_start_no_process(nothing_left_behind):
    from headrace.dataset import transforms
    before = child_pids()
    data = numbers(10).map(transforms.TypeCast(np.float32), python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=1)
    assert child_pids() == before
    assert [float(r[0]) for r in iterator] == [float(i) for i in range(10)]


def test_large_results_are_views_of_the_store_and_small_ones_are_not(nothing_left_behind):
    from conftest import in_shared_memory
    data = numbers(16).map(lambda x: (big_row(x), where(x)), output_columns=["big", "small"],
                           num_parallel_workers=2, python_multiprocessing=True)
    for i, (big, small) in enumerate(data.create_tuple_iterator(num_epochs=1)):
        assert float(big[0, 0]) == i
        assert in_shared_memory(big), "a 256 KiB result was copied out of the store"
        assert not in_shared_memory(small), "a 16-byte result took a block of the store"


# -- batch(per_batch_map=..., python_multiprocessing=True) -------------------------------

def pids_and_sums(x, batch_info):
    # One output row per input row: (the worker's pid, the row + the batch's number).
    return ([np.array([os.getpid(), int(row) + batch_info.get_batch_num()]) for row in x],)


def test_per_batch_map_runs_in_worker_processes_in_order(nothing_left_behind):
    data = numbers(100).batch(10, per_batch_map=pids_and_sums, num_parallel_workers=2,
                              python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=2)
    for _ in range(2):
        batches = [row[0] for row in iterator]
        assert len(batches) == 10
        assert [list(b[:, 1]) for b in batches] == \
            [[i * 10 + r + i for r in range(10)] for i in range(10)]
        pids = {int(p) for b in batches for p in b[:, 0]}
        assert os.getpid() not in pids and len(pids) == 2


def big_rows_and_count(x, batch_info):
    return [big_row(row) for row in x], np.full(len(x), len(x))


def test_per_batch_map_results_match_threads(nothing_left_behind):
    def pipeline(processes):
        return numbers(23).batch(5, per_batch_map=big_rows_and_count, input_columns="x",
                                 output_columns=["big", "count"], num_parallel_workers=2,
                                 python_multiprocessing=processes)
    threads = list(pipeline(False).create_tuple_iterator(num_epochs=1))
    processes = list(pipeline(True).create_tuple_iterator(num_epochs=1))
    assert len(processes) == len(threads) == 5
    for (big_t, count_t), (big_p, count_p) in zip(threads, processes):
        np.testing.assert_array_equal(big_p, big_t)
        np.testing.assert_array_equal(count_p, count_t)
    assert [int(c[0]) for _, c in processes] == [5, 5, 5, 5, 3]


def fail_on_third_batch(x, batch_info):
    if batch_info.get_batch_num() == 2:
        raise ZeroDivisionError("third batch")
    return (x,)


def test_per_batch_map_exception_keeps_its_type_and_remote_traceback(nothing_left_behind):
    data = numbers(50).batch(5, per_batch_map=fail_on_third_batch, num_parallel_workers=2,
                             python_multiprocessing=True)
    with pytest.raises(ZeroDivisionError, match="third batch") as caught:
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert "fail_on_third_batch" in str(caught.value.__cause__)


def returns_objects(x, batch_info):
    return ([object() for _ in x],)


def test_per_batch_map_returning_no_arrays_is_named(nothing_left_behind):
    for processes in (False, True):
        data = numbers(10).batch(5, per_batch_map=returns_objects, num_parallel_workers=2,
                                 python_multiprocessing=processes)
        with pytest.raises(Exception, match="per_batch_map 'returns_objects' returned a value "
                                            "that is not an array or a list of arrays"):
            for _ in data.create_tuple_iterator(num_epochs=1):
                pass


def exit_in_batch(x, batch_info):
    if batch_info.get_batch_num() == 1:
        os._exit(5)
    return (x,)


def test_per_batch_map_dead_worker_is_named(nothing_left_behind):
    data = numbers(50).batch(5, per_batch_map=exit_in_batch, num_parallel_workers=2,
                             python_multiprocessing=True)
    start = time.monotonic()
    with pytest.raises(AbortedError, match="worker process [01] \\(pid \\d+\\) of per_batch_map "
                                           "'exit_in_batch' exited with code 5"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert time.monotonic() - start < 2.0


def stall_after_first_batch(x, batch_info):
    if batch_info.get_batch_num() >= 1:
        time.sleep(5)
    return (x,)


def test_dropping_a_pipeline_with_busy_batch_workers(nothing_left_behind):
    data = numbers(1000).batch(4, per_batch_map=stall_after_first_batch, num_parallel_workers=2,
                               python_multiprocessing=True)
    iterator = data.create_tuple_iterator(num_epochs=1)
    next(iterator)
    alive = weakref.ref(iterator)
    start = time.monotonic()
    del iterator
    assert time.monotonic() - start < 0.5
    assert alive() is None, "the dropped iterator is still alive"


def test_batch_without_per_batch_map_starts_no_process(nothing_left_behind):
    before = child_pids()
    iterator = numbers(10).batch(5, python_multiprocessing=True).create_tuple_iterator(num_epochs=1)
    assert child_pids() == before
    assert [list(r[0]) for r in iterator] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


# -- GeneratorDataset(random-access source, python_multiprocessing=True) --------------------

class Rows:
    """A random-access source: (index, pid of the reader, a 256 KiB array)."""

    def __init__(self, rows: int) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int):
        if index >= self.rows:
            raise IndexError(index)
        return np.int64(index), np.int64(os.getpid()), big_row(index)


def generator(rows: int, **options) -> ds.GeneratorDataset:
    return ds.GeneratorDataset(Rows(rows), ["index", "pid", "big"], **options)


def test_generator_reads_in_worker_processes_in_the_samplers_order(nothing_left_behind):
    from conftest import in_shared_memory
    ds.config.set_seed(7)
    threads = [int(r[0]) for r in generator(60, shuffle=True, num_parallel_workers=2,
                                            python_multiprocessing=False)
               .create_tuple_iterator(num_epochs=1)]
    ds.config.set_seed(7)
    rows = list(generator(60, shuffle=True, num_parallel_workers=2)  # processes: the default
                .create_tuple_iterator(num_epochs=1))
    assert [int(r[0]) for r in rows] == threads
    assert sorted(threads) == list(range(60)) and threads != list(range(60))
    pids = {int(r[1]) for r in rows}
    assert os.getpid() not in pids and len(pids) == 2
    assert all(float(r[2][0, 0]) == int(r[0]) and in_shared_memory(r[2]) for r in rows)


def test_generator_shards_in_worker_processes(nothing_left_behind):
    shards = [[int(r[0]) for r in generator(10, num_shards=3, shard_id=i, shuffle=False,
                                            num_parallel_workers=2)
               .create_tuple_iterator(num_epochs=1)] for i in range(3)]
    assert shards == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]


def test_generator_with_one_worker_or_a_stream_reads_in_this_process(nothing_left_behind):
    one = [int(r[1]) for r in generator(5, num_parallel_workers=1).create_tuple_iterator(num_epochs=1)]
    assert set(one) == {os.getpid()}

    def stream():
        for i in range(5):
            yield np.int64(i), np.int64(os.getpid())
    rows = list(ds.GeneratorDataset(stream, ["index", "pid"], num_parallel_workers=2)
                .create_tuple_iterator(num_epochs=1))
    assert [int(r[0]) for r in rows] == list(range(5)) and {int(r[1]) for r in rows} == {os.getpid()}


class FailingRows(Rows):
    def __getitem__(self, index: int):
        if index == 4:
            raise LookupError("row 4 is missing")
        return super().__getitem__(index)


def test_generator_source_exception_in_a_worker(nothing_left_behind):
    data = ds.GeneratorDataset(FailingRows(20), ["index", "pid", "big"], shuffle=False,
                               num_parallel_workers=2)
    with pytest.raises(LookupError, match="row 4 is missing") as caught:
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert "__getitem__" in str(caught.value.__cause__)


def test_generator_rows_of_the_wrong_width_are_named(nothing_left_behind):
    data = ds.GeneratorDataset(Rows(5), ["index", "pid"], num_parallel_workers=2)
    with pytest.raises(ValueError, match="a row of 3 column\\(s\\), but column_names has 2 names"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass


def test_generator_iterator_dropped_mid_epoch(nothing_left_behind):
    iterator = generator(5000, num_parallel_workers=2).create_tuple_iterator(num_epochs=1)
    for _ in range(3):
        next(iterator)
    alive = weakref.ref(iterator)
    del iterator
    assert alive() is None, "the dropped iterator is still alive"


def test_generator_in_processes_over_epochs_repeat_and_take(nothing_left_behind):
    data = generator(10, shuffle=False, num_parallel_workers=2).repeat(2).take(15)
    assert data.get_dataset_size() == 15
    iterator = data.create_tuple_iterator(num_epochs=2)
    for _ in range(2):
        assert [int(r[0]) for r in iterator] == list(range(10)) + list(range(5))


def draw(x):
    return np.array([os.getpid(), np.random.randint(1 << 30), random.randint(0, 1 << 30)])


def test_each_worker_draws_its_own_numbers_from_the_seed(nothing_left_behind):
    def stream(seed, length):
        # What draw() gives row after row in a process seeded with `seed`.
        np.random.seed(seed)
        random.seed(seed)
        return [(np.random.randint(1 << 30), random.randint(0, 1 << 30)) for _ in range(length)]

    ds.config.set_seed(11)
    np.random.seed(1)  # the workers must not inherit this state and repeat each other
    rows = [r[0] for r in numbers(64).map(draw, num_parallel_workers=2,
                                          python_multiprocessing=True)
            .create_tuple_iterator(num_epochs=1)]
    by_worker = {}
    for pid, numpy_draw, python_draw in rows:
        by_worker.setdefault(int(pid), []).append((int(numpy_draw), int(python_draw)))
    # Which worker takes which block depends on timing, but worker i draws the stream of
    # seed + i, whichever rows it gets.
    expected = [stream(11 + i, 64) for i in range(2)]
    starts = []
    for draws in by_worker.values():
        matches = [i for i in range(2) if expected[i][:len(draws)] == draws]
        assert len(matches) == 1, "a worker's draws are not the stream of seed + its index"
        starts.append(matches[0])
    assert len(set(starts)) == len(starts), "two workers drew the same stream"
