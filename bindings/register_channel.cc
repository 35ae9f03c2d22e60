// headrace._core.channel: the channel client behind headrace.channel's DataSender and
// DataReceiver. Blobs go out as writable NumPy views of their memory (a block of the
// server's store when local) and come back as read-only views, so an array sent through a
// local server is copied once, into the store, and received without a copy.
// Every call that waits on the server releases the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "bindings/deferred_decref.h"
#include "bindings/python_timeout.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/channel/channel_client.h"
#include "headrace/channel/grpc_channel_client.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using channel::ChannelClient;

// A NumPy uint8 array over `buffer`'s bytes that keeps the buffer alive.
py::array ViewOf(const BufferPtr& buffer, bool writable) {
  auto* owner = new BufferPtr(buffer);
  py::capsule base(owner, [](void* p) { delete static_cast<BufferPtr*>(p); });
  auto* data = const_cast<uint8_t*>(buffer->data());
  py::array view(py::dtype::of<uint8_t>(), {buffer->size()}, {int64_t{1}}, data, base);
  if (!writable) view.attr("flags").attr("writeable") = false;
  return view;
}

}  // namespace

void RegisterChannel(py::module_& m) {
  py::module_ channel_module = m.def_submodule("channel", "The channel client (private).");

  py::class_<channel::SenderLease>(channel_module, "SenderLease")
      .def_property_readonly("channel_id", &channel::SenderLease::channel_id);

  py::class_<channel::OutgoingBlob>(channel_module, "OutgoingBlob")
      .def_property_readonly("memory", [](const channel::OutgoingBlob& blob) { return ViewOf(blob.buffer, true); })
      .def_property_readonly("in_shared_memory", [](const channel::OutgoingBlob& blob) { return blob.offset >= 0; });

  py::class_<ChannelClient, std::shared_ptr<ChannelClient>>(channel_module, "ChannelClient")
      .def(py::init([](std::string host, int port, std::string token, double connect_timeout,
                       bool use_shared_memory) {
             channel::ChannelClientOptions options;
             options.host = std::move(host);
             options.port = port;
             options.token = std::move(token);
             options.connect_timeout = ValueOrThrow(TimeoutFromSeconds(connect_timeout));
             options.use_shared_memory = use_shared_memory;
             auto client = WithoutGil([&] { return channel::GrpcChannelClient::Connect(options); });
             return std::shared_ptr<ChannelClient>(ValueOrThrow(std::move(client)));
           }),
           py::arg("host"), py::arg("port"), py::arg("token") = "", py::arg("connect_timeout") = 1.0,
           py::arg("use_shared_memory") = true)
      .def_property_readonly("address", &ChannelClient::address)
      .def_property_readonly("is_local", &ChannelClient::is_local)
      .def("attach", [](ChannelClient& c, const std::string& name_space, const std::string& dataset_name,
                        int32_t num_shards, bool full_batch, int32_t max_queue_size) {
        return ValueOrThrow(WithoutGil([&] {
          return c.Attach(name_space, dataset_name, num_shards, full_batch, max_queue_size);
        }));
      }, py::arg("namespace"), py::arg("dataset_name"), py::arg("num_shards"), py::arg("full_batch"),
         py::arg("max_queue_size"))
      .def("new_blob", [](ChannelClient& c, int64_t size) {
        return ValueOrThrow(WithoutGil([&] { return c.NewBlob(size); }));
      }, py::arg("size"))
      .def("put", [](ChannelClient& c, uint64_t channel_id, int32_t shard, std::vector<channel::OutgoingBlob> blobs) {
        ThrowIfError(WithoutGil([&] { return c.Put(channel_id, shard, std::move(blobs)); }));
      }, py::arg("channel_id"), py::arg("shard"), py::arg("blobs"))
      .def("close", [](ChannelClient& c, uint64_t channel_id) {
        ThrowIfError(WithoutGil([&] { return c.Close(channel_id); }));
      }, py::arg("channel_id"))
      .def("describe", [](ChannelClient& c, const std::string& name_space, const std::string& dataset_name,
                          const py::object& timeout) {
        const std::chrono::milliseconds wait = WaitFromSeconds(timeout);
        channel::ChannelInfo info =
            ValueOrThrow(WithoutGil([&] { return c.Describe(name_space, dataset_name, wait); }));
        py::dict d;
        d["channel_id"] = info.channel_id;
        d["num_shards"] = info.num_shards;
        d["full_batch"] = info.full_batch;
        d["max_queue_size"] = info.max_queue_size;
        return d;
      }, py::arg("namespace"), py::arg("dataset_name"), py::arg("timeout"))
      .def("get", [](ChannelClient& c, uint64_t channel_id, int32_t shard, const py::object& timeout,
                     bool peek) -> py::object {
        const std::chrono::milliseconds wait = WaitFromSeconds(timeout);
        auto blobs = ValueOrThrow(WithoutGil([&] { return c.Get(channel_id, shard, wait, peek); }));
        if (!blobs.has_value()) return py::none();
        py::list out;
        for (const BufferPtr& blob : *blobs) out.append(ViewOf(blob, false));
        return out;
      }, py::arg("channel_id"), py::arg("shard"), py::arg("timeout"), py::arg("peek") = false)
      .def("queued", [](ChannelClient& c, uint64_t channel_id, int32_t shard) {
        auto objects = ValueOrThrow(WithoutGil([&] { return c.Queued(channel_id, shard); }));
        py::list out;
        for (const auto& blobs : objects) {
          py::list views;
          for (const BufferPtr& blob : blobs) views.append(ViewOf(blob, false));
          out.append(views);
        }
        return out;
      }, py::arg("channel_id"), py::arg("shard"))
      .def("drop", [](ChannelClient& c, const std::string& name_space, const std::string& dataset_name) {
        ThrowIfError(WithoutGil([&] { return c.Drop(name_space, dataset_name); }));
      }, py::arg("namespace"), py::arg("dataset_name"))
      .def("cancel_calls", &ChannelClient::CancelCalls);
}

}  // namespace headrace::bindings
