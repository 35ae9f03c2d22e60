"""DatasetCache: keep a pipeline's rows in headrace-server's memory, so that later epochs
skip reading and processing them (mirrors mindspore.dataset.DatasetCache).

    cache = ds.DatasetCache(session_id=None, size=0)          # a new session, local server
    data = ds.ImageFolderDataset("train/").map(decode, cache=cache)

Where the cache goes (the tree pass, when an iterator builds the pipeline):
- over a random-access leaf (ImageFolderDataset, NumpySlicesDataset, GeneratorDataset with
  __getitem__): the leaf's sampler becomes a CacheLookup that asks the server which of the
  pass's rows it holds and lets the leaf read only the others; a CacheMerge op at the
  cache's place fetches the rest from the cache and writes the new rows, keeping the
  sampler's order;
- over a streaming leaf (GeneratorDataset over an iterable): a Cache op passes the first
  epoch through and writes it; once a whole epoch is in, later epochs read the cache.
Only maps may lie between the cache and its leaf. A cache is shared by identical pipelines
of one session: its key is a CRC of the description of the pipeline below it (worker counts
left out).
"""

from __future__ import annotations

import types
import weakref
import zlib
from enum import Enum
from typing import Any, Dict, Optional

import numpy as np

from headrace._address import default_address, default_token, is_loopback
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import HeadraceError, InvalidArgumentError

__all__ = ["DatasetCache"]

# Arguments that change how a pipeline runs, not which rows it gives.
_NOT_DATA = {"children", "cache", "num_parallel_workers", "python_multiprocessing", "callbacks",
             "max_rowsize", "offload",
             # what a record-file source derives from its other arguments (record_files.py)
             "_format_object", "_file_rows"}


class DatasetCache:
    """A cache in a session of a headrace-server.

    Args:
        session_id: the session (from ``headrace session new``); None makes a new session,
            starting a local server first if none answers at hostname:port.
        size: megabytes this cache may hold in memory; 0 means up to the server's --memory.
        spilling: whether rows beyond `size` may go to the server's spill directory.
        hostname, port: the server (default HEADRACE_CACHE_HOST / HEADRACE_CACHE_PORT, else
            127.0.0.1:50052).
        num_connections, prefetch_size: accepted as in MindSpore; rows are fetched 64 at a
            time over one connection.
        token: the server's token when it listens off loopback (default HEADRACE_TOKEN).
    """

    def __init__(self, session_id: Optional[int] = None, size: int = 0, spilling: bool = False,
                 hostname: Optional[str] = None, port: Optional[int] = None,
                 num_connections: Optional[int] = None, prefetch_size: Optional[int] = None,
                 token: Optional[str] = None) -> None:
        if session_id is not None:
            check_int("session_id", session_id, minimum=1, maximum=2**32 - 1)
        self.session_id = session_id
        self.size = check_int("size", size, minimum=0)
        self.spilling = check_bool("spilling", spilling)
        # The environment is read only for what the caller left out.
        default_host, default_port = default_address() if hostname is None or port is None else (hostname, port)
        self.hostname = hostname if hostname is not None else default_host
        if not isinstance(self.hostname, str) or not self.hostname:
            raise InvalidArgumentError(f"hostname must be a non-empty string, got {hostname!r}")
        self.port = check_int("port", default_port if port is None else port, minimum=1, maximum=65535)
        if num_connections is not None:
            check_int("num_connections", num_connections, minimum=1)
        if prefetch_size is not None:
            check_int("prefetch_size", prefetch_size, minimum=1)
        self.num_connections, self.prefetch_size = num_connections, prefetch_size
        self.token = default_token(token)
        self._client: Any = None

    def client(self) -> Any:
        """The connection to the server (made once). With session_id None, a new session
        on a local server, started if none answers."""
        if self._client is None:
            from headrace._core import cache as _cache

            if self.session_id is None and is_loopback(self.hostname):
                from headrace.server import ensure_local_server

                ensure_local_server(self.hostname, self.port)
            self._client = _cache.CacheClient(self.hostname, self.port, self.token)
            if self.session_id is None:
                self.session_id = self._client.create_session()
                # A session made here is this process's alone: drop it (and free its rows in
                # the server) when the DatasetCache goes or the process exits.
                weakref.finalize(self, _drop_session, self._client, self.session_id)
        return self._client

    def get_stat(self) -> Dict[str, Any]:
        """This session's caches as the server counts them (rows and bytes in memory and on
        disk, hits, misses)."""
        listing = self.client().list_sessions()
        for session in listing["sessions"]:
            if session["session_id"] == self.session_id:
                return {"session_id": self.session_id, "caches": session["caches"]}
        return {"session_id": self.session_id, "caches": []}

    def __repr__(self) -> str:
        return (f"DatasetCache(session_id={self.session_id}, size={self.size}, spilling={self.spilling}, "
                f"hostname={self.hostname!r}, port={self.port})")


