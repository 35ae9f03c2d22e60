"""RandomApply, RandomChoice and RandomOrder over native and Python transforms: the draw
comes from each row's seed, so the same seed gives the same rows with any number of
workers; arguments are checked as MindSpore 2.10 checks them."""

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import transforms as T
from headrace.errors import InvalidArgumentError

ROWS = 400


def add(k):
    def function(x):
        return x + k
    return function


def times_ten(x):
    return x * 10


def run(operation, workers=1, seed=3, epochs=1, rows=ROWS):
    """The rows of `epochs` epochs of a map of `operation` over 0..rows-1 (zeros of int64)."""
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"a": np.zeros(rows, dtype=np.int64)}, shuffle=False)
    data = data.map(operation, input_columns="a", num_parallel_workers=workers)
    iterator = data.create_tuple_iterator(num_epochs=epochs, output_numpy=True)
    return [[int(row[0]) for row in iterator] for _ in range(epochs)]


@pytest.mark.parametrize("make", [
    lambda: T.RandomApply([add(1), T.TypeCast(np.int64), add(2)], prob=0.5),
    lambda: T.RandomChoice([add(1), add(2), T.Compose([add(3), T.TypeCast(np.int64)])]),
    lambda: T.RandomOrder([add(1), times_ten, add(2)])])
def test_same_seed_same_rows_with_any_number_of_workers(make):
    (one,) = run(make(), workers=1)
    (three,) = run(make(), workers=3)
    assert one == three
    assert len(set(one)) > 1  # rows differ
    (other,) = run(make(), workers=2, seed=4)
    assert other != one


def test_epochs_draw_anew():
    first, second = run(T.RandomChoice([add(1), add(2)]), epochs=2)
    assert first != second
    assert sorted(set(first)) == sorted(set(second)) == [1, 2]


def test_random_apply_applies_all_or_nothing_with_prob():
    (rows,) = run(T.RandomApply([add(1), add(2)], prob=0.3))
    assert set(rows) == {0, 3}
    assert 0.22 < rows.count(3) / ROWS < 0.38
    assert run(T.RandomApply([add(1)], prob=0))[0] == [0] * ROWS
    assert run(T.RandomApply([add(1)], prob=1))[0] == [1] * ROWS
    (default,) = run(T.RandomApply([add(1)]))
    assert 0.4 < default.count(1) / ROWS < 0.6


def test_random_choice_takes_each_transform_about_equally():
    (rows,) = run(T.RandomChoice([add(1), add(2), add(3), T.TypeCast(np.int64)]))
    counts = {value: rows.count(value) for value in set(rows)}
    assert set(counts) == {0, 1, 2, 3}
    assert all(0.17 < c / ROWS < 0.33 for c in counts.values())


def test_random_order_takes_every_order():
    # From 0, the six orders give 12 (+1 x10 +2), 21 (+2 x10 +1), 30 (+1 +2 x10 and +2 +1 x10)
    # and 3 (x10 first, then +1 +2 either way): 3 and 30 twice as often as 12 and 21.
    (rows,) = run(T.RandomOrder([add(1), times_ten, add(2)]))
    counts = {value: rows.count(value) for value in set(rows)}
    assert set(counts) == {3, 12, 21, 30}
    assert 0.27 < counts[3] / ROWS < 0.40 and 0.27 < counts[30] / ROWS < 0.40
    assert 0.10 < counts[12] / ROWS < 0.23 and 0.10 < counts[21] / ROWS < 0.23


def test_inner_native_transforms_and_several_columns():
    data = ds.NumpySlicesDataset({"a": np.arange(6).reshape(3, 2), "b": np.arange(3).reshape(3, 1)},
                                 shuffle=False)
    data = data.map(T.RandomApply([T.Concatenate(0, np.array([9])), T.Slice(slice(1, 4))], prob=1),
                    input_columns=["a", "b"], output_columns=["c"])
    assert [row[0].tolist() for row in data] == [[0, 1, 0], [2, 3, 1], [4, 5, 2]]


def test_eager_calls():
    np.testing.assert_array_equal(T.RandomApply([T.Fill(4)], prob=1)(np.zeros(3, np.int32)), [4, 4, 4])
    assert int(T.RandomChoice([add(5)])(np.array(1))) == 6
    assert int(T.RandomOrder([add(5), times_ten])(np.array(1))) in (60, 15)


def test_an_error_inside_reaches_the_iterator_unchanged():
    def fail(x):
        raise KeyError("inner")
    with pytest.raises(KeyError, match="inner"):
        run(T.RandomApply([fail], prob=1))
    with pytest.raises(InvalidArgumentError, match="Unique: input must be at least 2-D"):
        run(T.RandomChoice([T.Unique()]))


@pytest.mark.parametrize("make", [T.RandomChoice, T.RandomOrder, lambda t: T.RandomApply(t)])
def test_argument_errors(make):
    with pytest.raises(TypeError, match="transforms must be a list"):
        make((add(1),))
    with pytest.raises(InvalidArgumentError, match="transforms list can not be empty"):
        make([])
    with pytest.raises(TypeError, match=r"transforms\[1\] is neither"):
        make([add(1), 3])
    with pytest.raises(InvalidArgumentError, match="missing parentheses"):
        make([T.Compose])


def test_prob_errors():
    for bad in ("0.5", True, None):
        with pytest.raises(TypeError, match="prob must be a float or an int"):
            T.RandomApply([add(1)], prob=bad)
    for bad in (-0.1, 1.5):
        with pytest.raises(InvalidArgumentError, match=r"prob must be in \[0, 1\]"):
            T.RandomApply([add(1)], prob=bad)
