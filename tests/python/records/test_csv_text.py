"""CSVDataset and TextFileDataset on small files written by the tests: values, dtypes, row
order, headers, shards, num_samples, shuffles, and errors that name the file and line.

The expected values marked "MindSpore 2.10" were produced once by running MindSpore
(/tmp/msenv, num_parallel_workers=1 so that its rows come in file order) on the same
files, and are written here as literals: CI has no MindSpore.
"""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.errors import DataLossError, InvalidArgumentError

CSV_A = 'id,name,score\n1,"Smith, J",3.5\n2,"say ""hi""",-1\n3,"multi\nline",2e3\n\n4,,0.25\n'
CSV_B = "id,name,score\n5,plain,7\n"


@pytest.fixture
def csv_files(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(CSV_A)
    b.write_text(CSV_B)
    return [str(a), str(b)]


def tuples(data):
    return [tuple(column.item() for column in row) for row in data.create_tuple_iterator(num_epochs=1)]


def test_csv_typed_columns_as_mindspore(csv_files):
    data = ds.CSVDataset(csv_files, column_defaults=[0, "", 0.0], shuffle=False)
    assert data.get_col_names() == ["id", "name", "score"]
    assert data.get_dataset_size() == 5
    rows = list(data.create_tuple_iterator(num_epochs=1))
    # MindSpore 2.10: int -> int32, float -> float32, str -> string; the header of every
    # file is skipped; quoted delimiters, doubled quotes and line ends; empty lines skipped.
    assert [tuple(c.item() for c in row) for row in rows] == [
        (1, "Smith, J", 3.5), (2, 'say "hi"', -1.0), (3, "multi\nline", 2000.0), (4, "", 0.25),
        (5, "plain", 7.0)]
    for row in rows:
        assert [c.dtype.kind for c in row] == ["i", "U", "f"]
        assert row[0].dtype == np.int32 and row[2].dtype == np.float32
        assert all(c.shape == () for c in row)


def test_csv_without_defaults_is_all_strings_and_names_make_the_header_a_row(csv_files):
    data = ds.CSVDataset(csv_files[0], shuffle=False)
    assert tuples(data)[0] == ("1", "Smith, J", "3.5")
    # MindSpore 2.10: with column_names, the first line is a row like any other.
    data = ds.CSVDataset(csv_files[0], column_names=["x", "y", "z"], shuffle=False)
    assert data.get_col_names() == ["x", "y", "z"]
    assert data.get_dataset_size() == 5
    assert tuples(data) == [("id", "name", "score"), ("1", "Smith, J", "3.5"), ("2", 'say "hi"', "-1"),
                            ("3", "multi\nline", "2e3"), ("4", "", "0.25")]
    # Defaults shorter than the columns: the rest are strings.
    data = ds.CSVDataset(csv_files[1], column_defaults=[0], shuffle=False)
    assert tuples(data) == [(5, "plain", "7")]


def test_csv_field_delim(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('a|b\n1|x,y\n2|"p|q"\n')
    data = ds.CSVDataset(str(path), field_delim="|", column_defaults=[0, ""], shuffle=False)
    assert tuples(data) == [(1, "x,y"), (2, "p|q")]


def test_csv_shards_as_mindspore(csv_files):
    # MindSpore 2.10, shuffle=False: equal runs of rows over the files one after another,
    # the last shard padded with the first rows.
    expected = {2: [[1, 2, 3], [4, 5, 1]], 3: [[1, 2], [3, 4], [5, 1]]}
    for num_shards, shards in expected.items():
        union = set()
        for shard_id, ids in enumerate(shards):
            data = ds.CSVDataset(csv_files, column_defaults=[0, "", 0.0], shuffle=False,
                                 num_shards=num_shards, shard_id=shard_id)
            assert data.get_dataset_size() == len(ids)
            got = [row[0] for row in tuples(data)]
            assert got == ids
            union |= set(got)
        assert union == {1, 2, 3, 4, 5}


def test_csv_num_samples_and_worker_counts(csv_files):
    data = ds.CSVDataset(csv_files, column_defaults=[0], shuffle=False, num_samples=3)
    assert data.get_dataset_size() == 3
    assert [row[0] for row in tuples(data)] == [1, 2, 3]
    ds.config.set_seed(11)
    one = tuples(ds.CSVDataset(csv_files, column_defaults=[0], num_parallel_workers=1))
    ds.config.set_seed(11)
    three = tuples(ds.CSVDataset(csv_files, column_defaults=[0], num_parallel_workers=3))
    assert one == three
    assert sorted(row[0] for row in one) == [1, 2, 3, 4, 5]


def test_csv_headers_must_agree(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("x,y\n1,2\n")
    b.write_text("x,z\n3,4\n")
    with pytest.raises(InvalidArgumentError, match=rf"the header of {b} names the columns \['x', 'z'\], "
                                                   rf"unlike the header of {a}: \['x', 'y'\]"):
        ds.CSVDataset([str(a), str(b)])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataLossError, match=f"{empty} is empty: it has no header line"):
        ds.CSVDataset(str(empty))


def read_error(tmp_path, text, **options):
    path = tmp_path / "bad.csv"
    path.write_bytes(text)
    data = ds.CSVDataset(str(path), shuffle=False, **options)
    with pytest.raises(DataLossError) as error:
        tuples(data)
    return str(error.value).replace(str(path), "FILE")


def test_csv_malformed_records_are_data_loss_naming_file_and_line(tmp_path):
    names = {"column_names": ["a", "b"]}
    message = read_error(tmp_path, b"1,2\n3\n", **names)
    assert message == "FILE line 2: 1 field, but there are 2 columns"
    message = read_error(tmp_path, b"1,2\n3,4,5\n", **names)
    assert message == "FILE line 2: 3 fields, but there are 2 columns"
    message = read_error(tmp_path, b'x,"a\nb"\n', column_defaults=[0.0, ""], **names)
    assert message == "FILE line 1: column 'a' holds \"x\", which is not a float32"
    message = read_error(tmp_path, b'1,"a\nb",7\n2,x,3.5\n', column_names=["a", "b", "c"],
                         column_defaults=[0, "", 0])
    assert message == "FILE line 3: column 'c' holds \"3.5\", which is not an int32"  # counts quoted line ends
    message = read_error(tmp_path, b",2\n", column_defaults=[0, 0], **names)
    assert message == "FILE line 1: column 'a' holds \"\", which is not an int32"  # an error in MindSpore too
    message = read_error(tmp_path, b"3000000000,2\n", column_defaults=[0, 0], **names)
    assert message == "FILE line 1: column 'a' holds \"3000000000\", which is out of the range of an int32"
    message = read_error(tmp_path, b'1,ab"c\n', **names)
    assert message.startswith("FILE line 1: a quote inside unquoted field 2")
    message = read_error(tmp_path, b'1,"ab"c\n', **names)
    assert message == "FILE line 1: character 'c' after the closing quote of field 2"
    message = read_error(tmp_path, b'1,2\n3,"open\n4,5\n', **names)
    assert message == "FILE line 2: a quoted field is still open at the end of the file"
    message = read_error(tmp_path, b"1,\xff\xfe\n", **names)
    assert message == "FILE line 1: column 'b' is not valid UTF-8 text"


def test_csv_argument_errors(csv_files, tmp_path):
    with pytest.raises(InvalidArgumentError, match="field_delim must be one ASCII character"):
        ds.CSVDataset(csv_files, field_delim=",;")
    with pytest.raises(InvalidArgumentError, match="field_delim must be one ASCII character"):
        ds.CSVDataset(csv_files, field_delim='"')
    with pytest.raises(InvalidArgumentError, match=r"column_defaults\[1\] must be an int, float or str, got list"):
        ds.CSVDataset(csv_files, column_defaults=[0, [1]])
    with pytest.raises(InvalidArgumentError, match="column_defaults has 4 values but there are 3 columns"):
        ds.CSVDataset(csv_files, column_defaults=[0, 0, 0, 0])
    with pytest.raises(InvalidArgumentError, match="column_names has a name twice"):
        ds.CSVDataset(csv_files, column_names=["a", "a", "b"])
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        ds.CSVDataset(str(tmp_path / "missing.csv"))
    with pytest.raises(InvalidArgumentError, match="shuffle"):
        ds.CSVDataset(csv_files, shuffle=ds.Shuffle.INFILE)


# --- text lines ---------------------------------------------------------------------------

LINES = [f"line {i}" for i in range(7)]


@pytest.fixture
def text_files(tmp_path):
    one, two = tmp_path / "t1.txt", tmp_path / "t2.txt"
    one.write_text("\n".join(LINES[:4]) + "\n\n")
    two.write_text("\n".join(LINES[4:]))  # no line end after the last line
    return [str(one), str(two)]


def texts(data):
    return [row[0].item() for row in data.create_tuple_iterator(num_epochs=1)]


def test_text_lines_dtype_and_line_ends(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("a\n\nb c\r\n  \nh\u00e9llo \u65e5\u672c\nlast".encode())
    data = ds.TextFileDataset(str(path), shuffle=False)
    assert data.get_col_names() == ["text"]
    assert data.get_dataset_size() == 5
    rows = list(data.create_tuple_iterator(num_epochs=1))
    assert all(row[0].dtype.kind == "U" and row[0].shape == () for row in rows)
    # As MindSpore 2.10 (empty lines skipped, a line of spaces kept), but for "b c":
    # MindSpore keeps the "\r" of "\r\n" ("b c\r").
    assert [row[0].item() for row in rows] == ["a", "b c", "  ", "h\u00e9llo \u65e5\u672c", "last"]


def test_text_shards_and_num_samples_as_mindspore(text_files):
    # MindSpore 2.10, shuffle=False: equal runs of lines over the files, the last shard
    # padded with the first lines.
    expected = {2: [LINES[0:4], LINES[4:7] + [LINES[0]]],
                3: [LINES[0:3], LINES[3:6], [LINES[6], LINES[0], LINES[1]]]}
    for num_shards, shards in expected.items():
        union = set()
        for shard_id, lines in enumerate(shards):
            data = ds.TextFileDataset(text_files, shuffle=False, num_shards=num_shards, shard_id=shard_id)
            assert data.get_dataset_size() == len(lines)
            got = texts(data)
            assert got == lines
            union |= set(got)
        assert union == set(LINES)
    data = ds.TextFileDataset(text_files, shuffle=False, num_samples=5)
    assert data.get_dataset_size() == 5
    assert texts(data) == LINES[:5]


def test_text_shuffles_follow_the_seed_not_the_workers(text_files):
    for shuffle in (ds.Shuffle.GLOBAL, ds.Shuffle.FILES, True):
        ds.config.set_seed(5)
        one = texts(ds.TextFileDataset(text_files, shuffle=shuffle, num_parallel_workers=1))
        ds.config.set_seed(5)
        two = texts(ds.TextFileDataset(text_files, shuffle=shuffle, num_parallel_workers=2))
        assert one == two
        assert sorted(one) == LINES
    # Shuffle.FILES keeps each file's lines together and in order; both file orders come
    # up over a few epochs.
    ds.config.set_seed(5)
    orders = set()
    data = ds.TextFileDataset(text_files, shuffle=ds.Shuffle.FILES)
    iterator = data.create_tuple_iterator(num_epochs=8)
    for _ in range(8):
        got = [row[0].item() for row in iterator]
        assert got in (LINES, LINES[4:] + LINES[:4])
        orders.add(tuple(got))
    assert len(orders) == 2


def test_dataset_shuffle_applies_to_csv_and_text_sources(text_files, csv_files):
    # The sources' own `shuffle` argument was kept as an attribute of that name, which hid
    # Dataset.shuffle(): calling it raised TypeError.
    ds.config.set_seed(3)
    got = texts(ds.TextFileDataset(text_files, shuffle=False).shuffle(len(LINES)))
    assert sorted(got) == LINES and got != LINES
    ids = [row[0] for row in tuples(ds.CSVDataset(csv_files, shuffle=False).shuffle(5))]
    assert sorted(ids) == ["1", "2", "3", "4", "5"]


def test_text_non_utf8_is_data_loss_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine\n\nbad \xff\xfe\n")
    data = ds.TextFileDataset(str(path), shuffle=False)
    assert data.get_dataset_size() == 2
    with pytest.raises(DataLossError, match=f"^{path} line 3 is not valid UTF-8 text$"):
        texts(data)


def test_text_empty_and_missing_files(tmp_path, text_files):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    data = ds.TextFileDataset([str(empty)] + text_files, shuffle=False)
    assert data.get_dataset_size() == 7
    assert texts(data) == LINES
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        ds.TextFileDataset(str(tmp_path / "nope.txt"))
    with pytest.raises(InvalidArgumentError, match="no file matches"):
        ds.TextFileDataset(str(tmp_path / "*.nothing"))


def test_a_cache_on_text_files_serves_epoch_two(text_files):
    from headrace._core import cache as _cache
    from headrace.server import ServerProcess

    with ServerProcess.start(port=0) as server:
        client = _cache.CacheClient(server.host, server.port)
        cache = ds.DatasetCache(session_id=client.create_session(), port=server.port)
        data = ds.TextFileDataset(text_files, shuffle=False, cache=cache)
        iterator = data.create_tuple_iterator(num_epochs=2)
        first = [row[0].item() for row in iterator]
        second = [row[0].item() for row in iterator]
        assert first == second == LINES
        stats = cache.get_stat()["caches"]
        assert len(stats) == 1, stats
        # Epoch two came from the cache: every row stored once and read back once.
        assert stats[0]["rows_in_memory"] == 7 and stats[0]["hits"] == 7, stats


def test_an_iterator_dropped_mid_epoch_leaves_no_thread(tmp_path, nothing_left_behind):
    path = tmp_path / "many.csv"
    path.write_text("a,b\n" + "".join(f'{i},"v {i}"\n' for i in range(20000)))
    iterator = ds.CSVDataset(str(path), column_defaults=[0, ""], num_parallel_workers=3).create_tuple_iterator()
    assert len([next(iterator) for _ in range(10)]) == 10
    del iterator
