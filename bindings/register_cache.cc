// headrace._core.cache: the cache client (sessions, caches) and the cache ops the dataset
// tree pass puts into a pipeline (headrace/dataset/cache.py).
//
// Every call that talks to the server blocks on the network, so it runs with the GIL
// released. Engine warnings (the server went away mid-epoch) become Python warnings.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <memory>
#include <string>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/python_timeout.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/cache/cache_client.h"
#include "headrace/cache/cache_lookup_sampler.h"
#include "headrace/cache/cache_merge_op.h"
#include "headrace/cache/grpc_cache_client.h"
#include "headrace/cache/stream_cache_op.h"
#include "headrace/core/warning.h"
#include "headrace/engine/dataset_op.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using cache::CacheClient;
using OpPtr = std::shared_ptr<engine::DatasetOp>;

py::dict CacheToDict(const cache::CacheStatistics& c) {
  py::dict d;
  d["session_id"] = c.session_id;
  d["crc"] = c.crc;
  d["cache_id"] = c.cache_id;
  d["description"] = c.description;
  d["rows_in_memory"] = c.rows_in_memory;
  d["bytes_in_memory"] = c.bytes_in_memory;
  d["rows_on_disk"] = c.rows_on_disk;
  d["bytes_on_disk"] = c.bytes_on_disk;
  d["rows_refused"] = c.rows_refused;
  d["hits"] = c.hits;
  d["misses"] = c.misses;
  d["clients"] = c.clients;
  d["complete"] = c.complete;
  return d;
}

py::dict StatisticsToDict(const cache::ServerCacheStatistics& s) {
  py::list sessions;
  for (const cache::SessionStatistics& session : s.sessions) {
    py::list caches;
    for (const cache::CacheStatistics& c : session.caches) caches.append(CacheToDict(c));
    py::dict d;
    d["session_id"] = session.session_id;
    d["caches"] = caches;
    sessions.append(d);
  }
  py::dict d;
  d["sessions"] = sessions;
  d["memory_capacity"] = s.memory_capacity;
  d["memory_used"] = s.memory_used;
  d["spill_dir"] = s.spill_dir;
  return d;
}

// Python's warnings.warn from any thread; stderr while the interpreter is going away.
void WarnInPython(const std::string& message) {
  if (!Py_IsInitialized() || _Py_IsFinalizing()) {
    std::fprintf(stderr, "headrace: warning: %s\n", message.c_str());
    return;
  }
  py::gil_scoped_acquire gil;
  if (PyErr_WarnEx(PyExc_RuntimeWarning, message.c_str(), 1) != 0) PyErr_Clear();
}

}  // namespace

