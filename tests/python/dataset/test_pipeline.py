"""headrace.dataset pipelines: sources, map, batch, repeat, epochs, errors, shutdown."""

from __future__ import annotations

import traceback

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.errors import InvalidArgumentError

pytestmark = pytest.mark.usefixtures("no_leaked_threads")


def table(n: int = 10, shuffle: bool = False, workers: int = 1) -> ds.Dataset:
    data = np.arange(n * 2, dtype=np.int32).reshape(n, 2)
    return ds.NumpySlicesDataset({"x": data, "y": np.arange(n)}, shuffle=shuffle,
                                 num_parallel_workers=workers)


def labels(dataset: ds.Dataset) -> list:
    return [int(row[1]) for row in dataset]


def test_numpy_slices_in_order_with_values():
    rows = list(table(4))
    assert len(rows) == 4
    for i, (x, y) in enumerate(rows):
        np.testing.assert_array_equal(x, [2 * i, 2 * i + 1])
        assert x.dtype == np.int32
        assert int(y) == i


def test_parallel_source_and_map_keep_the_order():
    dataset = table(1000, workers=3).map(lambda x: x + 1, input_columns="x", num_parallel_workers=4)
    rows = list(dataset)
    assert [int(y) for _, y in rows] == list(range(1000))
    for x, y in rows:
        assert int(x[0]) == 2 * int(y) + 1


def test_default_shuffle_is_random_and_follows_the_seed():
    ds.config.set_seed(7)
    first = labels(ds.NumpySlicesDataset({"x": np.arange(50), "y": np.arange(50)}))
    ds.config.set_seed(7)
    again = labels(ds.NumpySlicesDataset({"x": np.arange(50), "y": np.arange(50)}))
    ds.config.set_seed(8)
    other = labels(ds.NumpySlicesDataset({"x": np.arange(50), "y": np.arange(50)}))
    assert sorted(first) == list(range(50))
    assert first != list(range(50))
    assert first == again
    assert first != other


def test_batch_sizes_and_remainder():
    sizes = [len(y) for _, y in table(10).batch(4)]
    assert sizes == [4, 4, 2]
    assert [len(y) for _, y in table(10).batch(4, drop_remainder=True)] == [4, 4]
    assert table(10).batch(4).get_dataset_size() == 3
    assert table(10).batch(4, drop_remainder=True).get_dataset_size() == 2


def test_repeat_below_batch_spans_repetitions():
    sizes = [len(y) for _, y in table(5).repeat(2).batch(3)]
    assert sizes == [3, 3, 3, 1]
    sizes = [len(y) for _, y in table(5).batch(3).repeat(2)]
    assert sizes == [3, 2, 3, 2]
    assert table(5).repeat(3).get_dataset_size() == 15


def test_iterator_runs_several_epochs():
    iterator = table(6).batch(4).create_dict_iterator(num_epochs=3)
    epochs = [[row["y"].tolist() for row in iterator] for _ in range(3)]
    assert epochs == [[[0, 1, 2, 3], [4, 5]]] * 3
    # A fourth pass is a mistake MindSpore reports (test_engine_behaviours.py).
    with pytest.raises(RuntimeError, match="beyond the specified number of epochs"):
        list(iterator)


def test_tuple_iterator_selects_columns():
    rows = list(table(3).create_tuple_iterator(columns=["y"], num_epochs=1))
    assert [len(row) for row in rows] == [1, 1, 1]
    assert [int(row[0]) for row in rows] == [0, 1, 2]


def test_map_with_more_outputs_than_inputs_puts_them_first():
    # MindSpore 2.10 (checked with its wheel): results first, then the other columns.
    dataset = table(3).map(lambda y: (y, y * 10), input_columns="y", output_columns=["a", "b"])
    assert dataset.get_col_names() == ["a", "b", "x"]
    rows = list(dataset)
    assert [int(r[1]) for r in rows] == [0, 10, 20]
    assert rows[2][2].tolist() == [4, 5]


def test_map_without_input_columns_takes_the_first_column():
    dataset = table(2).map(lambda x: x * 10)
    assert dataset.get_col_names() == ["x", "y"]
    assert list(dataset)[1][0].tolist() == [20, 30]


