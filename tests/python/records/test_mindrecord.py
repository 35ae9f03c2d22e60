"""MindDataset over MindRecord files written by MindSpore 2.10 (tests/data), and
headrace.mindrecord.FileWriter: values, MindSpore's order and sizes, shuffles, shards,
padding, errors, a cache, and the layout of the files headrace writes."""

from __future__ import annotations

import base64
import io
import importlib.util
import json
import os
import shutil
import sqlite3
import struct
import warnings

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.errors import DataLossError, FailedPreconditionError, HeadraceError, InvalidArgumentError
from headrace.mindrecord import FileWriter

from conftest import DATA_DIR

DATA = DATA_DIR
FIXTURES = os.path.join(DATA, "record-files", "mindrecord")
EXTRA = os.path.join(DATA, "mindrecord")
SAMPLE = [os.path.join(FIXTURES, "sample.mindrecord0"), os.path.join(FIXTURES, "sample.mindrecord1")]

with open(os.path.join(DATA, "record-files", "rows.json")) as handle:
    ROWS = {row["id"]: row for row in json.load(handle)}
with open(os.path.join(FIXTURES, "mindspore_reads.json")) as handle:
    MINDSPORE_READS = json.load(handle)
with open(os.path.join(EXTRA, "mindspore_reads.json")) as handle:
    EXTRA_READS = json.load(handle)
_spec = importlib.util.spec_from_file_location("mindrecord_rows", os.path.join(EXTRA, "rows.py"))
EXTRA_ROWS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(EXTRA_ROWS)

SAMPLE_SCHEMA = {"id": {"type": "int64"}, "label": {"type": "int32"}, "data": {"type": "bytes"},
                 "score": {"type": "float32"}, "vec": {"type": "float32", "shape": [4]},
                 "name": {"type": "string"}}


def dicts(data, num_epochs=1):
    return [row for row in data.create_dict_iterator(output_numpy=True, num_epochs=num_epochs)]


def ids(data):
    return [int(row["id"]) for row in dicts(data)]


def sample_row(i):
    row = ROWS[i]
    return {"id": row["id"], "label": row["label"], "data": base64.b64decode(row["data_b64"]),
            "score": float(np.float32(row["score"])), "vec": np.array(row["vec"], np.float32), "name": row["name"]}


# -- reading MindSpore's files ----------------------------------------------------------

def test_every_column_of_every_row_equals_rows_json_in_mindspore_order():
    data = ds.MindDataset(SAMPLE, shuffle=False)
    assert data.get_dataset_size() == MINDSPORE_READS["num_rows"] == 40
    assert data.get_col_names() == ["data", "id", "label", "name", "score", "vec"]
    rows = dicts(data)
    assert [int(r["id"]) for r in rows] == MINDSPORE_READS["order_no_shuffle"]
    for row in rows:
        want = ROWS[int(row["id"])]
        assert row["id"].dtype == np.int64 and row["id"].shape == ()
        assert row["label"].dtype == np.int32 and int(row["label"]) == want["label"]
        assert row["data"].dtype == np.uint8 and row["data"].tobytes() == base64.b64decode(want["data_b64"])
        assert row["score"].dtype == np.float32 and row["score"] == np.float32(want["score"])
        assert row["vec"].dtype == np.float32 and row["vec"].shape == (4,)
        np.testing.assert_array_equal(row["vec"], np.array(want["vec"], np.float32))
        assert row["name"].dtype.kind == "U" and row["name"].shape == () and str(row["name"]) == want["name"]


def test_columns_list_picks_and_orders_columns():
    data = ds.MindDataset(SAMPLE, columns_list=["name", "id"], shuffle=False)
    assert data.get_col_names() == ["name", "id"]
    first = next(iter(data.create_tuple_iterator(output_numpy=True, num_epochs=1)))
    assert str(first[0]) == "row-000" and int(first[1]) == 0


def test_one_file_finds_its_sibling_shards(tmp_path):
    data = ds.MindDataset(SAMPLE[1], shuffle=False)
    assert [os.path.realpath(f) for f in data.dataset_files] == [os.path.realpath(f) for f in SAMPLE]
    assert ids(data) == MINDSPORE_READS["order_no_shuffle"]
    lonely = tmp_path / "sample.mindrecord0"
    shutil.copy(SAMPLE[0], lonely)
    with pytest.raises(InvalidArgumentError, match="names the shard file .*sample.mindrecord1, which does not exist"):
        ds.MindDataset(str(lonely))
    only_one = ds.MindDataset([SAMPLE[1]], shuffle=False)
    assert only_one.get_dataset_size() == 20 and ids(only_one) == list(range(13, 25)) + list(range(32, 40))


