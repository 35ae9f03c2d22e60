"""The NumpySlices image epoch of issue 17: 2,000 uint8 images of 224x224x3 held in NumPy
arrays, through NumpySlicesDataset -> map([Normalize, HWC2CHW], num_parallel_workers=2) ->
batch(32), one epoch.

The anchor is the very same map and batch over the same images read from a cache after a
cache hit: the cache sits on the source (on a TypeCast to the images' own type, the one map
between it and the leaf, which epoch 2 skips with the leaf), so its epoch 2 runs the same
Normalize, HWC2CHW and batch on rows fetched from the server's shared memory. What separates
the two is how the source hands its rows to the map; lower is better, so the ratio is the
cached epoch's seconds over ours. Epochs alternate, after a warm-up that fills the cache.
"""

from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np

import bench_images
from harness import Figure, interleaved_median_seconds

NAME = "image_slices"
IMAGES = 2_000
BATCH = 32
WORKERS = 2


def make_images(count: int) -> Dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {"image": rng.integers(0, 256, (count, 224, 224, 3), dtype=np.uint8),
            "label": np.arange(count, dtype=np.int32) % 10}


def pipeline(columns: Dict[str, np.ndarray], cache=None):
    import headrace.dataset as ds
    from headrace.dataset import transforms, vision

    data = ds.NumpySlicesDataset(columns, shuffle=False)
    if cache is not None:
        data = data.map(transforms.TypeCast(np.uint8), input_columns="image", cache=cache)
    data = data.map([vision.Normalize(mean=bench_images.MEAN, std=bench_images.STD),
                     vision.HWC2CHW()], input_columns="image", num_parallel_workers=WORKERS)
    return data.batch(BATCH)


def one_epoch(data) -> "tuple[int, int]":
    """(rows, batches) of one epoch, each batch checked for its shape."""
    rows = batches = 0
    for image, label in data.create_tuple_iterator(num_epochs=1, output_numpy=True):
        assert image.shape[1:] == (3, 224, 224) and image.dtype == np.float32, image.shape
        assert len(label) == len(image)
        rows += len(image)
        batches += 1
    return rows, batches


def epoch_runners(columns: Dict[str, np.ndarray], port: int) -> Dict[str, Callable[[], object]]:
    import headrace.dataset as ds
    from headrace._core import cache as _cache

    session = _cache.CacheClient("127.0.0.1", port).create_session()
    cache = ds.DatasetCache(session_id=session, hostname="127.0.0.1", port=port)
    return {"NumpySlices": lambda: one_epoch(pipeline(columns)),
            "cached epoch 2": lambda: one_epoch(pipeline(columns, cache))}


def run(quick: bool = False) -> List[Figure]:
    from headrace.server import ServerProcess

    count = IMAGES // 4 if quick else IMAGES
    columns = make_images(count)
    expected = (count, -(-count // BATCH))
    with ServerProcess.start(host="127.0.0.1", port=0, args=["--memory", "2G"]) as server:
        runners = epoch_runners(columns, server.port)
        for name, runner in runners.items():
            # The cached pipeline's first run is its epoch 1: it fills the cache.
            assert runner() == expected, name
        checked = {name: (lambda r=runner, n=name: _check(r(), expected, n))
                   for name, runner in runners.items()}
        seconds = interleaved_median_seconds(checked, rounds=3 if quick else 9)
    what = f"{count} images 224x224x3 Normalize+HWC2CHW w=2, batch {BATCH}"
    return [Figure(NAME, f"epoch, {what}", "s", seconds["NumpySlices"], "cached epoch 2",
                   seconds["cached epoch 2"], higher_is_better=False)]


def _check(got: "tuple[int, int]", expected: "tuple[int, int]", name: str) -> None:
    assert got == expected, f"{name}: {got} rows and batches, {expected} expected"
