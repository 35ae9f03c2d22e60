"""Start, query and stop ``headrace-server``, the headrace daemon.

Two ways to use a server:

* :class:`ServerProcess` launches the ``headrace-server`` binary installed with this
  package and owns the process: ``with ServerProcess.start() as server: ...`` stops it on
  exit. By default it binds ``127.0.0.1`` on a free port.
* :func:`status` and :func:`stop` talk to any running server by address over gRPC.

A server that cannot be reached raises :class:`headrace.errors.UnavailableError` (also a
:class:`ConnectionError`) naming the address.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import fcntl
import subprocess
import sysconfig
import tempfile
import time
from types import TracebackType
from typing import IO, Any, Dict, Optional, Sequence, Type

from headrace._address import DEFAULT_HOST as DEFAULT_HOST  # re-exported: this module's names too
from headrace._address import DEFAULT_PORT as DEFAULT_PORT
from headrace._address import default_address as default_address
from headrace._address import default_token as default_token
from headrace._address import TOKEN_VARIABLE, format_address
from headrace._core import ServerClient
from headrace.errors import InvalidArgumentError

__all__ = ["ServerProcess", "daemon_log_path", "ensure_local_server", "server_binary", "start_daemon",
           "status", "stop"]

BINARY_NAME = "headrace-server"

_LISTENING = re.compile(rb"^headrace-server listening on (?P<host>.+):(?P<port>\d+)\s*$")


def server_binary() -> str:
    """Path of the ``headrace-server`` executable.

    ``HEADRACE_SERVER_BINARY`` when set (a build of one's own, beside the installed one;
    ``scripts/dev_build.sh`` prints it); else this Python environment's scripts directory
    (where ``pip install`` puts it), then ``PATH``.

    Raises:
        FileNotFoundError: if HEADRACE_SERVER_BINARY names no executable, or none is found.
    """
    chosen = os.environ.get("HEADRACE_SERVER_BINARY")
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen
        raise FileNotFoundError(f"HEADRACE_SERVER_BINARY={chosen!r} is not an executable file")
    scripts = sysconfig.get_path("scripts")
    candidate = os.path.join(scripts, BINARY_NAME) if scripts else None
    if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(BINARY_NAME)
    if found:
        return found
    raise FileNotFoundError(
        f"{BINARY_NAME} was not found in this environment's scripts directory "
        f"({scripts}) nor on PATH; it is installed by `pip install headrace` (built with "
        "HEADRACE_BUILD_SERVER=ON)"
    )


def status(address: str, timeout: float = 5.0, token: str = "") -> Dict[str, Any]:
    """Status of the server at ``address`` ("host:port").

    Returns:
        A dict with ``version`` (str), ``pid`` (int), ``host`` (str), ``port`` (int),
        ``uptime_seconds`` (float) and ``started_unix_seconds`` (float).

    Raises:
        headrace.errors.UnavailableError: no server answers at ``address``.
        headrace.errors.DeadlineExceededError: no answer within ``timeout`` seconds.
        headrace.errors.InvalidArgumentError: ``address`` is empty or ``timeout`` is not
            positive.
    """
    return ServerClient(address, token).status(timeout)


def stop(address: str, timeout: float = 5.0, token: str = "") -> None:
    """Asks the server at ``address`` ("host:port") to stop.

    Returns once the server has acknowledged; its process exits shortly after with code 0.
    Raises the same errors as :func:`status`.
    """
    ServerClient(address, token).stop(timeout)


def daemon_log_path(port: int) -> str:
    """Where a daemon started by :func:`start_daemon` on `port` writes its log (stderr)."""
    return os.path.join(tempfile.gettempdir(), f"headrace-server-{port}.log")


def start_daemon(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, args: Sequence[str] = (),
                 timeout: float = 10.0, token: str = "") -> int:
    """Starts ``headrace-server`` as a daemon that outlives this process and returns its pid
    once it listens. What ``headrace cache start`` does; stop it with :func:`stop`.

    The daemon is not this process's child (a shell in between starts it and exits), so it
    never lingers as a zombie here; it has a session of its own and no terminal, and its
    log goes to :func:`daemon_log_path`. The token travels in its environment, not on its
    command line, which every user can read.

    Raises:
        RuntimeError: it exited before listening (e.g. the port is taken); the message has
            its log.
        TimeoutError: it did not listen within ``timeout`` seconds.
    """
    environment = dict(os.environ)
    if token:
        environment[TOKEN_VARIABLE] = token
    log_path = daemon_log_path(port)
    with open(log_path, "ab") as log:
        log_start = log.tell()
        launcher = subprocess.Popen(
            ["/bin/sh", "-c", 'exec "$0" "$@" &', server_binary(), "--host", host, "--port", str(port), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, start_new_session=True,
            env=environment)
    assert launcher.stdout is not None
    try:
        launcher.wait(timeout)  # the shell; the daemon runs on
        line = _read_line(launcher.stdout.fileno(), timeout)
    finally:
        launcher.stdout.close()
    if _LISTENING.match(line) is None:
        with open(log_path, "rb") as log:
            log.seek(log_start)
            message = log.read().decode(errors="replace").strip()
        raise RuntimeError(f"{BINARY_NAME} did not start on {format_address(host, port)}: {message}")
    return int(status(format_address(host, port), token=token)["pid"])


def _read_line(fd: int, timeout: float) -> bytes:
    """The first line written to `fd`, or what came before it closed (b"" when nothing)."""
    deadline = time.monotonic() + timeout
    output = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{BINARY_NAME} did not report listening within {timeout} s")
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            output += chunk
    return output.split(b"\n", 1)[0]


def ensure_local_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Makes sure a headrace-server answers at host:port, starting a daemon there if none
    does (what a DatasetCache without a session id needs, so that no manual step is
    needed for the common case)."""
    address = format_address(host, port)
    try:
        status(address, timeout=1.0)
        return
    except ConnectionError:
        pass
    try:
        start_daemon(host, port)
    except RuntimeError:
        # Another process may have started one at the same time: it is there now, or the
        # port is really taken by something else (then status says so).
        status(address, timeout=1.0)


