"""The cache benchmark of the cache-server issue: a decode-and-augment map over 2,000 JPEG
files read through ImageFolderDataset, with a DatasetCache attached to the map. In one run,
rounds alternate: the pipeline without a cache (the anchor), epoch 1 with a cache (a fresh
session, so every row is computed and written) and epoch 2 (every row read from the cache).

Then the cache-hit fetch rate itself: 1 MB rows read back by a client through the server's
shared memory and through gRPC, beside NumPy copying the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Callable, Dict, List

import numpy as np

from harness import Figure, interleaved_median_seconds

NAME = "cache"
IMAGES = 2_000
WORKERS = 2


def write_jpegs(directory: str, count: int) -> None:
    """count JPEG files of 500x375 (a common photo size) in 10 class folders."""
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:375, 0:500].astype(np.float32)
    for i in range(count):
        folder = os.path.join(directory, f"class_{i % 10}")
        os.makedirs(folder, exist_ok=True)
        a, b = rng.uniform(0.5, 3.0, 2)
        field = np.stack([127 + 100 * np.sin(x / (9 * a) + i), 127 + 100 * np.cos(y / (11 * b)),
                          (x + y + i) % 256], axis=-1)
        field += rng.normal(0, 10, field.shape)
        Image.fromarray(np.clip(field, 0, 255).astype(np.uint8)).save(
            os.path.join(folder, f"{i:05d}.jpg"), quality=90)


def pipeline(directory: str, cache=None):
    import headrace.dataset as ds
    from headrace.dataset import vision

    data = ds.ImageFolderDataset(directory, shuffle=False, num_parallel_workers=1)
    data = data.map([vision.Decode(), vision.Resize(256), vision.CenterCrop(224)],
                    input_columns="image", num_parallel_workers=WORKERS, cache=cache)
    return data.batch(32)


def one_epoch(data) -> int:
    rows = 0
    for image, _ in data.create_tuple_iterator(num_epochs=1):
        rows += len(image)
    return rows


def epoch_runners(directory: str, port: int) -> Dict[str, Callable[[], int]]:
    import headrace.dataset as ds
    from headrace._core import cache as _cache

    client = _cache.CacheClient("127.0.0.1", port)
    warm = {}

    def uncached() -> int:
        return one_epoch(pipeline(directory))

    def cached_epoch_1() -> int:
        # A fresh session: nothing cached, every row computed and written. The session of
        # the previous round is dropped, so memory does not pile up.
        if "session" in warm:
            client.drop_session(warm["session"])
        warm["session"] = client.create_session()
        warm["cache"] = ds.DatasetCache(session_id=warm["session"], port=port)
        return one_epoch(pipeline(directory, warm["cache"]))

    def cached_epoch_2() -> int:
        return one_epoch(pipeline(directory, warm["cache"]))

    return {"uncached": uncached, "epoch 1": cached_epoch_1, "epoch 2": cached_epoch_2}


def fetch_rates(port: int, rows: int = 512, row_bytes: int = 1 << 20) -> Dict[str, float]:
    """GB/s of reading `rows` cached rows of `row_bytes` back and copying each into an array
    of the reader's (so the bytes are really read: through shared memory a fetch alone is a
    view and touches nothing), through shared memory and through gRPC, beside NumPy copying
    the same bytes between two arrays."""
    from headrace._core import cache as _cache

    writer = _cache.CacheClient("127.0.0.1", port)
    session = writer.create_session()
    cache_id = writer.open_cache(session, 1, "fetch benchmark", 0, False)["cache_id"]
    payload = np.random.default_rng(1).integers(0, 255, row_bytes, dtype=np.uint8)
    for start in range(0, rows, 32):
        writer.write_rows(cache_id, [(i, [payload]) for i in range(start, min(rows, start + 32))])
    total = rows * row_bytes / 1e9
    target = np.empty((64, row_bytes), np.uint8)
    rates = {}
    for name, shared in (("shared memory", True), ("gRPC", False)):
        client = _cache.CacheClient("127.0.0.1", port, use_shared_memory=shared)

        def read_all() -> None:
            for start in range(0, rows, 64):
                got = client.read_rows(cache_id, list(range(start, min(rows, start + 64))))
                for k, row in enumerate(got):
                    np.copyto(target[k], row[0])
        seconds = interleaved_median_seconds({name: read_all}, rounds=5)[name]
        rates[name] = total / seconds
    source = np.stack([payload] * 64)

    def copy_all() -> None:
        for _ in range(0, rows, 64):
            np.copyto(target, source)
    rates["NumPy copy"] = total / interleaved_median_seconds({"copy": copy_all}, rounds=5)["copy"]
    writer.drop_session(session)
    return rates


def run(quick: bool = False) -> List[Figure]:
    from headrace.server import ServerProcess

    count = IMAGES // 8 if quick else IMAGES
    directory = tempfile.mkdtemp(prefix="headrace-cache-bench-")
    try:
        write_jpegs(directory, count)
        with ServerProcess.start(port=0, args=["--memory", "4G"]) as server:
            runners = epoch_runners(directory, server.port)
            for name, runner in runners.items():
                assert runner() == count, name  # warm-up; also leaves a full cache for epoch 2
            seconds = interleaved_median_seconds(runners, rounds=2 if quick else 5)
            rates = fetch_rates(server.port, rows=128 if quick else 512)
    finally:
        shutil.rmtree(directory)
    rate = {name: count / value for name, value in seconds.items()}
    what = f"{count} JPEG 500x375 decode+resize+crop, w=2"
    return [
        Figure(NAME, f"epoch 2 (from the cache), {what}", "images/s", rate["epoch 2"],
               "no cache", rate["uncached"], higher_is_better=True),
        Figure(NAME, "epoch 1 (computing and writing the cache)", "images/s", rate["epoch 1"],
               "no cache", rate["uncached"], higher_is_better=True),
        Figure(NAME, "cache-hit fetch+copy, 1 MB rows, shared memory", "GB/s", rates["shared memory"],
               "NumPy copy", rates["NumPy copy"], higher_is_better=True),
        Figure(NAME, "cache-hit fetch+copy, 1 MB rows, gRPC", "GB/s", rates["gRPC"],
               "NumPy copy", rates["NumPy copy"], higher_is_better=True),
    ]