def test_all_column_types_with_compressed_integer_arrays():
    data = ds.MindDataset(os.path.join(EXTRA, "types.mindrecord"), shuffle=False)
    reads = EXTRA_READS["types"]
    assert data.get_col_names() == reads["columns"] and data.get_dataset_size() == reads["num_rows"]
    rows = dicts(data)
    for name, (dtype, shape) in reads["types_of_row0"].items():
        if name == "b":
            assert rows[0][name].dtype == np.uint8  # MindSpore gives |S; headrace gives the bytes as uint8
            continue
        assert str(rows[0][name].dtype) == dtype and list(rows[0][name].shape) == shape, name
    for i, row in enumerate(rows):
        want = EXTRA_ROWS.types_row(i)
        for name, value in want.items():
            got = row[name]
            if name == "b":
                assert got.tobytes() == value
            elif name == "s":
                assert str(got) == value
            else:
                assert str(got.dtype) == EXTRA_ROWS.TYPES_SCHEMA[name]["type"], name
                np.testing.assert_array_equal(got, np.asarray(value, dtype=got.dtype))


def test_several_pages_and_files_without_raw_or_blob_columns():
    pages = ds.MindDataset([os.path.join(EXTRA, "pages.mindrecord0"), os.path.join(EXTRA, "pages.mindrecord1")],
                           shuffle=False)
    rows = dicts(pages)
    assert [int(r["id"]) for r in rows] == EXTRA_READS["pages"]["order"]
    for row in rows:
        want = EXTRA_ROWS.pages_row(int(row["id"]))
        assert row["data"].tobytes() == want["data"] and int(row["label"]) == want["label"]
    noblob = dicts(ds.MindDataset(os.path.join(EXTRA, "noblob.mindrecord"), shuffle=False))
    assert [(int(r["id"]), str(r["name"])) for r in noblob] == [(i, f"n{i}") for i in range(10)]
    onlyblob = dicts(ds.MindDataset(os.path.join(EXTRA, "onlyblob.mindrecord"), shuffle=False))
    assert [r["data"].tobytes() for r in onlyblob] == [bytes([i] * (i + 1)) for i in range(10)]
    assert [r["vec"].tolist() for r in onlyblob] == [[i, -i, 1000 * i] for i in range(10)]


# -- FileWriter -------------------------------------------------------------------------

def write_sample(path, **options):
    """The fixture's data set, written by headrace as README.md says MindSpore wrote it."""
    writer = FileWriter(path, shard_num=2, **options)
    writer.set_header_size(1 << 16)
    writer.set_page_size(1 << 16)
    writer.add_schema(SAMPLE_SCHEMA, "sample schema")
    writer.add_index(["label", "name"])
    writer.write_raw_data([sample_row(i) for i in range(25)])
    writer.write_raw_data([sample_row(i) for i in range(25, 40)])
    writer.commit()


def header_of(path):
    with open(path, "rb") as handle:
        length = struct.unpack("<Q", handle.read(8))[0]
        return json.loads(handle.read(length))


def db_dump(path):
    with sqlite3.connect(path) as db:
        tables = sorted(db.execute("SELECT type, name, sql FROM sqlite_master"), key=str)
        rows = {name: sorted(db.execute(f"SELECT * FROM {name}")) for _, name, _ in tables if _ == "table"}
    return tables, rows


def test_headrace_writes_the_fixture_s_header_and_index_exactly(tmp_path):
    path = str(tmp_path / "sample.mindrecord")
    write_sample(path)
    for shard in range(2):
        mine, theirs = f"{path}{shard}", SAMPLE[shard]
        assert header_of(mine) == header_of(theirs)
        assert db_dump(mine + ".db") == db_dump(theirs + ".db")
        with open(mine, "rb") as a, open(theirs, "rb") as b:
            assert a.read() == b.read()  # byte for byte, pages and header
    assert ids(ds.MindDataset(path + "0", shuffle=False)) == MINDSPORE_READS["order_no_shuffle"]


