"""MnistDataset, Cifar10Dataset and Cifar100Dataset on small IDX and CIFAR binaries written
by the tests: values, dtypes, shapes, row order, usage, shards, num_samples, sizes and
errors that name the file at fault.

The expected orders marked "MindSpore 2.10" were produced once by running MindSpore
(/tmp/msenv) on files of the same layout, and are written here as literals: CI has no
MindSpore. (MindSpore reads exactly 10,000 records from every CIFAR batch, so its CIFAR
orders were taken on 10,000-record files; headrace counts the records from the file size.)
"""

from __future__ import annotations

import struct

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.errors import DataLossError, InvalidArgumentError

# --- MNIST -------------------------------------------------------------------------------

TRAIN_LABELS = [3, 1, 4, 1, 5]
TEST_LABELS = [9, 2, 6]


def write_idx(path, array: np.ndarray, magic: int, count=None) -> None:
    shape = list(array.shape)
    if count is not None:
        shape[0] = count
    with open(path, "wb") as file:
        file.write(struct.pack(">I", magic))
        for dim in shape:
            file.write(struct.pack(">I", dim))
        file.write(array.tobytes())


def mnist_images(labels, height=28, width=28) -> np.ndarray:
    """Image k of a part is filled with 10 * label + k, with a gradient along the row so
    that a transposed or shifted image would not compare equal."""
    images = np.zeros((len(labels), height, width), np.uint8)
    for k, label in enumerate(labels):
        images[k] = (10 * label + k + np.arange(width)[None, :]) % 256
    return images


def write_mnist(folder, prefix, labels, dot_names=False) -> None:
    sep = "." if dot_names else "-"
    write_idx(folder / f"{prefix}-images{sep}idx3-ubyte", mnist_images(labels), 2051)
    write_idx(folder / f"{prefix}-labels{sep}idx1-ubyte", np.array(labels, np.uint8), 2049)


@pytest.fixture
def mnist_dir(tmp_path):
    write_mnist(tmp_path, "train", TRAIN_LABELS)
    write_mnist(tmp_path, "t10k", TEST_LABELS)
    return tmp_path


def labels_of(data, column=1):
    return [int(row[column]) for row in data.create_tuple_iterator(num_epochs=1)]


def test_mnist_columns_dtypes_shapes_and_values(mnist_dir):
    data = ds.MnistDataset(str(mnist_dir), usage="train", shuffle=False)
    assert data.get_col_names() == ["image", "label"]
    rows = list(data.create_tuple_iterator(num_epochs=1))
    assert len(rows) == 5
    expected = mnist_images(TRAIN_LABELS)
    for k, (image, label) in enumerate(rows):
        assert image.dtype == np.uint8 and image.shape == (28, 28, 1)
        assert label.dtype == np.uint32 and label.shape == ()
        np.testing.assert_array_equal(image[:, :, 0], expected[k])
        assert int(label) == TRAIN_LABELS[k]


def test_mnist_usage_order_and_sizes_as_mindspore(mnist_dir):
    # MindSpore 2.10: usage None/'all' reads t10k then train.
    for usage, labels in [(None, [9, 2, 6, 3, 1, 4, 1, 5]), ("all", [9, 2, 6, 3, 1, 4, 1, 5]),
                          ("train", [3, 1, 4, 1, 5]), ("test", [9, 2, 6])]:
        data = ds.MnistDataset(str(mnist_dir), usage=usage, shuffle=False)
        assert data.get_dataset_size() == len(labels)
        assert labels_of(data) == labels


def test_mnist_shards_num_samples_and_shuffle_as_mindspore(mnist_dir):
    # MindSpore 2.10, shuffle=False, 3 shards of 8 rows: every third row, padded with the
    # first rows so that the shards are equal.
    expected = [[9, 3, 1], [2, 1, 5], [6, 4, 9]]
    union = []
    for shard_id in range(3):
        data = ds.MnistDataset(str(mnist_dir), shuffle=False, num_shards=3, shard_id=shard_id)
        assert data.get_dataset_size() == 3
        got = labels_of(data)
        assert got == expected[shard_id]
        union += got
    assert sorted(set(union)) == sorted(set(TEST_LABELS + TRAIN_LABELS))
    data = ds.MnistDataset(str(mnist_dir), shuffle=False, num_samples=4)
    assert data.get_dataset_size() == 4 and labels_of(data) == [9, 2, 6, 3]
    data = ds.MnistDataset(str(mnist_dir), shuffle=False, num_samples=2, num_shards=3, shard_id=1)
    assert data.get_dataset_size() == 2 and labels_of(data) == [2, 1]
    # shuffle=None shuffles (a random-access source); every row once.
    shuffled = labels_of(ds.MnistDataset(str(mnist_dir)))
    assert sorted(shuffled) == sorted(TEST_LABELS + TRAIN_LABELS)