def test_map_renames_in_place_when_counts_match():
    dataset = table(2).map(lambda x: x * 10, input_columns="x", output_columns="big")
    assert dataset.get_col_names() == ["big", "y"]
    assert list(dataset)[1][0].tolist() == [20, 30]


def test_generator_sources():
    def generate():
        for i in range(5):
            yield np.array([i]), np.array(i * i)

    assert [int(r[1]) for r in ds.GeneratorDataset(generate, ["a", "b"])] == [0, 1, 4, 9, 16]

    class Squares:
        def __getitem__(self, index):
            return np.array(index * index)

        def __len__(self):
            return 6

    squares = ds.GeneratorDataset(Squares(), ["sq"], shuffle=False, num_parallel_workers=2)
    assert [int(r[0]) for r in squares] == [0, 1, 4, 9, 16, 25]
    assert squares.get_dataset_size() == 6
    values = [np.array(3), np.array(4)]
    assert [int(r[0]) for r in ds.GeneratorDataset(values, ["v"], shuffle=False)] == [3, 4]
    # A list has random access, so it is shuffled by default, as in MindSpore.
    assert sorted(int(r[0]) for r in ds.GeneratorDataset(values, ["v"])) == [3, 4]


def test_user_exception_keeps_type_and_traceback():
    def explode(x):
        if x[0] == 10:
            raise KeyError("row five")
        return x

    with pytest.raises(KeyError) as info:
        for _ in table(20).map(explode, input_columns="x", num_parallel_workers=2):
            pass
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "explode" in frames
    assert info.value.args == ("row five",)


def test_an_iterator_that_raised_is_collected_with_its_rows():
    # The error holds a traceback through the iterator; the iterator must not hold the
    # error in turn (through its C++ tree), or neither is ever freed.
    import gc
    import weakref

    def explode(x):
        if x[0] == 100:
            raise KeyError("row fifty")
        return x

    iterator = table(2000).map(explode, input_columns="x", num_parallel_workers=2) \
        .create_tuple_iterator(num_epochs=1)
    alive = weakref.ref(iterator)
    with pytest.raises(KeyError):
        for _ in iterator:
            pass
    del iterator
    gc.collect()
    assert alive() is None, "the iterator (and its tree's rows) outlived the error"


def test_exception_in_a_generator_source_reaches_the_loop():
    def generate():
        yield (np.array(1),)
        raise ZeroDivisionError("bad source")

    with pytest.raises(ZeroDivisionError, match="bad source"):
        list(ds.GeneratorDataset(generate, ["a"]))


def test_dropping_an_iterator_mid_epoch_stops_its_threads():
    iterator = table(10_000, workers=2).map(lambda x: x, input_columns="x",
                                            num_parallel_workers=3).create_tuple_iterator()
    next(iterator)
    del iterator  # the fixture checks that no thread is left


def test_stop_ends_the_iterator():
    iterator = table(100).create_tuple_iterator(num_epochs=1)
    next(iterator)
    iterator.stop()
    assert list(iterator) == []


@pytest.mark.parametrize(
    "make,named",
    [
        (lambda: table().batch(0), "batch_size"),
        (lambda: table().map(lambda x: x, input_columns="nope"), "input_columns: column 'nope'"),
        (lambda: table().map(lambda x: x, num_parallel_workers=0), "num_parallel_workers"),
        (lambda: table().map(42), "not callable"),
        (lambda: table().repeat(0), "count"),
        (lambda: ds.NumpySlicesDataset([1, 2], num_shards=2, shard_id=2), "shard_id"),
        (lambda: ds.NumpySlicesDataset({"a": [1, 2], "b": [1]}), "different lengths"),
        (lambda: ds.GeneratorDataset(lambda: iter([]), None), "column_names"),
        (lambda: table().create_tuple_iterator(columns=["zz"]), "columns: column 'zz'"),
        (lambda: ds.config.set_prefetch_size(0), "size"),
    ],
)
def test_bad_arguments_fail_at_construction_naming_the_argument(make, named):
    with pytest.raises(InvalidArgumentError, match=named):
        make()


