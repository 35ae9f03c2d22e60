"""The record-file benchmark of issue 14: 20,000 records of a JPEG of about 100 KB plus an
int64 label, in 8 shards of MindRecord (written by headrace.mindrecord.FileWriter) and of
TFRecord (written by the small writer below), in the page cache.

Figures, each measured in alternating rounds with its anchors, every round one iterator (or
one DataLoader) over EPOCHS epochs, as a training loop reads:
- rows/s and MB/s of MindDataset and TFRecordDataset (2 workers, no shuffle, rows to Python
  as NumPy arrays; and with the shuffle a newcomer gets by default), beside the physical
  limit: the same files' bytes read front to back into memory with 1 MiB reads, as `cat`
  does, EPOCHS times;
- the same beside PyTorch's DataLoader (num_workers=2) over a map-style dataset that reads
  the same records with Python (an index of record offsets made beforehand; each item is a
  seek, a read, and for TFRecord the Example parsed with protobuf, as a PyTorch user's
  TFRecord dataset does; for MindRecord the image blob, its label taken from the index;
  items are (bytes, int), which the DataLoader moves fastest);
- Decode + RandomResizedCrop(224) + batch(32) on 2 workers over 2,000 of the records from
  MindRecord, beside ImageFolderDataset over the same 2,000 JPEGs as files.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from typing import Callable, Dict, List, Tuple

import numpy as np

from harness import Figure, interleaved_median_seconds

NAME = "records"
RECORDS = 20_000
SHARDS = 8
WORKERS = 2
DISTINCT_IMAGES = 64
DECODE_RECORDS = 2_000
# As a training loop reads: one iterator (one DataLoader) over several epochs, each timed
# run covering all of them; the sequential read reads the files as many times.
EPOCHS = 2
BATCH = 32


def jpeg_images(count: int) -> List[bytes]:
    """JPEGs of 500x375 smooth colour fields with noise, about 100 KB each at quality 92."""
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:375, 0:500].astype(np.float32)
    images = []
    for i in range(count):
        a, b, c = rng.uniform(0.3, 3.0, 3)
        field = np.stack([127 + 100 * np.sin(x / (9 * a) + i), 127 + 100 * np.cos(y / (11 * b)),
                          127 + 100 * np.sin((x + y) / (13 * c))], axis=-1)
        field += rng.normal(0, 16, field.shape)
        out = io.BytesIO()
        Image.fromarray(np.clip(field, 0, 255).astype(np.uint8)).save(out, format="JPEG", quality=92)
        images.append(out.getvalue())
    return images


# -- writing ------------------------------------------------------------------------------

def write_mindrecord(folder: str, images: List[bytes], count: int) -> List[str]:
    from headrace.mindrecord import FileWriter

    path = os.path.join(folder, "train.mindrecord")
    writer = FileWriter(path, shard_num=SHARDS, overwrite=True)
    writer.add_schema({"image": {"type": "bytes"}, "label": {"type": "int64"}}, "benchmark")
    chunk = 1000
    for start in range(0, count, chunk):
        writer.write_raw_data([{"image": images[i % len(images)], "label": i}
                               for i in range(start, min(count, start + chunk))])
    writer.commit()
    return [f"{path}{k}" for k in range(SHARDS)]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def example_bytes(image: bytes, label: int) -> bytes:
    """A tf.train.Example {image: bytes_list, label: int64_list}, encoded by hand."""
    image_feature = _field(1, _field(1, image))                  # Feature.bytes_list.value
    label_feature = _field(3, _field(1, _varint(label)))         # Feature.int64_list.value (packed)
    features = (_field(1, _field(1, b"image") + _field(2, image_feature)) +
                _field(1, _field(1, b"label") + _field(2, label_feature)))
    return _field(1, features)                                   # Example.features


def _masked_crc(data: bytes) -> int:
    import google_crc32c

    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def write_tfrecord(folder: str, images: List[bytes], count: int) -> List[str]:
    """TFRecord framing: length, masked CRC32C of the length, data, masked CRC32C of the data."""
    paths = []
    per_file = (count + SHARDS - 1) // SHARDS
    for k in range(SHARDS):
        path = os.path.join(folder, f"train-{k:05d}-of-{SHARDS:05d}.tfrecord")
        with open(path, "wb") as out:
            for i in range(k * per_file, min(count, (k + 1) * per_file)):
                data = example_bytes(images[i % len(images)], i)
                length = struct.pack("<Q", len(data))
                out.write(length + struct.pack("<I", _masked_crc(length)) + data +
                          struct.pack("<I", _masked_crc(data)))
        paths.append(path)
    return paths


# -- the anchors --------------------------------------------------------------------------

def sequential_read(paths: List[str]) -> Callable[[], int]:
    """The physical limit: every byte of `paths` read front to back into one buffer."""
    buffer = bytearray(1 << 20)

    def run() -> int:
        total = 0
        for path in paths * EPOCHS:
            with open(path, "rb", buffering=0) as file:
                while True:
                    got = file.readinto(buffer)
                    if not got:
                        break
                    total += got
        return total

    return run


def tfrecord_index(paths: List[str]) -> List[Tuple[str, int, int]]:
    """(path, offset, length) of every record's data, from the length fields."""
    index = []
    for path in paths:
        with open(path, "rb") as file:
            offset = 0
            while True:
                head = file.read(12)
                if not head:
                    break
                (length,) = struct.unpack("<Q", head[:8])
                index.append((path, offset + 12, length))
                offset += 16 + length
                file.seek(offset)
    return index


