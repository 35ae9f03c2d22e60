"""NumPy arrays in and out of headrace.Tensor: no copies, every dtype, strings."""

import gc
import sys
import weakref

import numpy as np
import pytest

import headrace
from headrace.errors import InvalidArgumentError

FIXED_WIDTH = [
    "bool", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
]


def address(array: np.ndarray) -> int:
    return array.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype", FIXED_WIDTH)
def test_round_trip_shares_memory(dtype):
    source = (np.arange(24) % 7).astype(dtype).reshape(2, 3, 4)
    tensor = headrace.Tensor(source)
    assert tensor.dtype == dtype
    assert tensor.shape == (2, 3, 4)
    assert tensor.nbytes == source.nbytes
    assert tensor.data_ptr == address(source), "wrapping must not copy"
    back = tensor.numpy()
    assert address(back) == address(source), "viewing must not copy"
    assert back.dtype == source.dtype and back.shape == source.shape
    np.testing.assert_array_equal(back, source)
    assert address(np.asarray(tensor)) == address(source)


def test_writes_are_seen_through_the_shared_memory():
    source = np.zeros(8, dtype=np.float32)
    back = headrace.Tensor(source).numpy()
    source[3] = 2.5
    assert back[3] == 2.5
    back[5] = -1.0
    assert source[5] == -1.0


def test_read_only_array_stays_read_only():
    source = np.arange(6, dtype=np.int64)
    source.setflags(write=False)
    back = headrace.Tensor(source).numpy()
    assert address(back) == address(source)
    assert not back.flags.writeable
    with pytest.raises(ValueError):
        back[0] = 1


def test_the_tensor_keeps_the_array_alive():
    source = np.arange(1000, dtype=np.int32)
    before = sys.getrefcount(source)
    tensor = headrace.Tensor(source)
    assert sys.getrefcount(source) == before + 1
    del tensor
    gc.collect()
    assert sys.getrefcount(source) == before, "dropping the tensor releases the array"


def test_a_view_keeps_the_source_alive_until_the_view_goes():
    source = np.arange(5, dtype=np.int16) * 3
    alive = weakref.ref(source)
    back = headrace.Tensor(source).numpy()
    del source
    gc.collect()
    assert alive() is not None, "the view holds the tensor, which holds the array"
    np.testing.assert_array_equal(back, [0, 3, 6, 9, 12])
    del back
    gc.collect()
    assert alive() is None, "nothing keeps the array once the view is gone"


def test_non_contiguous_and_byte_swapped_arrays_are_copied_once():
    strided = np.arange(20, dtype=np.int32)[::2]
    tensor = headrace.Tensor(strided)
    assert tensor.data_ptr != address(strided)
    np.testing.assert_array_equal(tensor.numpy(), strided)

    swapped = np.arange(4, dtype=">i4")
    back = headrace.Tensor(swapped).numpy()
    assert back.dtype == np.dtype("int32")
    np.testing.assert_array_equal(back, [0, 1, 2, 3])

    fortran = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3))
    np.testing.assert_array_equal(headrace.Tensor(fortran).numpy(), fortran)


def test_scalars_and_empty_arrays():
    scalar = headrace.Tensor(np.float64(1.5))
    assert scalar.shape == ()
    assert scalar.numpy() == 1.5
    with pytest.raises(TypeError):
        len(scalar)

    empty = headrace.Tensor(np.zeros((0, 3), dtype=np.uint8))
    assert empty.shape == (0, 3)
    assert empty.numpy().shape == (0, 3)


def test_python_lists_become_arrays():
    tensor = headrace.Tensor([[1, 2], [3, 4]])
    assert tensor.shape == (2, 2)
    assert len(tensor) == 2
    np.testing.assert_array_equal(tensor.numpy(), [[1, 2], [3, 4]])


def test_unicode_strings_round_trip():
    words = np.array([["", "héllo"], ["世界", "emoji 😀"]])
    tensor = headrace.Tensor(words)
    assert tensor.dtype == "string"
    assert tensor.shape == (2, 2)
    back = tensor.numpy()
    assert back.dtype.kind == "U"
    np.testing.assert_array_equal(back, words)


def test_bytes_round_trip():
    blobs = np.array([b"\x01\x02", b"", b"jpeg\xff\xd8"])
    tensor = headrace.Tensor(blobs)
    assert tensor.dtype == "bytes"
    back = tensor.numpy()
    assert back.dtype.kind == "S"
    np.testing.assert_array_equal(back, blobs)


def test_object_arrays_of_str_and_of_bytes():
    text = headrace.Tensor(np.array(["a", "bcd", "é"], dtype=object))
    assert text.dtype == "string"
    np.testing.assert_array_equal(text.numpy(), ["a", "bcd", "é"])
    raw = headrace.Tensor(np.array([b"x", b"yz"], dtype=object))
    assert raw.dtype == "bytes"
    np.testing.assert_array_equal(raw.numpy(), [b"x", b"yz"])


def test_unsupported_input_names_the_problem():
    with pytest.raises(InvalidArgumentError, match="unsupported NumPy dtype 'complex64'"):
        headrace.Tensor(np.zeros(2, dtype=np.complex64))
    with pytest.raises(InvalidArgumentError, match="mixes str and bytes"):
        headrace.Tensor(np.array(["a", b"b"], dtype=object))
    with pytest.raises(InvalidArgumentError, match="element 1 is of type 'int'"):
        headrace.Tensor(np.array(["a", 3], dtype=object))
    with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError too
        headrace.Tensor(np.array([1 + 2j]))


def test_repr_names_dtype_and_shape():
    assert repr(headrace.Tensor(np.zeros((2, 3), np.float32))) == "Tensor(float32, [2, 3])"


@pytest.mark.parametrize(
    "value,dtype",
    [("hello", "string"), (b"xy", "bytes"), (np.array("abc"), "string"),
     (np.array("é", dtype=object), "string"), (np.array(5, ">i4"), "int32"), (7, "int64")],
)
def test_zero_dimensional_inputs_stay_zero_dimensional(value, dtype):
    tensor = headrace.Tensor(value)
    assert tensor.dtype == dtype
    assert tensor.shape == ()
    back = tensor.numpy()
    assert back.shape == ()
    assert back.item() == np.asarray(value).item()


def test_misaligned_arrays_are_copied_to_aligned_memory():
    raw = np.zeros(4 * 8 + 1, dtype=np.uint8)
    misaligned = raw[1:].view(np.int32)
    misaligned[:] = np.arange(8)
    assert not misaligned.flags.aligned
    tensor = headrace.Tensor(misaligned)
    assert tensor.data_ptr % 4 == 0
    np.testing.assert_array_equal(tensor.numpy(), np.arange(8))


def test_copy_false_is_honoured_or_refused():
    numbers = headrace.Tensor(np.arange(3, dtype=np.int32))
    assert np.asarray(numbers, copy=False).dtype == np.int32
    with pytest.raises(ValueError, match="needs a copy"):
        np.array(numbers, dtype=np.float64, copy=False)
    np.testing.assert_array_equal(np.array(numbers, dtype=np.float64), [0.0, 1.0, 2.0])
    words = headrace.Tensor(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="without a copy"):
        np.asarray(words, copy=False)
    np.testing.assert_array_equal(np.asarray(words), ["a", "b"])


def test_a_ragged_list_reports_numpys_reason():
    with pytest.raises(InvalidArgumentError, match="array: cannot make a NumPy array from the list given: .*inhomogeneous"):
        headrace.Tensor([[1, 2], [3]])
