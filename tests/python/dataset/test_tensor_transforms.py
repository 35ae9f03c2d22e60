"""Tensor transforms of mindspore.dataset.transforms: Mask, Fill, Duplicate, Concatenate,
PadEnd, Slice and Unique. Expected values are what MindSpore 2.10 gives for the same
pipeline (checked against its CPU build)."""

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import transforms as T
from headrace.errors import InvalidArgumentError, OutOfRangeError

R = T.Relational


def mapped(columns, operation, input_columns="a", output_columns=None):
    """Every row of a NumpySlicesDataset over `columns` after one map, as dicts."""
    data = ds.NumpySlicesDataset(columns, shuffle=False)
    data = data.map(operation, input_columns=input_columns, output_columns=output_columns)
    return list(data.create_dict_iterator(output_numpy=True))


def only(columns, operation, **kwargs):
    """The first row's value of the single output column."""
    (row,) = mapped(columns, operation, **kwargs)[:1]
    (value,) = row.values()
    return value


def check(value, expected, dtype):
    np.testing.assert_array_equal(value, np.array(expected))
    assert value.dtype == np.dtype(dtype)
    assert value.shape == np.array(expected).shape


# Mask


def test_relational_numbers_the_operators_as_mindspore():
    assert [(op.name, int(op)) for op in R] == [
        ("EQ", 0), ("NE", 1), ("GT", 2), ("GE", 3), ("LT", 4), ("LE", 5)]


@pytest.mark.parametrize("operator, expected", [
    (R.EQ, [False, True, False, False]), (R.NE, [True, False, True, True]),
    (R.GT, [False, False, True, True]), (R.GE, [False, True, True, True]),
    (R.LT, [True, False, False, False]), (R.LE, [True, True, False, False])])
def test_mask_compares_every_element(operator, expected):
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.Mask(operator, 2)), expected, np.bool_)


def test_mask_converts_the_constant_to_the_column_dtype_first():
    # MindSpore: 2.5 against int64 compares with 2, -1 against uint8 with 255.
    check(only({"a": np.array([[1, 2, 3]])}, T.Mask(R.EQ, 2.5)), [False, True, False], np.bool_)
    check(only({"a": np.array([[1, 2]], dtype=np.uint8)}, T.Mask(R.LT, -1)), [True, True], np.bool_)
    check(only({"a": np.array([[1.5, 2.5]])}, T.Mask(R.LT, 2)), [True, False], np.bool_)


def test_mask_output_dtype_and_strings():
    check(only({"a": np.array([[1, 2, 3]])}, T.Mask(R.GE, 2, np.int32)), [0, 1, 1], np.int32)
    check(only({"a": np.array([["a", "b", "c"]])}, T.Mask(R.EQ, "b")), [False, True, False], np.bool_)
    check(only({"a": np.array([["a", "b"]])}, T.Mask(R.LT, "b")), [True, False], np.bool_)
    check(only({"a": np.array([[b"a", b"b"]])}, T.Mask(R.EQ, b"a")), [True, False], np.bool_)


def test_mask_refuses_to_compare_numbers_with_text():
    with pytest.raises(InvalidArgumentError, match="both should be numeric or non-numerical"):
        mapped({"a": np.array([["a", "b"]])}, T.Mask(R.EQ, 1))
    with pytest.raises(InvalidArgumentError, match="both should be numeric or non-numerical"):
        mapped({"a": np.array([[1, 2]])}, T.Mask(R.EQ, "b"))


def test_mask_argument_errors():
    with pytest.raises(TypeError, match="operator must be a Relational"):
        T.Mask("x", 1)
    with pytest.raises(TypeError, match="constant must be"):
        T.Mask(R.EQ, [1])
    with pytest.raises(TypeError, match="constant must be"):
        T.Mask(R.EQ, None)
    with pytest.raises(TypeError, match="dtype"):
        T.Mask(R.EQ, 1, np.str_)


# Fill


def test_fill_keeps_shape_and_dtype():
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.Fill(7)), [7, 7, 7, 7], np.int64)
    check(only({"a": np.array([[1, 2, 3]])}, T.Fill(2.7)), [2, 2, 2], np.int64)
    check(only({"a": np.array([[1.5, 2.5]], dtype=np.float32)}, T.Fill(3)), [3.0, 3.0], np.float32)
    check(only({"a": np.array([[1, 2]])}, T.Fill(True)), [1, 1], np.int64)
    check(only({"a": np.array([[True, False]])}, T.Fill(0.5)), [True, True], np.bool_)
    check(only({"a": np.array([[1, 2]], dtype=np.uint8)}, T.Fill(300)), [44, 44], np.uint8)
    check(only({"a": np.arange(6).reshape(1, 2, 3)}, T.Fill(-1)), [[-1] * 3] * 2, np.int64)
    check(only({"a": np.array([1, 2])}, T.Fill(5)), 5, np.int64)


