"""Native transforms: eager calls and use inside map."""

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import transforms
from headrace.errors import InvalidArgumentError


def test_type_cast_eager_matches_numpy():
    values = np.array([[-3, 0], [7, 250]], dtype=np.int32)
    for target in (np.float32, np.float64, np.int8, np.uint16, np.float16, np.bool_):
        out = transforms.TypeCast(target)(values)
        np.testing.assert_array_equal(out, values.astype(target))
        assert out.dtype == np.dtype(target)


def test_type_cast_in_a_map_runs_natively():
    data = ds.NumpySlicesDataset({"x": np.arange(6, dtype=np.int32)}, shuffle=False)
    data = data.map(transforms.TypeCast(np.float64), input_columns="x", num_parallel_workers=2)
    rows = [r[0] for r in data]
    assert [r.dtype for r in rows] == [np.float64] * 6
    assert [float(r) for r in rows] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_native_and_python_operations_mix_in_one_map():
    data = ds.NumpySlicesDataset({"x": np.arange(4, dtype=np.int32)}, shuffle=False)
    data = data.map([lambda x: x * 3, transforms.TypeCast(np.float32), lambda x: x + 0.5],
                    input_columns="x")
    assert [float(r[0]) for r in data] == [0.5, 3.5, 6.5, 9.5]


def test_type_cast_errors_name_the_problem():
    with pytest.raises(TypeError, match="data_type"):
        transforms.TypeCast("not a type")
    with pytest.raises(InvalidArgumentError, match="numeric or bool type, got <U0"):
        transforms.TypeCast(np.str_)


def test_calling_a_native_transform_keeps_no_reference_to_its_input():
    import sys
    array = np.ones(1000, dtype=np.int32)
    before = sys.getrefcount(array)
    for _ in range(20):
        transforms.TypeCast(np.float32)(array)
    assert sys.getrefcount(array) == before


def test_one_hot_matches_numpy_and_keeps_the_integer_dtype():
    labels = np.array([2, 0, 3], dtype=np.int32)
    out = transforms.OneHot(4)(labels)
    np.testing.assert_array_equal(out, np.eye(4, dtype=np.int32)[labels])
    assert out.dtype == np.int32
    scalar = transforms.OneHot(3)(np.uint8(1))
    np.testing.assert_array_equal(scalar, np.array([0, 1, 0], dtype=np.uint8))
    assert scalar.dtype == np.uint8


def test_one_hot_smoothing_spreads_the_rate_over_the_classes():
    out = transforms.OneHot(4, smoothing_rate=0.2)(np.array([1, 3], dtype=np.int64))
    expected = np.eye(4)[[1, 3]] * 0.8 + 0.05
    np.testing.assert_allclose(out, expected, rtol=1e-15)
    assert out.dtype == np.float64  # as MindSpore's


def test_one_hot_errors_name_the_label_or_argument():
    with pytest.raises(ValueError, match=r"OneHot: label 5 is outside \[0, 4\)"):
        transforms.OneHot(4)(np.array([1, 5]))
    with pytest.raises(ValueError, match="OneHot: expected integer labels, a scalar or a 1-D array, "
                                         r"got float32 of shape \[2\]"):
        transforms.OneHot(4)(np.zeros(2, np.float32))
    with pytest.raises(InvalidArgumentError, match="num_classes"):
        transforms.OneHot(0)
    with pytest.raises(InvalidArgumentError, match="smoothing_rate"):
        transforms.OneHot(3, smoothing_rate=1.5)


def test_compose_applies_in_turn_eagerly_and_spreads_into_a_map():
    composed = transforms.Compose([lambda x: x + 1, transforms.TypeCast(np.float32),
                                   transforms.Compose([lambda x: x * 2])])
    np.testing.assert_array_equal(composed(np.array([1, 2])), np.array([4.0, 6.0], np.float32))
    data = ds.NumpySlicesDataset({"x": np.arange(3, dtype=np.int32)}, shuffle=False)
    mapped = data.map(composed, input_columns="x")
    assert [float(r[0]) for r in mapped] == [2.0, 4.0, 6.0]
    # The transforms of the Compose are steps of the map's own chain.
    iterator = mapped.create_tuple_iterator(num_epochs=1)
    assert "ops=[test_compose_applies_in_turn_eagerly_and_spreads_into_a_map.<locals>.<lambda>, " \
           "TypeCast, test_compose_applies_in_turn_eagerly_and_spreads_into_a_map.<locals>.<lambda>]" \
           in iterator.get_tree_string()
    iterator.stop()


def test_compose_refuses_what_is_not_a_list_of_transforms():
    with pytest.raises(InvalidArgumentError, match="non-empty list"):
        transforms.Compose([])
    with pytest.raises(TypeError, match="is not callable"):
        transforms.Compose([np.float32(1)])
