"""headrace.training: batches as torch tensors sharing the engine's memory, kept ready on a
background thread; errors reach the loop; an early exit stops the pipeline."""

from __future__ import annotations

import time

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.training import Prefetcher, to_torch


def batches(rows: int = 64, batch: int = 8):
    data = ds.NumpySlicesDataset({"x": np.arange(rows * 4, dtype=np.float32).reshape(rows, 4),
                                  "y": np.arange(rows)}, shuffle=False)
    return data.map(lambda x: x * 2, input_columns="x").batch(batch)


def test_torch_tensors_share_memory_with_the_engine_arrays():
    torch = pytest.importorskip("torch")
    seen = []
    for x, y in to_torch(batches(), prefetch=3):
        assert isinstance(x, torch.Tensor) and x.dtype == torch.float32 and x.shape == (8, 4)
        seen.append((x, y))
    assert len(seen) == 8
    assert torch.equal(torch.cat([y for _, y in seen]), torch.arange(64))
    assert torch.equal(seen[1][0][0], torch.tensor([64.0, 66.0, 68.0, 70.0]))
    # No copy: the tensor is a view of the NumPy array the iterator made.
    captured = []
    original = torch.from_numpy

    def spy(array):
        tensor = original(array)
        captured.append((array, tensor))
        return tensor

    torch.from_numpy = spy
    try:
        next(iter(to_torch(batches(), prefetch=1)))
    finally:
        torch.from_numpy = original
    array, tensor = captured[0]
    assert tensor.data_ptr() == array.__array_interface__["data"][0]


def test_every_for_is_an_epoch_and_the_queue_keeps_batches_ready():
    pytest.importorskip("torch")
    loader = to_torch(batches(), prefetch=4)
    for epoch in range(2):
        count = 0
        for _ in loader:
            time.sleep(0.01)  # a training step slower than the pipeline
            count += 1
        assert count == 8
    stats = loader.statistics()
    assert stats["steps"] == 16
    assert stats["empty_steps"] <= 4  # after the first batch of each epoch, batches are ready
    assert stats["mean_ready"] > 1


def test_an_error_in_the_pipeline_reaches_the_loop_with_its_type():
    class Broken(Exception):
        pass

    def fail(x):
        if x[0] >= 16:
            raise Broken("row 4 is bad")
        return x

    data = ds.NumpySlicesDataset({"x": np.arange(64, dtype=np.float32).reshape(16, 4)}, shuffle=False)
    loader = Prefetcher(lambda: data.map(fail).create_tuple_iterator(num_epochs=1), lambda row: row, 2)
    with pytest.raises(Broken, match="row 4 is bad") as raised:
        for _ in loader:
            pass
    # With the traceback of the function that raised, in the engine's thread.
    import traceback
    assert "fail" in [frame.name for frame in traceback.extract_tb(raised.value.__traceback__)]


def test_leaving_the_loop_early_stops_the_thread_and_the_pipeline(no_leaked_threads):
    pytest.importorskip("torch")
    loader = to_torch(batches(rows=4000), prefetch=2)
    for step, _ in enumerate(loader):
        if step == 3:
            break
    del loader


def test_jax_arrays_when_jax_is_installed():
    jax = pytest.importorskip("jax")
    from headrace.training import to_jax

    x, y = next(iter(to_jax(batches())))
    assert isinstance(x, jax.Array) and x.shape == (8, 4)


def test_the_progress_bar_counts_rows_when_asked(capsys):
    pytest.importorskip("tqdm")
    ds.config.set_progress_bar(True)
    try:
        rows = sum(1 for _ in batches().create_tuple_iterator(num_epochs=1))
    finally:
        ds.config.set_progress_bar(False)
    assert rows == 8
    err = capsys.readouterr().err
    assert "8/8" in err and "row/s" in err
    sum(1 for _ in batches().create_tuple_iterator(num_epochs=1))
    assert capsys.readouterr().err == ""  # off by default