def _drop_session(client: Any, session_id: int) -> None:
    try:
        client.drop_session(session_id)
    except HeadraceError:  # best effort: the server has gone or is stopping, or the session went
        pass


# -- the tree pass --------------------------------------------------------------------------

def _describe_value(value: Any, depth: int = 0) -> str:
    """What `value` contributes to a pipeline's description: everything that can change the
    rows (array contents, a function's code, constants, defaults and closure, an object's
    attributes). What cannot be described is named by its identity, so that pipelines
    sharing a cache only ever do so when they certainly give the same rows."""
    if depth > 6:
        return f"<{type(value).__qualname__}@{id(value):x}>"
    inner = lambda v: _describe_value(v, depth + 1)  # noqa: E731
    if isinstance(value, (str, bytes, int, float, bool, complex, type(None))):
        return repr(value)
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        if data.dtype == object:
            return f"array(object, {data.shape}, [{', '.join(inner(v) for v in data.reshape(-1))}])"
        return f"array({data.dtype}, {data.shape}, crc={zlib.crc32(data.view(np.uint8).reshape(-1).data)})"
    if isinstance(value, np.generic):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inner(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{inner(k)}: {inner(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Enum):
        return repr(value)
    from headrace.dataset.transforms import described

    made_with = described(value)
    if made_with is not None:
        return made_with
    if isinstance(value, types.FunctionType):
        code = value.__code__
        closure = [cell.cell_contents for cell in value.__closure__ or ()]
        return (f"{value.__module__}.{value.__qualname__}(code={zlib.crc32(code.co_code)}, "
                f"consts={inner(code.co_consts)}, names={code.co_names}, "
                f"defaults={inner(value.__defaults__)}, closure={inner(closure)})")
    if isinstance(value, types.CodeType):
        return f"code({zlib.crc32(value.co_code)}, {inner(value.co_consts)}, {value.co_names})"
    if isinstance(value, types.MethodType):
        return f"{inner(value.__func__)} of {inner(value.__self__)}"
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict) and not isinstance(value, types.ModuleType):
        return f"{type(value).__module__}.{type(value).__qualname__}({inner(attributes)})"
    return f"<{type(value).__qualname__}@{id(value):x}>"


def describe_for_cache(dataset: Any) -> str:
    """The pipeline below and including `dataset`, as the cache's key sees it."""
    fields = []
    for key in sorted(vars(dataset)):
        if key in _NOT_DATA or key.startswith("__"):
            continue
        fields.append(f"{key.lstrip('_')}={_describe_value(getattr(dataset, key))}")
    children = ", ".join(describe_for_cache(child) for child in dataset.children)
    return f"{type(dataset).__name__}({'; '.join(fields)})[{children}]"


def _leaf_under(dataset: Any) -> Any:
    from headrace.dataset.map import MapDataset

    node = dataset
    while isinstance(node, MapDataset):
        node = node.children[0]
    if node.children:
        raise InvalidArgumentError(f"cache: only maps may lie between a cache and its source; "
                                   f"{type(node).__name__} is below this one")
    return node


def build_with_cache(dataset: Any, context: Any, build: Any) -> Any:
    """The C++ op of `dataset` with its cache (see the module's docstring); `build(context)`
    builds `dataset` itself."""
    from headrace._core import cache as _cache

    cache: DatasetCache = dataset.cache
    if context.sampler_wrappers:
        raise InvalidArgumentError("cache: a pipeline may have one cache between its source and its root; "
                                   "this one is under another")
    leaf = _leaf_under(dataset)
    client = cache.client()
    description = describe_for_cache(dataset)
    opened = client.open_cache(cache.session_id, zlib.crc32(description.encode()), description[:500],
                               cache.size << 20, cache.spilling)
    if getattr(leaf, "sampler", None) is not None:
        plan = _cache.CachePassPlan()
        context.sampler_wrappers.append(lambda sampler: _cache.lookup_sampler(sampler, client, opened["cache_id"], plan))
        try:
            child = build(context)
        finally:
            context.sampler_wrappers.pop()
        return _cache.merge_op(child, client, opened["cache_id"], plan)
    return _cache.stream_cache_op(build(context), client, opened["cache_id"], opened["complete"],
                                  opened["rows"])


def check_cache(cache: Any) -> Optional[DatasetCache]:
    if cache is not None and not isinstance(cache, DatasetCache):
        raise InvalidArgumentError(f"cache must be a DatasetCache, got {type(cache).__name__}")
    return cache