def test_round_trip_with_three_shards_small_pages_and_every_type(tmp_path):
    path = str(tmp_path / "types.mindrecord")
    writer = FileWriter(path, shard_num=3)
    writer.set_header_size(1 << 14)
    writer.set_page_size(1 << 15)
    schema = dict(EXTRA_ROWS.TYPES_SCHEMA, big={"type": "bytes"})
    writer.add_schema(schema)
    rows = []
    for i in range(61):
        row = EXTRA_ROWS.types_row(i)
        row["big"] = bytes([i % 251]) * (3000 + 37 * i)
        rows.append(row)
    writer.write_raw_data(rows[:40])
    writer.write_raw_data(rows[40:])
    writer.commit()
    files = [f"{path}{s}" for s in range(3)]
    assert all(os.path.exists(f) and os.path.exists(f + ".db") for f in files)
    assert sum(p["page_type"] == "BLOB_DATA" for p in header_of(files[0])["page"]) >= 2
    data = ds.MindDataset(files, shuffle=False, columns_list=sorted(schema) + ["i64"][:0])
    got = dicts(data)
    assert len(got) == 61
    # Shards hold contiguous runs of each write: 14/13/13 of the first, then 7/7/7.
    order = [rows.index(next(r for r in rows if r["i64"] == int(g["i64"]))) for g in got]
    assert order == list(range(0, 14)) + list(range(40, 47)) + list(range(14, 27)) + list(range(47, 54)) + \
        list(range(27, 40)) + list(range(54, 61))
    for g, i in zip(got, order):
        want = rows[i]
        for name in schema:
            if name in ("b", "big"):
                assert g[name].tobytes() == want[name]
            elif name == "s":
                assert str(g[name]) == want[name]
            else:
                np.testing.assert_array_equal(g[name], want[name])
    with sqlite3.connect(files[1] + ".db") as db:
        columns = [c[1] for c in db.execute("PRAGMA table_info(INDEXES)")]
        assert columns[8:] == ["INC_0", "f32_0", "INC_1", "f64_0", "INC_2", "i32_0", "INC_3", "i64_0", "INC_4", "s_0"]
        assert db.execute("SELECT COUNT(*) FROM INDEXES").fetchone()[0] == 20


