"""The ``headrace`` command (also ``python -m headrace``): run and inspect the cache server.

    headrace cache start [--host H] [--port P] [-- SERVER-FLAGS...]   start a daemon
    headrace cache stop [--host H] [--port P]
    headrace cache status [--host H] [--port P]      server, memory, every cache
    headrace session new|list [--host H] [--port P]
    headrace session drop ID [--host H] [--port P]

These cover MindSpore's cache_admin: --start (cache start), -g (session new), -d (session
drop), --list_sessions (session list), --stop (cache stop). Host and port default to
HEADRACE_CACHE_HOST / HEADRACE_CACHE_PORT, else 127.0.0.1:50052; the token to
HEADRACE_TOKEN. Exit code 0 on success, 1 when the server refuses or cannot be reached,
2 for a bad command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from headrace._address import default_address, default_token, format_address
from headrace.errors import HeadraceError



def _size(value: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(value)


def _client(args: argparse.Namespace):
    from headrace._core import cache as _cache

    return _cache.CacheClient(args.host, args.port, args.token, 2.0)


def _address(args: argparse.Namespace) -> str:
    return format_address(args.host, args.port)


def cache_start(args: argparse.Namespace) -> int:
    from headrace.server import daemon_log_path, start_daemon

    pid = start_daemon(args.host, args.port, args.server_args, token=args.token)
    print(f"headrace-server (pid {pid}) listening on {_address(args)}, log in {daemon_log_path(args.port)}")
    return 0


def cache_stop(args: argparse.Namespace) -> int:
    from headrace.server import stop

    stop(_address(args), token=args.token)
    print(f"headrace-server at {_address(args)} is stopping")
    return 0


def cache_status(args: argparse.Namespace) -> int:
    from headrace.server import status

    info = status(_address(args), token=args.token)
    listing = _client(args).list_sessions()
    print(f"headrace-server {info['version']} (pid {info['pid']}) at {_address(args)}, "
          f"up {info['uptime_seconds']:.0f} s")
    print(f"memory: {_size(listing['memory_used'])} used of {_size(listing['memory_capacity'])}; "
          f"spill: {listing['spill_dir'] or 'off'}")
    header = f"{'session':>10} {'cache':>6} {'rows mem':>9} {'bytes mem':>11} {'rows disk':>9} " \
             f"{'bytes disk':>11} {'hit rate':>8} {'clients':>7}  description"
    print(header)
    for session in listing["sessions"]:
        if not session["caches"]:
            print(f"{session['session_id']:>10} {'-':>6}")
        for c in session["caches"]:
            asked = c["hits"] + c["misses"]
            rate = f"{c['hits'] / asked:.0%}" if asked else "-"
            print(f"{session['session_id']:>10} {c['cache_id']:>6} {c['rows_in_memory']:>9} "
                  f"{_size(c['bytes_in_memory']):>11} {c['rows_on_disk']:>9} {_size(c['bytes_on_disk']):>11} "
                  f"{rate:>8} {c['clients']:>7}  {c['description'][:60]}")
    return 0


def session_new(args: argparse.Namespace) -> int:
    session_id = _client(args).create_session()
    print(f"Session created for server on port {args.port}: {session_id}")
    return 0


def session_list(args: argparse.Namespace) -> int:
    listing = _client(args).list_sessions()
    if not listing["sessions"]:
        print("no sessions")
    for session in listing["sessions"]:
        rows = sum(c["rows_in_memory"] + c["rows_on_disk"] for c in session["caches"])
        print(f"{session['session_id']}: {len(session['caches'])} caches, {rows} rows")
    return 0


def session_drop(args: argparse.Namespace) -> int:
    _client(args).drop_session(args.session_id)
    print(f"Dropped session {args.session_id}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="headrace", description="Run and inspect headrace's cache server.")
    groups = top.add_subparsers(dest="group", required=True)

    host, port = default_address()

    def with_address(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--host", default=host)
        p.add_argument("--port", type=int, default=port)
        p.add_argument("--token", default=default_token())
        return p

    cache = groups.add_parser("cache", help="start, stop or inspect the server").add_subparsers(
        dest="command", required=True)
    start = with_address(cache.add_parser("start", help="start a server daemon"))
    start.add_argument("server_args", nargs=argparse.REMAINDER,
                       help="flags for headrace-server after --, e.g. -- --memory 4G --no-spill")
    start.set_defaults(run=cache_start)
    with_address(cache.add_parser("stop", help="stop the server")).set_defaults(run=cache_stop)
    with_address(cache.add_parser("status", help="the server and its caches")).set_defaults(run=cache_status)

    session = groups.add_parser("session", help="make, list or drop sessions").add_subparsers(
        dest="command", required=True)
    with_address(session.add_parser("new", help="a new session; prints its id")).set_defaults(run=session_new)
    with_address(session.add_parser("list", help="every session")).set_defaults(run=session_list)
    drop = with_address(session.add_parser("drop", help="drop a session and its caches"))
    drop.add_argument("session_id", type=int)
    drop.set_defaults(run=session_drop)
    return top


def main(argv: Optional[List[str]] = None) -> int:
    try:
        top = parser()
    except HeadraceError as error:  # a bad HEADRACE_CACHE_PORT, say
        print(f"headrace: {error}", file=sys.stderr)
        return 1
    args = top.parse_args(argv)
    if getattr(args, "server_args", None) and args.server_args[0] == "--":
        args.server_args = args.server_args[1:]
    try:
        return args.run(args)
    except (HeadraceError, RuntimeError, TimeoutError, FileNotFoundError) as error:
        print(f"headrace: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
