#include "headrace/engine/sources/tfrecord/example_wire.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <cstring>

namespace headrace::engine::tfrecord {
namespace {

using google::protobuf::io::CodedInputStream;
using WireFormat = google::protobuf::internal::WireFormatLite;
using WireType = WireFormat::WireType;
constexpr WireType kVarint = WireFormat::WIRETYPE_VARINT;
constexpr WireType kFixed64 = WireFormat::WIRETYPE_FIXED64;
constexpr WireType kLength = WireFormat::WIRETYPE_LENGTH_DELIMITED;
constexpr WireType kStartGroup = WireFormat::WIRETYPE_START_GROUP;
constexpr WireType kEndGroup = WireFormat::WIRETYPE_END_GROUP;
constexpr WireType kFixed32 = WireFormat::WIRETYPE_FIXED32;

// protobuf's own limit on nested groups.
constexpr int kMaxGroupDepth = 100;

// A field's tag. Read as a 64-bit varint because CodedInputStream::ReadTag keeps the low 32
// bits of a longer one, where protobuf's parser refuses it; field 0 is refused too.
bool ReadTag(CodedInputStream* input, uint32_t* field, WireType* wire_type) {
  uint64_t tag = 0;
  if (!input->ReadVarint64(&tag) || tag > UINT32_MAX) return false;
  *field = WireFormat::GetTagFieldNumber(static_cast<uint32_t>(tag));
  *wire_type = WireFormat::GetTagWireType(static_cast<uint32_t>(tag));
  return *field != 0;
}

// The bytes from `input`'s position to its limit, as a span of the record, passed over.
// (A flat CodedInputStream's direct buffer ends at its limit.)
Span TakeRest(CodedInputStream* input) {
  const void* data = nullptr;
  int size = 0;
  input->GetDirectBufferPointerInline(&data, &size);
  input->Skip(size);
  return Span{static_cast<const uint8_t*>(data), static_cast<size_t>(size)};
}

// Passes over the value of a field of `wire_type` (the tag already read). Not
// WireFormatLite::SkipField: it reads tags and lengths as 32-bit varints, dropping the high
// bits of longer ones, where protobuf's parser refuses them.
bool SkipValue(CodedInputStream* input, uint32_t field, WireType wire_type) {
  uint64_t ignored = 0;
  int size = 0;
  switch (wire_type) {
    case kVarint:
      return input->ReadVarint64(&ignored);
    case kFixed64:
      return input->Skip(8);
    case kLength:
      return input->ReadVarintSizeAsInt(&size) && input->Skip(size);
    case kFixed32:
      return input->Skip(4);
    case kStartGroup: {
      if (!input->IncrementRecursionDepth()) return false;
      uint32_t inner_field = 0;
      WireType inner_type{};
      while (ReadTag(input, &inner_field, &inner_type)) {
        if (inner_type == kEndGroup) {
          input->DecrementRecursionDepth();
          return inner_field == field;
        }
        if (!SkipValue(input, inner_field, inner_type)) return false;
      }
      return false;
    }
    case kEndGroup:
      break;  // an end-group without a start
  }
  return false;  // and wire types 6 and 7
}

// Reads the fields of one message, from `input`'s position to its limit. A length-delimited
// field, and a field of `scalar_type` (-1 for none), goes to `on_field(number, wire_type)`:
// a length-delimited one with a limit pushed at its end, what `on_field` leaves of it passed
// over afterwards; a scalar one for `on_field` to read. Every other field is skipped. False,
// with `*error` set unless `on_field` failed, on bad wire data or if `on_field` returns false.
template <typename OnField>
bool ReadFields(CodedInputStream* input, const char* message, int scalar_type, std::string* error,
                OnField on_field) {
  while (!input->ExpectAtEnd()) {
    uint32_t field = 0;
    WireType wire_type{};
    if (!ReadTag(input, &field, &wire_type)) {
      *error = std::string("bad field tag in ") + message;
      return false;
    }
    if (wire_type == kLength) {
      int size = 0;
      const void* data = nullptr;
      int available = 0;  // up to the limit
      const bool sized = input->ReadVarintSizeAsInt(&size);
      input->GetDirectBufferPointerInline(&data, &available);
      if (!sized || size > available) {
        *error = "field " + std::to_string(field) + " of " + message + " runs past its end";
        return false;
      }
      const CodedInputStream::Limit limit = input->PushLimit(size);
      if (!on_field(field, wire_type)) return false;
      TakeRest(input);
      input->PopLimit(limit);
    } else if (static_cast<int>(wire_type) == scalar_type) {
      if (!on_field(field, wire_type)) return false;
    } else if (!SkipValue(input, field, wire_type)) {
      *error = "bad unknown field " + std::to_string(field) + " in " + message;
      return false;
    }
  }
  return true;
}

}  // namespace

const char* FeatureKindName(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kBytes:
      return "bytes_list";
    case FeatureKind::kFloat:
      return "float_list";
    case FeatureKind::kInt64:
      return "int64_list";
    case FeatureKind::kNone:
      break;
  }
  return "no list";
}