def test_writer_checks_and_errors(tmp_path):
    path = str(tmp_path / "w.mindrecord")
    with pytest.raises(InvalidArgumentError, match="shard_num"):
        FileWriter(path, shard_num=0)
    with pytest.raises(InvalidArgumentError, match="file name must not contain"):
        FileWriter(str(tmp_path / "a:b"))
    writer = FileWriter(path)
    with pytest.raises(InvalidArgumentError, match="field 'x' has type 'int8'"):
        writer.add_schema({"x": {"type": "int8"}})
    with pytest.raises(InvalidArgumentError, match="must be in"):
        writer.set_page_size(1024)
    writer.add_schema({"x": {"type": "int32"}, "b": {"type": "bytes"}})
    with pytest.raises(InvalidArgumentError, match="'b' is not of a primitive type"):
        writer.add_index(["b"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer.write_raw_data([{"x": 1, "b": b"a"}, {"x": "no", "b": b"c"}, {"b": b"d"}])
    assert len(caught) == 2 and "row 1 is left out" in str(caught[0].message)
    writer.commit()
    with pytest.raises(FailedPreconditionError, match="committed"):
        writer.write_raw_data([{"x": 1, "b": b"a"}])
    assert [int(r["x"]) for r in dicts(ds.MindDataset(path, shuffle=False))] == [1]
    again = FileWriter(path)
    again.add_schema({"x": {"type": "int32"}})
    with pytest.raises(HeadraceError, match="already exist"):
        again.write_raw_data([{"x": 1}])
    replaced = FileWriter(path, overwrite=True)
    replaced.add_schema({"x": {"type": "int32"}})
    replaced.write_raw_data([{"x": 7}])
    replaced.commit()
    assert [int(r["x"]) for r in dicts(ds.MindDataset(path, shuffle=False))] == [7]


# -- shuffles, shards, padding, num_samples --------------------------------------------

@pytest.fixture(scope="module")
def four_files(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("four") / "four.mindrecord")
    writer = FileWriter(path, shard_num=4)
    writer.set_header_size(1 << 14)
    writer.set_page_size(1 << 15)
    writer.add_schema({"id": {"type": "int64"}, "data": {"type": "bytes"}})
    writer.write_raw_data([{"id": i, "data": bytes([i]) * 10} for i in range(40)])
    writer.commit()
    return [f"{path}{s}" for s in range(4)]  # file s holds ids 10s .. 10s+9


def epochs(data, count):
    iterator = data.create_dict_iterator(output_numpy=True, num_epochs=count)
    return [[int(row["id"]) for row in iterator] for _ in range(count)]


def shuffle_orders(files, workers):
    """mode -> (epoch 1, epoch 2 of one iterator, epoch 1 with another seed)."""
    results = {}
    for mode in (ds.Shuffle.GLOBAL, ds.Shuffle.FILES, ds.Shuffle.INFILE):
        ds.config.set_seed(11)
        first, second = epochs(ds.MindDataset(files, shuffle=mode, num_parallel_workers=workers), 2)
        ds.config.set_seed(12)
        other_seed = epochs(ds.MindDataset(files, shuffle=mode, num_parallel_workers=workers), 1)[0]
        results[mode] = (first, second, other_seed)
    return results


def test_shuffle_modes_give_their_orders_change_with_seed_and_epoch_not_with_workers(four_files):
    results = shuffle_orders(four_files, 1)
    assert shuffle_orders(four_files, 3) == results
    for mode, (first, second, other_seed) in results.items():
        for order in (first, second, other_seed):
            assert sorted(order) == list(range(40))
        assert first != second and first != other_seed, mode
        blocks = [[order[k * 10:(k + 1) * 10] for k in range(4)] for order in (first, second, other_seed)]
        if mode is ds.Shuffle.FILES:
            # Whole files, rows in file order, the files in a new order each time.
            for order_blocks in blocks:
                assert all(b == list(range(b[0], b[0] + 10)) and b[0] % 10 == 0 for b in order_blocks)
        if mode is ds.Shuffle.INFILE:
            # Files in their order, rows shuffled within each.
            for order_blocks in blocks:
                assert [sorted(b) for b in order_blocks] == [list(range(10 * k, 10 * k + 10)) for k in range(4)]
                assert all(b != sorted(b) for b in order_blocks)
        if mode is ds.Shuffle.GLOBAL:
            assert any(sorted(b) != list(range(b[0] // 10 * 10, b[0] // 10 * 10 + 10)) for b in blocks[0])
    ds.config.set_seed(11)
    assert epochs(ds.MindDataset(four_files), 1)[0] == results[ds.Shuffle.GLOBAL][0]  # None means GLOBAL
    ds.config.set_seed(11)
    assert epochs(ds.MindDataset(four_files, shuffle=True), 1)[0] == results[ds.Shuffle.GLOBAL][0]
    assert epochs(ds.MindDataset(four_files, shuffle=False), 1)[0] == list(range(40))


def test_shards_split_rows_as_mindspore_does():
    # What MindSpore 2.10 gave for these files with shuffle=False, num_shards=3.
    mindspore = [[0, 3, 6, 9, 12, 27, 30, 14, 17, 20, 23, 33, 36, 39],
                 [1, 4, 7, 10, 25, 28, 31, 15, 18, 21, 24, 34, 37, 0],
                 [2, 5, 8, 11, 26, 29, 13, 16, 19, 22, 32, 35, 38, 1]]
    for shard in range(3):
        data = ds.MindDataset(SAMPLE, shuffle=False, num_shards=3, shard_id=shard, columns_list=["id"])
        assert data.get_dataset_size() == 14
        assert ids(data) == mindspore[shard]
    assert ids(ds.MindDataset(SAMPLE, shuffle=False, num_shards=3, shard_id=1, num_samples=5)) == [1, 4, 7, 10, 25]
    assert ids(ds.MindDataset(SAMPLE, shuffle=False, num_samples=5)) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("mode", [None, ds.Shuffle.FILES, ds.Shuffle.INFILE])
def test_the_union_over_shards_is_every_row_once(four_files, mode):
    got = []
    for shard in range(4):
        ds.config.set_seed(5)
        got += ids(ds.MindDataset(four_files, shuffle=mode, num_shards=4, shard_id=shard))
    assert sorted(got) == list(range(40))


def test_padded_samples_even_out_shards_as_in_mindspore():
    pad = {"id": -1, "label": 0, "data": b"", "score": 0.0, "vec": np.zeros(4, np.float32), "name": "pad"}
    mindspore_last = [39, -1, -1]
    for shard in range(3):
        data = ds.MindDataset(SAMPLE, shuffle=False, num_shards=3, shard_id=shard, padded_sample=pad, num_padded=2)
        assert data.get_dataset_size() == 14
        rows = dicts(data)
        assert int(rows[-1]["id"]) == mindspore_last[shard]
        if shard:
            assert str(rows[-1]["name"]) == "pad" and rows[-1]["data"].size == 0
    with pytest.raises(InvalidArgumentError, match="must divide by num_shards=3"):
        ds.MindDataset(SAMPLE, num_shards=3, shard_id=0, padded_sample=pad, num_padded=1)
    with pytest.raises(InvalidArgumentError, match="missing \\['vec'\\]"):
        ds.MindDataset(SAMPLE, num_shards=3, shard_id=0, padded_sample={k: v for k, v in pad.items() if k != "vec"},
                       num_padded=2)
    with pytest.raises(InvalidArgumentError, match="padded_sample needs num_shards"):
        ds.MindDataset(SAMPLE, padded_sample=pad, num_padded=2)


def test_a_headrace_sampler_is_accepted():
    data = ds.MindDataset(SAMPLE, sampler=ds.SubsetSampler([5, 0, 39]))
    assert ids(data) == [5, 0, 39] and data.get_dataset_size() == 3


# -- errors -----------------------------------------------------------------------------

def test_errors_name_the_file_the_column_or_the_shard(tmp_path):
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        ds.MindDataset(str(tmp_path / "missing.mindrecord"))
    with pytest.raises(InvalidArgumentError, match="column 'nope' does not exist .* its columns are "
                                                   "\\['data', 'id', 'label', 'name', 'score', 'vec'\\]"):
        ds.MindDataset(SAMPLE, columns_list=["id", "nope"])
    with pytest.raises(InvalidArgumentError, match="shard_id must be in \\[0, num_shards=2\\)"):
        ds.MindDataset(SAMPLE, num_shards=2, shard_id=2)
    junk = tmp_path / "junk.mindrecord"
    junk.write_bytes(struct.pack("<Q", 20) + b"{this is not json...")
    with pytest.raises(InvalidArgumentError, match=f"{junk} is not a MindRecord file"):
        ds.MindDataset([str(junk)])
    # A file cut inside its pages: the header is whole, reading names the file and the byte.
    cut = tmp_path / "cut.mindrecord0"
    shutil.copy(SAMPLE[0], cut)
    os.truncate(cut, 70000)
    data = ds.MindDataset([str(cut)], shuffle=False)
    assert data.get_dataset_size() == 20  # from the header alone
    with pytest.raises(DataLossError, match=f"{cut} is truncated at byte 131072: 880 bytes of raw page wanted, 0 there"):
        dicts(data)
    # A blob length that runs past its page.
    bad = tmp_path / "bad.mindrecord0"
    content = bytearray(open(SAMPLE[0], "rb").read())
    content[65536:65544] = struct.pack("<Q", 1 << 40)
    bad.write_bytes(bytes(content))
    with pytest.raises(DataLossError, match=f"{bad} is corrupt at byte 65536"):
        dicts(ds.MindDataset([str(bad)], shuffle=False))


# -- cache and shutdown ------------------------------------------------------------------

def test_a_cache_on_mind_dataset_serves_the_second_epoch():
    from headrace._core import cache as _cache
    from headrace.server import ServerProcess

    with ServerProcess.start(port=0) as server:
        client = _cache.CacheClient(server.host, server.port)
        cache = ds.DatasetCache(session_id=client.create_session(), port=server.port)
        ds.config.set_seed(3)
        data = ds.MindDataset(SAMPLE, columns_list=["id", "data"], cache=cache)
        first, second = epochs(data, 2)
        assert sorted(first) == list(range(40)) and first != second and sorted(second) == list(range(40))
        stats = cache.get_stat()["caches"]
        assert len(stats) == 1


def test_an_iterator_dropped_mid_epoch_leaves_no_thread(nothing_left_behind, four_files):
    data = ds.MindDataset(four_files, num_parallel_workers=3)
    iterator = data.create_tuple_iterator(output_numpy=True, num_epochs=1)
    next(iterator)
    next(iterator)
    del iterator


def test_a_mind_dataset_is_a_dataset_like_the_others():
    data = ds.MindDataset(SAMPLE, columns_list=["id"], shuffle=False).shuffle(8).batch(10)
    ds.config.set_seed(1)
    batches = [b[0] for b in data.create_tuple_iterator(output_numpy=True, num_epochs=1)]
    assert [len(b) for b in batches] == [10, 10, 10, 10]
    assert sorted(np.concatenate(batches).tolist()) == list(range(40))


def test_an_image_bytes_column_decodes_with_vision_decode(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    from headrace.dataset import vision

    path = str(tmp_path / "images.mindrecord")
    writer = FileWriter(path)
    writer.add_schema({"image": {"type": "bytes"}, "label": {"type": "int32"}})
    rows = []
    for i in range(4):
        encoded = io.BytesIO()
        Image.fromarray(np.full((6, 8, 3), 40 * i, np.uint8)).save(encoded, format="PNG")
        rows.append({"image": encoded.getvalue(), "label": i})
    writer.write_raw_data(rows)
    writer.commit()
    data = ds.MindDataset(path, shuffle=False).map(vision.Decode(), input_columns=["image"])
    images = [(r["image"], int(r["label"])) for r in dicts(data)]
    assert [label for _, label in images] == [0, 1, 2, 3]
    for image, label in images:
        assert image.shape == (6, 8, 3) and image.dtype == np.uint8 and int(image[0, 0, 0]) == 40 * label
