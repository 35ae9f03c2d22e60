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
    with pytest.raises(InvalidArgumentError, match="data_type"):
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