def mindrecord_index(paths: List[str]) -> List[Tuple[str, int, int]]:
    """(path, offset, length) of every row's image blob, from each file's header and pages,
    in MindSpore's row order (raw pages in order, each row group's blob page)."""
    index = []
    for path in paths:
        with open(path, "rb") as file:
            (header_length,) = struct.unpack("<Q", file.read(8))
            header = json.loads(file.read(header_length))
            blob_pages = {p["page_type_id"]: p for p in header["page"] if p["page_type"] == "BLOB_DATA"}
            for page in header["page"]:
                if page["page_type"] != "RAW_DATA":
                    continue
                for group in page["row_group_ids"]:
                    blob = blob_pages[group["id"]]
                    at = header["header_size"] + blob["page_id"] * header["page_size"]
                    for _ in range(blob["end_row_id"] - blob["start_row_id"]):
                        file.seek(at)
                        (length,) = struct.unpack("<Q", file.read(8))
                        index.append((path, at + 8, length))
                        at += 8 + length
    return index


def example_module(folder: str):
    """The Example message compiled for Python from the project's proto, with grpc_tools,
    loaded by its path (its package name, headrace.v1, is not the installed headrace's)."""
    import importlib.util

    proto_root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proto")
    os.makedirs(folder, exist_ok=True)
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"--proto_path={proto_root}",
                    f"--python_out={folder}", "headrace/v1/example.proto"], check=True)
    spec = importlib.util.spec_from_file_location(
        "bench_example_pb2", os.path.join(folder, "headrace", "v1", "example_pb2.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RecordsOnDisk:
    """A map-style dataset for the DataLoader: item i read with Python by its offset."""

    def __init__(self, index: List[Tuple[str, int, int]], parse: Callable[[bytes, int], tuple]) -> None:
        self.index = index
        self.parse = parse
        self.files: Dict[str, object] = {}

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, i: int):
        path, offset, length = self.index[i]
        file = self.files.get(path)
        if file is None:
            file = self.files[path] = open(path, "rb")
        file.seek(offset)
        return self.parse(file.read(length), i)


def dataloader_runner(dataset: RecordsOnDisk) -> Callable[[], int]:
    import torch.utils.data

    loader = torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=WORKERS,
                                         persistent_workers=True, prefetch_factor=8)

    def run() -> int:
        return sum(1 for _ in range(EPOCHS) for _ in loader)

    return run


def headrace_runner(make: Callable[[], object]) -> Callable[[], int]:
    def run() -> int:
        rows = 0
        iterator = make().create_tuple_iterator(num_epochs=EPOCHS, output_numpy=True)
        for _ in range(EPOCHS):
            for _ in iterator:
                rows += 1
        return rows

    return run


def decode_runner(make: Callable[[], object]) -> Callable[[], int]:
    import headrace.dataset as ds
    from headrace.dataset import vision

    def run() -> int:
        data = make().map([vision.Decode(), vision.RandomResizedCrop(224)], input_columns="image",
                          num_parallel_workers=WORKERS).batch(BATCH)
        iterator = data.create_tuple_iterator(num_epochs=EPOCHS, output_numpy=True)
        return sum(len(batch[0]) for _ in range(EPOCHS) for batch in iterator)

    del ds
    return run


