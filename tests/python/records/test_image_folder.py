"""ImageFolderDataset on small folder trees made by the tests: labels, order, sharding,
extensions, class_indexing, decoding, and errors that name the file or argument at fault."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision
from headrace.errors import InvalidArgumentError

Image = pytest.importorskip("PIL.Image")

# class folder -> number of images; files are named so that their sorted order is known.
CLASSES = {"dog": 3, "cat": 2, "bird": 4}


def pixels(seed: int, height: int = 12, width: int = 9) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def write_image(path, array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG" if str(path).endswith(".png") else "JPEG")
    data = out.getvalue()
    with open(path, "wb") as file:
        file.write(data)
    return data


@pytest.fixture
def tree(tmp_path):
    """The folder tree and, in MindSpore's order (sorted classes, sorted files), the
    (relative path, bytes, label) of every image."""
    expected = []
    for label, name in enumerate(sorted(CLASSES)):
        folder = tmp_path / name
        folder.mkdir()
        for i in reversed(range(CLASSES[name])):  # written out of order on purpose
            extension = ".png" if i % 2 else ".jpg"
            path = folder / f"img_{i:02d}{extension}"
            expected.append((f"{name}/{path.name}", write_image(path, pixels(label * 10 + i)), label))
        (folder / "nested").mkdir()  # sub-folders of a class are not images
        (folder / "nested" / "x.jpg").write_bytes(b"not read")
    (tmp_path / "stray.jpg").write_bytes(b"files at the top are no class")
    expected.sort(key=lambda item: item[0])
    return tmp_path, expected


def rows(data, **options):
    return [(bytes(image), int(label)) for image, label in data.create_tuple_iterator(num_epochs=1, **options)]


def test_rows_come_class_by_class_in_sorted_order_with_sorted_labels(tree):
    root, expected = tree
    data = ds.ImageFolderDataset(str(root), shuffle=False)
    assert data.get_col_names() == ["image", "label"]
    assert data.get_class_indexing() == {"bird": 0, "cat": 1, "dog": 2}
    assert data.num_classes() == 3 and data.get_dataset_size() == 9
    got = list(data.create_tuple_iterator(num_epochs=1))
    assert [r[0].dtype for r in got] == [np.uint8] * 9 and all(r[0].ndim == 1 for r in got)
    assert [(r[1].dtype, r[1].shape) for r in got] == [(np.int32, ())] * 9
    assert rows(data) == [(content, label) for _, content, label in expected]


def test_class_indexing_sets_labels_and_picks_the_folders(tree):
    root, expected = tree
    data = ds.ImageFolderDataset(str(root), shuffle=False, class_indexing={"dog": 0, "bird": 7})
    want = [(c, {"dog": 0, "bird": 7}[p.split("/")[0]]) for p, c, _ in expected if not p.startswith("cat")]
    assert rows(data) == want


def test_extensions_select_files_and_case_counts(tree):
    root, expected = tree
    data = ds.ImageFolderDataset(str(root), shuffle=False, extensions=[".png"])
    assert rows(data) == [(c, label) for p, c, label in expected if p.endswith(".png")]
    with pytest.raises(InvalidArgumentError, match=r"no image files with extensions \['.PNG'\]"):
        ds.ImageFolderDataset(str(root), extensions=[".PNG"])


def test_shards_split_the_rows_and_together_cover_them(tree):
    root, expected = tree
    everything = sorted((c, label) for _, c, label in expected)
    shards = [rows(ds.ImageFolderDataset(str(root), num_shards=3, shard_id=i, shuffle=False))
              for i in range(3)]
    assert [len(s) for s in shards] == [3, 3, 3]
    assert sorted(sum(shards, [])) == everything
    # Without shuffle=False, shards are shuffled alike (one seed), still covering all rows.
    shuffled = [rows(ds.ImageFolderDataset(str(root), num_shards=3, shard_id=i)) for i in range(3)]
    assert sorted(sum(shuffled, [])) == everything


def test_shuffle_and_num_samples_follow_the_seed(tree):
    root, expected = tree
    ds.config.set_seed(11)
    first = rows(ds.ImageFolderDataset(str(root), num_samples=5))
    ds.config.set_seed(11)
    again = rows(ds.ImageFolderDataset(str(root), num_samples=5))
    assert first == again and len(first) == 5
    assert set(first) <= {(c, label) for _, c, label in expected}


def test_decode_gives_the_pixels_pillow_decodes(tree):
    root, expected = tree
    data = ds.ImageFolderDataset(str(root), shuffle=False, decode=True, num_parallel_workers=2)
    for (image, label), (path, content, want_label) in zip(data.create_tuple_iterator(num_epochs=1), expected):
        want = np.asarray(Image.open(io.BytesIO(content)).convert("RGB"))
        np.testing.assert_array_equal(image, want)
        assert int(label) == want_label


def test_a_corrupt_image_names_its_file(tree):
    root, _ = tree
    bad = root / "cat" / "img_00.jpg"
    whole = bad.read_bytes()
    bad.write_bytes(whole[:200])  # truncated
    for data in (ds.ImageFolderDataset(str(root), shuffle=False, decode=True),
                 ds.ImageFolderDataset(str(root), shuffle=False).map(vision.Decode(), input_columns="image")):
        with pytest.raises(ValueError, match=f"Decode: .*{bad}"):
            list(data.create_tuple_iterator(num_epochs=1))
    bad.write_bytes(whole)
    text = root / "cat" / "img_01.png"
    text.write_bytes(b"plain text")
    data = ds.ImageFolderDataset(str(root), shuffle=False, decode=True)
    with pytest.raises(ValueError, match=f"Decode: the data in {text} is neither JPEG nor PNG"):
        list(data.create_tuple_iterator(num_epochs=1))


def test_a_file_gone_before_reading_is_named(tree):
    root, _ = tree
    data = ds.ImageFolderDataset(str(root), shuffle=False)
    gone = root / "dog" / "img_01.png"
    os.remove(gone)
    with pytest.raises(KeyError, match=f"cannot open {gone}: No such file"):
        list(data.create_tuple_iterator(num_epochs=1))


def test_bad_arguments_are_refused_when_the_dataset_is_made(tmp_path, tree):
    root, _ = tree
    with pytest.raises(InvalidArgumentError, match="dataset_dir .* is not a directory"):
        ds.ImageFolderDataset(str(tmp_path / "missing"))
    with pytest.raises(InvalidArgumentError, match="class_indexing names folders .*'fish'"):
        ds.ImageFolderDataset(str(root), class_indexing={"fish": 0})
    with pytest.raises(InvalidArgumentError, match="class_indexing must map"):
        ds.ImageFolderDataset(str(root), class_indexing={"cat": -1})
    with pytest.raises(InvalidArgumentError, match="extensions must be a list"):
        ds.ImageFolderDataset(str(root), extensions=".jpg")
    with pytest.raises(InvalidArgumentError, match="num_shards and shard_id"):
        ds.ImageFolderDataset(str(root), num_shards=2)
    with pytest.raises(TypeError, match="decode"):
        ds.ImageFolderDataset(str(root), decode="yes")