void RegisterCache(py::module_& m) {
  SetWarningHandler(WarnInPython);
  py::module_ cache_module = m.def_submodule("cache", "The cache client and cache ops (private).");

  py::class_<CacheClient, std::shared_ptr<CacheClient>>(cache_module, "CacheClient")
      .def(py::init([](std::string host, int port, std::string token, double connect_timeout,
                       bool use_shared_memory) {
             cache::CacheClientOptions options;
             options.host = std::move(host);
             options.port = port;
             options.token = std::move(token);
             options.connect_timeout = ValueOrThrow(TimeoutFromSeconds(connect_timeout));
             options.use_shared_memory = use_shared_memory;
             Result<std::unique_ptr<CacheClient>> client =
                 WithoutGil([&] { return cache::GrpcCacheClient::Connect(options); });
             return std::shared_ptr<CacheClient>(ValueOrThrow(std::move(client)));
           }),
           py::arg("host"), py::arg("port"), py::arg("token") = "", py::arg("connect_timeout") = 1.0,
           py::arg("use_shared_memory") = true)
      .def_property_readonly("address", &CacheClient::address)
      .def_property_readonly("is_local", &CacheClient::is_local)
      .def("create_session", [](CacheClient& c) { return ValueOrThrow(WithoutGil([&] { return c.CreateSession(); })); })
      .def("list_sessions", [](CacheClient& c) {
        return StatisticsToDict(ValueOrThrow(WithoutGil([&] { return c.ListSessions(); })));
      })
      .def("drop_session", [](CacheClient& c, uint32_t session_id) {
        ThrowIfError(WithoutGil([&] { return c.DropSession(session_id); }));
      }, py::arg("session_id"))
      .def("open_cache", [](CacheClient& c, uint32_t session_id, uint64_t crc, std::string description,
                            int64_t memory_limit, bool spilling) {
        cache::OpenedCache opened = ValueOrThrow(WithoutGil(
            [&] { return c.OpenCache(session_id, crc, description, memory_limit, spilling); }));
        py::dict d;
        d["cache_id"] = opened.cache_id;
        d["complete"] = opened.complete;
        d["rows"] = opened.rows;
        return d;
      }, py::arg("session_id"), py::arg("crc"), py::arg("description"), py::arg("memory_limit"),
         py::arg("spilling"))
      // Rows as (row id, [arrays]) pairs: for tests, benchmarks and tools.
      .def("write_rows", [](CacheClient& c, uint64_t cache_id, const py::list& rows) {
        std::vector<std::pair<int64_t, TensorRow>> pairs;
        for (py::handle item : rows) {
          auto pair = item.cast<py::tuple>();
          TensorColumns columns;
          for (py::handle array : pair[1]) columns.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(array)));
          const auto id = pair[0].cast<int64_t>();
          pairs.emplace_back(id, TensorRow(id, std::move(columns)));
        }
        cache::WriteResult result = ValueOrThrow(WithoutGil([&] { return c.WriteRows(cache_id, pairs); }));
        return py::make_tuple(result.admitted, result.refused);
      }, py::arg("cache_id"), py::arg("rows"))
      .def("read_rows", [](CacheClient& c, uint64_t cache_id, std::vector<int64_t> ids) {
        auto rows = ValueOrThrow(WithoutGil([&] { return c.ReadRows(cache_id, ids); }));
        py::list out;
        for (auto& row : rows) {
          if (!row.has_value()) {
            out.append(py::none());
            continue;
          }
          py::list columns;
          for (const TensorPtr& column : row->columns()) columns.append(TensorToNumpy(column));
          out.append(columns);
        }
        return out;
      }, py::arg("cache_id"), py::arg("row_ids"));

  py::class_<cache::CachePassPlan, std::shared_ptr<cache::CachePassPlan>>(cache_module, "CachePassPlan")
      .def(py::init<>());
  cache_module.def(
      "lookup_sampler",
      [](std::shared_ptr<engine::Sampler> inner, std::shared_ptr<CacheClient> client, uint64_t cache_id,
         std::shared_ptr<cache::CachePassPlan> plan) -> std::shared_ptr<engine::Sampler> {
        return std::make_shared<cache::CacheLookupSampler>(std::move(inner), std::move(client), cache_id,
                                                           std::move(plan));
      },
      py::arg("sampler"), py::arg("client"), py::arg("cache_id"), py::arg("plan"));
  cache_module.def(
      "merge_op",
      [](OpPtr child, std::shared_ptr<CacheClient> client, uint64_t cache_id,
         std::shared_ptr<cache::CachePassPlan> plan) -> OpPtr {
        auto op = std::make_shared<cache::CacheMergeOp>(std::move(client), cache_id, std::move(plan));
        op->AddChild(std::move(child));
        return op;
      },
      py::arg("child"), py::arg("client"), py::arg("cache_id"), py::arg("plan"));
  cache_module.def(
      "stream_cache_op",
      [](OpPtr child, std::shared_ptr<CacheClient> client, uint64_t cache_id, bool complete,
         int64_t rows) -> OpPtr {
        auto op = std::make_shared<cache::StreamCacheOp>(std::move(client), cache_id, complete, rows);
        op->AddChild(std::move(child));
        return op;
      },
      py::arg("child"), py::arg("client"), py::arg("cache_id"), py::arg("complete"), py::arg("rows"));
}

}  // namespace headrace::bindings
