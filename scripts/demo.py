"""headrace demo: what the installed package does today, end to end.

Starts a real headrace-server on 127.0.0.1 (port 0: the server picks a free port and
says which), asks it for its status over gRPC, runs a pipeline through the threaded engine
(a Python map on 2 worker threads, a native TypeCast, shuffle, batch), then an image
pipeline over JPEG files (ImageFolderDataset, native Decode + Resize + CenterCrop in C++
threads) with a DatasetCache on the server: epoch 1 computes and writes the rows, epoch 2
reads them from the server's shared memory; the batches then go through a channel
(DataSender) to a training process (DataReceiver), which gets them as views of the same
shared memory. It hands NumPy arrays to headrace's C++ core and back without copying, shows
an error crossing from C++ as a Python exception, and stops the server with SIGTERM.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time

import numpy as np

import headrace
import headrace.dataset as ds
from headrace._core import cache as _cache
from headrace.dataset import transforms, vision
from headrace.errors import InvalidArgumentError
from headrace.server import ServerProcess


def write_jpegs(directory: str, count: int) -> None:
    """Smooth colour fields as 320x240 JPEG files in 3 class folders (Pillow encodes them:
    it comes with the test tools; headrace itself only decodes)."""
    from PIL import Image

    y, x = np.mgrid[0:240, 0:320].astype(np.float32)
    for i in range(count):
        pixels = np.stack([128 + 100 * np.sin(x / (7 + i)), 128 + 100 * np.cos(y / 9), (x + y + i) % 256], -1)
        folder = os.path.join(directory, f"class_{i % 3}")
        os.makedirs(folder, exist_ok=True)
        Image.fromarray(pixels.astype(np.uint8)).save(os.path.join(folder, f"{i:03d}.jpg"), quality=90)


def train(address: str, report) -> None:
    """The training process: receives batches until the sender closes the channel."""
    from headrace.channel import DataReceiver

    receiver = DataReceiver(address=address, dataset_name="demo-batches")
    seen = []
    for images, labels in receiver:
        seen.append((images.shape, bool(images.flags.writeable), int(labels.sum())))
    report.put(seen)


def cached_images(server: ServerProcess) -> None:
    session = _cache.CacheClient(server.host, server.port).create_session()
    cache = ds.DatasetCache(session_id=session, port=server.port)
    with tempfile.TemporaryDirectory(prefix="headrace-demo-") as directory:
        write_jpegs(directory, 300)
        data = ds.ImageFolderDataset(directory, shuffle=False)
        print(f"image folder: {data.get_dataset_size()} JPEG files, classes {data.get_class_indexing()}")
        data = data.map([vision.Decode(), vision.Resize(256), vision.CenterCrop(224)],
                        input_columns="image", num_parallel_workers=2, cache=cache)
        data = data.batch(50)
        iterator = data.create_tuple_iterator(num_epochs=2)
        print("pipeline tree:\n  " + iterator.get_tree_string().rstrip().replace("\n", "\n  "))
        for epoch in (1, 2):
            start = time.perf_counter()
            batches = [(image.shape, label[:3].tolist()) for image, label in iterator]
            seconds = time.perf_counter() - start
            print(f"epoch {epoch}: {len(batches)} batches of {batches[0][0]} uint8 in {seconds * 1000:.0f} ms"
                  f" ({'read from the cache' if epoch == 2 else 'decoded, resized, written to the cache'})")
        send_to_training(server, data)
    (stats,) = cache.get_stat()["caches"]
    print(f"cache of session {session}: {stats['rows_in_memory']} rows, "
          f"{stats['bytes_in_memory'] / 2**20:.1f} MB in shared memory, {stats['hits']} hits, "
          f"{stats['misses']} misses")
    assert stats["hits"] == 600  # epoch 2 and the epoch sent to training


def send_to_training(server: ServerProcess, data) -> None:
    """One more epoch, each batch sent through a channel to a training process."""
    from headrace.channel import DataSender

    context = multiprocessing.get_context("spawn")
    report = context.Queue()
    trainer = context.Process(target=train, args=(server.address, report))
    trainer.start()
    sender = DataSender(address=server.address, dataset_name="demo-batches", max_queue_size=2)
    start = time.perf_counter()
    for image, label in data.create_tuple_iterator(num_epochs=1):
        sender.send((image, label))
    sender.close()
    seen = report.get(timeout=60)
    trainer.join(30)
    print(f"channel: {len(seen)} batches of {seen[0][0]} sent to training process {trainer.pid} in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms; received as read-only views of shared memory: "
          f"{not seen[0][1]}")
    assert sum(s[2] for s in seen) == sum(i % 3 for i in range(300)) and not seen[0][1]


def main() -> None:
    print(f"headrace {headrace.__version__}")

    with ServerProcess.start(host="127.0.0.1", port=0) as server:
        print(f"started headrace-server pid {server.pid}, listening on {server.address}")
        status = server.status()
        print(f"status RPC: version {status['version']}, pid {status['pid']}, "
              f"port {status['port']}, up {status['uptime_seconds']:.3f} s")
        assert status["pid"] == server.pid and status["port"] == server.port

        pipeline = ds.NumpySlicesDataset(
            {"image": np.arange(10 * 4, dtype=np.int32).reshape(10, 4), "label": np.arange(10)},
            shuffle=False)
        pipeline = pipeline.map(lambda image: image * 2, input_columns="image",
                                num_parallel_workers=2)
        pipeline = pipeline.map(transforms.TypeCast(np.float32), input_columns="image")
        pipeline = pipeline.shuffle(4).batch(4)
        print(f"pipeline columns {pipeline.get_col_names()}, {pipeline.get_dataset_size()} batches:")
        for image, label in pipeline.create_tuple_iterator(num_epochs=1):
            print(f"  batch {image.dtype}{list(image.shape)} labels {label.tolist()}")

        cached_images(server)

        images = np.random.default_rng(0).random((64, 224, 224, 3), dtype=np.float32)
        headrace.Tensor(images[:1]).numpy()  # the first call pays one-time set-up
        start = time.perf_counter()
        tensor = headrace.Tensor(images)
        back = tensor.numpy()
        elapsed_us = (time.perf_counter() - start) * 1e6
        shared = back.__array_interface__["data"][0] == images.ctypes.data
        print(f"{tensor!r}: {images.nbytes / 2**20:.0f} MB to C++ and back in "
              f"{elapsed_us:.0f} us, same memory: {shared}")
        assert shared

        words = headrace.Tensor(np.array(["cat", "собака", "猫"]))
        print(f"{words!r} -> {words.numpy().tolist()}")

        try:
            headrace.Tensor(np.zeros(3, dtype=np.complex64))
        except InvalidArgumentError as error:
            print(f"C++ error as Python {type(error).__name__} "
                  f"(a ValueError: {isinstance(error, ValueError)}): {error}")

        code = server.stop()
        print(f"server stopped by SIGTERM with exit code {code}")
        assert code == 0


if __name__ == "__main__":
    main()
