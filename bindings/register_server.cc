// headrace._core.ServerClient: the control RPCs of a headrace server (status, stop).
//
// A thin wrapper over headrace::rpc::ServerClient. Every RPC blocks on the network, so
// it runs with the GIL released; errors become HeadraceError subclasses through
// ThrowIfError (an unreachable server raises UnavailableError, also a ConnectionError).
#include <pybind11/pybind11.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "bindings/python_timeout.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/rpc/server_client.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using rpc::ServerClient;
using rpc::ServerStatusInfo;

py::dict StatusToDict(const ServerStatusInfo& info) {
  py::dict d;
  d["version"] = info.version;
  d["pid"] = info.pid;
  d["host"] = info.host;
  d["port"] = info.port;
  d["uptime_seconds"] = info.uptime_seconds;
  d["started_unix_seconds"] = info.started_unix_seconds;
  return d;
}

}  // namespace

void RegisterServer(py::module_& m) {
  py::class_<ServerClient, std::unique_ptr<ServerClient>>(
      m, "ServerClient",
      "Client of a headrace server's control RPCs. Constructing it does not contact the "
      "server; each call does, waiting at most `timeout` seconds.")
      .def(py::init([](std::string address, std::string token) {
             return ValueOrThrow(ServerClient::Connect(std::move(address), std::move(token)));
           }),
           py::arg("address"), py::arg("token") = "",
           "Prepares a client for the server at 'host:port' (with its token, if it has one).")
      .def_property_readonly("address", &ServerClient::address,
                             "The 'host:port' this client calls.")
      .def(
          "status",
          [](ServerClient& self, double timeout) {
            const auto ms = ValueOrThrow(TimeoutFromSeconds(timeout));
            Result<ServerStatusInfo> info = [&] {
              py::gil_scoped_release release;
              return self.GetStatus(ms);
            }();
            return StatusToDict(ValueOrThrow(std::move(info)));
          },
          py::arg("timeout") = 5.0,
          "The server's status: a dict with version, pid, host, port, uptime_seconds and "
          "started_unix_seconds. Raises UnavailableError if no server answers at the address.")
      .def(
          "stop",
          [](ServerClient& self, double timeout) {
            const auto ms = ValueOrThrow(TimeoutFromSeconds(timeout));
            Status status = [&] {
              py::gil_scoped_release release;
              return self.Stop(ms);
            }();
            ThrowIfError(status);
          },
          py::arg("timeout") = 5.0,
          "Asks the server to stop; returns once it has acknowledged. The server process "
          "exits shortly after.")
      .def("__repr__", [](const ServerClient& self) {
        return "ServerClient('" + self.address() + "')";
      });
}

}  // namespace headrace::bindings
