"""What profiling costs, and the profile of the image pipeline.

1. The light pipeline (bench_light_pipeline: 200,000 rows of int32[16], map(x * 2) on 2
   workers, batch(64)) iterated plainly and through Dataset.profile() (statistics counted by
   the engine, a sampler thread every 50 ms), in alternating rounds: the anchor is the plain
   run, the target is under 5% of throughput lost.
2. The image benchmark's pipeline (bench_images: 4,000 JPEGs, Decode + RandomResizedCrop +
   flip + Normalize + HWC2CHW, batch(32), 2 workers) profiled; its table and chart are
   written to benchmarks/profiles/images.txt and images.png.
"""

from __future__ import annotations

import pathlib
from typing import List

from harness import Figure, interleaved_median_seconds

import bench_images
import bench_light_pipeline

NAME = "profile"
HERE = pathlib.Path(__file__).resolve().parent


def light_pipeline_cost(quick: bool) -> List[Figure]:
    import headrace.dataset as ds

    rows = bench_light_pipeline.ROWS // 8 if quick else bench_light_pipeline.ROWS
    x, y = bench_light_pipeline.make_data(rows)

    def pipeline():
        data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
        data = data.map(bench_light_pipeline.double, input_columns="x", num_parallel_workers=2)
        return data.batch(bench_light_pipeline.BATCH, drop_remainder=True)

    def plain() -> None:
        for _ in pipeline().create_tuple_iterator(num_epochs=1):
            pass

    def profiled() -> None:
        pipeline().profile()

    plain(), profiled()  # warm-up
    seconds = interleaved_median_seconds({"plain": plain, "profiled": profiled}, rounds=3 if quick else 7)
    rate = {name: rows / value for name, value in seconds.items()}
    return [Figure(NAME, "light pipeline, profiled vs not", "rows/s", rate["profiled"],
                   "not profiled", rate["plain"], higher_is_better=True)]


def image_pipeline_profile(quick: bool) -> List[Figure]:
    import headrace.dataset as ds
    from headrace.dataset import vision

    count = bench_images.IMAGES // 8 if quick else bench_images.IMAGES
    files = bench_images.synthetic_jpegs(count)
    data = ds.GeneratorDataset(bench_images.Files(files), ["image", "label"], shuffle=False,
                               python_multiprocessing=False)
    data = data.map([vision.Decode(), vision.RandomResizedCrop(bench_images.SIDE), vision.RandomHorizontalFlip(),
                     vision.Normalize(mean=bench_images.MEAN, std=bench_images.STD), vision.HWC2CHW()],
                    input_columns="image", num_parallel_workers=bench_images.WORKERS)
    data = data.batch(bench_images.BATCH)
    data.profile()  # warm-up
    report = data.profile(interval=0.02)
    print(report.table())
    if quick:  # the committed table and chart are those of a full run
        return []
    folder = HERE / "profiles"
    folder.mkdir(exist_ok=True)
    (folder / "images.txt").write_text(report.table() + "\n")
    try:
        report.plot(str(folder / "images.png"))
    except ImportError as error:
        print(f"{NAME}: {error}; the chart is not written")
    return []


def run(quick: bool = False) -> List[Figure]:
    return light_pipeline_cost(quick) + image_pipeline_profile(quick)
