// ExampleWire: a tf.train.Example read straight from its serialized bytes, without copying
// them, with protobuf's wire-level reader (io::CodedInputStream over the record's buffer).
//
// protobuf's generated parser (proto/headrace/v1/example.proto) is not used because it copies
// every bytes value into a std::string, which the decoder would copy again into a tensor: for
// a 100 KB image that is two copies of the record after the read. This reader instead records
// where each feature's values lie in the record, so that a bytes value becomes a tensor with at
// most one copy, or none where the tensor views the record's buffer. Tests check it against
// the generated parser.
//
// Protobuf's rules it keeps: fields come in any order; unknown fields are skipped (every
// wire type, groups included); a repeated message field merges (two `features` fields are
// one map; a map entry whose key repeats replaces the earlier one; a Feature whose oneof
// field repeats merges that list, a different oneof field replaces it); repeated numbers
// may be packed or not, or both. Records of 2 GiB or more are refused, as protobuf does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Only example_wire.cc reads protobuf; this header names its reader without including it.
namespace google::protobuf::io {
class CodedInputStream;
}  // namespace google::protobuf::io

namespace headrace::engine::tfrecord {

enum class FeatureKind : uint8_t { kNone = 0, kBytes = 1, kFloat = 2, kInt64 = 3 };

// "bytes_list", "float_list", "int64_list", "no list".
const char* FeatureKindName(FeatureKind kind);

struct Span {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// One feature of a parsed Example: its kind and the serialized list messages (BytesList,
// FloatList or Int64List) that hold its values, in order.
struct FeatureRef {
  FeatureKind kind = FeatureKind::kNone;
  uint32_t first_list = 0;  // into ExampleWire::lists()
  uint32_t num_lists = 0;
};

// Reused from record to record: Parse keeps its vectors' capacity, so that reading a file
// allocates nothing per record once warm.
class ExampleWire {
 public:
  // Parses `data`; false (and `error()` says why) if it is not a serialized Example.
  bool Parse(const uint8_t* data, size_t size);

  // Features in the order their last map entry came, each name once.
  size_t num_features() const { return names_.size(); }
  std::string_view name(size_t i) const {
    return {reinterpret_cast<const char*>(names_[i].data), names_[i].size};
  }
  const FeatureRef& feature(size_t i) const { return features_[i]; }
  const std::vector<Span>& lists() const { return lists_; }
  const std::string& error() const { return error_; }

  // The values of a feature: counted, then written out. Each returns false on bad wire data.
  // Int64List / FloatList values; `out` may be null to count only.
  bool CountNumbers(const FeatureRef& feature, size_t* count) const;
  bool ReadInt64s(const FeatureRef& feature, int64_t* out) const;
  bool ReadFloats(const FeatureRef& feature, float* out) const;
  // BytesList values as spans into the record.
  bool ReadBytes(const FeatureRef& feature, std::vector<Span>* out) const;

 private:
  using Input = google::protobuf::io::CodedInputStream;

  // The messages inside an Example, each read from `input` up to its limit.
  bool ParseFeatures(Input* input);
  bool ParseEntry(Input* input);
  bool ParseFeature(Input* input, FeatureRef* ref);
  // Visits field 1 (`value`) of each list message of `feature`; see example_wire.cc.
  template <typename OnValue>
  bool ForEachValue(const FeatureRef& feature, int scalar_type, OnValue on_value) const;

  std::vector<Span> names_;
  std::vector<FeatureRef> features_;
  std::vector<Span> lists_;
  std::string error_;
};

}  // namespace headrace::engine::tfrecord
