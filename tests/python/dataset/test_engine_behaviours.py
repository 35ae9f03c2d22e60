"""Engine behaviours held to MindSpore 2.10's (each expectation was checked against its CPU
build): DistributedSampler's offset and ConcatDataset.use_sampler, padded batches cut to a
smaller shape, iterating past num_epochs, and error messages that name the fault."""

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.errors import FailedPreconditionError, InvalidArgumentError, UnimplementedError


def values(dataset, column="a"):
    return [int(row[column]) for row in dataset.create_dict_iterator(num_epochs=1, output_numpy=True)]


def sharded(rows, num_shards, shard_id, **kwargs):
    sampler = ds.DistributedSampler(num_shards, shard_id, **kwargs)
    return ds.NumpySlicesDataset({"a": np.arange(rows)}, sampler=sampler)


# DistributedSampler offset


@pytest.mark.parametrize("offset, expected", [
    (-1, [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]),  # even shards, padded by wrapping
    (0, [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]),
    (1, [[2, 5, 8], [0, 3, 6, 9], [1, 4, 7]]),
    (2, [[1, 4, 7], [2, 5, 8], [0, 3, 6, 9]]),
    (3, [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]])])
def test_offset_deals_row_0_to_shard_offset_without_padding(offset, expected):
    shards = [sharded(10, 3, shard, shuffle=False, offset=offset) for shard in range(3)]
    assert [values(shard) for shard in shards] == expected
    assert [shard.get_dataset_size() for shard in shards] == [len(e) for e in expected]


def test_offset_with_four_shards_and_num_samples():
    shards = [sharded(10, 4, shard, shuffle=False, offset=3) for shard in range(4)]
    assert [values(shard) for shard in shards] == [[1, 5, 9], [2, 6], [3, 7], [0, 4, 8]]
    capped = sharded(10, 3, 1, shuffle=False, num_samples=2, offset=1)
    assert values(capped) == [0, 3] and capped.get_dataset_size() == 2
    assert values(sharded(2, 3, 0, shuffle=False, offset=2)) == [1]


def test_shuffled_shards_with_an_offset_cover_every_row_once_per_epoch():
    ds.config.set_seed(5)  # shards shuffle alike only with one seed
    iterators = [sharded(10, 3, shard, shuffle=True, offset=1).create_tuple_iterator(num_epochs=2)
                 for shard in range(3)]
    epochs = [[sorted(int(row[0]) for row in iterator) for _ in range(2)] for iterator in iterators]
    for epoch in range(2):
        rows = [row for shard in epochs for row in shard[epoch]]
        assert sorted(rows) == list(range(10))
    assert [len(shard[0]) for shard in epochs] == [3, 4, 3]


def test_offset_argument_errors():
    with pytest.raises(InvalidArgumentError, match=r"no more than num_shards\(3\), but got: 4"):
        ds.DistributedSampler(3, 0, offset=4)
    with pytest.raises(InvalidArgumentError, match="offset must be -1 or"):
        ds.DistributedSampler(3, 0, offset=-2)
    for bad in ("1", 1.0, True):
        with pytest.raises(TypeError, match="offset must be an int"):
            ds.DistributedSampler(3, 0, offset=bad)
    assert ds.DistributedSampler(3, 0).set_offset(2).offset == 2


def test_concat_use_sampler_shards_the_concatenation_as_one_dataset():
    shards = []
    for shard in range(3):
        both = ds.NumpySlicesDataset({"a": np.arange(5)}, shuffle=False) + \
            ds.NumpySlicesDataset({"a": np.arange(100, 104)}, shuffle=False)
        both.use_sampler(ds.DistributedSampler(3, shard, shuffle=False))
        shards.append((values(both), both.get_dataset_size()))
    # What MindSpore 2.10 gives: row k of the 9 goes to shard k % 3.
    assert shards == [([0, 3, 101], 3), ([1, 4, 102], 3), ([2, 100, 103], 3)]