class ServerProcess:
    """A ``headrace-server`` process started by this Python process.

    Create one with :meth:`start`. It is a context manager: leaving the ``with`` block
    stops the server, whatever happened inside. Only the process it started is ever
    signalled, by its pid.

    Not thread-safe: use one ServerProcess from one thread at a time.
    """

    def __init__(
        self, process: "subprocess.Popen[bytes]", stderr: IO[bytes], host: str, port: int
    ) -> None:
        """Internal: use :meth:`start`."""
        self._process = process
        self._stderr = stderr
        self._host = host
        self._port = port

    @classmethod
    def start(
        cls,
        host: str = DEFAULT_HOST,
        port: int = 0,
        args: Sequence[str] = (),
        timeout: float = 10.0,
    ) -> "ServerProcess":
        """Launches ``headrace-server --host HOST --port PORT ARGS...`` and waits until it
        listens.

        Args:
            host: interface to listen on; loopback by default.
            port: TCP port; 0 (the default) lets the server pick a free one, see
                :attr:`port`.
            args: further command-line arguments for the server.
            timeout: seconds to wait for the server's "listening on" line.

        Raises:
            FileNotFoundError: the binary is not installed (see :func:`server_binary`).
            RuntimeError: the server exited before listening; the message has its exit
                code and stderr.
            TimeoutError: it did not report listening within ``timeout``; it is killed.
            InvalidArgumentError: ``host`` is empty or ``port`` is not in [0, 65535].
        """
        if not isinstance(host, str) or not host:
            raise InvalidArgumentError(f"host must be a non-empty string, got {host!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise InvalidArgumentError(f"port must be an integer in [0, 65535], got {port!r}")
        # The server stops when its stdin closes: if this process dies, even by SIGKILL,
        # the kernel closes the pipe and the server goes with it.
        command = [server_binary(), "--host", host, "--port", str(port),
                   "--stop-on-stdin-close", *args]
        # stderr goes to a file, not a pipe: nobody reads it while the server runs, and a
        # full pipe would block the server.
        stderr = tempfile.TemporaryFile(prefix="headrace-server-", suffix=".stderr")
        # The server shares this file's offset; O_APPEND keeps its writes at the end
        # while stderr_text() seeks around to read.
        flags = fcntl.fcntl(stderr.fileno(), fcntl.F_GETFL)
        fcntl.fcntl(stderr.fileno(), fcntl.F_SETFL, flags | os.O_APPEND)
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
            )
        except BaseException:
            stderr.close()
            raise
        try:
            bound_host, bound_port = cls._wait_until_listening(process, stderr, timeout)
        except BaseException:
            # Never leave a half-started server behind, whatever went wrong.
            if process.poll() is None:
                process.kill()
                process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
            stderr.close()
            raise
        return cls(process, stderr, bound_host, bound_port)

    @staticmethod
    def _wait_until_listening(
        process: "subprocess.Popen[bytes]", stderr: IO[bytes], timeout: float
    ) -> "tuple[str, int]":
        assert process.stdout is not None
        fd = process.stdout.fileno()
        deadline = time.monotonic() + timeout
        output = b""
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in output:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{BINARY_NAME} (pid {process.pid}) did not report listening within "
                        f"{timeout} s; stdout so far: {output!r}"
                    )
                if not selector.select(remaining):
                    continue
                chunk = os.read(fd, 4096)
                if not chunk:  # stdout closed: the process is exiting.
                    code = process.wait()
                    stderr.seek(0)
                    message = stderr.read().decode(errors="replace").strip()
                    raise RuntimeError(
                        f"{BINARY_NAME} exited with code {code} before listening: {message}"
                    )
                output += chunk
        line = output.split(b"\n", 1)[0]
        match = _LISTENING.match(line)
        if match is None:
            raise RuntimeError(f"unexpected first line from {BINARY_NAME}: {line!r}")
        host = match.group("host").decode()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host, int(match.group("port"))

    @property
    def host(self) -> str:
        """The host the server listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The port the server is bound to (the chosen one when started with port 0)."""
        return self._port

    @property
    def address(self) -> str:
        """``"host:port"``, what clients connect to."""
        return format_address(self._host, self._port)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self._process.pid

    @property
    def returncode(self) -> Optional[int]:
        """The exit code once the process has ended, else None."""
        return self._process.poll()

    def wait(self, timeout: Optional[float] = None) -> int:
        """Waits for the process to exit (after a Stop RPC or a signal) and returns its
        exit code.

        Raises:
            subprocess.TimeoutExpired: it is still running after ``timeout`` seconds.
        """
        return self._process.wait(timeout)

    def status(self, timeout: float = 5.0) -> Dict[str, Any]:
        """The server's status over RPC; see :func:`headrace.server.status`."""
        return status(self.address, timeout)

    def stop(self, timeout: float = 5.0) -> int:
        """Stops the server and returns its exit code (0 for a clean stop).

        Sends SIGTERM and waits up to ``timeout`` seconds; only if the server has not
        exited by then is it killed (SIGKILL), and the code is then ``-9``. Calling it on
        a stopped server just returns the code.
        """
        try:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGTERM)
                try:
                    self._process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            return self._process.returncode
        finally:
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None and not pipe.closed:
                    pipe.close()
            if not self._stderr.closed:
                self._stderr.close()

    def stderr_text(self) -> str:
        """What the server has written to stderr so far (while it is not stopped)."""
        if self._stderr.closed:
            return ""
        position = self._stderr.tell()
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode(errors="replace")
        finally:
            self._stderr.seek(position)

    def __del__(self) -> None:
        # A forgotten ServerProcess must not leave a server running.
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            try:
                self.stop(timeout=1.0)
            except Exception:
                pass

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._process.poll() is None else f"exited {self.returncode}"
        return f"ServerProcess(address={self.address!r}, pid={self.pid}, {state})"