bool ExampleWire::Parse(const uint8_t* data, size_t size) {
  names_.clear();
  features_.clear();
  lists_.clear();
  error_.clear();
  if (size > static_cast<size_t>(INT_MAX)) {
    return error_ = std::to_string(size) + " bytes, over protobuf's 2 GiB limit", false;
  }
  CodedInputStream input(data, static_cast<int>(size));
  input.SetRecursionLimit(kMaxGroupDepth);
  return ReadFields(&input, "the Example", -1, &error_, [&](uint32_t field, WireType) {
    return field != 1 || ParseFeatures(&input);
  });
}

bool ExampleWire::ParseFeatures(Input* input) {
  return ReadFields(input, "Features", -1, &error_, [&](uint32_t field, WireType) {
    return field != 1 || ParseEntry(input);
  });
}

bool ExampleWire::ParseEntry(Input* input) {
  Span key;  // an entry without a key has the empty key, as in protobuf
  FeatureRef ref;
  ref.first_list = static_cast<uint32_t>(lists_.size());
  auto on_field = [&](uint32_t field, WireType) {
    if (field == 1) key = TakeRest(input);
    return field != 2 || ParseFeature(input, &ref);
  };
  if (!ReadFields(input, "a feature map entry", -1, &error_, on_field)) return false;
  names_.push_back(key);
  features_.push_back(ref);
  return true;
}

bool ExampleWire::ParseFeature(Input* input, FeatureRef* ref) {
  return ReadFields(input, "a Feature", -1, &error_, [&](uint32_t field, WireType) {
    if (field < 1 || field > 3) return true;
    const auto kind = static_cast<FeatureKind>(field);
    if (kind != ref->kind) {
      // Another member of the oneof replaces the one set so far.
      ref->kind = kind;
      ref->first_list = static_cast<uint32_t>(lists_.size());
      ref->num_lists = 0;
    }
    lists_.push_back(TakeRest(input));
    ++ref->num_lists;
    return true;
  });
}

// Calls `on_value(wire_type, input)` for each `value` field (number 1) of each list message
// of `feature`, in order, that is length-delimited (packed numbers, or one bytes value; the
// input limited to it) or of `scalar_type` (one unpacked number, for `on_value` to read).
template <typename OnValue>
bool ExampleWire::ForEachValue(const FeatureRef& feature, int scalar_type, OnValue on_value) const {
  std::string ignored;
  for (uint32_t i = 0; i < feature.num_lists; ++i) {
    const Span& list = lists_[feature.first_list + i];
    CodedInputStream input(list.data, static_cast<int>(list.size));
    input.SetRecursionLimit(kMaxGroupDepth);
    auto on_field = [&](uint32_t field, WireType type) {
      if (field == 1) return on_value(type, &input);
      return type == kLength || SkipValue(&input, field, type);  // an unknown field
    };
    if (!ReadFields(&input, "a list", scalar_type, &ignored, on_field)) return false;
  }
  return true;
}

bool ExampleWire::CountNumbers(const FeatureRef& feature, size_t* count) const {
  *count = 0;
  const bool floats = feature.kind == FeatureKind::kFloat;
  const int scalar_type = floats ? kFixed32 : feature.kind == FeatureKind::kInt64 ? kVarint : -1;
  return ForEachValue(feature, scalar_type, [&](WireType wire_type, CodedInputStream* input) {
    if (wire_type != kLength) {
      ++*count;
      return SkipValue(input, 1, wire_type);
    }
    const Span packed = TakeRest(input);
    if (floats) {
      *count += packed.size / 4;
      return packed.size % 4 == 0;
    }
    // Varints: one ends at each byte below 0x80.
    for (size_t b = 0; b < packed.size; ++b) *count += packed.data[b] < 0x80;
    return packed.size == 0 || packed.data[packed.size - 1] < 0x80;
  });
}

bool ExampleWire::ReadInt64s(const FeatureRef& feature, int64_t* out) const {
  return ForEachValue(feature, kVarint, [&](WireType wire_type, CodedInputStream* input) {
    uint64_t value = 0;
    if (wire_type != kLength) {
      if (!input->ReadVarint64(&value)) return false;
      *out++ = static_cast<int64_t>(value);
      return true;
    }
    while (!input->ExpectAtEnd()) {
      if (!input->ReadVarint64(&value)) return false;
      *out++ = static_cast<int64_t>(value);
    }
    return true;
  });
}

bool ExampleWire::ReadFloats(const FeatureRef& feature, float* out) const {
  return ForEachValue(feature, kFixed32, [&](WireType wire_type, CodedInputStream* input) {
    if (wire_type != kLength) {
      uint32_t bits = 0;
      if (!input->ReadLittleEndian32(&bits)) return false;
      std::memcpy(out++, &bits, 4);
      return true;
    }
    const Span packed = TakeRest(input);
    if (packed.size % 4 != 0) return false;
    std::memcpy(out, packed.data, packed.size);  // little-endian IEEE floats on the wire
    out += packed.size / 4;
    return true;
  });
}

bool ExampleWire::ReadBytes(const FeatureRef& feature, std::vector<Span>* out) const {
  out->clear();
  return ForEachValue(feature, -1, [&](WireType, CodedInputStream* input) {
    out->push_back(TakeRest(input));
    return true;
  });
}

}  // namespace headrace::engine::tfrecord
