"""Resuming a pipeline from an iterator's state (issue 18): the rows after the resume equal,
value for value, those an uninterrupted run gives from that point, in every epoch after it;
nothing before the position is read; what cannot resume exactly says so at get_state()."""

import json
import os
import pickle
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision
from headrace.errors import FailedPreconditionError, InvalidArgumentError

ROWS = 200
IMAGES = np.random.default_rng(5).integers(0, 256, (ROWS, 12, 12, 3), dtype=np.uint8)
LABELS = np.arange(ROWS, dtype=np.int64)


class Squares:
    """A user's random-access class, as GeneratorDataset users write them."""

    def __init__(self, rows=ROWS):
        self.rows = rows

    def __getitem__(self, i):
        return np.full(3, i * i, dtype=np.int64), np.int64(i)

    def __len__(self):
        return self.rows


def double(x):
    return x * 2


def images(shuffle=True, **kwargs):
    return ds.NumpySlicesDataset({"image": IMAGES, "label": LABELS}, shuffle=shuffle, **kwargs)


def augmented(shuffle=True, workers=2, **kwargs):
    # Native random transforms: each row's draw comes from its seed, so a resumed row must
    # get the very crop and flip it would have got.
    return images(shuffle, **kwargs).map([vision.RandomCrop(8), vision.RandomHorizontalFlip()],
                                         input_columns="image", num_parallel_workers=workers)


PIPELINES = {
    "slices+python map+batch (fused)": lambda: images().map(double, input_columns="label").batch(16),
    "slices+random crop+batch drop": lambda: augmented().batch(24, drop_remainder=True),
    "slices+random crop+batch keep": lambda: augmented().batch(24, drop_remainder=False),
    "generator class+map+batch": lambda: ds.GeneratorDataset(
        Squares(), ["x", "label"], num_parallel_workers=2).map(double, input_columns="x").batch(7),
    "generator class on threads+map+batch (fused)": lambda: ds.GeneratorDataset(
        Squares(), ["x", "label"], num_parallel_workers=2, python_multiprocessing=False).map(
        double, input_columns="x").batch(7),
    "generator in processes": lambda: ds.GeneratorDataset(
        Squares(), ["x", "label"], num_parallel_workers=2, python_multiprocessing=True).batch(10),
    "map in processes": lambda: images().map(double, input_columns="label", num_parallel_workers=2,
                                             python_multiprocessing=True),
    "repeat under batch": lambda: augmented().repeat(3).batch(32, drop_remainder=True),
    "batch under repeat": lambda: augmented().batch(32).repeat(2),
    "take and skip": lambda: augmented().skip(30).take(120),
    "zip": lambda: augmented().zip(images(shuffle=False).rename(["image", "label"], ["plain", "index"])),
    "concat": lambda: augmented().take(50) + images(shuffle=False).take(70) + augmented(),
    "shard 1 of 3": lambda: augmented(num_shards=3, shard_id=1).batch(5),
    "project": lambda: augmented().project(["label"]),
    "endless repeat under take": lambda: augmented().repeat().take(450),
}


def take_rows(iterator, count):
    return [[np.array(column) for column in row] for _, row in zip(range(count), iterator)]


def epochs_of(iterator, count):
    return [take_rows(iterator, 10**9) for _ in range(count)]


def assert_same_rows(got, expected, where):
    assert len(got) == len(expected), f"{where}: {len(got)} rows, expected {len(expected)}"
    for index, (row, want) in enumerate(zip(got, expected)):
        for column, (a, b) in enumerate(zip(row, want)):
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{where}: row {index} column {column}"


