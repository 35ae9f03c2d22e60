"""GeneratorDataset -> Python maps -> batch run as one stage (python_stage.py): the same
rows, order, values, function arguments and errors as the ops it replaces, and only where
it applies."""

from __future__ import annotations

import traceback

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import python_stage
from headrace.errors import InvalidArgumentError


class Rows:
    """A user's random-access class: a NumPy row, a NumPy scalar and Python numbers."""

    def __init__(self, count: int = 50) -> None:
        rng = np.random.default_rng(7)
        self.x = rng.integers(0, 100, (count, 3), dtype=np.int32)
        self.y = np.arange(count, dtype=np.int64)
        self.w = rng.random(count).astype(np.float32)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i], float(i) / 4, i % 3 == 0, self.w[i]


COLUMNS = ["x", "y", "f", "flag", "w"]


@pytest.fixture
def unfused():
    python_stage.FUSE_PYTHON_STAGES = False
    try:
        yield
    finally:
        python_stage.FUSE_PYTHON_STAGES = True


def collect(dataset, num_epochs=1):
    out = []
    iterator = dataset.create_tuple_iterator(num_epochs=num_epochs)
    for _ in range(num_epochs):
        out.append([[np.array(column) for column in row] for row in iterator])
    return out


def both_ways(make):
    """The pipeline's epochs fused and unfused, and the fused one's op names."""
    fused = collect(make(), num_epochs=2)
    names = [op["name"] for op in make().profile().ops]
    python_stage.FUSE_PYTHON_STAGES = False
    try:
        plain = collect(make(), num_epochs=2)
    finally:
        python_stage.FUSE_PYTHON_STAGES = True
    return fused, plain, names


def assert_same(fused, plain):
    assert len(fused) == len(plain)
    for fused_epoch, plain_epoch in zip(fused, plain):
        assert len(fused_epoch) == len(plain_epoch)
        for fused_row, plain_row in zip(fused_epoch, plain_epoch):
            assert len(fused_row) == len(plain_row)
            for a, b in zip(fused_row, plain_row):
                assert a.dtype == b.dtype and a.shape == b.shape
                np.testing.assert_array_equal(a, b)


def add_one(x):
    return x + 1


def split(x):
    return x[:1] * 10, x.sum()