def test_fill_strings_and_bytes():
    check(only({"a": np.array([["a", "bcd"]])}, T.Fill("zz")), ["zz", "zz"], "<U2")
    check(only({"a": np.array([[b"a", b"b"]])}, T.Fill(b"q")), [b"q", b"q"], "S1")
    with pytest.raises(InvalidArgumentError, match=
                       "fill_value data type string and input tensor data type int64"):
        mapped({"a": np.array([[1, 2]])}, T.Fill("zz"))
    with pytest.raises(InvalidArgumentError, match=
                       "fill_value data type int64 and input tensor data type string"):
        mapped({"a": np.array([["a"]])}, T.Fill(3))


def test_fill_argument_errors():
    for bad in ([1], None, np.int32(3)):
        with pytest.raises(TypeError, match="fill_value must be"):
            T.Fill(bad)


# Duplicate


def test_duplicate_gives_two_equal_columns():
    rows = mapped({"a": np.array([[1, 2, 3]]), "b": np.array([7])}, T.Duplicate(),
                  output_columns=["x", "y"])
    assert list(rows[0]) == ["x", "y", "b"]
    check(rows[0]["x"], [1, 2, 3], np.int64)
    check(rows[0]["y"], [1, 2, 3], np.int64)


def test_duplicate_takes_one_column():
    with pytest.raises(InvalidArgumentError, match="Duplicate: expected one column, got 2"):
        mapped({"a": np.array([[1]]), "b": np.array([[2]])}, T.Duplicate(),
               input_columns=["a", "b"], output_columns=["x", "y"])


# Concatenate


def test_concatenate_prepends_and_appends():
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.Concatenate(0, np.array([9, 8]), np.array([7]))),
          [9, 8, 1, 2, 3, 4, 7], np.int64)
    check(only({"a": np.array([[1, 2]])}, T.Concatenate()), [1, 2], np.int64)
    check(only({"a": np.array([[1, 2]])}, T.Concatenate(-1, np.array([9]))), [9, 1, 2], np.int64)
    check(only({"a": np.array([["a", "b"]])}, T.Concatenate(0, np.array(["x"]), np.array(["y", "z"]))),
          ["x", "a", "b", "y", "z"], "<U1")


def test_concatenate_joins_every_input_column_in_order():
    rows = mapped({"a": np.array([[1, 2]]), "b": np.array([[3]])},
                  T.Concatenate(0, np.array([9]), np.array([8])),
                  input_columns=["a", "b"], output_columns=["c"])
    check(rows[0]["c"], [9, 1, 2, 3, 8], np.int64)
    with pytest.raises(InvalidArgumentError, match="inconsistent datatype of input"):
        mapped({"a": np.array([[1]]), "b": np.array([[3.5]])}, T.Concatenate(),
               input_columns=["a", "b"], output_columns=["c"])


def test_concatenate_data_errors():
    with pytest.raises(InvalidArgumentError, match="got input datatype: int64, prepend datatype: float64"):
        mapped({"a": np.array([[1]])}, T.Concatenate(0, np.array([9.5])))
    with pytest.raises(InvalidArgumentError, match="got input datatype: int64, append datatype: int32"):
        mapped({"a": np.array([[1]])}, T.Concatenate(0, None, np.array([9], dtype=np.int32)))
    with pytest.raises(InvalidArgumentError, match="only 1D input supported, got rank of input: 2"):
        mapped({"a": np.array([[[1, 2], [3, 4]]])}, T.Concatenate(0, np.array([9])))
    with pytest.raises(InvalidArgumentError, match="only 1D input supported, got rank of input: 0"):
        mapped({"a": np.array([1, 2])}, T.Concatenate(0, np.array([9])))


def test_concatenate_argument_errors():
    with pytest.raises(TypeError, match="axis must be an int"):
        T.Concatenate("0")
    with pytest.raises(TypeError, match="axis must be an int"):
        T.Concatenate(True)
    with pytest.raises(InvalidArgumentError, match="only 1D concatenation supported"):
        T.Concatenate(1)
    with pytest.raises(TypeError, match="prepend must be a numpy.ndarray"):
        T.Concatenate(0, [1])
    with pytest.raises(InvalidArgumentError, match="can only prepend 1D arrays"):
        T.Concatenate(0, np.array([[1]]))
    with pytest.raises(InvalidArgumentError, match="can only append 1D arrays"):
        T.Concatenate(0, None, np.array(1))


# PadEnd