# Each a TypeError in MindSpore 2.10 too (checked there call by call).
@pytest.mark.parametrize(
    "make,message",
    [
        (lambda: table().batch(2, drop_remainder="yes"), "drop_remainder must be a bool, got str 'yes'"),
        (lambda: table().batch(2.0), "batch_size must be an int, got float 2.0"),
        (lambda: ds.NumpySlicesDataset([1, 2], sampler=5), "sampler must be a headrace.dataset sampler"),
        (lambda: ds.NumpySlicesDataset([1, 2], column_names=5), "column_names must be a column name"),
        (lambda: ds.NumpySlicesDataset([1, 2], column_names=[5]), "column_names must hold non-empty strings"),
        (lambda: table().map(lambda x: x, input_columns=[5]), "input_columns must hold non-empty strings"),
        (lambda: table().project(5), "columns must be a column name"),
        (lambda: table().filter(5), "predicate must be callable"),
        (lambda: table().skip(1.5), "count must be an int"),
        (lambda: ds.SubsetRandomSampler("a"), "indices must be a sequence of ints"),
        (lambda: ds.SubsetRandomSampler([1.5]), r"indices\[0\] must be an int"),
        (lambda: ds.Schema().add_column(5, "int32"), "name must be a non-empty string"),
        (lambda: ds.Schema().add_column("a", 5), "de_type must be a type name"),
        (lambda: ds.Schema().add_column("a", "int32", shape=5), "shape must be a list of ints"),
        (lambda: ds.GeneratorDataset(5, ["a"]), "source must be random-access"),
    ],
)
def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(make, message):
    with pytest.raises(TypeError, match=message) as info:
        make()
    assert not isinstance(info.value, ValueError)


def test_take_and_skip_per_epoch():
    assert labels(table(10).take(3)) == [0, 1, 2]
    assert labels(table(10).skip(7)) == [7, 8, 9]
    assert labels(table(4).take(2).repeat(2)) == [0, 1, 0, 1]
    assert table(10).take(3).get_dataset_size() == 3
    assert table(10).skip(12).get_dataset_size() == 0