def run(quick: bool = False) -> List[Figure]:
    import headrace.dataset as ds

    records = RECORDS // 10 if quick else RECORDS
    decode_records = DECODE_RECORDS // 4 if quick else DECODE_RECORDS
    rounds = 2 if quick else 5
    # The two decode pipelines cost nearly the same CPU per image (the decode is all of it),
    # so their ratio sits near 1 and the machine's noise decides a 5-round median: more
    # rounds for a steadier one.
    decode_rounds = 2 if quick else 11
    images = jpeg_images(DISTINCT_IMAGES)
    folder = tempfile.mkdtemp(prefix="headrace-bench-records-")
    try:
        mind_paths = write_mindrecord(folder, images, records)
        tf_paths = write_tfrecord(folder, images, records)
        image_folder = os.path.join(folder, "images", "class0")
        os.makedirs(image_folder)
        for i in range(decode_records):
            with open(os.path.join(image_folder, f"{i:06d}.jpg"), "wb") as out:
                out.write(images[i % len(images)])
        payload = sum(len(images[i % len(images)]) for i in range(records)) / 1e6  # MB of images
        figures: List[Figure] = []

        def mind() -> object:
            return ds.MindDataset(mind_paths, shuffle=False, num_parallel_workers=WORKERS)

        def tfrecord() -> object:
            return ds.TFRecordDataset(tf_paths, shuffle=False, num_parallel_workers=WORKERS)

        # What a newcomer gets: MindDataset shuffles every row, TFRecordDataset Shuffle.GLOBAL.
        def mind_default() -> object:
            return ds.MindDataset(mind_paths, num_parallel_workers=WORKERS)

        def tfrecord_default() -> object:
            return ds.TFRecordDataset(tf_paths, num_parallel_workers=WORKERS)

        runners: Dict[str, Callable[[], int]] = {
            "mind": headrace_runner(mind),
            "tf": headrace_runner(tfrecord),
            "mind_default": headrace_runner(mind_default),
            "tf_default": headrace_runner(tfrecord_default),
            "mind_cat": sequential_read(mind_paths),
            "tf_cat": sequential_read(tf_paths),
        }
        have_torch = True
        try:
            import torch  # noqa: F401
        except ImportError:
            have_torch = False
            print(f"{NAME}: torch is not installed; the DataLoader anchors are skipped")
        if have_torch:
            example_pb2 = example_module(os.path.join(folder, "stubs"))

            # Items are (bytes, int): the cheapest thing for the DataLoader to move (NumPy
            # arrays would become tensors, each sent through its own shared-memory file).
            def parse_example(data: bytes, i: int) -> tuple:
                feature = example_pb2.Example.FromString(data).features.feature
                return feature["image"].bytes_list.value[0], feature["label"].int64_list.value[0]

            def parse_blob(data: bytes, i: int) -> tuple:
                return data, i

            runners["mind_loader"] = dataloader_runner(RecordsOnDisk(mindrecord_index(mind_paths), parse_blob))
            runners["tf_loader"] = dataloader_runner(RecordsOnDisk(tfrecord_index(tf_paths), parse_example))
        for name in ("mind", "tf", "mind_default", "tf_default", "mind_loader", "tf_loader"):
            if name in runners:
                assert runners[name]() == records * EPOCHS, name  # also warms each one up (page cache too)
        seconds = interleaved_median_seconds(runners, rounds=rounds)
        for fmt, label in (("mind", "MindDataset"), ("tf", "TFRecordDataset")):
            mb_per_s = payload * EPOCHS / seconds[fmt]
            cat_bytes = EPOCHS * sum(os.path.getsize(p) for p in (mind_paths if fmt == "mind" else tf_paths)) / 1e6
            figures.append(Figure(NAME, f"{label} {records} x 100 KB x {EPOCHS} epochs, w=2, MB/s", "MB/s", mb_per_s,
                                  "sequential read", cat_bytes / seconds[f"{fmt}_cat"], higher_is_better=True))
            figures.append(Figure(NAME, f"{label} the same, default shuffle, MB/s", "MB/s",
                                  payload * EPOCHS / seconds[f"{fmt}_default"], "sequential read",
                                  cat_bytes / seconds[f"{fmt}_cat"], higher_is_better=True))
            if f"{fmt}_loader" in seconds:
                figures.append(Figure(NAME, f"{label} {records} x 100 KB, w=2, rows/s", "rows/s",
                                      records * EPOCHS / seconds[fmt], "DataLoader w=2",
                                      records * EPOCHS / seconds[f"{fmt}_loader"], higher_is_better=True))

        def mind_subset() -> object:
            return ds.MindDataset(mind_paths, shuffle=False, num_samples=decode_records,
                                  num_parallel_workers=WORKERS)

        def folder_images() -> object:
            return ds.ImageFolderDataset(os.path.dirname(image_folder), shuffle=False,
                                         num_parallel_workers=WORKERS)

        decoders = {"mind": decode_runner(mind_subset), "folder": decode_runner(folder_images)}
        for name, runner in decoders.items():
            assert runner() == decode_records * EPOCHS, name
        decode_seconds = interleaved_median_seconds(decoders, rounds=decode_rounds)
        figures.append(Figure(NAME, f"{decode_records} JPEG 500x375 x {EPOCHS} epochs decode+RRC+batch, w=2",
                              "images/s", decode_records * EPOCHS / decode_seconds["mind"], "ImageFolderDataset",
                              decode_records * EPOCHS / decode_seconds["folder"], higher_is_better=True))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)
