"""headrace-server's cache service alone: sessions and caches through the client, the memory
cap (the server's resident set measured), spill and no-spill, concurrent clients, malformed
and oversized requests from a plain grpcio client, the token, stop and restart, the CLI."""

from __future__ import annotations

import multiprocessing
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from headrace._core import cache as _cache
from headrace.errors import InvalidArgumentError
from headrace.server import ServerProcess

from conftest import REPO_ROOT

PROTO_DIR = pathlib.Path(REPO_ROOT) / "proto"
MB = 1 << 20


def client_of(server, **options):
    return _cache.CacheClient(server.host, server.port, **options)


def rows_of(count: int, size: int, start: int = 0):
    return [(i, [np.full(size, i % 251, np.uint8), np.int64(i)]) for i in range(start, start + count)]


def resident_bytes(pid: int, field: str = "VmRSS") -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


def test_sessions_and_caches_are_listed_and_dropped():
    with ServerProcess.start(port=0) as server:
        client = client_of(server)
        first, second = client.create_session(), client.create_session()
        assert first != second and first > 0
        cache = client.open_cache(first, 77, "a pipeline", 0, False)
        again = client.open_cache(first, 77, "a pipeline", 0, False)
        assert again["cache_id"] == cache["cache_id"]  # same (session, crc): same cache
        other = client.open_cache(second, 77, "a pipeline", 0, False)
        assert other["cache_id"] != cache["cache_id"]
        assert client.write_rows(cache["cache_id"], rows_of(5, 1000)) == (5, 0)
        listing = client.list_sessions()
        sessions = {s["session_id"]: s for s in listing["sessions"]}
        assert set(sessions) == {first, second}
        (stats,) = sessions[first]["caches"]
        assert stats["rows_in_memory"] == 5 and stats["bytes_in_memory"] >= 5000
        got = client.read_rows(cache["cache_id"], [3, 9, 0])
        assert got[1] is None
        np.testing.assert_array_equal(got[0][0], np.full(1000, 3, np.uint8))
        assert int(got[2][1]) == 0
        stats = {s["session_id"]: s for s in client.list_sessions()["sessions"]}[first]["caches"][0]
        assert (stats["hits"], stats["misses"]) == (2, 1)
        client.drop_session(first)
        assert [s["session_id"] for s in client.list_sessions()["sessions"]] == [second]
        with pytest.raises(KeyError, match=str(first)):
            client.open_cache(first, 1, "gone", 0, False)


def test_the_memory_cap_is_never_exceeded_without_spilling():
    with ServerProcess.start(port=0, args=["--memory", "32M", "--no-spill"]) as server:
        client = client_of(server, use_shared_memory=False)  # the server copies every row in
        session = client.create_session()
        cache = client.open_cache(session, 1, "big rows", 0, False)["cache_id"]
        before = resident_bytes(server.pid)
        admitted = refused = 0
        for start in range(0, 100, 2):  # 100 rows of 1 MB: three times the cap
            a, r = client.write_rows(cache, rows_of(2, MB, start))
            admitted, refused = admitted + a, refused + r
        assert refused > 0 and 20 <= admitted <= 32
        # The store's pages (shared memory) stay within the cap; besides them the server
        # holds only its transport's buffers for the 2 MB requests.
        shared = resident_bytes(server.pid, "RssShmem")
        assert shared <= 32 * MB, f"{shared / MB:.1f} MB of shared memory with a 32 MB cap"
        grown = resident_bytes(server.pid) - before
        assert grown <= 32 * MB + 16 * MB, f"the server grew by {grown / MB:.0f} MB with a 32 MB cap"
        listing = client.list_sessions()
        assert listing["memory_used"] <= listing["memory_capacity"] == 32 * MB
        assert listing["sessions"][0]["caches"][0]["rows_refused"] == refused
        # The rows admitted read back whole.
        for i, row in enumerate(client.read_rows(cache, list(range(admitted)))):
            np.testing.assert_array_equal(row[0][:10], np.full(10, i % 251, np.uint8))


