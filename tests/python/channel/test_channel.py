"""headrace.channel: DataSender and DataReceiver in separate processes through a local
headrace-server: objects of every kind, sharding, full_batch, backpressure, end of stream,
timeouts, a killed sender, a killed receiver, nothing left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import numpy as np
import pytest

from headrace.channel import DataReceiver, DataSender, split_evenly
from headrace.errors import InvalidArgumentError
from headrace.server import ServerProcess

from conftest import in_shared_memory, wait_until

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def server():
    with ServerProcess.start(port=0) as process:
        yield process


def objects():
    pandas = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    return [
        rng.random((5, 300, 100), dtype=np.float32),                     # an array, out of band
        [1, "two", (3.0, None)],                                         # a list
        {"image": rng.integers(0, 255, (4, 128, 128, 3), dtype=np.uint8),  # a dict of arrays
         "label": np.arange(4)},
        pandas.DataFrame({"a": np.arange(7), "b": list("abcdefg")}),       # a DataFrame
    ]


def _send(address, items, options, ready=None):
    sender = DataSender(address=address, **options)
    if ready is not None:
        ready.set()
    for item in items:
        sender.send(item)
    sender.close()


def _receive(address, shard_id, queue, options):
    receiver = DataReceiver(address=address, shard_id=shard_id, **options)
    queue.put([item for item in receiver])


def assert_same(a, b):
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif type(a).__name__ == "DataFrame":
        assert a.equals(b)
    else:
        assert a == b


def test_objects_of_every_kind_cross_from_a_sender_process_to_a_receiver_process(server, nothing_left_behind):
    items = objects()
    sender = SPAWN.Process(target=_send, args=(server.address, items, {"dataset_name": "kinds"}))
    sender.start()
    receiver = DataReceiver(address=server.address, dataset_name="kinds")
    got = list(receiver)
    sender.join(30)
    assert sender.exitcode == 0
    assert len(got) == len(items)
    for a, b in zip(items, got):
        assert_same(a, b)
    # The large arrays were not copied on the way in: they view the server's store.
    assert in_shared_memory(got[0]) and in_shared_memory(got[2]["image"])
    assert not got[0].flags.writeable
    del got, receiver, a, b  # the views and the client go: nothing of the server stays mapped


def test_shards_split_evenly_and_each_receiver_gets_its_part_in_order(server):
    pandas = pytest.importorskip("pandas")
    items = [np.arange(10) + 100 * i for i in range(3)] + [list(range(7)),
                                                           pandas.DataFrame({"a": np.arange(5)})]
    queue = SPAWN.Queue()
    options = {"dataset_name": "sharded"}
    receivers = [SPAWN.Process(target=_receive, args=(server.address, i, queue, options)) for i in range(3)]
    for r in receivers:
        r.start()
    _send(server.address, items, {"dataset_name": "sharded", "num_shards": 3})
    results = [queue.get(timeout=60) for _ in receivers]
    for r in receivers:
        r.join(30)
    by_first = sorted(results, key=lambda parts: int(parts[0][0]))
    for shard, parts in enumerate(by_first):
        for item, part in zip(items, parts):
            assert_same(split_evenly(item, 3)[shard], part)
    # 10 rows in 3 shards: 4, 3, 3; 7 in 3: 3, 2, 2 (the first shards one longer).
    assert [len(parts[0]) for parts in by_first] == [4, 3, 3]
    assert [len(parts[3]) for parts in by_first] == [3, 2, 2]
    assert [parts[4]["a"].tolist() for parts in by_first] == [[0, 1], [2, 3], [4]]


def test_full_batch_gives_every_receiver_the_whole_object(server):
    items = [np.arange(5), {"x": 1}]
    sender = DataSender(address=server.address, dataset_name="whole", num_shards=2, full_batch=True)
    receivers = [DataReceiver(address=server.address, dataset_name="whole", shard_id=i) for i in range(2)]
    from headrace._core import cache as _cache

    store = _cache.CacheClient(server.host, server.port)
    # What the clients hold before any object: their call lanes.
    used_before = store.list_sessions()["memory_used"]
    for item in items:
        sender.send(item)
    sender.close()
    for receiver in receivers:
        got = list(receiver)
        assert len(got) == 2
        assert_same(items[0], got[0]) and got[1] == {"x": 1}
    assert sender.num_shards == 2 and sender.full_batch and receivers[1].num_shards == 2
    del got
    # Every receiver has let go of the objects: the server's store is back where it was.
    assert store.list_sessions()["memory_used"] == used_before


def test_send_waits_while_the_queue_is_full_and_wakes_at_the_next_recv(server):
    sender = DataSender(address=server.address, dataset_name="bounded", max_queue_size=2)
    receiver = DataReceiver(address=server.address, dataset_name="bounded")
    sender.send(0)
    sender.send(1)
    done = threading.Event()
    sent_at = []

    def third():
        sender.send(2)
        sent_at.append(time.monotonic())
        done.set()

    threading.Thread(target=third).start()
    assert not done.wait(0.5), "send did not wait for room"
    received_at = time.monotonic()
    assert receiver.recv(timeout=5) == 0
    assert done.wait(5)
    assert sent_at[0] - received_at < 0.2, "send was not woken by the recv that made room"
    assert [receiver.recv(timeout=5), receiver.recv(timeout=5)] == [1, 2]
    sender.close()


def test_end_of_stream_timeouts_and_peek(server):
    sender = DataSender(address=server.address, dataset_name="ends")
    receiver = DataReceiver(address=server.address, dataset_name="ends")
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="within 0.3 s"):
        receiver.recv(timeout=0.3)
    assert 0.25 < time.monotonic() - started < 2
    sender.send("a")
    assert receiver.peek(timeout=5) == "a"
    assert receiver.recv(timeout=5) == "a"
    sender.close()
    with pytest.raises(EOFError):
        receiver.recv(timeout=5)
    assert list(receiver) == []


def test_a_receiver_waits_for_a_channel_up_to_its_timeout(server):
    receiver = DataReceiver(address=server.address, dataset_name="later")
    threading.Timer(0.3, lambda: DataSender(address=server.address, dataset_name="later").send("hi")).start()
    assert receiver.recv(timeout=10) == "hi"
    nobody = DataReceiver(address=server.address, dataset_name="never")
    started = time.monotonic()
    with pytest.raises(KeyError, match="never"):
        nobody.recv(timeout=0.5)
    assert time.monotonic() - started < 3


def test_the_clients_timeouts_are_checked_alike(server):
    # bindings/python_timeout.cc: a connect timeout and a wait both raise
    # InvalidArgumentError (a ValueError) naming the value.
    from headrace._core import channel as _channel

    with pytest.raises(InvalidArgumentError, match=r"^timeout must be a positive number of seconds, got 0.0$"):
        _channel.ChannelClient(server.host, server.port, connect_timeout=0.0)
    client = _channel.ChannelClient(server.host, server.port)
    sender = DataSender(address=server.address, dataset_name="waits")
    wait_error = r"^timeout must be None or a non-negative number of seconds, got {}$"
    with pytest.raises(InvalidArgumentError, match=wait_error.format("-2.0")):
        client.describe("default", "waits", -2.0)
    channel_id = client.describe("default", "waits", 0.0)["channel_id"]
    with pytest.raises(InvalidArgumentError, match=wait_error.format("inf")):
        client.get(channel_id, 0, float("inf"))
    # The receiver waits in slices: a timeout that no slice can use up is refused first,
    # and an infinite one waits as None does.
    receiver = DataReceiver(address=server.address, dataset_name="waits")
    for timeout in (float("nan"), -1):
        for wait in (receiver.recv, receiver.peek):
            with pytest.raises(InvalidArgumentError, match=wait_error.format(timeout)):
                wait(timeout=timeout)
    sender.send(np.arange(3))
    np.testing.assert_array_equal(receiver.peek(timeout=float("inf")), np.arange(3))
    np.testing.assert_array_equal(receiver.recv(timeout=float("inf")), np.arange(3))
    sender.close()


def test_bad_arguments_and_a_second_sender_are_refused(server):
    first = DataSender(address=server.address, dataset_name="taken", num_shards=2)  # noqa: F841 (alive)
    with pytest.raises(FileExistsError, match="taken"):
        DataSender(address=server.address, dataset_name="taken")
    with pytest.raises(InvalidArgumentError, match="shard_id 2 is out of range"):
        DataReceiver(address=server.address, dataset_name="taken", shard_id=2)
    with pytest.raises(InvalidArgumentError, match="num_shards"):
        DataSender(address=server.address, num_shards=0)
    with pytest.raises(InvalidArgumentError, match="address"):
        DataSender(address="nowhere")
    sender = DataSender(address=server.address, dataset_name="split", num_shards=2)
    with pytest.raises(InvalidArgumentError, match="full_batch=True"):
        sender.send({"not": "splittable"})


def _send_forever(address, ready):
    sender = DataSender(address=address, dataset_name="dies")
    sender.send("first")
    ready.set()
    time.sleep(60)


def test_a_killed_sender_leaves_its_receivers_an_error_not_a_hang(server):
    ready = SPAWN.Event()
    process = SPAWN.Process(target=_send_forever, args=(server.address, ready))
    process.start()
    assert ready.wait(30)
    receiver = DataReceiver(address=server.address, dataset_name="dies")
    assert receiver.recv(timeout=5) == "first"
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="sender") as error:
        receiver.recv(timeout=20)
    assert not isinstance(error.value, TimeoutError)
    assert time.monotonic() - started < 5


def _receive_nothing(address, ready):
    receiver = DataReceiver(address=address, dataset_name="orphans")  # noqa: F841 (connected)
    ready.set()
    time.sleep(60)


def test_objects_a_killed_receiver_left_are_freed_when_the_channel_is_dropped(server):
    from headrace._core import cache as _cache
    from headrace._core import channel as _channel

    store = _cache.CacheClient(server.host, server.port)
    sender = DataSender(address=server.address, dataset_name="orphans", max_queue_size=20)
    used_before = store.list_sessions()["memory_used"]  # the sender's call lane
    ready = SPAWN.Event()
    receiver = SPAWN.Process(target=_receive_nothing, args=(server.address, ready))
    receiver.start()
    assert ready.wait(30)
    for _ in range(5):
        sender.send(np.ones(1 << 20, np.uint8))  # 1 MB each, never read
    os.kill(receiver.pid, signal.SIGKILL)
    receiver.join(10)
    sender.close()
    assert store.list_sessions()["memory_used"] >= used_before + 5 * (1 << 20)
    _channel.ChannelClient(server.host, server.port).drop("default", "orphans")
    # The killed receiver's lane and the dropping client's go when the server sees them go.
    assert wait_until(lambda: store.list_sessions()["memory_used"] == used_before, 5)


def _receive_one(address, name, ready, got):
    receiver = DataReceiver(address=address, dataset_name=name)
    ready.set()
    got.put(int(receiver.recv(timeout=60)[0]))


def test_a_receiver_killed_while_it_waits_takes_no_object_with_it(server):
    # A local receiver waits in its call lane; killed there, its wait must end with it,
    # or the next object would be handed to a dead process.
    sender = DataSender(address=server.address, dataset_name="waiting")
    ready, got = SPAWN.Event(), SPAWN.Queue()
    receiver = SPAWN.Process(target=_receive_one, args=(server.address, "waiting", ready, got))
    receiver.start()
    assert ready.wait(30)
    time.sleep(0.3)  # inside recv, waiting
    os.kill(receiver.pid, signal.SIGKILL)
    receiver.join(10)
    time.sleep(0.3)  # the server sees the lane's call end
    for i in range(3):
        sender.send(np.full(1 << 16, i))
    second = DataReceiver(address=server.address, dataset_name="waiting")
    assert [int(second.recv(timeout=10)[0]) for _ in range(3)] == [0, 1, 2]
    sender.close()


def test_a_wait_in_the_lane_ends_when_the_server_is_killed():
    with ServerProcess.start(port=0) as process:
        sender = DataSender(address=process.address, dataset_name="orphaned")
        receiver = DataReceiver(address=process.address, dataset_name="orphaned")
        outcome = []

        def wait():
            try:
                receiver.recv(timeout=30)
            except Exception as error:  # noqa: BLE001 (the error is the point)
                outcome.append(error)

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGKILL)
        started = time.monotonic()
        waiter.join(10)
        assert not waiter.is_alive()
        assert time.monotonic() - started < 3
        assert len(outcome) == 1 and "not answering" in str(outcome[0]), outcome
        del sender, receiver


def test_split_evenly_matches_array_split_for_lists_too():
    assert split_evenly(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]
    assert [len(p) for p in split_evenly(np.zeros((10, 2)), 4)] == [3, 3, 2, 2]
    assert split_evenly([], 2) == [[], []]


REMOTE_RECEIVER = """
import sys
from headrace.channel import DataReceiver
from conftest import in_shared_memory
receiver = DataReceiver(address=sys.argv[1], dataset_name="remote", token=sys.argv[2] or None)
got = list(receiver)
assert [int(a[0]) for a in got] == list(range(5)), got
assert all(a.shape == (1 << 18,) for a in got)
assert not any(in_shared_memory(a) for a in got)  # over TCP, not through the store
print("received", len(got))
"""


@pytest.fixture
def second_host():
    """A network namespace joined to this one by a veth pair: another host with address
    10.231.<n>.2, reaching this machine at 10.231.<n>.1. Its processes also get their own
    pid namespace, so they cannot open the server's memory through /proc either."""
    import shutil
    import subprocess

    if shutil.which("ip") is None or shutil.which("unshare") is None:
        pytest.skip("needs iproute2's ip and util-linux's unshare to make a second host")
    n = os.getpid() % 200 + 20
    name, host_end, ns_end = f"hr{os.getpid()}", f"hrh{os.getpid()}"[:15], f"hrn{os.getpid()}"[:15]

    def run(*command: str) -> None:
        subprocess.run(command, check=True, capture_output=True)

    try:
        run("ip", "netns", "add", name)
    except (subprocess.CalledProcessError, PermissionError) as error:
        pytest.skip(f"this machine does not allow network namespaces: {error}")
    try:
        run("ip", "link", "add", host_end, "type", "veth", "peer", "name", ns_end)
        run("ip", "link", "set", ns_end, "netns", name)
        run("ip", "addr", "add", f"10.231.{n}.1/30", "dev", host_end)
        run("ip", "link", "set", host_end, "up")
        run("ip", "netns", "exec", name, "ip", "addr", "add", f"10.231.{n}.2/30", "dev", ns_end)
        run("ip", "netns", "exec", name, "ip", "link", "set", ns_end, "up")
        run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name, f"10.231.{n}.1"
    finally:
        subprocess.run(["ip", "link", "del", host_end], capture_output=True)
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_a_receiver_on_another_host_gets_every_object_over_tcp_with_the_token(second_host):
    import subprocess
    import sys

    namespace, address = second_host
    with ServerProcess.start(host=address, port=0, args=["--token", "t0ken"]) as server:
        sender = DataSender(address=server.address, dataset_name="remote", token="t0ken", max_queue_size=10)
        for i in range(5):
            sender.send(np.full(1 << 18, i, np.float32))
        sender.close()
        tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where conftest is
        # The receiver imports conftest, and headrace from where this process does.
        path = os.pathsep.join(p for p in [tests, os.environ.get("PYTHONPATH", "")] if p)

        def receive(token: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                ["ip", "netns", "exec", namespace, "unshare", "--pid", "--fork", "--mount-proc",
                 sys.executable, "-c", REMOTE_RECEIVER, server.address, token],
                capture_output=True, text=True, timeout=60, cwd=tests,
                env={**os.environ, "PYTHONPATH": path})

        refused = receive("")
        assert refused.returncode != 0 and "token" in refused.stderr, refused.stderr
        accepted = receive("t0ken")
        assert accepted.returncode == 0, accepted.stderr
        assert "received 5" in accepted.stdout


def test_get_queue_shows_what_is_not_received_yet(server):
    sender = DataSender(address=server.address, dataset_name="pending", num_shards=2)
    sender.send(np.arange(4))
    sender.send([10, 11, 12])
    receiver = DataReceiver(address=server.address, dataset_name="pending", shard_id=1)
    assert [list(a) for a in sender.get_queue(0)] == [[0, 1], [10, 11]]
    assert receiver.recv(timeout=5).tolist() == [2, 3]
    shard0, shard1 = sender.get_queue()
    assert [list(a) for a in shard0] == [[0, 1], [10, 11]] and shard1 == [[12]]
    with pytest.raises(InvalidArgumentError, match="shard_id"):
        sender.get_queue(2)
    sender.close()
