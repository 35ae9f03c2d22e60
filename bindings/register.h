// One Register*() per concept; module.cc calls them all. Each lives in register_<concept>.cc.
#pragma once

#include <pybind11/pybind11.h>

namespace headrace::bindings {

// Exception classes (HeadraceError and one subclass per StatusCode). Must run first:
// the others raise these.
void RegisterErrors(pybind11::module_& m);
// Tensor: NumPy arrays in and out without copying.
void RegisterTensor(pybind11::module_& m);
// The execution engine: samplers, ops and the iterator (module headrace._core.engine).
void RegisterEngine(pybind11::module_& m);
// Native transforms (module headrace._core.transforms). After RegisterEngine.
void RegisterTransforms(pybind11::module_& m);
// Tensor transforms (Mask, Fill, Slice, ..., RandomApply), added to headrace._core.transforms.
// After RegisterTransforms.
void RegisterTensorTransforms(pybind11::module_& m);
// Image transforms, added to headrace._core.transforms. After RegisterTransforms.
void RegisterVisionGeometry(pybind11::module_& m);  // resize, crops, flips, pad, rotation
void RegisterVisionColor(pybind11::module_& m);     // normalize, colour adjustments
void RegisterVisionBoxes(pybind11::module_& m);     // the *WithBBox family, BoundingBoxAugment
void RegisterVisionMisc(pybind11::module_& m);      // erasing, multi-crops, batch mixing, policies

// Sources over files (module headrace._core.records): the record-file op and its shard
// plan, then one Register*() per format. After RegisterEngine.
void RegisterRecordFiles(pybind11::module_& m);
void RegisterMindRecord(pybind11::module_& m);   // MindRecord reader and writer
void RegisterTFRecord(pybind11::module_& m);     // TFRecord of tf.train.Example
void RegisterTextFormats(pybind11::module_& m);  // CSV and text lines
void RegisterImageSets(pybind11::module_& m);    // MNIST and CIFAR

// The shared-memory store (module headrace._core.memory).
void RegisterMemory(pybind11::module_& m);
// The cache client: sessions and caches of headrace-server (module headrace._core.cache).
void RegisterCache(pybind11::module_& m);
// The channel client (module headrace._core.channel).
void RegisterChannel(pybind11::module_& m);
// Server lifecycle and the client for its status and stop RPCs.
void RegisterServer(pybind11::module_& m);

}  // namespace headrace::bindings
