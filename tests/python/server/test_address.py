"""The address, token and loopback rules that every client shares (headrace._address)."""

from __future__ import annotations

import pytest

import headrace.server
from headrace import _address
from headrace.channel import DataReceiver, DataSender
from headrace.errors import InvalidArgumentError


@pytest.fixture
def no_variables(monkeypatch):
    for name in ("HEADRACE_CACHE_HOST", "HEADRACE_CACHE_PORT", "HEADRACE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_default_address_comes_from_the_variables_the_server_reads(no_variables):
    assert _address.default_address() == ("127.0.0.1", 50052)
    no_variables.setenv("HEADRACE_CACHE_HOST", "::1")
    no_variables.setenv("HEADRACE_CACHE_PORT", "6000")
    assert _address.default_address() == ("::1", 6000)
    # As headrace-server reads them: a variable set to "" is not set.
    no_variables.setenv("HEADRACE_CACHE_HOST", "")
    no_variables.setenv("HEADRACE_CACHE_PORT", "")
    assert _address.default_address() == ("127.0.0.1", 50052)


@pytest.mark.parametrize("port", ["x", "-1", "0", "65536", " 80", "8.5", "\u00b2"])
def test_a_bad_port_variable_is_named(no_variables, port):
    no_variables.setenv("HEADRACE_CACHE_PORT", port)
    with pytest.raises(InvalidArgumentError) as error:
        _address.default_address()
    assert str(error.value) == f"HEADRACE_CACHE_PORT must be a port in [1, 65535], got {port!r}"


def test_the_cache_and_the_cli_read_the_variables_only_for_what_is_not_given(no_variables, capsys):
    from headrace import cli
    from headrace.dataset import DatasetCache

    no_variables.setenv("HEADRACE_CACHE_HOST", "127.0.0.2")
    no_variables.setenv("HEADRACE_CACHE_PORT", "6001")
    cache = DatasetCache(session_id=1, size=0)
    assert (cache.hostname, cache.port) == ("127.0.0.2", 6001)
    no_variables.setenv("HEADRACE_CACHE_PORT", "bad")
    cache = DatasetCache(session_id=1, size=0, hostname="127.0.0.1", port=6002)
    assert (cache.hostname, cache.port) == ("127.0.0.1", 6002)
    # The command line names the variable instead of failing with a traceback.
    assert cli.main(["cache", "status"]) == 1
    assert "HEADRACE_CACHE_PORT must be a port in [1, 65535], got 'bad'" in capsys.readouterr().err


def test_the_token_given_wins_over_the_variable(no_variables):
    assert _address.default_token() == ""
    no_variables.setenv("HEADRACE_TOKEN", "from-env")
    assert _address.default_token() == "from-env"
    assert _address.default_token("given") == "given"
    assert _address.default_token("") == ""  # "" is a token given: no token


def test_format_and_parse_host_port():
    assert _address.format_address("127.0.0.1", 50052) == "127.0.0.1:50052"
    assert _address.format_address("::1", 7) == "[::1]:7"
    assert _address.format_address("[::1]", 7) == "[::1]:7"
    assert _address.format_address("localhost", 7) == "localhost:7"
    assert _address.parse_address("127.0.0.1:50052") == ("127.0.0.1", 50052)
    assert _address.parse_address("[::1]:65535") == ("::1", 65535)
    assert _address.parse_address("example.org:1") == ("example.org", 1)
    for host, port in [("::1", 9), ("10.0.0.2", 80), ("name", 443)]:
        assert _address.parse_address(_address.format_address(host, port)) == (host, port)


@pytest.mark.parametrize("address, message", [
    ("nohost", "address must be 'host:port' or None, got 'nohost'"),
    (5052, "address must be 'host:port' or None, got 5052"),
    (":50052", "address must be 'host:port' with a port in [1, 65535], got ':50052'"),
    ("h:0", "address must be 'host:port' with a port in [1, 65535], got 'h:0'"),
    ("h:65536", "address must be 'host:port' with a port in [1, 65535], got 'h:65536'"),
    ("h:port", "address must be 'host:port' with a port in [1, 65535], got 'h:port'"),
])
def test_a_bad_address_is_named(address, message):
    with pytest.raises(InvalidArgumentError) as error:
        _address.parse_address(address)
    assert str(error.value) == message
    # The channel's ends check it before connecting.
    for end in (DataSender, DataReceiver):
        with pytest.raises(InvalidArgumentError) as error:
            end(address=address)
        assert str(error.value) == message


def test_loopback_hosts():
    for host in ["localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]"]:
        assert _address.is_loopback(host), host
    for host in ["0.0.0.0", "10.1.2.3", "::", "[2001:db8::1]", "example.org", "localhost.example.org", ""]:
        assert not _address.is_loopback(host), host


def test_the_server_module_keeps_its_names():
    assert headrace.server.DEFAULT_HOST == "127.0.0.1"
    assert headrace.server.DEFAULT_PORT == 50052
    assert headrace.server.default_address is _address.default_address
    assert headrace.server.default_token is _address.default_token