@pytest.mark.parametrize("drop_remainder", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
def test_rows_values_and_order_equal_the_unfused_pipeline(no_leaked_threads, drop_remainder, shuffle):
    def make():
        data = ds.GeneratorDataset(Rows(), column_names=COLUMNS, shuffle=shuffle)
        data = data.map(add_one, input_columns="x", num_parallel_workers=2)
        return data.batch(7, drop_remainder=drop_remainder)

    ds.config.set_seed(5)
    fused, plain, names = both_ways(make)
    assert any(name.startswith("Generator+Map+Batch") for name in names), names
    assert_same(fused, plain)
    # Every row arrives: 50 rows in batches of 7, the short last one kept unless dropped.
    sizes = [len(row[0]) for row in fused[0]]
    assert sizes == [7] * 7 if drop_remainder else sizes == [7] * 7 + [1]
    x = np.concatenate([row[0] for row in fused[0]])
    y = np.concatenate([row[1] for row in fused[0]])
    np.testing.assert_array_equal(x, Rows().x[y] + 1)
    if shuffle:
        assert list(y) != sorted(y)
        assert [row[1].tolist() for row in fused[0]] != [row[1].tolist() for row in fused[1]]
    else:
        assert list(y) == list(range(len(y)))
    # The columns keep the types the unfused engine gives them.
    first = fused[0][0]
    assert [c.dtype for c in first] == [np.int32, np.int64, np.float64, np.bool_, np.float32]


def test_several_maps_with_output_columns_and_several_functions(no_leaked_threads):
    def make():
        data = ds.GeneratorDataset(Rows(40), column_names=COLUMNS, shuffle=False)
        data = data.map([add_one, add_one], input_columns="x")
        data = data.map(split, input_columns="x", output_columns=["head", "total"])
        data = data.map(lambda f, w: (f + w,), input_columns=["f", "w"], output_columns=["fw"])
        return data.batch(6)

    fused, plain, names = both_ways(make)
    assert any(name.startswith("Generator+Map+Batch") for name in names), names
    assert_same(fused, plain)
    assert make().get_col_names() == ["fw", "head", "total", "y", "flag"]
    head, total = fused[0][0][1], fused[0][0][2]
    np.testing.assert_array_equal(head[:, 0], (Rows(40).x[:6, 0] + 2) * 10)
    np.testing.assert_array_equal(total, (Rows(40).x[:6] + 2).sum(axis=1))


def test_values_that_are_not_arrays_reach_the_functions_as_arrays(no_leaked_threads):
    seen = []

    def look(flag, f, text):
        seen.append((type(flag), str(flag.dtype), type(f), str(f.dtype), text.dtype.kind))
        return flag, f, text

    class Mixed:
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return True, 2.5 * i, "row %d" % i

    data = ds.GeneratorDataset(Mixed(), column_names=["flag", "f", "text"], shuffle=False)
    data = data.map(look, input_columns=["flag", "f", "text"]).batch(2)
    rows = list(data.create_tuple_iterator(num_epochs=1, output_numpy=True))
    assert set(seen) == {(np.ndarray, "bool", np.ndarray, "float64", "U")}
    np.testing.assert_array_equal(rows[1][1], [5.0, 7.5])
    assert rows[0][2].tolist() == ["row 0", "row 1"]


def test_a_function_cannot_change_the_users_array(no_leaked_threads):
    rows = Rows(8)

    def add_in_place(x):
        x += 1
        return x

    data = ds.GeneratorDataset(rows, column_names=COLUMNS, shuffle=False).map(add_in_place).batch(4)
    with pytest.raises(ValueError, match="read-only"):
        list(data.create_tuple_iterator(num_epochs=1))
    np.testing.assert_array_equal(rows.x, Rows(8).x)


def test_an_exception_in_a_function_keeps_its_type_and_traceback(no_leaked_threads):
    class Broken(Exception):
        pass

    def breaks_on_5(y):
        if int(y) == 5:
            raise Broken("row five")
        return y

    data = ds.GeneratorDataset(Rows(), column_names=COLUMNS, shuffle=False)
    data = data.map(breaks_on_5, input_columns="y").batch(4)
    with pytest.raises(Broken, match="row five") as caught:
        list(data.create_tuple_iterator(num_epochs=1))
    assert "breaks_on_5" in "".join(traceback.format_tb(caught.value.__traceback__))


def test_an_exception_in_getitem_names_the_row(no_leaked_threads):
    class Missing:
        def __len__(self):
            return 10

        def __getitem__(self, i):
            if i == 6:
                raise KeyError("no row six")
            return np.zeros(2)

    data = ds.GeneratorDataset(Missing(), column_names=["x"], shuffle=False).map(add_one).batch(4)
    with pytest.raises(KeyError, match="no row six"):
        list(data.create_tuple_iterator(num_epochs=1))


@pytest.mark.parametrize("fuse", [True, False])
def test_errors_are_the_unfused_ones(no_leaked_threads, fuse):
    python_stage.FUSE_PYTHON_STAGES = fuse
    try:
        class Ragged:
            def __len__(self):
                return 6

            def __getitem__(self, i):
                return np.zeros(i % 2 + 1, dtype=np.int32), i

        data = ds.GeneratorDataset(Ragged(), column_names=["x", "i"], shuffle=False).batch(3)
        with pytest.raises(InvalidArgumentError, match="column 'x' has rows of different types or shapes"):
            list(data.create_tuple_iterator(num_epochs=1))

        wide = ds.GeneratorDataset(Rows(), column_names=["x", "y"], shuffle=False).batch(3)
        with pytest.raises(InvalidArgumentError, match="gave a row of 5 column"):
            list(wide.create_tuple_iterator(num_epochs=1))

        gives_a_dict = ds.GeneratorDataset(Rows(), column_names=COLUMNS, shuffle=False)
        gives_a_dict = gives_a_dict.map(lambda x: {"x": x}).batch(3)
        with pytest.raises(InvalidArgumentError, match="returned a value that is not an array"):
            list(gives_a_dict.create_tuple_iterator(num_epochs=1))

        too_many = ds.GeneratorDataset(Rows(), column_names=COLUMNS, shuffle=False)
        too_many = too_many.map(lambda x: (x, x)).batch(3)
        with pytest.raises(InvalidArgumentError, match="the operations returned 2 columns"):
            list(too_many.create_tuple_iterator(num_epochs=1))
    finally:
        python_stage.FUSE_PYTHON_STAGES = True


def test_strings_batch_as_in_the_batch_op(no_leaked_threads):
    class Words:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array(["w%d" % i, "x"]), np.array(i)

    def make():
        data = ds.GeneratorDataset(Words(), column_names=["words", "i"], shuffle=False)
        return data.map(lambda w: w, input_columns="words").batch(2)

    fused, plain, _ = both_ways(make)
    assert_same(fused, plain)
    assert fused[0][2][0].tolist() == [["w4", "x"]]


def test_only_python_maps_on_threads_fuse(no_leaked_threads):
    def names(data):
        return [op["name"].split("(")[0] for op in data.profile().ops]

    source = ds.GeneratorDataset(Rows(), column_names=COLUMNS, shuffle=False)
    assert names(source.map(add_one).batch(5)) == ["EpochCtrl", "Generator+Map+Batch"]
    assert names(source.batch(5)) == ["EpochCtrl", "Generator+Map+Batch"]
    # A native transform, worker processes, per_batch_map or padding: the ops as they are.
    from headrace.dataset import transforms
    native = source.map(transforms.TypeCast(np.float32), input_columns="x").batch(5)
    assert "Generator+Map+Batch" not in names(native)
    assert "Generator+Map+Batch" not in names(source.map(add_one, python_multiprocessing=True,
                                                          num_parallel_workers=2).batch(5))
    assert "Generator+Map+Batch" not in names(
        source.batch(5, per_batch_map=lambda *columns: columns[:-1], input_columns=COLUMNS))
    assert "Generator+Map+Batch" not in names(source.map(add_one).shuffle(4).batch(5))
    stream = ds.GeneratorDataset(lambda: iter(Rows()[i] for i in range(50)), column_names=COLUMNS)
    assert "Generator+Map+Batch" not in names(stream.batch(5))


def test_an_iterator_dropped_mid_epoch_leaves_nothing(nothing_left_behind):
    data = ds.GeneratorDataset(Rows(5000), column_names=COLUMNS).map(add_one, num_parallel_workers=2)
    iterator = data.batch(8).create_tuple_iterator(num_epochs=3)
    for _ in range(10):
        next(iterator)
    del iterator


def test_repeat_above_the_stage_gives_every_epoch(no_leaked_threads):
    data = ds.GeneratorDataset(Rows(20), column_names=COLUMNS, shuffle=False).map(add_one).batch(8)
    batches = list(data.repeat(3).create_tuple_iterator(num_epochs=1))
    assert [len(b[0]) for b in batches] == [8, 8, 4] * 3
    assert np.concatenate([b[1] for b in batches]).tolist() == list(range(20)) * 3


@pytest.mark.parametrize("shuffle", [False, True])
def test_numpy_slices_under_python_maps_fuse_with_the_same_rows(no_leaked_threads, shuffle):
    rows = Rows(45)

    def make():
        data = ds.NumpySlicesDataset({"x": rows.x, "y": rows.y, "w": rows.w}, shuffle=shuffle)
        data = data.map(add_one, input_columns="x", num_parallel_workers=2)
        data = data.map(split, input_columns="x", output_columns=["head", "total"])
        return data.batch(8)

    ds.config.set_seed(11)
    fused, plain, names = both_ways(make)
    assert any(name.startswith("NumpySlices+Map+Batch") for name in names), names
    assert_same(fused, plain)
    assert sum(len(row[0]) for row in fused[0]) == 45
    # Without a Python map the rows never meet Python: the native ops stay.
    alone = ds.NumpySlicesDataset({"x": rows.x}, shuffle=False).batch(8)
    assert not any("+Map+Batch" in op["name"] for op in alone.profile().ops)


def test_a_fused_map_cannot_change_the_numpy_slices_array(no_leaked_threads):
    source = np.zeros((8, 3), dtype=np.int32)

    def add_in_place(x):
        x += 1
        return x

    data = ds.NumpySlicesDataset({"x": source}, shuffle=False).map(add_in_place).batch(4)
    with pytest.raises(ValueError, match="read-only"):
        list(data.create_tuple_iterator(num_epochs=1))
    assert not source.any(), "the user's array was changed"


class Concurrency:
    """Counts how many threads are inside a call at once (the calls sleep, releasing the GIL)."""

    def __init__(self) -> None:
        import threading
        self.lock, self.inside, self.most, self.calls = threading.Lock(), 0, 0, 0

    def __call__(self, seconds: float) -> None:
        import time
        with self.lock:
            self.inside += 1
            self.calls += 1
            self.most = max(self.most, self.inside)
        time.sleep(seconds)
        with self.lock:
            self.inside -= 1


def test_each_step_keeps_to_its_own_number_of_workers(no_leaked_threads):
    reads, maps = Concurrency(), Concurrency()

    class Slow:
        def __len__(self):
            return 256  # two blocks of 128 rows

        def __getitem__(self, i):
            reads(0.0005)
            return np.array([i])

    def slow_map(x):
        maps(0.002)
        return x

    # A source read by one worker is never read by two threads at once, though the map
    # above it has four; then the other way round.
    data = ds.GeneratorDataset(Slow(), column_names=["x"], shuffle=False, num_parallel_workers=1)
    data = data.map(slow_map, num_parallel_workers=4).batch(2)
    assert "Generator+Map+Batch" in data.profile().ops[1]["name"]
    assert sum(len(b[0]) for b in data.create_tuple_iterator(num_epochs=1)) == 256
    assert reads.most == 1 and maps.most > 1
    reads2, maps2 = Concurrency(), Concurrency()
    reads, maps = reads2, maps2
    data = ds.GeneratorDataset(Slow(), column_names=["x"], shuffle=False, num_parallel_workers=3,
                               python_multiprocessing=False)
    data = data.map(slow_map, num_parallel_workers=1).batch(2)
    assert sum(len(b[0]) for b in data.create_tuple_iterator(num_epochs=1)) == 256
    assert maps2.most == 1 and reads2.most > 1


def test_stopping_ends_a_block_between_rows(no_leaked_threads):
    calls = Concurrency()

    def slow(x):
        calls(0.01)
        return x

    data = ds.GeneratorDataset(Rows(2000), column_names=COLUMNS, shuffle=False)
    iterator = data.map(slow, num_parallel_workers=2).batch(100).create_tuple_iterator(num_epochs=1)
    next(iterator)
    iterator.stop()
    # The first batch took its worker's 100 calls and the other worker's block as many;
    # after stop() each worker ends within a row, not at the end of its next block of 100.
    assert calls.calls < 300, calls.calls


def test_the_rows_of_a_dropped_short_batch_are_not_read(no_leaked_threads):
    class BadTail:
        def __len__(self):
            return 10

        def __getitem__(self, i):
            if i >= 8:
                raise KeyError(f"row {i} is not there")
            return np.array([i])

    data = ds.GeneratorDataset(BadTail(), column_names=["x"], shuffle=False)
    batches = list(data.map(add_one).batch(4, drop_remainder=True).create_tuple_iterator(num_epochs=1))
    assert [b[0].ravel().tolist() for b in batches] == [[1, 2, 3, 4], [5, 6, 7, 8]]


def test_numbers_of_every_kind_keep_their_types(no_leaked_threads):
    class Numbers:
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return (i, 2**63 + i, np.bool_(i % 2), np.float16(i / 2), np.uint64(i), -i * 1.5)

    names = ["int", "big", "np_bool", "half", "u64", "float"]

    def make():
        data = ds.GeneratorDataset(Numbers(), column_names=names, shuffle=False)
        return data.map(lambda v: v, input_columns="half").batch(3)

    fused, plain, _ = both_ways(make)
    assert_same(fused, plain)
    assert [c.dtype for c in fused[0][0]] == [np.int64, np.uint64, np.bool_, np.float16, np.uint64,
                                              np.float64]
    assert fused[0][1][1].tolist() == [2**63 + 3, 2**63 + 4, 2**63 + 5]


def test_engine_threads_keep_their_python_thread_state_while_they_run(no_leaked_threads):
    from headrace._core import engine

    before = engine.python_thread_states()
    data = ds.GeneratorDataset(Rows(3000), column_names=COLUMNS).map(add_one, num_parallel_workers=2)
    iterator = data.batch(4).create_tuple_iterator(num_epochs=2)
    for _ in range(200):
        next(iterator)
    assert engine.python_thread_states() > before
    iterator.stop()
    assert engine.python_thread_states() == before