def test_endless_repeat_then_take_ends():
    assert labels(table(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]


def test_project_and_rename():
    projected = table(3).project(["y", "x"])
    assert projected.get_col_names() == ["y", "x"]
    first = next(iter(projected))
    assert int(first[0]) == 0 and first[1].tolist() == [0, 1]
    renamed = table(2).rename("x", "features")
    assert renamed.get_col_names() == ["features", "y"]
    assert list(renamed.create_dict_iterator(num_epochs=1))[1]["features"].tolist() == [2, 3]
    with pytest.raises(InvalidArgumentError, match="project: columns: column to be projected 'q'"):
        table(2).project("q")


def test_shards_are_equal_length_and_cover_every_row():
    data = {"x": np.arange(10), "y": np.arange(10)}
    shards = [labels(ds.NumpySlicesDataset(data, shuffle=False, num_shards=4, shard_id=i))
              for i in range(4)]
    assert shards == [[0, 4, 8], [1, 5, 9], [2, 6, 0], [3, 7, 1]]
    shuffled = [labels(ds.NumpySlicesDataset(data, num_shards=3, shard_id=i)) for i in range(3)]
    assert set(sum(shuffled, [])) == set(range(10))
    assert all(len(s) == 4 for s in shuffled)
    sampler = ds.DistributedSampler(2, 1, shuffle=False)
    assert labels(ds.NumpySlicesDataset(data, sampler=sampler)) == [1, 3, 5, 7, 9]


def test_subset_samplers():
    data = {"x": np.arange(6), "y": np.arange(6)}
    assert labels(ds.NumpySlicesDataset(data, sampler=ds.SubsetSampler([5, 0, 3]))) == [5, 0, 3]
    rows = labels(ds.NumpySlicesDataset(data, sampler=ds.SubsetRandomSampler([1, 2, 4])))
    assert sorted(rows) == [1, 2, 4]
    with pytest.raises(IndexError, match=r"indices\[1\] = 9 is outside a source of 6 rows"):
        list(ds.NumpySlicesDataset(data, sampler=ds.SubsetSampler([0, 9])))


def test_shuffle_buffer_reorders_each_epoch_by_seed():
    ds.config.set_seed(11)
    iterator = table(40).shuffle(8).create_tuple_iterator(num_epochs=2)
    first = [int(y) for _, y in iterator]
    second = [int(y) for _, y in iterator]
    assert sorted(first) == sorted(second) == list(range(40))
    assert first != list(range(40)) and first != second
    ds.config.set_seed(11)
    assert labels(table(40).shuffle(8)) == first
    with pytest.raises(InvalidArgumentError, match="buffer_size"):
        table().shuffle(1)


def test_filter_keeps_matching_rows_in_order():
    evens = table(100, workers=2).filter(lambda y: y % 2 == 0, input_columns="y",
                                         num_parallel_workers=3)
    assert labels(evens) == list(range(0, 100, 2))
    assert evens.get_dataset_size() == 50
    assert labels(table(10).filter(lambda x, y: y > 100)) == []
    with pytest.raises(ValueError, match="must return one bool"):
        list(table(3).filter(lambda x, y: x))


def test_zip_and_concat():
    left = ds.NumpySlicesDataset({"a": np.arange(5)}, shuffle=False)
    right = ds.NumpySlicesDataset({"b": np.arange(3) * 10}, shuffle=False)
    zipped = ds.zip((left, right))
    assert zipped.get_col_names() == ["a", "b"]
    assert [(int(a), int(b)) for a, b in zipped] == [(0, 0), (1, 10), (2, 20)]
    assert zipped.get_dataset_size() == 3
    assert [(int(a), int(b)) for a, b in left.zip(right).repeat(2)] == [(0, 0), (1, 10), (2, 20)] * 2
    both = left + ds.NumpySlicesDataset({"a": np.arange(2) + 100}, shuffle=False)
    assert [int(r[0]) for r in both] == [0, 1, 2, 3, 4, 100, 101]
    assert both.get_dataset_size() == 7
    with pytest.raises(InvalidArgumentError, match="more than one dataset"):
        ds.zip((left, left))
    with pytest.raises(InvalidArgumentError, match="different columns"):
        left + right


def ragged() -> ds.Dataset:
    def generate():
        for n in (1, 3, 2, 4):
            yield np.arange(n, dtype=np.int64) + 1, np.array(n)
    return ds.GeneratorDataset(generate, ["tokens", "length"])


def test_padded_batch_pads_to_the_longest_or_the_given_shape():
    first, second = [t for t, _ in ragged().padded_batch(2, pad_info={})]
    assert first.tolist() == [[1, 0, 0], [1, 2, 3]]
    assert second.tolist() == [[1, 2, 0, 0], [1, 2, 3, 4]]
    fixed = [t for t, _ in ragged().padded_batch(2, pad_info={"tokens": ([5], -1)})]
    assert fixed[0].tolist() == [[1, -1, -1, -1, -1], [1, 2, 3, -1, -1]]
    # A shape smaller than a row cuts it, as MindSpore does (test_engine_behaviours.py).
    cut = [t for t, _ in ragged().padded_batch(2, pad_info={"tokens": ([2], 0)})]
    assert cut[0].tolist() == [[1, 0], [1, 2]]
    with pytest.raises(ValueError, match="different types or shapes"):
        list(ragged().batch(2))
    with pytest.raises(InvalidArgumentError, match="pad_info: column 'nope'"):
        ragged().padded_batch(2, pad_info={"nope": (None, 0)})


def test_bucket_by_sequence_length_groups_and_pads():
    def generate():
        for n in (1, 5, 2, 6, 1, 7):
            yield (np.arange(n, dtype=np.int32) + 1,)

    data = ds.GeneratorDataset(generate, ["seq"])
    batches = [b[0] for b in data.bucket_by_sequence_length("seq", [4], [2, 2])]
    # short rows (<4) in bucket 0, long rows in bucket 1; batches leave when full, the rest at the end
    assert [b.shape for b in batches] == [(2, 2), (2, 6), (1, 1), (1, 7)]
    assert batches[0].tolist() == [[1, 0], [1, 2]]
    # As MindSpore 2.10 (checked with its wheel): only dimensions given as None in pad_info
    # go to the bucket boundary; without pad_info, batches pad to their longest row.
    padded = [b[0] for b in data.bucket_batch_by_length(
        "seq", [4, 8], [2, 2, 2], pad_info={"seq": ([None], 0)}, pad_to_bucket_boundary=True,
        drop_remainder=True)]
    assert [b.shape for b in padded] == [(2, 3), (2, 7)]
    longest = [b[0] for b in data.bucket_by_sequence_length(
        "seq", [4, 8], [2, 2, 2], pad_to_bucket_boundary=True, drop_remainder=True)]
    assert [b.shape for b in longest] == [(2, 2), (2, 6)]
    by_function = [b[0].shape for b in data.bucket_by_sequence_length(
        ["seq"], [3], [3, 3], element_length_function=lambda s: len(s) % 3)]
    assert sum(shape[0] for shape in by_function) == 6
    with pytest.raises(InvalidArgumentError, match="bucket_batch_sizes must have"):
        data.bucket_by_sequence_length("seq", [4], [2])


def test_per_batch_map_sees_lists_and_batch_info():
    seen = []

    def add_index(xs, ys, info):
        seen.append((info.get_batch_num(), info.get_epoch_num(), len(xs)))
        return [x + info.get_batch_num() * 100 for x in xs], ys

    iterator = table(10).batch(4, per_batch_map=add_index, num_parallel_workers=3).create_tuple_iterator(num_epochs=2)
    epochs = [[x[:, 0].tolist() for x, _ in iterator] for _ in range(2)]
    assert epochs[0] == [[0, 2, 4, 6], [108, 110, 112, 114], [216, 218]]
    assert epochs[1] == epochs[0]
    assert sorted(seen) == [(0, 0, 4), (0, 1, 4), (1, 0, 4), (1, 1, 4), (2, 0, 2), (2, 1, 2)]


def test_per_batch_map_with_new_columns():
    def lengths(ys, info):
        return [y * 0 + len(ys) for y in ys], ys

    data = table(5).batch(2, per_batch_map=lengths, input_columns="y", output_columns=["size", "y"])
    assert data.get_col_names() == ["size", "y", "x"]
    assert [b[0].tolist() for b in data] == [[2, 2], [2, 2], [1]]
    with pytest.raises(InvalidArgumentError, match="need per_batch_map"):
        table(5).batch(2, input_columns="y")


def test_map_callbacks_see_epochs_and_steps():
    events = []

    class Recorder(ds.callback.DSCallback):
        def ds_begin(self, context):
            events.append(("begin",))

        def ds_epoch_begin(self, context):
            events.append(("epoch_begin", context.cur_epoch_num))

        def ds_epoch_end(self, context):
            events.append(("epoch_end", context.cur_epoch_num, context.cur_step_num_in_epoch))

        def ds_step_end(self, context):
            events.append(("step", context.cur_epoch_num, context.cur_step_num))

    data = table(3).map(lambda x: x, input_columns="x", callbacks=[Recorder(step_size=2)])
    iterator = data.create_tuple_iterator(num_epochs=2)
    for _ in range(2):
        list(iterator)
    # Steps 1 and 3 of each epoch, as MindSpore 2.10 (checked with its wheel); cur_step_num
    # counts on across epochs.
    assert events == [("begin",), ("epoch_begin", 1), ("step", 1, 1), ("step", 1, 3),
                      ("epoch_end", 1, 3), ("epoch_begin", 2), ("step", 2, 4), ("step", 2, 6),
                      ("epoch_end", 2, 3)]


def test_an_exception_in_a_callback_reaches_the_loop():
    class Broken(ds.callback.DSCallback):
        def ds_step_begin(self, context):
            raise RuntimeError("callback broke")

    with pytest.raises(RuntimeError, match="callback broke"):
        list(table(3).map(lambda x: x, input_columns="x", callbacks=[Broken()]))


def test_a_map_function_cannot_change_the_source_array(no_leaked_threads):
    source = np.zeros((4, 3), dtype=np.int32)

    def add_in_place(x):
        x += 1
        return x

    data = ds.NumpySlicesDataset({"x": source}, shuffle=False).map(add_in_place)
    with pytest.raises(ValueError, match="read-only"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
    assert not source.any(), "the user's array was changed"


def test_a_map_result_that_is_not_an_array_names_the_function(no_leaked_threads):
    def gives_a_dict(x):
        return {"x": x}

    data = ds.NumpySlicesDataset({"x": np.arange(3)}, shuffle=False).map(gives_a_dict)
    with pytest.raises(ValueError, match="map function 'test_a_map_result_that_is_not_an_array_names_the_function.<locals>.gives_a_dict' returned"):
        for _ in data.create_tuple_iterator(num_epochs=1):
            pass
