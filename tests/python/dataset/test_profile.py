"""Dataset.profile: per-op statistics name the op that holds a pipeline back, and move on
when that op gets more workers; the table and the chart."""

from __future__ import annotations

import time

import numpy as np
import pytest

import headrace.dataset as ds


def slow(x):
    time.sleep(0.002)  # releases the GIL: threads run it in parallel
    return x


def medium(x):
    time.sleep(0.0005)
    return x + 1


def pipeline(slow_workers: int):
    data = ds.NumpySlicesDataset({"x": np.arange(600)}, shuffle=False)
    # In worker processes, which take 8 rows at a time: threads would get the source's
    # blocks of up to 512 rows, too few to spread over many workers.
    data = data.map(slow, num_parallel_workers=slow_workers, python_multiprocessing=True)
    data = data.map(medium, num_parallel_workers=1)
    return data.batch(20)


def test_the_profile_names_the_slow_map_and_moves_on_when_it_gets_workers():
    one = pipeline(1).profile()
    assert one.rows == 30
    assert "ops=[slow]" in one.bottleneck()["name"]
    assert "num_parallel_workers=2" in one.suggestion()
    many = pipeline(8).profile()
    assert many.rows_per_second > 1.5 * one.rows_per_second
    assert "ops=[medium]" in many.bottleneck()["name"], many.table()
    slow_op = next(op for op in many.ops if "ops=[slow]" in op["name"])
    assert many.utilisation(slow_op) < many.utilisation(many.bottleneck())


def test_the_figures_add_up():
    report = pipeline(1).profile()
    names = [op["name"] for op in report.ops]
    assert names[0].startswith("EpochCtrl") and names[-1].startswith("NumpySlices")
    slow_map, medium_map = (next(op for op in report.ops if f"ops=[{name}]" in op["name"])
                            for name in ("slow", "medium"))
    # The one slow worker slept 2 ms for each of 600 rows (in its worker process): its busy
    # time is at least that, and it hardly waited for the source.
    assert slow_map["busy_seconds"] >= 600 * 0.002 * 0.95
    assert slow_map["input_wait_seconds"] < 0.2 * slow_map["worker_seconds"]
    # The next map's own work is 0.5 ms a row; the rest of its time it waited for input.
    assert 600 * 0.0005 * 0.9 <= medium_map["busy_seconds"] < slow_map["busy_seconds"]
    assert medium_map["input_wait_seconds"] > medium_map["busy_seconds"]
    source = report.ops[-1]
    assert source["rows_out"] == 601  # 600 rows and the end of data
    maps = [op for op in report.ops if op["name"].startswith("Map")]
    assert all(op["rows_in"] == 601 and op["rows_out"] == 601 for op in maps)
    assert report.samples and len(report.samples[0]["queued"]) == len(report.ops)


def test_a_fast_pipeline_blames_its_consumer_and_the_table_says_so():
    data = ds.NumpySlicesDataset({"x": np.arange(200)}, shuffle=False).map(lambda x: x + 1)
    iterator = data.create_tuple_iterator(num_epochs=1)
    for _ in iterator:
        time.sleep(0.002)  # a slow training step
    from headrace.dataset.profile import Profile

    report = Profile(iterator.get_statistics(), 0.5, 200, [])
    assert report.bottleneck() is None
    text = report.table()
    assert "bottleneck: the consumer of the pipeline" in text and "keeps ahead of its consumer" in text


def test_the_chart_is_written(tmp_path):
    pytest.importorskip("matplotlib")
    report = pipeline(2).profile(interval=0.005)
    path = tmp_path / "profile.png"
    report.plot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_a_training_loader_s_send_queue_shows_in_its_profile():
    pytest.importorskip("torch")
    from headrace.dataset.profile import profile_loader
    from headrace.training import to_torch

    loader = to_torch(pipeline(1), prefetch=3)
    report = profile_loader(loader, step=lambda batch: time.sleep(0.001))
    assert report.rows == 30 and "ops=[slow]" in report.bottleneck()["name"]
    text = report.table()
    assert "send queue:" in text and "of 3 batches ready" in text
    assert report.send_queue["steps"] == 30
