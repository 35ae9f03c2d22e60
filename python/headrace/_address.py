"""Where a client finds headrace-server: the default address and token, "host:port"
strings, and which hosts are this machine's. The one home of these rules: server.py,
channel.py, cli.py and dataset/cache.py use it.

headrace-server reads the same variables (cpp/headrace/server/server_options.cc):
HEADRACE_CACHE_HOST and HEADRACE_CACHE_PORT give its address, HEADRACE_TOKEN its token;
a variable set to "" counts as not set.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Optional, Tuple

from headrace.errors import InvalidArgumentError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 50052
HOST_VARIABLE = "HEADRACE_CACHE_HOST"
PORT_VARIABLE = "HEADRACE_CACHE_PORT"
TOKEN_VARIABLE = "HEADRACE_TOKEN"


def _variable(name: str) -> Optional[str]:
    return os.environ.get(name) or None


def _is_port(text: str) -> bool:
    """Decimal ASCII digits naming a port in [1, 65535], as headrace-server reads one."""
    return text.isascii() and text.isdigit() and 0 < int(text) < 65536


def default_address() -> Tuple[str, int]:
    """The server a client uses when none is named: HEADRACE_CACHE_HOST and
    HEADRACE_CACHE_PORT, else 127.0.0.1:50052."""
    host = _variable(HOST_VARIABLE) or DEFAULT_HOST
    port = _variable(PORT_VARIABLE)
    if port is None:
        return host, DEFAULT_PORT
    if not _is_port(port):
        raise InvalidArgumentError(f"{PORT_VARIABLE} must be a port in [1, 65535], got {port!r}")
    return host, int(port)


def default_token(token: Optional[str] = None) -> str:
    """`token`, or HEADRACE_TOKEN when it is None, or "" (no token)."""
    return token if token is not None else os.environ.get(TOKEN_VARIABLE, "")


def format_address(host: str, port: int) -> str:
    """ "host:port"; an IPv6 host gets brackets, as in the server's own listening line."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def parse_address(address: object) -> Tuple[str, int]:
    """(host, port) of "host:port" (an IPv6 host in brackets comes back without them).
    InvalidArgumentError naming `address` when it is not such a string."""
    if not isinstance(address, str) or ":" not in address:
        raise InvalidArgumentError(f"address must be 'host:port' or None, got {address!r}")
    host, _, port = address.rpartition(":")
    if not _is_port(port) or not host:
        raise InvalidArgumentError(f"address must be 'host:port' with a port in [1, 65535], got {address!r}")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    """Whether `host` ("localhost", a loopback IPv4 or IPv6 address, bracketed or not)
    names this machine, where a client may start a server of its own."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