def test_pad_end_pads_and_cuts():
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.PadEnd([6], 0)), [1, 2, 3, 4, 0, 0], np.int64)
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.PadEnd([2])), [1, 2], np.int64)
    check(only({"a": np.array([[[1, 2], [3, 4]]])}, T.PadEnd([3, 1], -1)), [[1], [3], [-1]], np.int64)
    check(only({"a": np.array([[[1, 2], [3, 4]]])}, T.PadEnd([3, 4], 9)),
          [[1, 2, 9, 9], [3, 4, 9, 9], [9, 9, 9, 9]], np.int64)
    check(only({"a": np.array([[1, 2, 3, 4]])}, T.PadEnd([6], 1.5)), [1, 2, 3, 4, 1, 1], np.int64)
    check(only({"a": np.array([[1]], dtype=np.uint8)}, T.PadEnd([3], -1)), [1, 255, 255], np.uint8)
    check(only({"a": np.array([[1.5]], dtype=np.float32)}, T.PadEnd([3], 2)), [1.5, 2.0, 2.0], np.float32)
    check(only({"a": np.array([[True]])}, T.PadEnd([3])), [True, False, False], np.bool_)


def test_pad_end_none_keeps_a_dimension():
    check(only({"a": np.array([[[1, 2], [3, 4]]])}, T.PadEnd([3, None], -1)),
          [[1, 2], [3, 4], [-1, -1]], np.int64)
    check(only({"a": np.array([[[1, 2], [3, 4]]])}, T.PadEnd([None, 1])), [[1], [3]], np.int64)


def test_pad_end_strings_pad_with_the_empty_string():
    check(only({"a": np.array([["a", "b"]])}, T.PadEnd([4])), ["a", "b", "", ""], "<U1")
    check(only({"a": np.array([["a", "b"]])}, T.PadEnd([4], "q")), ["a", "b", "q", "q"], "<U1")
    check(only({"a": np.array([[b"a"]])}, T.PadEnd([3])), [b"a", b"", b""], "S1")


def test_pad_end_passes_scalars_and_refuses_other_ranks_and_kinds():
    rows = mapped({"a": np.array([1, 2])}, T.PadEnd([3]))
    assert [int(r["a"]) for r in rows] == [1, 2] and rows[0]["a"].shape == ()
    with pytest.raises(InvalidArgumentError, match="rank of input is: 1, and rank of pad value: 2"):
        mapped({"a": np.array([[1, 2]])}, T.PadEnd([3, 3]))
    with pytest.raises(InvalidArgumentError, match="can not pad numeric and string tensors together"):
        mapped({"a": np.array([[1, 2]])}, T.PadEnd([6], "q"))


def test_pad_end_argument_errors():
    with pytest.raises(TypeError, match="pad_shape must be a list"):
        T.PadEnd((3,))
    for bad in (0, -1):
        with pytest.raises(InvalidArgumentError, match="positive"):
            T.PadEnd([bad])
    for bad in ("a", 3.0, True):
        with pytest.raises(TypeError, match="a value in the list"):
            T.PadEnd([bad])
    with pytest.raises(TypeError, match="pad_value must be"):
        T.PadEnd([3], [1])


# Slice

ROW = np.arange(6).reshape(1, 6)
GRID = np.arange(12).reshape(1, 3, 4)


@pytest.mark.parametrize("slices, expected", [
    ((2,), [2]), ((-1,), [5]), (([0, 2, 5],), [0, 2, 5]), (([-1, 0],), [5, 0]), (([1, 1],), [1, 1]),
    ((slice(1, 5, 2),), [1, 3]), ((slice(5, 0, -2),), [5, 3, 1]), ((slice(0, 3),), [0, 1, 2]),
    ((slice(2, 100),), [2, 3, 4, 5]), ((slice(4, 2),), []), ((None,), list(range(6))),
    ((Ellipsis,), list(range(6))), ((True,), list(range(6))), ((), list(range(6))),
    ((slice(None, None, -1),), [5, 4, 3, 2, 1, 0]), ((slice(-2, None),), [4, 5])])
def test_slice_one_dimension(slices, expected):
    check(only({"a": ROW}, T.Slice(*slices)), np.array(expected, dtype=np.int64), np.int64)


@pytest.mark.parametrize("slices, expected", [
    ((1,), [[4, 5, 6, 7]]), ((1, 2), [[6]]), (([0, 2], [1, 3]), [[1, 3], [9, 11]]),
    ((slice(0, 2), 3), [[3], [7]]), ((Ellipsis, 1), [[1], [5], [9]]), ((None, 1), [[1], [5], [9]]),
    ((0, Ellipsis), [[0, 1, 2, 3]]), ((slice(1, 3), slice(0, 4, 3)), [[4, 7], [8, 11]]),
    ((Ellipsis, Ellipsis), np.arange(12).reshape(3, 4).tolist())])
def test_slice_keeps_every_dimension(slices, expected):
    check(only({"a": GRID}, T.Slice(*slices)), expected, np.int64)