def test_rows_over_the_cap_spill_to_disk_and_read_back(tmp_path):
    spill = tmp_path / "spill"
    with ServerProcess.start(port=0, args=["--memory", "16M", "--spill-dir", str(spill)]) as server:
        client = client_of(server)
        session = client.create_session()
        cache = client.open_cache(session, 2, "spilled", 0, True)["cache_id"]
        for start in range(0, 40, 8):
            assert client.write_rows(cache, rows_of(8, MB, start)) == (8, 0)
        stats = client.list_sessions()["sessions"][0]["caches"][0]
        assert stats["rows_on_disk"] > 0 and stats["rows_in_memory"] + stats["rows_on_disk"] == 40
        assert any(spill.rglob("*"))
        for i, row in enumerate(client.read_rows(cache, list(range(40)))):
            assert row[0].shape == (MB,) and row[0][0] == i % 251 and row[0][-1] == i % 251
        client.drop_session(session)
        assert not [p for p in spill.rglob("*") if p.is_file()]  # its spill files went with it


def _write_in_process(port: int, cache_id: int, start: int, queue) -> None:
    client = _cache.CacheClient("127.0.0.1", port)
    queue.put(client.write_rows(cache_id, rows_of(50, 4096, start)))


def test_clients_in_several_processes_write_and_read_at_once():
    with ServerProcess.start(port=0) as server:
        client = client_of(server)
        session = client.create_session()
        cache = client.open_cache(session, 3, "shared", 0, False)["cache_id"]
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        processes = [context.Process(target=_write_in_process, args=(server.port, cache, 50 * k, queue))
                     for k in range(4)]
        for p in processes:
            p.start()
        results = [queue.get(timeout=60) for _ in processes]
        for p in processes:
            p.join(60)
            assert p.exitcode == 0
        assert results == [(50, 0)] * 4
        rows = client.read_rows(cache, list(range(200)))
        assert [int(r[1]) for r in rows] == list(range(200))


@pytest.fixture
def stubs(tmp_path):
    """The cache service's Python stubs, generated from the proto for a plain grpcio client
    (as top-level modules, so that they do not shadow the headrace package)."""
    grpc_tools = pytest.importorskip("grpc_tools.protoc")
    out = tmp_path / "stubs"
    out.mkdir()
    proto = PROTO_DIR / "headrace" / "v1"
    assert grpc_tools.main(["protoc", f"-I{proto}", f"--python_out={out}", f"--grpc_python_out={out}",
                            str(proto / "cache.proto")]) == 0
    sys.path.insert(0, str(out))
    try:
        import cache_pb2
        import cache_pb2_grpc
        yield cache_pb2, cache_pb2_grpc
    finally:
        sys.path.remove(str(out))
        sys.modules.pop("cache_pb2", None)
        sys.modules.pop("cache_pb2_grpc", None)


def test_malformed_and_oversized_requests_get_errors_and_the_server_keeps_serving(stubs):
    import grpc

    cache_pb2, cache_pb2_grpc = stubs
    with ServerProcess.start(port=0) as server:
        channel = grpc.insecure_channel(server.address, options=[("grpc.max_send_message_length", -1)])
        stub = cache_pb2_grpc.CacheStub(channel)
        with pytest.raises(grpc.RpcError) as error:
            stub.OpenCache(cache_pb2.OpenCacheRequest(session_id=424242, crc=1), timeout=10)
        assert error.value.code() == grpc.StatusCode.NOT_FOUND and "424242" in error.value.details()
        session = stub.CreateSession(cache_pb2.CreateSessionRequest(), timeout=10).session_id
        cache_id = stub.OpenCache(cache_pb2.OpenCacheRequest(session_id=session, crc=1), timeout=10).cache_id
        bogus = cache_pb2.Row(row_id=1, in_shared_memory=True, offset=123456789, size=64)
        with pytest.raises(grpc.RpcError) as error:
            stub.WriteRows(cache_pb2.WriteRowsRequest(cache_id=cache_id, rows=[bogus]), timeout=10)
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "offset" in error.value.details()
        with pytest.raises(grpc.RpcError) as error:
            stub.ReadRows(cache_pb2.ReadRowsRequest(cache_id=999999, row_ids=[1]), timeout=10)
        assert error.value.code() == grpc.StatusCode.NOT_FOUND
        huge = cache_pb2.Row(row_id=2, data=b"\0" * (300 * MB))
        with pytest.raises(grpc.RpcError) as error:
            stub.WriteRows(cache_pb2.WriteRowsRequest(cache_id=cache_id, rows=[huge]), timeout=60)
        assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # Still serving, for this client and others.
        assert stub.Lookup(cache_pb2.LookupRequest(cache_id=cache_id, row_ids=[1, 2]), timeout=10).cached == [False, False]
        assert client_of(server).create_session() > 0
        channel.close()