def test_concat_use_sampler_errors():
    def both():
        return ds.NumpySlicesDataset({"a": np.arange(5)}, shuffle=False) + \
            ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False)
    with pytest.raises(InvalidArgumentError, match="shuffle of DistributedSampler must be False"):
        both().use_sampler(ds.DistributedSampler(2, 0))
    with pytest.raises(InvalidArgumentError, match="num_samples of DistributedSampler"):
        both().use_sampler(ds.DistributedSampler(2, 0, shuffle=False, num_samples=2))
    with pytest.raises(TypeError, match="must be a DistributedSampler"):
        both().use_sampler(ds.SequentialSampler())
    with pytest.raises(UnimplementedError, match="RandomSampler"):
        both().use_sampler(ds.RandomSampler())
    batched = ds.NumpySlicesDataset({"a": np.arange(4)}, shuffle=False).batch(2) + \
        ds.NumpySlicesDataset({"a": np.arange(4)}, shuffle=False).batch(2)
    with pytest.raises(TypeError, match="must not be batched"):
        batched.use_sampler(ds.DistributedSampler(2, 0, shuffle=False))


# pad_info


def ragged(rows=(3, 1, 2)):
    def generate():
        for n in rows:
            yield (np.arange(n * 2).reshape(n, 2) + 1,)
    return ds.GeneratorDataset(generate, ["a"], shuffle=False)


def padded(dataset, pad_info, batch_size=3):
    return [row["a"] for row in dataset.padded_batch(batch_size, pad_info=pad_info)
            .create_dict_iterator(num_epochs=1, output_numpy=True)]


def test_a_pad_shape_smaller_than_a_row_cuts_it():
    (batch,) = padded(ragged(), {"a": ([2, 2], -1)})
    assert batch.tolist() == [[[1, 2], [3, 4]], [[1, 2], [-1, -1]], [[1, 2], [3, 4]]]
    assert batch.dtype == np.int64
    (batch,) = padded(ragged(), {"a": ([4, 1], -1)})
    assert batch.tolist() == [[[1], [3], [5], [-1]], [[1], [-1], [-1], [-1]], [[1], [3], [-1], [-1]]]


def test_pad_value_none_pads_with_zero_and_shape_none_to_the_longest():
    (batch,) = padded(ragged(), {"a": ([4, 2], None)})
    assert batch.tolist() == [[[1, 2], [3, 4], [5, 6], [0, 0]], [[1, 2], [0, 0], [0, 0], [0, 0]],
                              [[1, 2], [3, 4], [0, 0], [0, 0]]]
    (batch,) = padded(ragged(), {"a": (None, 7)})
    assert batch.tolist() == [[[1, 2], [3, 4], [5, 6]], [[1, 2], [7, 7], [7, 7]], [[1, 2], [3, 4], [7, 7]]]
    (batch,) = padded(ragged(), {"a": (None, None)})
    assert batch[1].tolist() == [[1, 2], [0, 0], [0, 0]]
    (batch,) = padded(ragged(), {"a": ([None, 3], 7)})
    assert batch[1].tolist() == [[1, 2, 7], [7, 7, 7], [7, 7, 7]]


def test_string_columns_pad_with_the_empty_string_and_cut():
    def words():
        for n in (3, 1):
            yield (np.array(["ab"] * n),)
    (batch,) = padded(ds.GeneratorDataset(words, ["a"], shuffle=False), {"a": ([4], None)}, 2)
    assert batch.tolist() == [["ab", "ab", "ab", ""], ["ab", "", "", ""]]
    (batch,) = padded(ds.GeneratorDataset(words, ["a"], shuffle=False), {"a": ([2], "zz")}, 2)
    assert batch.tolist() == [["ab", "ab"], ["ab", "zz"]]