def test_mnist_sampler_and_workers_keep_order(mnist_dir):
    data = ds.MnistDataset(str(mnist_dir), sampler=ds.SubsetSampler([7, 0, 3]), num_parallel_workers=3)
    assert labels_of(data) == [5, 9, 3]


def test_mnist_finds_dotted_file_names(tmp_path):
    write_mnist(tmp_path, "train", [7, 8], dot_names=True)
    data = ds.MnistDataset(str(tmp_path), usage="train", shuffle=False)
    assert labels_of(data) == [7, 8]


def test_mnist_argument_errors(mnist_dir, tmp_path):
    with pytest.raises(InvalidArgumentError, match="usage must be 'train', 'test' or 'all', got 'val'"):
        ds.MnistDataset(str(mnist_dir), usage="val")
    with pytest.raises(InvalidArgumentError, match="is not a directory"):
        ds.MnistDataset(str(tmp_path / "nowhere"))
    only_train = tmp_path / "only_train"
    only_train.mkdir()
    write_mnist(only_train, "train", [1])
    with pytest.raises(InvalidArgumentError, match=r"has no t10k-images-idx3-ubyte \(usage='test'\)"):
        ds.MnistDataset(str(only_train), usage="test")
    assert ds.MnistDataset(str(only_train)).get_dataset_size() == 1  # 'all' reads what is there
    (only_train / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(InvalidArgumentError, match="has no train-labels-idx1-ubyte for train-images-idx3-ubyte"):
        ds.MnistDataset(str(only_train), usage="train")
    with pytest.raises(InvalidArgumentError, match="sampler and shuffle cannot be given together"):
        ds.MnistDataset(str(mnist_dir), shuffle=False, sampler=ds.SequentialSampler())


def test_mnist_bad_files_fail_when_the_dataset_is_made(tmp_path):
    images = tmp_path / "train-images-idx3-ubyte"
    labels = tmp_path / "train-labels-idx1-ubyte"
    write_idx(images, mnist_images([1, 2]), 1234)
    write_idx(labels, np.array([1, 2], np.uint8), 2049)
    with pytest.raises(DataLossError, match=f"{images} is not an MNIST image file: its magic number is 1234, not 2051"):
        ds.MnistDataset(str(tmp_path))
    write_idx(images, mnist_images([1, 2]), 2051, count=3)
    with pytest.raises(DataLossError, match=f"{images} is truncated: its header promises 3 images of 28x28, "
                                            "2368 bytes in all, but it has 1584"):
        ds.MnistDataset(str(tmp_path))
    write_idx(images, mnist_images([1, 2]), 2051)
    write_idx(labels, np.array([1, 2, 3], np.uint8), 2049)
    with pytest.raises(DataLossError, match=f"{images} has 2 images but {labels} has 3 labels"):
        ds.MnistDataset(str(tmp_path))
    write_idx(labels, np.array([1, 2], np.uint8), 2051)
    with pytest.raises(DataLossError, match="is not an MNIST label file: its magic number is 2051, not 2049"):
        ds.MnistDataset(str(tmp_path))


# --- CIFAR -------------------------------------------------------------------------------

def cifar_records(labels, base, cifar100=False) -> bytes:
    """Records whose pixel byte k (file order, CHW) is (base + i + k) % 256 for record i;
    `labels` are ints (CIFAR-10) or (coarse, fine) pairs (CIFAR-100)."""
    out = bytearray()
    for i, label in enumerate(labels):
        out += bytes(label) if cifar100 else bytes([label])
        out += ((base + i + np.arange(3072)) % 256).astype(np.uint8).tobytes()
    return bytes(out)


def chw_to_hwc(base: int, i: int) -> np.ndarray:
    return ((base + i + np.arange(3072)) % 256).astype(np.uint8).reshape(3, 32, 32).transpose(1, 2, 0)


@pytest.fixture
def cifar10_dir(tmp_path):
    (tmp_path / "data_batch_2.bin").write_bytes(cifar_records([2, 3], 20))
    (tmp_path / "data_batch_1.bin").write_bytes(cifar_records([0, 1, 9], 10))
    (tmp_path / "test_batch.bin").write_bytes(cifar_records([7], 70))
    (tmp_path / "batches.meta.txt").write_text("airplane\n")
    (tmp_path / "readme.html").write_text("not a batch")
    return tmp_path


def test_cifar10_values_dtypes_shapes(cifar10_dir):
    data = ds.Cifar10Dataset(str(cifar10_dir), usage="train", shuffle=False)
    assert data.get_col_names() == ["image", "label"]
    rows = list(data.create_tuple_iterator(num_epochs=1))
    expected = [(10, 0, 0), (10, 1, 1), (10, 2, 9), (20, 0, 2), (20, 1, 3)]
    assert len(rows) == 5
    for (image, label), (base, i, want) in zip(rows, expected):
        assert image.dtype == np.uint8 and image.shape == (32, 32, 3)
        assert label.dtype == np.uint32 and label.shape == ()
        np.testing.assert_array_equal(image, chw_to_hwc(base, i))
        assert int(label) == want


def test_cifar10_usage_order_and_sizes_as_mindspore(cifar10_dir):
    # MindSpore 2.10: data_batch_* in sorted order, then test_batch.
    for usage, labels in [(None, [0, 1, 9, 2, 3, 7]), ("train", [0, 1, 9, 2, 3]), ("test", [7])]:
        data = ds.Cifar10Dataset(str(cifar10_dir), usage=usage, shuffle=False)
        assert data.get_dataset_size() == len(labels)
        assert labels_of(data) == labels


def test_cifar10_shards_cover_every_row(cifar10_dir):
    seen = []
    for shard_id in range(4):
        data = ds.Cifar10Dataset(str(cifar10_dir), shuffle=False, num_shards=4, shard_id=shard_id)
        assert data.get_dataset_size() == 2
        seen += labels_of(data)
    # 6 rows in 4 shards of 2: every fourth row, the first two rows again as padding.
    assert seen == [0, 3, 1, 7, 9, 0, 2, 1]
    data = ds.Cifar10Dataset(str(cifar10_dir), shuffle=False, num_samples=3, num_parallel_workers=2)
    assert labels_of(data) == [0, 1, 9]


def test_cifar100_columns_and_order_as_mindspore(tmp_path):
    (tmp_path / "train.bin").write_bytes(cifar_records([(1, 11), (2, 22)], 0, cifar100=True))
    (tmp_path / "test.bin").write_bytes(cifar_records([(3, 33)], 5, cifar100=True))
    data = ds.Cifar100Dataset(str(tmp_path), shuffle=False)
    assert data.get_col_names() == ["image", "coarse_label", "fine_label"]
    assert data.get_dataset_size() == 3
    rows = list(data.create_tuple_iterator(num_epochs=1))
    # MindSpore 2.10: 'all' reads test.bin before train.bin (sorted names).
    assert [(int(c), int(f)) for _, c, f in rows] == [(3, 33), (1, 11), (2, 22)]
    for row in rows:
        assert row[1].dtype == np.uint32 and row[2].dtype == np.uint32
    np.testing.assert_array_equal(rows[0][0], chw_to_hwc(5, 0))
    np.testing.assert_array_equal(rows[2][0], chw_to_hwc(0, 1))
    train = ds.Cifar100Dataset(str(tmp_path), usage="train", shuffle=False)
    assert [int(r[2]) for r in train.create_tuple_iterator(num_epochs=1)] == [11, 22]


def test_cifar_errors_name_the_file(cifar10_dir, tmp_path):
    partial = cifar10_dir / "data_batch_3.bin"
    partial.write_bytes(cifar_records([4], 0) + b"xyz")
    with pytest.raises(DataLossError, match=f"{partial} is not a CIFAR-10 binary batch: its 3076 bytes are not a "
                                            r"whole number of 3073-byte records \(the last one has 3 bytes\)"):
        ds.Cifar10Dataset(str(cifar10_dir))
    with pytest.raises(InvalidArgumentError, match="data_batch_1.bin' is not a directory"):
        ds.Cifar10Dataset(str(cifar10_dir / "data_batch_1.bin"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidArgumentError, match=r"has no CIFAR-10 batches test_batch.bin \(usage='test'\)"):
        ds.Cifar10Dataset(str(empty), usage="test")
    with pytest.raises(InvalidArgumentError, match=r"has no CIFAR-100 file train.bin \(usage='train'\)"):
        ds.Cifar100Dataset(str(empty), usage="train")
    with pytest.raises(InvalidArgumentError, match="usage must be"):
        ds.Cifar100Dataset(str(empty), usage="valid")


def test_a_cache_on_mnist_serves_epoch_two(mnist_dir):
    from headrace._core import cache as _cache
    from headrace.server import ServerProcess

    with ServerProcess.start(port=0) as server:
        client = _cache.CacheClient(server.host, server.port)
        cache = ds.DatasetCache(session_id=client.create_session(), port=server.port)
        data = ds.MnistDataset(str(mnist_dir), shuffle=False, cache=cache)
        iterator = data.create_tuple_iterator(num_epochs=2)
        first = [(row[0].tobytes(), int(row[1])) for row in iterator]
        second = [(row[0].tobytes(), int(row[1])) for row in iterator]
        assert [label for _, label in first] == [9, 2, 6, 3, 1, 4, 1, 5]
        assert second == first
        stats = cache.get_stat()["caches"]
        assert len(stats) == 1, stats
        # Epoch two came from the cache: every row stored once and read back once.
        assert stats[0]["rows_in_memory"] == 8 and stats[0]["hits"] == 8, stats


def test_an_iterator_dropped_mid_epoch_leaves_no_thread(tmp_path, nothing_left_behind):
    labels = [k % 10 for k in range(2000)]
    write_mnist(tmp_path, "train", labels)
    iterator = ds.MnistDataset(str(tmp_path), num_parallel_workers=3).create_tuple_iterator()
    assert len([next(iterator) for _ in range(10)]) == 10
    del iterator