def test_slice_strings():
    check(only({"a": np.array([["a", "bb", "c"]])}, T.Slice([2, 0])), ["c", "a"], "<U1")
    check(only({"a": np.array([[["a", "bb"], ["c", "d"]]])}, T.Slice(1, slice(0, 2))), [["c", "d"]], "<U1")


def test_slice_data_errors():
    with pytest.raises(OutOfRangeError, match="index 7 is out of bounds"):
        mapped({"a": ROW}, T.Slice(7))
    with pytest.raises(OutOfRangeError, match="index 9 is out of bounds"):
        mapped({"a": ROW}, T.Slice([1, 9]))
    with pytest.raises(InvalidArgumentError, match="3 slices for a tensor of rank 2"):
        mapped({"a": GRID}, T.Slice(0, 0, 0))
    with pytest.raises(InvalidArgumentError, match="1 slices for a tensor of rank 0"):
        mapped({"a": np.array([1, 2])}, T.Slice(0))


def test_slice_argument_errors():
    for bad in ("a", 1.5, (1, 2)):
        with pytest.raises(TypeError, match=r"slices\[0\] must be"):
            T.Slice(bad)
    with pytest.raises(TypeError, match="an index must be an int"):
        T.Slice([1, "a"])
    with pytest.raises(TypeError, match="start must be an int"):
        T.Slice(slice(1.5, 2))
    with pytest.raises(InvalidArgumentError, match="can not be empty"):
        T.Slice([])
    with pytest.raises(InvalidArgumentError, match="selects nothing"):
        T.Slice(False)
    with pytest.raises(InvalidArgumentError, match="step cannot be zero"):
        T.Slice(slice(0, 3, 0))


# Unique


def unique(values):
    rows = mapped({"a": values}, T.Unique(), output_columns=["u", "i", "c"])
    return rows[0]["u"], rows[0]["i"], rows[0]["c"]


def test_unique_values_index_and_counts_in_order_of_first_occurrence():
    u, i, c = unique(np.array([[[5, 3, 5, 1, 3, 3]]]))
    check(u, [5, 3, 1], np.int64)
    check(i, [0, 1, 0, 2, 1, 1], np.int32)
    check(c, [2, 3, 1], np.int32)
    u, i, c = unique(np.array([[[5, 3, 5], [1, 3, 3]]]))  # flattened
    check(u, [5, 3, 1], np.int64)
    check(i, [0, 1, 0, 2, 1, 1], np.int32)


def test_unique_keeps_the_dtype_and_compares_by_value():
    check(unique(np.array([[[5, 3, 5]]], dtype=np.uint8))[0], [5, 3], np.uint8)
    check(unique(np.array([[[1, 2, 1]]], dtype=np.float16))[0], [1, 2], np.float16)
    u, i, c = unique(np.array([[[0.0, -0.0]]]))
    check(u, [0.0], np.float64)
    check(c, [2], np.int32)
    u, i, c = unique(np.array([[[np.nan, 1.0, np.nan]]]))  # every NaN its own, as MindSpore
    assert np.isnan(u[0]) and u[1] == 1.0 and np.isnan(u[2])
    check(c, [1, 1, 1], np.int32)


def test_unique_errors():
    with pytest.raises(InvalidArgumentError, match="at least 2-D in order to do unique op, got rank: 1"):
        unique(np.array([[5, 3, 5]]))
    with pytest.raises(InvalidArgumentError, match="only numeric input is supported, got string"):
        unique(np.array([[["b", "a"]]]))
    with pytest.raises(InvalidArgumentError, match="only numeric input is supported, got bool"):
        unique(np.array([[[True, False]]]))


# Eager calls and several epochs


def test_tensor_transforms_called_on_arrays():
    np.testing.assert_array_equal(T.Slice(slice(1, 3))(np.arange(5)), [1, 2])
    np.testing.assert_array_equal(T.PadEnd([3], 7)(np.array([1])), [1, 7, 7])
    x, y = T.Duplicate()(np.array([1, 2]))
    np.testing.assert_array_equal(x, y)
    u, i, c = T.Unique()(np.array([[2, 2], [1, 2]]))
    np.testing.assert_array_equal(c, [3, 1])


def test_tensor_transforms_over_several_epochs_and_workers():
    data = ds.NumpySlicesDataset({"a": np.arange(40).reshape(10, 4)}, shuffle=False)
    data = data.map([T.Slice(slice(0, 2)), T.PadEnd([3], -1), T.Concatenate(0, np.array([100]))],
                    input_columns="a", num_parallel_workers=3)
    iterator = data.create_tuple_iterator(num_epochs=2, output_numpy=True)
    for _ in range(2):
        rows = [row[0] for row in iterator]
        assert len(rows) == 10
        for k, row in enumerate(rows):
            check(row, [100, 4 * k, 4 * k + 1, -1], np.int64)
