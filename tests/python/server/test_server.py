"""headrace-server as installed: the binary, ServerProcess, and the status/stop RPCs.

Every server here binds 127.0.0.1 on a port the system picks, and every test stops what
it started (fixtures and finally blocks), by pid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from typing import Iterator

import pytest

import headrace
import headrace.errors
import headrace.server
from conftest import process_gone, wait_until
from headrace.server import ServerProcess

# A stop (signal or RPC) must end the process with code 0 within this many seconds.
STOP_LIMIT_SECONDS = 1.0


@pytest.fixture
def server() -> Iterator[ServerProcess]:
    process = ServerProcess.start(host="127.0.0.1", port=0)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on: bound but not listening, so connecting is
    refused and no other process can take the port during the test."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_binary_is_installed_in_the_environment_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEADRACE_SERVER_BINARY", raising=False)
    binary = headrace.server.server_binary()
    assert os.path.dirname(binary) == sysconfig.get_path("scripts")
    assert os.access(binary, os.X_OK)


def test_binary_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    installed = headrace.server.server_binary()
    monkeypatch.setenv("HEADRACE_SERVER_BINARY", installed)
    assert headrace.server.server_binary() == installed
    missing = str(tmp_path / "no-such-server")
    monkeypatch.setenv("HEADRACE_SERVER_BINARY", missing)
    with pytest.raises(FileNotFoundError, match="HEADRACE_SERVER_BINARY='.*no-such-server' is not an executable file"):
        headrace.server.server_binary()


def test_help_prints_usage_and_exits_0() -> None:
    result = subprocess.run(
        [headrace.server.server_binary(), "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: headrace-server")
    for flag in ("--host", "--port", "--help", "default: 127.0.0.1", "default: 50052"):
        assert flag in result.stdout


def test_prints_exactly_the_listening_line_with_the_bound_port() -> None:
    process = subprocess.Popen(
        [headrace.server.server_binary(), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        prefix = "headrace-server listening on 127.0.0.1:"
        assert line.startswith(prefix) and line.endswith("\n"), line
        port = int(line[len(prefix) :])
        assert 0 < port < 65536
        assert headrace.server.status(f"127.0.0.1:{port}")["port"] == port
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == ""  # Nothing after the one line.


def test_start_on_port_zero_reports_the_port(server: ServerProcess) -> None:
    assert server.host == "127.0.0.1"
    assert server.port > 0
    assert server.address == f"127.0.0.1:{server.port}"
    assert server.returncode is None


def test_status_over_rpc(server: ServerProcess) -> None:
    before = time.time()
    info = headrace.server.status(server.address)
    assert info["version"] == headrace.__version__
    assert info["pid"] == server.pid
    assert info["host"] == "127.0.0.1"
    assert info["port"] == server.port
    assert isinstance(info["uptime_seconds"], float) and info["uptime_seconds"] >= 0.0
    assert info["started_unix_seconds"] <= before
    assert before - info["started_unix_seconds"] < 60.0
    assert set(info) == {
        "version",
        "pid",
        "host",
        "port",
        "uptime_seconds",
        "started_unix_seconds",
    }
    assert server.status()["pid"] == server.pid


def test_server_client_direct(server: ServerProcess) -> None:
    client = headrace._core.ServerClient(server.address)
    assert client.status(timeout=2.0)["pid"] == server.pid
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        client.status(timeout=0)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_cleanly_within_a_second(server: ServerProcess, signum: int) -> None:
    headrace.server.status(server.address)  # Serving, with a connection open.
    start = time.monotonic()
    os.kill(server.pid, signum)
    code = server.wait(timeout=10)
    elapsed = time.monotonic() - start
    assert code == 0, server.stderr_text()
    assert elapsed < STOP_LIMIT_SECONDS


def test_stop_rpc_stops_cleanly(server: ServerProcess) -> None:
    start = time.monotonic()
    headrace.server.stop(server.address)  # Returns: the reply came before the shutdown.
    code = server.wait(timeout=10)
    assert code == 0, server.stderr_text()
    assert time.monotonic() - start < STOP_LIMIT_SECONDS


def test_server_process_stop_returns_exit_code() -> None:
    with ServerProcess.start() as process:
        assert process.stop(timeout=5.0) == 0
        assert process.stop() == 0  # Idempotent.
    assert process.returncode == 0


def test_context_manager_stops_even_on_error() -> None:
    with pytest.raises(KeyError):
        with ServerProcess.start() as process:
            raise KeyError("boom")
    assert process.returncode == 0


@pytest.mark.parametrize(
    "args, named",
    [
        (["--no-such-flag"], "--no-such-flag"),
        (["--port", "abc"], "--port must be an integer in [0, 65535], got 'abc'"),
        (["--port"], "--port needs a value"),
    ],
)
def test_bad_flag_exits_2_naming_the_flag(args: list, named: str) -> None:
    result = subprocess.run(
        [headrace.server.server_binary(), *args], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert named in result.stderr
    assert result.stdout == ""


def test_server_process_start_reports_a_bad_flag() -> None:
    with pytest.raises(RuntimeError, match=r"exited with code 2 .*unknown flag '--bogus'"):
        ServerProcess.start(args=["--bogus"])


def test_busy_port_exits_1_naming_host_and_port(server: ServerProcess) -> None:
    result = subprocess.run(
        [headrace.server.server_binary(), "--host", "127.0.0.1", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert f"cannot listen on {server.address}" in result.stderr
    assert headrace.server.status(server.address)["pid"] == server.pid  # Still serving.


def test_status_without_server_is_unavailable(closed_port: int) -> None:
    address = f"127.0.0.1:{closed_port}"
    with pytest.raises(headrace.errors.UnavailableError) as caught:
        headrace.server.status(address, timeout=5.0)
    assert isinstance(caught.value, ConnectionError)
    assert isinstance(caught.value, headrace.errors.HeadraceError)
    message = str(caught.value)
    assert address in message
    assert f"headrace-server --port {closed_port}" in message

    with pytest.raises(ConnectionError, match=address):
        headrace.server.stop(address, timeout=5.0)


def test_server_stops_when_its_launcher_is_killed() -> None:
    launcher = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from headrace.server import ServerProcess\n"
         "server = ServerProcess.start()\n"
         "print(server.pid, flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE,
    )
    server_pid = 0
    try:
        assert launcher.stdout is not None
        server_pid = int(launcher.stdout.readline())
        assert not process_gone(server_pid)
        launcher.send_signal(signal.SIGKILL)
        launcher.wait(5)
        assert wait_until(lambda: process_gone(server_pid), 5), \
            "the server outlived the process that started it"
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
        if launcher.stdout is not None:
            launcher.stdout.close()
        if server_pid and not process_gone(server_pid):
            os.kill(server_pid, signal.SIGKILL)


@pytest.mark.parametrize(
    "kwargs,named",
    [({"port": -1}, "port"), ({"port": 70000}, "port"), ({"host": ""}, "host")],
)
def test_server_process_start_validates_its_arguments(kwargs: dict, named: str) -> None:
    with pytest.raises(headrace.errors.InvalidArgumentError, match=named):
        ServerProcess.start(**kwargs)