def positions(size):
    """Where to stop: the first row, one past it, inside, a batch boundary, the end."""
    return sorted({0, 1, size // 3, size // 2, size - 1, size})


@pytest.mark.parametrize("name", list(PIPELINES))
def test_resumed_rows_equal_the_uninterrupted_run(name, nothing_left_behind):
    make = PIPELINES[name]
    num_epochs = 3
    uninterrupted = epochs_of(make().create_tuple_iterator(num_epochs=num_epochs), num_epochs)
    size = len(uninterrupted[0])
    assert size > 2
    if name != "endless repeat under take":  # its size is a pass's, as MindSpore reports it
        assert size == make().get_dataset_size()
    for epoch in (0, 1):
        for stop_at in positions(size):
            iterator = make().create_tuple_iterator(num_epochs=num_epochs)
            epochs_of(iterator, epoch)
            before = take_rows(iterator, stop_at)
            state = iterator.get_state()
            iterator.stop()
            assert (state["epoch"], state["rows"]) == (epoch, stop_at)
            # The state is plain values: it survives JSON and pickle.
            state = pickle.loads(pickle.dumps(json.loads(json.dumps(state))))
            resumed = make().create_tuple_iterator(num_epochs=num_epochs, state=state)
            where = f"{name}, epoch {epoch}, stopped after {stop_at}"
            assert_same_rows(before + take_rows(resumed, 10**9), uninterrupted[epoch], where)
            for later in range(epoch + 1, num_epochs):
                assert_same_rows(take_rows(resumed, 10**9), uninterrupted[later], f"{where}: epoch {later}")
            with pytest.raises(FailedPreconditionError, match="beyond the specified number of epochs"):
                next(resumed)


def test_each_epoch_of_an_endless_repeat_under_take_reads_new_orders():
    # The take stops the endless repeat early; the next epoch's repetitions are new passes.
    first, second = epochs_of(PIPELINES["endless repeat under take"]().create_tuple_iterator(num_epochs=2), 2)
    assert len(first) == len(second) == 450
    assert [int(row[1]) for row in first] != [int(row[1]) for row in second]


def test_a_dict_iterator_resumes_and_its_state_names_the_position():
    make = PIPELINES["slices+random crop+batch drop"]
    expected = list(make().create_dict_iterator(num_epochs=1))
    iterator = make().create_dict_iterator(num_epochs=1)
    first = [next(iterator) for _ in range(3)]
    state = iterator.get_state()
    iterator.stop()
    assert state["epoch"] == 0 and state["rows"] == 3 and state["seed"] == ds.config.get_seed()
    rest = list(make().create_dict_iterator(num_epochs=1, state=state))
    assert len(first + rest) == len(expected)
    for got, want in zip(first + rest, expected):
        assert got.keys() == want.keys()
        assert all(np.array_equal(got[k], want[k]) for k in got)


def test_a_job_may_resume_with_other_numbers_of_workers():
    expected = list(augmented(workers=1).batch(16).create_tuple_iterator(num_epochs=1))
    iterator = augmented(workers=1).batch(16).create_tuple_iterator(num_epochs=1)
    next(iterator)
    state = iterator.get_state()
    iterator.stop()
    rest = list(augmented(workers=3).batch(16).create_tuple_iterator(num_epochs=1, state=state))
    assert_same_rows([[np.array(c) for c in r] for r in rest],
                     [[np.array(c) for c in r] for r in expected[1:]], "3 workers after 1")


def test_the_state_keeps_the_seed_it_was_taken_with():
    make = PIPELINES["slices+random crop+batch keep"]
    old_seed = ds.config.get_seed()
    try:
        ds.config.set_seed(1234)
        expected = list(make().create_tuple_iterator(num_epochs=1))
        iterator = make().create_tuple_iterator(num_epochs=1)
        next(iterator)
        state = iterator.get_state()
        iterator.stop()
        ds.config.set_seed(99)  # the job restarts with another seed configured
        rest = list(make().create_tuple_iterator(num_epochs=1, state=state))
    finally:
        ds.config.set_seed(old_seed)
    assert_same_rows([[np.array(c) for c in r] for r in rest],
                     [[np.array(c) for c in r] for r in expected[1:]], "seed 1234")


RESUME_SCRIPT = """
import json, sys
import numpy as np
sys.path.insert(0, {test_dir!r})
from test_resume import PIPELINES
state = json.loads(sys.stdin.read())
rows = [[np.asarray(c).tolist() for c in row]
        for row in PIPELINES[{name!r}]().create_tuple_iterator(num_epochs=2, state=state)]
print(json.dumps(rows))
"""


@pytest.mark.parametrize("name", ["generator class+map+batch", "repeat under batch"])
def test_a_fresh_process_resumes_from_a_saved_state(name, tmp_path):
    make = PIPELINES[name]
    expected = [[np.asarray(c).tolist() for c in row] for row in make().create_tuple_iterator(num_epochs=2)]
    iterator = make().create_tuple_iterator(num_epochs=2)
    taken = [[np.asarray(c).tolist() for c in row] for _, row in zip(range(5), iterator)]
    state = iterator.get_state()
    iterator.stop()
    script = RESUME_SCRIPT.format(test_dir=os.path.dirname(__file__), name=name)
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(state), capture_output=True,
                          text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert taken + json.loads(done.stdout) == expected


def test_set_init_step_starts_at_a_step_counted_over_epochs():
    make = PIPELINES["slices+random crop+batch drop"]
    uninterrupted = epochs_of(make().create_tuple_iterator(num_epochs=2), 2)
    size = len(uninterrupted[0])
    dataset = make().set_init_step(size + 2)
    iterator = dataset.create_tuple_iterator(num_epochs=2)
    assert_same_rows(take_rows(iterator, 10**9), uninterrupted[1][2:], "set_init_step")
    with pytest.raises(InvalidArgumentError, match="init_step"):
        make().set_init_step(-1)


class CountingSquares(Squares):
    def __init__(self, rows):
        super().__init__(rows)
        self.read = []
        self.lock = threading.Lock()

    def __getitem__(self, i):
        with self.lock:
            self.read.append(i)
        return super().__getitem__(i)


def test_resuming_late_in_a_large_epoch_reads_and_maps_nothing_before_it():
    rows, position = 1_000_000, 900_000
    source = CountingSquares(rows)
    mapped = []

    def counted(x):
        mapped.append(1)
        return x + 1

    def make():
        # On threads, so that the reads are counted here.
        return ds.GeneratorDataset(source, ["x", "label"], shuffle=True, num_parallel_workers=2,
                                   python_multiprocessing=False).map(counted, input_columns="x")

    # What MindSpore's recovery does: replay the epoch to the position.
    started = time.perf_counter()
    replay = make().create_tuple_iterator(num_epochs=1)
    for _ in range(position):
        next(replay)
    state = replay.get_state()
    replay_first = next(replay)
    replay_seconds = time.perf_counter() - started
    replay.stop()
    source.read.clear()
    mapped.clear()

    started = time.perf_counter()
    resumed = make().create_tuple_iterator(num_epochs=1, state=state)
    first = next(resumed)
    resume_seconds = time.perf_counter() - started
    assert np.array_equal(first[0], replay_first[0]) and int(first[1]) == int(replay_first[1])
    rest = sum(1 for _ in resumed)
    assert 1 + rest == rows - position
    # The sampler's order from the position on, and nothing else, was read and mapped.
    assert len(source.read) == rows - position, "rows before the position were read"
    assert len(mapped) == rows - position, "rows before the position were mapped"
    assert sorted(set(source.read)) == sorted(source.read)
    assert resume_seconds < replay_seconds / 10, (resume_seconds, replay_seconds)


@pytest.mark.parametrize("make, names", [
    (lambda: images().shuffle(50), "ShuffleDataset"),
    (lambda: images().filter(lambda label: label % 2 == 0, input_columns="label"), "FilterDataset"),
    (lambda: ds.GeneratorDataset(lambda: iter([(np.int64(i),) for i in range(10)]), ["v"]),
     "GeneratorDataset"),
    (lambda: images().batch(4, per_batch_map=lambda images, labels, info: (images, labels),
                            input_columns=["image", "label"]), "BatchDataset"),
])
def test_what_cannot_resume_exactly_says_so_at_get_state(make, names, no_leaked_threads):
    iterator = make().create_tuple_iterator(num_epochs=1)
    next(iterator)
    with pytest.raises(FailedPreconditionError, match=f"a pipeline with {names} cannot be resumed exactly"):
        iterator.get_state()
    rows = 1 + sum(1 for _ in iterator)  # the iterator carries on as if nothing happened
    assert rows == make().get_dataset_size()


def test_a_state_of_another_pipeline_or_no_state_at_all_is_refused():
    iterator = PIPELINES["slices+random crop+batch drop"]().create_tuple_iterator(num_epochs=2)
    next(iterator)
    state = iterator.get_state()
    iterator.stop()
    with pytest.raises(InvalidArgumentError, match="state: it was taken of another pipeline"):
        augmented().batch(25, drop_remainder=True).create_tuple_iterator(num_epochs=2, state=state)
    with pytest.raises(InvalidArgumentError, match="state must be what an iterator's get_state"):
        augmented().create_tuple_iterator(state={"epoch": 0})
    with pytest.raises(InvalidArgumentError, match="past num_epochs=1"):
        PIPELINES["slices+random crop+batch drop"]().create_tuple_iterator(
            num_epochs=1, state=dict(state, epoch=2))
    with pytest.raises(InvalidArgumentError, match="state: rows must be an int"):
        PIPELINES["slices+random crop+batch drop"]().create_tuple_iterator(
            num_epochs=2, state=dict(state, rows=-3))
