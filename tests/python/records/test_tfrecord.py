"""TFRecordDataset over the files TensorFlow wrote (tests/data/record-files/tfrecord) and
files written here: every value equals rows.json, GZIP and ZLIB read as plain, schemas
(file and object), columns_list, packed and unpacked lists, shards, and errors that name
the file (and the record's byte offset)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import zlib
import gzip

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset.schema import Schema
from headrace.errors import DataLossError, InvalidArgumentError

from conftest import DATA_DIR

DATA = os.path.join(DATA_DIR, "record-files")
TFRECORD = os.path.join(DATA, "tfrecord")
PLAIN = [os.path.join(TFRECORD, "sample-0.tfrecord"), os.path.join(TFRECORD, "sample-1.tfrecord")]
GZIP = os.path.join(TFRECORD, "sample-gzip.tfrecord.gz")

with open(os.path.join(DATA, "rows.json")) as _file:
    ROWS = json.load(_file)


def rows_of(data):
    return list(data.create_dict_iterator(num_epochs=1, output_numpy=True))


def ids_of(data):
    return [int(row["id"][0]) for row in rows_of(data)]


# A TFRecord writer of hand-encoded Examples, for what TensorFlow's files do not show.
def _crc_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc_table()


def masked_crc(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def field(number: int, wire_type: int, payload: bytes) -> bytes:
    tag = varint(number << 3 | wire_type)
    return tag + varint(len(payload)) + payload if wire_type == 2 else tag + payload


def feature(kind: str, values, packed: bool = True) -> bytes:
    if kind == "bytes":
        return field(1, 2, b"".join(field(1, 2, v) for v in values))
    if kind == "float":
        body = field(1, 2, b"".join(struct.pack("<f", v) for v in values)) if packed \
            else b"".join(field(1, 5, struct.pack("<f", v)) for v in values)
        return field(2, 2, body)
    body = field(1, 2, b"".join(varint(v) for v in values)) if packed \
        else b"".join(field(1, 0, varint(v)) for v in values)
    return field(3, 2, body)


def example(features, packed: bool = True) -> bytes:
    entries = b"".join(field(1, 2, field(1, 2, name.encode()) + field(2, 2, feature(kind, values, packed)))
                       for name, kind, values in features)
    return field(1, 2, entries)


def frame(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc(length)) + data + struct.pack("<I", masked_crc(data))


def write_records(path, records) -> None:
    with open(path, "wb") as out:
        for record in records:
            out.write(frame(record))


def expect_row(row, expected) -> None:
    data = base64.b64decode(expected["data_b64"])
    assert row["data"].dtype == np.uint8 and row["data"].tobytes() == data
    assert row["id"].dtype == np.int64 and row["id"].shape == (1,) and row["id"][0] == expected["id"]
    assert row["label"].dtype == np.int64 and row["label"][0] == expected["label"]
    assert row["name"].dtype == np.uint8 and row["name"].tobytes() == expected["name"].encode()
    assert row["score"].dtype == np.float32 and row["score"].shape == (1,)
    assert row["score"][0] == np.float32(expected["score"])
    assert row["vec"].dtype == np.float32 and row["vec"].shape == (4,)
    np.testing.assert_array_equal(row["vec"], np.asarray(expected["vec"], dtype=np.float32))


def test_every_row_of_tensorflows_files_equals_rows_json():
    data = ds.TFRecordDataset(PLAIN, shuffle=False)
    # MindSpore without a schema: every feature of the first record, in name order.
    assert data.get_col_names() == ["data", "id", "label", "name", "score", "vec"]
    assert data.get_dataset_size() == 40
    rows = rows_of(data)
    assert len(rows) == 40
    for row, expected in zip(rows, ROWS):
        expect_row(row, expected)


def test_files_are_read_in_name_order_and_globs_expand():
    assert ids_of(ds.TFRecordDataset(PLAIN[::-1], shuffle=False)) == list(range(40))
    pattern = os.path.join(TFRECORD, "sample-?.tfrecord")
    assert ids_of(ds.TFRecordDataset(pattern, shuffle=False)) == list(range(40))


def test_gzip_reads_as_plain_and_zlib_too(tmp_path):
    data = ds.TFRecordDataset(GZIP, shuffle=False, compression_type="GZIP")
    assert data.get_dataset_size() == 10
    rows = rows_of(data)
    plain = rows_of(ds.TFRecordDataset(PLAIN, shuffle=False))[:10]
    assert len(rows) == 10
    for row, expected, same in zip(rows, ROWS, plain):
        expect_row(row, expected)
        assert all(np.array_equal(row[k], same[k]) for k in row)
    with open(PLAIN[1], "rb") as file:
        compressed = zlib.compress(file.read())
    path = tmp_path / "sample-1.tfrecord.zlib"
    path.write_bytes(compressed)
    zrows = rows_of(ds.TFRecordDataset(str(path), shuffle=False, compression_type="ZLIB"))
    assert [int(r["id"][0]) for r in zrows] == list(range(20, 40))
    for row, expected in zip(zrows, ROWS[20:]):
        expect_row(row, expected)


def test_columns_list_keeps_its_order():
    data = ds.TFRecordDataset(PLAIN, columns_list=["vec", "id", "name"], shuffle=False)
    assert data.get_col_names() == ["vec", "id", "name"]
    rows = list(data.create_tuple_iterator(num_epochs=1, output_numpy=True))
    assert len(rows) == 40
    assert rows[7][1][0] == 7 and rows[7][2].tobytes() == b"row-007"


def test_schema_object_types_shapes_and_order():
    schema = Schema()
    schema.add_column("name", de_type="string", shape=[])
    schema.add_column("id", de_type=np.int32, shape=[])
    schema.add_column("vec", de_type="float32", shape=[2, 2])
    schema.add_column("data", de_type=np.uint8)
    schema.add_column("score", de_type=np.float64)
    data = ds.TFRecordDataset(PLAIN, schema=schema, shuffle=False)
    assert data.get_col_names() == ["name", "id", "vec", "data", "score"]
    rows = rows_of(data)
    assert len(rows) == 40
    for row, expected in zip(rows, ROWS):
        assert row["name"].dtype.kind == "U" and row["name"].shape == () and row["name"] == expected["name"]
        assert row["id"].dtype == np.int32 and row["id"].shape == () and row["id"] == expected["id"]
        assert row["vec"].shape == (2, 2)
        np.testing.assert_array_equal(row["vec"].ravel(), np.float32(expected["vec"]))
        assert row["data"].tobytes() == base64.b64decode(expected["data_b64"])
        assert row["score"].dtype == np.float64 and row["score"][0] == np.float64(np.float32(expected["score"]))
    # columns_list with a schema: its columns, in its order.
    picked = ds.TFRecordDataset(PLAIN, schema=schema, columns_list=["score", "name"], shuffle=False)
    assert picked.get_col_names() == ["score", "name"]


def test_schema_file_dict_in_name_order_list_in_its_order_and_num_rows(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"datasetType": "TF", "numRows": 7, "columns": {
        "name": {"type": "string", "rank": 1}, "id": {"type": "int64", "rank": 0}}}))
    data = ds.TFRecordDataset(PLAIN, schema=str(path), shuffle=False)
    assert data.get_col_names() == ["id", "name"]  # a dict's columns in name order, as MindSpore
    assert data.get_dataset_size() == 7
    rows = rows_of(data)
    assert [int(r["id"]) for r in rows] == list(range(7))
    assert rows[3]["name"].shape == (1,) and rows[3]["name"][0] == "row-003"
    path.write_text(json.dumps({"columns": [{"name": "name", "type": "string", "rank": 1},
                                            {"name": "id", "type": "int64", "shape": [1]}]}))
    listed = ds.TFRecordDataset(PLAIN, schema=str(path), shuffle=False)
    assert listed.get_col_names() == ["name", "id"]
    assert listed.get_dataset_size() == 40
    assert Schema.get_num_rows(str(path)) == 0
    path.write_text(json.dumps({"columns": {"id": {"type": "int64"}}}))
    with pytest.raises(InvalidArgumentError, match="column 'id' needs a \"shape\" or a \"rank\""):
        ds.TFRecordDataset(PLAIN, schema=str(path))
    path.write_text(json.dumps({"columns": {"id": {"type": "int64", "rank": 1}}, "extra": 1}))
    with pytest.raises(InvalidArgumentError, match="unknown field 'extra'"):
        Schema(str(path))
    text = Schema()
    text.add_column("id", "int64", [1])
    assert json.loads(text.to_json()) == {"columns": [{"name": "id", "rank": 1, "type": "int64", "shape": [1]}]}


def test_packed_and_unpacked_lists_read_alike(tmp_path):
    features = [("ints", "int64", [5, -7, 1 << 40]), ("floats", "float", [1.5, -2.25]),
                ("one", "int64", [3]), ("empty", "float", [])]
    packed = tmp_path / "packed.tfrecord"
    unpacked = tmp_path / "unpacked.tfrecord"
    write_records(packed, [example(features, packed=True)] * 3)
    write_records(unpacked, [example(features, packed=False)] * 3)
    for path in (packed, unpacked):
        rows = rows_of(ds.TFRecordDataset(str(path), shuffle=False))
        assert len(rows) == 3
        for row in rows:
            assert list(row) == ["empty", "floats", "ints", "one"]
            np.testing.assert_array_equal(row["ints"], np.array([5, -7, 1 << 40], dtype=np.int64))
            np.testing.assert_array_equal(row["floats"], np.array([1.5, -2.25], dtype=np.float32))
            assert row["one"].shape == (1,) and row["empty"].shape == (0,)


def test_large_bytes_values_come_through_whole(tmp_path):
    rng = np.random.default_rng(3)
    blobs = [rng.integers(0, 256, 100_000 + i, dtype=np.uint8).tobytes() for i in range(6)]
    path = tmp_path / "large.tfrecord"
    write_records(path, [example([("image", "bytes", [b]), ("label", "int64", [i])]) for i, b in enumerate(blobs)])
    rows = rows_of(ds.TFRecordDataset(str(path), shuffle=False))
    assert [r["image"].tobytes() == b for r, b in zip(rows, blobs)] == [True] * 6
    assert [int(r["label"][0]) for r in rows] == list(range(6))


def test_shards_by_files_and_by_rows():
    shards = [ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"], shuffle=False, num_shards=2, shard_id=i))
              for i in range(2)]
    assert shards == [list(range(20)), list(range(20, 40))]  # MindSpore 2.10: a file each
    equal = [ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"], shuffle=False, num_shards=3, shard_id=i,
                                       shard_equal_rows=True)) for i in range(3)]
    assert [len(s) for s in equal] == [14, 14, 14]
    assert set(sum(equal, [])) == set(range(40))
    sizes = [ds.TFRecordDataset(PLAIN, shuffle=False, num_shards=3, shard_id=i, shard_equal_rows=True)
             .get_dataset_size() for i in range(3)]
    assert sizes == [14, 14, 14]
    assert ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"], shuffle=False, num_samples=25)) == list(range(25))


def test_shuffles_keep_every_row_and_follow_the_seed():
    ds.config.set_seed(5)
    first = ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"]))
    ds.config.set_seed(5)
    again = ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"], num_parallel_workers=1))
    assert sorted(first) == list(range(40)) and first == again and first != list(range(40))
    ds.config.set_seed(5)
    files = ids_of(ds.TFRecordDataset(PLAIN, columns_list=["id"], shuffle=ds.Shuffle.FILES))
    assert files in (list(range(40)), list(range(20, 40)) + list(range(20)))


# Errors: each names the argument, or the file (and the record's offset).

def test_missing_file_and_bad_arguments():
    missing = os.path.join(TFRECORD, "nope.tfrecord")
    with pytest.raises(InvalidArgumentError, match="nope.tfrecord does not exist"):
        ds.TFRecordDataset([PLAIN[0], missing])
    with pytest.raises(InvalidArgumentError, match="compression_type must be '' \\(or None\\), 'GZIP' or 'ZLIB', got 'gzip'"):
        ds.TFRecordDataset(PLAIN, compression_type="gzip")
    with pytest.raises(InvalidArgumentError, match="schema must be a Schema"):
        ds.TFRecordDataset(PLAIN, schema=3)
    with pytest.raises(TypeError, match="shard_equal_rows must be a bool"):
        ds.TFRecordDataset(PLAIN, shard_equal_rows=1)
    with pytest.raises(InvalidArgumentError, match="at least as many files as shards"):
        ds.TFRecordDataset(GZIP, compression_type="GZIP", num_samples=5, num_shards=2, shard_id=0)


def test_unknown_column_in_columns_list_names_the_file_or_schema():
    with pytest.raises(InvalidArgumentError) as error:
        ds.TFRecordDataset(PLAIN, columns_list=["id", "nope"])
    assert str(error.value) == (f"columns_list: 'nope' is not a feature of the first record of {PLAIN[0]}; "
                                "the columns are ['data', 'id', 'label', 'name', 'score', 'vec']")
    schema = Schema()
    schema.add_column("id", "int64")
    with pytest.raises(InvalidArgumentError, match="columns_list: 'vec' is not a column of the schema"):
        ds.TFRecordDataset(PLAIN, schema=schema, columns_list=["vec"])


def _record_offsets(path):
    offsets, at = [], 0
    data = open(path, "rb").read()
    while at < len(data):
        offsets.append(at)
        at += 16 + struct.unpack("<Q", data[at:at + 8])[0]
    return offsets


def test_corrupt_crc_names_file_and_offset(tmp_path):
    path = tmp_path / "corrupt.tfrecord"
    shutil.copy(PLAIN[0], path)
    offset = _record_offsets(path)[5]
    raw = bytearray(path.read_bytes())
    raw[offset + 12 + 4] ^= 0x10
    path.write_bytes(bytes(raw))
    data = ds.TFRecordDataset(str(path), shuffle=False)  # the first record is sound
    seen = []
    with pytest.raises(DataLossError) as error:
        for row in data.create_dict_iterator(num_epochs=1, output_numpy=True):
            seen.append(int(row["id"][0]))
    assert f"{path}: TFRecord record at byte {offset}: the data's CRC does not match" in str(error.value)
    # The reader hands over rows 0-4 before the error (tfrecord_test checks it); whether the
    # iterator yields them before raising is the engine's business.
    assert seen == [0, 1, 2, 3, 4][:len(seen)]
    # A damaged first header is found when the dataset is made.
    raw[3] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DataLossError, match="TFRecord record at byte 0: the length's CRC does not match"):
        ds.TFRecordDataset([PLAIN[0], str(path)])


def test_truncated_file_names_file_and_offset(tmp_path):
    path = tmp_path / "short.tfrecord"
    raw = open(PLAIN[1], "rb").read()
    last = _record_offsets(PLAIN[1])[-1]
    path.write_bytes(raw[:-5])
    with pytest.raises(DataLossError) as error:
        rows_of(ds.TFRecordDataset(str(path), shuffle=False))
    assert f"{path}: TFRecord record at byte {last}: the file ends inside the record" in str(error.value)
    with pytest.raises(DataLossError, match="the file ends inside the record"):
        ds.TFRecordDataset(str(path), shuffle=False).get_dataset_size()


def test_wrong_compression_type_names_the_file(tmp_path):
    with pytest.raises(DataLossError) as error:
        ds.TFRecordDataset(GZIP, shuffle=False)
    assert f"{GZIP}: TFRecord record at byte 0" in str(error.value)
    assert "compression_type='GZIP'?" in str(error.value)
    with pytest.raises(DataLossError, match=r"sample-0.tfrecord: cannot inflate \(compression_type 'GZIP'\)"):
        ds.TFRecordDataset(PLAIN, compression_type="GZIP")
    with pytest.raises(DataLossError, match=r"cannot inflate \(compression_type 'ZLIB'\)"):
        ds.TFRecordDataset(GZIP, compression_type="ZLIB")
    # Truncated compressed data, found while reading.
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(open(PLAIN[0], "rb").read())[:-30])
    with pytest.raises(DataLossError, match=f"{path}: cannot inflate"):
        rows_of(ds.TFRecordDataset(str(path), shuffle=False, compression_type="GZIP"))


def test_not_an_example_and_missing_feature_name_the_record(tmp_path):
    path = tmp_path / "odd.tfrecord"
    write_records(path, [example([("a", "int64", [1]), ("b", "int64", [2])]), example([("a", "int64", [3])]),
                         b"\xff\xff\xff not protobuf"])
    offsets = _record_offsets(path)
    with pytest.raises(DataLossError) as error:
        rows_of(ds.TFRecordDataset(str(path), shuffle=False))
    assert str(error.value).startswith(f"{path}: TFRecord record at byte {offsets[1]}: the Example has no feature 'b'")
    with pytest.raises(DataLossError) as error:
        rows_of(ds.TFRecordDataset(str(path), columns_list=["a"], shuffle=False))
    assert f"{path}: TFRecord record at byte {offsets[2]}: not a tf.train.Example" in str(error.value)
    schema = Schema()
    schema.add_column("a", "string")
    with pytest.raises(DataLossError, match="feature 'a' is a int64_list, which cannot be read as string"):
        rows_of(ds.TFRecordDataset(str(path), schema=schema, shuffle=False))


# -- many records: pieces read by several readers, a cache, shutdown ----------------------

def write_numbered(tmp_path, files: int, per_file: int, payload: int = 70_000):
    """`files` files of `per_file` records {id, image}; images of 64 KiB or more are viewed
    in the mapped file, not copied. Checksummed with google_crc32c (fast, for many bytes)."""
    import google_crc32c

    def masked(data: bytes) -> int:
        crc = google_crc32c.value(data)
        return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

    paths = []
    for f in range(files):
        path = str(tmp_path / f"part-{f}.tfrecord")
        with open(path, "wb") as out:
            for i in range(per_file):
                n = f * per_file + i
                data = example([("id", "int64", [n]), ("image", "bytes", [bytes([n % 251]) * payload])])
                length = struct.pack("<Q", len(data))
                out.write(length + struct.pack("<I", masked(length)) + data + struct.pack("<I", masked(data)))
        paths.append(path)
    return paths


def test_long_files_read_in_pieces_give_every_row_in_order_with_any_worker_count(tmp_path):
    paths = write_numbered(tmp_path, files=3, per_file=300)
    for workers in (1, 2, 4):
        data = ds.TFRecordDataset(paths, shuffle=False, num_parallel_workers=workers)
        rows = list(data.create_tuple_iterator(output_numpy=True, num_epochs=1))
        assert [int(image_id[0]) for image_id, image in rows] == list(range(900))
        for image_id, image in rows[::97]:
            assert image.shape == (70_000,) and image[0] == int(image_id[0]) % 251 and image[-1] == image[0]
            assert not image.flags.writeable  # a view of the mapped file, not a copy


def test_a_cache_on_tfrecord_serves_later_epochs_without_reading(tmp_path):
    from headrace._core import cache as _cache
    from headrace.server import ServerProcess

    paths = write_numbered(tmp_path, files=2, per_file=20, payload=100)
    with ServerProcess.start(port=0) as server:
        client = _cache.CacheClient(server.host, server.port)
        cache = ds.DatasetCache(session_id=client.create_session(), port=server.port)
        ds.config.set_seed(5)
        data = ds.TFRecordDataset(paths, columns_list=["id"], cache=cache)  # Shuffle.GLOBAL
        iterator = data.create_tuple_iterator(output_numpy=True, num_epochs=3)
        epochs = [[int(row[0][0]) for row in iterator] for _ in range(3)]
        assert all(sorted(epoch) == list(range(40)) for epoch in epochs)
        assert epochs[1] != epochs[2]  # shuffled above the cache, so epochs still differ
        for path in paths:
            os.remove(path)  # epoch 2 came from the cache; a new pass must not need the files
        more = [int(row[0][0]) for row in data.create_tuple_iterator(output_numpy=True, num_epochs=1)]
        assert sorted(more) == list(range(40))


def test_an_iterator_dropped_mid_epoch_leaves_no_thread(nothing_left_behind, tmp_path):
    paths = write_numbered(tmp_path, files=4, per_file=200)
    data = ds.TFRecordDataset(paths, shuffle=False, num_parallel_workers=3)
    iterator = data.create_tuple_iterator(output_numpy=True, num_epochs=2)
    for _ in range(5):
        next(iterator)
    del iterator
