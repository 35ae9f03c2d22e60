"""The channel benchmark: one sender process, one receiver process, float32 arrays of 1 MB
(50 sends), 16 MB and 128 MB (10 sends each), through a local headrace-server; beside it in
the same run: multiprocessing.Queue, a hand-made multiprocessing.shared_memory transfer (a
ring of four blocks, the name and slot sent through a Pipe) and NumPy copying the same
bytes. MB/s is bytes over the time from the first send to the last receipt; the 1 MB
latency is the median one-way time of a send (the sender's clock travels in the message;
time.monotonic is the same clock in both processes). Each way is run once to warm up (a
shared-memory block is slow the first time a process touches its pages), then three times,
in alternation with the others; the figures are the medians.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from multiprocessing import shared_memory
from typing import Dict, List

import numpy as np

from harness import Figure

NAME = "channel"
SIZES = [(1, 50), (16, 10), (128, 10)]  # MB, sends
SPAWN = multiprocessing.get_context("spawn")


def _headrace_receive(address: str, dataset: str, count: int, results) -> None:
    from headrace.channel import DataReceiver

    receiver = DataReceiver(address=address, dataset_name=dataset)
    latencies = []
    for _ in range(count):
        sent_at, array = receiver.recv(timeout=60)
        latencies.append(time.monotonic() - sent_at)
        assert array.nbytes > 0
    results.put((time.monotonic(), latencies))


def headrace_run(sender, address: str, array: np.ndarray, count: int) -> Dict[str, float]:
    """`count` sends of a long-lived sender (a processing process keeps its sender) to a
    receiver process that reads them."""
    results = SPAWN.Queue()
    receiver = SPAWN.Process(target=_headrace_receive,
                             args=(address, sender.dataset_name, count, results))
    receiver.start()
    time.sleep(0.5)  # the receiver process is up and waiting
    start = time.monotonic()
    for _ in range(count):
        sender.send((time.monotonic(), array))
    end, latencies = results.get(timeout=120)
    receiver.join(30)
    return {"seconds": end - start, "latency": statistics.median(latencies)}


def _queue_receive(queue, count: int, results) -> None:
    latencies = []
    for _ in range(count):
        sent_at, array = queue.get()
        latencies.append(time.monotonic() - sent_at)
    results.put((time.monotonic(), latencies))


def queue_run(array: np.ndarray, count: int) -> Dict[str, float]:
    queue, results = SPAWN.Queue(maxsize=4), SPAWN.Queue()
    receiver = SPAWN.Process(target=_queue_receive, args=(queue, count, results))
    receiver.start()
    time.sleep(0.5)
    start = time.monotonic()
    for _ in range(count):
        queue.put((time.monotonic(), array))
    end, latencies = results.get(timeout=300)
    receiver.join(30)
    return {"seconds": end - start, "latency": statistics.median(latencies)}


def _shm_receive(connection, names: List[str], nbytes: int, count: int, results) -> None:
    blocks = [shared_memory.SharedMemory(name=name) for name in names]
    latencies = []
    for _ in range(count):
        sent_at, slot = connection.recv()
        array = np.ndarray((nbytes // 4,), np.float32, buffer=blocks[slot].buf)
        assert array.nbytes == nbytes
        latencies.append(time.monotonic() - sent_at)
        del array
        connection.send(slot)  # the slot is free again
    for block in blocks:
        block.close()
    results.put((time.monotonic(), latencies))


def shared_memory_run(array: np.ndarray, count: int) -> Dict[str, float]:
    """What a careful user writes by hand: four shared blocks, the slot number through a
    pipe, the receiver viewing the block and handing the slot back."""
    blocks = [shared_memory.SharedMemory(create=True, size=array.nbytes) for _ in range(4)]
    try:
        ours, theirs = SPAWN.Pipe()
        results = SPAWN.Queue()
        receiver = SPAWN.Process(target=_shm_receive,
                                 args=(theirs, [b.name for b in blocks], array.nbytes, count, results))
        receiver.start()
        views = [np.ndarray(array.shape, array.dtype, buffer=b.buf) for b in blocks]
        free = list(range(4))
        time.sleep(0.5)
        start = time.monotonic()
        for _ in range(count):
            if not free:
                free.append(ours.recv())
            slot = free.pop()
            np.copyto(views[slot], array)
            ours.send((time.monotonic(), slot))
        end, latencies = results.get(timeout=120)
        receiver.join(30)
        del views
        return {"seconds": end - start, "latency": statistics.median(latencies)}
    finally:
        for block in blocks:
            block.close()
            block.unlink()


def copy_seconds(array: np.ndarray, count: int) -> float:
    target = np.empty_like(array)
    np.copyto(target, array)
    start = time.monotonic()
    for _ in range(count):
        np.copyto(target, array)
    return time.monotonic() - start


def run(quick: bool = False) -> List[Figure]:
    from headrace.channel import DataSender
    from headrace.server import ServerProcess

    figures = []
    with ServerProcess.start(port=0, args=["--memory", "2G"]) as server:
        for megabytes, count in SIZES:
            if quick:
                count = max(2, count // 5)
            array = np.random.default_rng(0).random(megabytes * (1 << 18), dtype=np.float32)
            sender = DataSender(address=server.address, dataset_name=f"bench-{megabytes}", max_queue_size=4)
            ways = {"ours": lambda: headrace_run(sender, server.address, array, count),
                    "queue": lambda: queue_run(array, count),
                    "shm": lambda: shared_memory_run(array, count)}
            runs = {name: [] for name in ways}
            for round_ in range(1 if quick else 4):
                for name, way in ways.items():
                    result = way()
                    if round_ > 0 or quick:  # the first round warms up
                        runs[name].append(result)
            ours, queue, shm = ({key: statistics.median(r[key] for r in runs[name]) for key in ("seconds", "latency")}
                                for name in ("ours", "queue", "shm"))
            sender.close()
            copy = statistics.median(copy_seconds(array, count) for _ in range(3))
            total = megabytes * count
            rate = lambda seconds: total / seconds  # noqa: E731
            what = f"{megabytes} MB float32 x {count}, 2 processes"
            figures += [
                Figure(NAME, f"{what} vs mp.Queue", "MB/s", rate(ours["seconds"]), "mp.Queue",
                       rate(queue["seconds"]), higher_is_better=True),
                Figure(NAME, f"{what} vs hand-made shared memory", "MB/s", rate(ours["seconds"]),
                       "shared_memory ring", rate(shm["seconds"]), higher_is_better=True),
                Figure(NAME, f"{what} vs NumPy copy", "MB/s", rate(ours["seconds"]), "NumPy copy",
                       rate(copy), higher_is_better=True),
            ]
            if megabytes == 1:
                figures.append(Figure(NAME, "1 MB one-way latency (median) vs mp.Queue", "ms",
                                      ours["latency"] * 1e3, "mp.Queue", queue["latency"] * 1e3,
                                      higher_is_better=False))
    return figures