def test_a_token_is_required_when_set_and_off_loopback(stubs):
    import grpc

    cache_pb2, cache_pb2_grpc = stubs
    with ServerProcess.start(port=0, args=["--token", "s3cret"]) as server:
        with grpc.insecure_channel(server.address) as channel:
            with pytest.raises(grpc.RpcError) as error:
                cache_pb2_grpc.CacheStub(channel).CreateSession(cache_pb2.CreateSessionRequest(), timeout=10)
            assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
            with pytest.raises(grpc.RpcError) as error:
                cache_pb2_grpc.CacheStub(channel).CreateSession(
                    cache_pb2.CreateSessionRequest(), timeout=10, metadata=[("headrace-token", "wrong")])
            assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert client_of(server, token="s3cret").create_session() > 0
    with pytest.raises(RuntimeError, match="token"):
        ServerProcess.start(host="0.0.0.0", port=0)


def test_a_stopped_server_restarts_on_its_port_empty():
    server = ServerProcess.start(port=0)
    port = server.port
    client = client_of(server)
    client.create_session()
    assert server.stop() == 0
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{port}"):
        _cache.CacheClient("127.0.0.1", port)
    with ServerProcess.start(port=port) as again:
        assert client_of(again).list_sessions()["sessions"] == []


def run_cli(*args: str, port: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "headrace", *args, "--port", str(port)],
                          capture_output=True, text=True, timeout=60)


def test_the_cli_makes_lists_and_drops_sessions_and_reports_status():
    with ServerProcess.start(port=0) as server:
        made = run_cli("session", "new", port=server.port)
        assert made.returncode == 0, made.stderr
        session = int(made.stdout.strip().rsplit(" ", 1)[1])
        client = client_of(server)
        cache = client.open_cache(session, 5, "cli cache", 0, False)["cache_id"]
        client.write_rows(cache, rows_of(3, 100))
        listed = run_cli("session", "list", port=server.port)
        assert f"{session}: 1 caches, 3 rows" in listed.stdout
        shown = run_cli("cache", "status", port=server.port)
        assert shown.returncode == 0 and "cli cache" in shown.stdout and str(session) in shown.stdout
        assert run_cli("session", "drop", str(session), port=server.port).returncode == 0
        assert "no sessions" in run_cli("session", "list", port=server.port).stdout
        missing = run_cli("session", "drop", "77", port=server.port)
        assert missing.returncode == 1 and "77" in missing.stderr


def test_the_cli_passes_the_token():
    with ServerProcess.start(port=0, args=["--token", "s3cret"]) as server:
        refused = run_cli("session", "new", port=server.port)
        assert refused.returncode == 1 and "token" in refused.stderr
        assert run_cli("session", "new", "--token", "s3cret", port=server.port).returncode == 0
        shown = run_cli("cache", "status", "--token", "s3cret", port=server.port)
        assert shown.returncode == 0, shown.stderr


def test_the_cli_starts_and_stops_a_daemon():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = run_cli("cache", "start", port=port)
    assert started.returncode == 0, started.stderr
    pid = int(started.stdout.split("pid ")[1].split(")")[0])
    try:
        assert "headrace-server" in run_cli("cache", "status", port=port).stdout
    finally:
        assert run_cli("cache", "stop", port=port).returncode == 0
    for _ in range(100):
        if not os.path.exists(f"/proc/{pid}") or "zombie" in pathlib.Path(f"/proc/{pid}/status").read_text():
            break
        import time
        time.sleep(0.05)
    else:
        raise AssertionError(f"headrace-server {pid} still runs after cache stop")
    absent = run_cli("cache", "status", port=port)
    assert absent.returncode == 1 and f"127.0.0.1:{port}" in absent.stderr


def test_bad_cache_arguments_name_the_argument():
    import headrace.dataset as ds

    with pytest.raises(InvalidArgumentError, match="session_id"):
        ds.DatasetCache(session_id=0)
    with pytest.raises(InvalidArgumentError, match="size"):
        ds.DatasetCache(session_id=1, size=-1)
    with pytest.raises(InvalidArgumentError, match="port"):
        ds.DatasetCache(session_id=1, port=70000)