def test_bucket_batches_cut_and_pad_as_padded_batch():
    def generate():
        for n in (1, 3, 2, 5):
            yield (np.arange(n) + 1,)

    def buckets(**kwargs):
        data = ds.GeneratorDataset(generate, ["a"], shuffle=False)
        data = data.bucket_batch_by_length(["a"], [3], [2, 2], **kwargs)
        return [row["a"].tolist() for row in data.create_dict_iterator(num_epochs=1, output_numpy=True)]
    assert buckets(pad_info={"a": ([2], -1)}) == [[[1, -1], [1, 2]], [[1, 2], [1, 2]]]
    assert buckets(pad_info={"a": ([6], None)}) == [[[1, 0, 0, 0, 0, 0], [1, 2, 0, 0, 0, 0]],
                                                    [[1, 2, 3, 0, 0, 0], [1, 2, 3, 4, 5, 0]]]


def test_pad_info_errors_name_the_column():
    with pytest.raises(InvalidArgumentError, match="pad_info: column 'zz' does not exist"):
        ragged().padded_batch(2, pad_info={"zz": ([3], 0)})
    with pytest.raises(InvalidArgumentError,
                       match="the shape for column 'a' has 1 dimensions, the rows have 2"):
        padded(ragged(), {"a": ([4], 0)})


# num_epochs


def test_a_pass_after_the_last_epoch_raises_as_mindspore():
    data = ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False)
    iterator = data.create_tuple_iterator(num_epochs=1, output_numpy=True)
    assert [int(row[0]) for row in iterator] == [0, 1, 2]
    with pytest.raises(FailedPreconditionError, match="beyond the specified number of epochs"):
        list(iterator)
    with pytest.raises(RuntimeError, match="beyond the specified number of epochs"):
        next(iterator)


def test_several_epochs_then_the_error():
    data = ds.NumpySlicesDataset({"a": np.arange(4)}, shuffle=False).batch(3)
    iterator = data.create_dict_iterator(num_epochs=2, output_numpy=True)
    for _ in range(2):
        assert [row["a"].tolist() for row in iterator] == [[0, 1, 2], [3]]
    with pytest.raises(RuntimeError, match=r"EOF buffer encountered.*\(num_epochs=2\)"):
        next(iterator)


def test_the_last_epoch_ends_with_stop_iteration_first():
    iterator = ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False).create_tuple_iterator(num_epochs=1)
    for _ in range(3):
        next(iterator)
    with pytest.raises(StopIteration):
        next(iterator)


def test_endless_iterators_and_stopped_ones_do_not_raise():
    iterator = ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False).create_tuple_iterator()
    assert [[int(r[0]) for r in iterator] for _ in range(3)] == [[0, 1, 2]] * 3
    iterator.stop()
    assert list(iterator) == []


# Error messages that name the fault


def two():
    return ds.NumpySlicesDataset({"a": np.arange(3), "b": np.arange(3)}, shuffle=False)


def test_zip_of_a_shared_column_says_it_is_duplicated():
    with pytest.raises(InvalidArgumentError, match="zip: duplicate column 'a' already exists when zipping"):
        ds.zip((two(), ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False)))
    with pytest.raises(InvalidArgumentError, match="duplicate column 'a', 'b' already exists"):
        two().zip(two())


def test_rename_and_project_of_a_missing_column():
    with pytest.raises(InvalidArgumentError,
                       match="rename: input_columns: column to be renamed 'zz' does not exist"):
        two().rename(["zz"], ["c"])
    with pytest.raises(InvalidArgumentError,
                       match="project: columns: column to be projected 'zz' does not exist"):
        two().project(["a", "zz"])
    with pytest.raises(InvalidArgumentError,
                       match="cannot rename a column into 'b', the name of another column"):
        two().rename(["a"], ["b"])
    with pytest.raises(InvalidArgumentError, match="input_columns: column 'zz' does not exist"):
        two().map(lambda x: x, input_columns=["zz"])
