#include "headrace/engine/sources/tfrecord/example_wire.h"

#include <cstring>

namespace headrace::engine::tfrecord {
namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

// protobuf's own limit on nested groups.
constexpr int kMaxDepth = 100;

// A cursor over serialized protobuf bytes.
class Cursor {
 public:
  explicit Cursor(Span span) : p_(span.data), end_(span.data + span.size) {}

  bool done() const { return p_ == end_; }

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 70 && p_ < end_; shift += 7) {
      const uint8_t byte = *p_++;
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;  // ran off the end, or more than 10 bytes
  }

  bool Tag(uint32_t* field, uint32_t* wire_type) {
    uint64_t tag = 0;
    if (!Varint(&tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *wire_type = static_cast<uint32_t>(tag & 7);
    return true;
  }

  bool Length(Span* span) {
    uint64_t size = 0;
    if (!Varint(&size) || size > static_cast<uint64_t>(end_ - p_)) return false;
    *span = Span{p_, static_cast<size_t>(size)};
    p_ += size;
    return true;
  }

  bool Fixed(size_t bytes, const uint8_t** at) {
    if (static_cast<size_t>(end_ - p_) < bytes) return false;
    *at = p_;
    p_ += bytes;
    return true;
  }

  // Passes over the value of a field of `wire_type` (the tag already read).
  bool SkipValue(uint32_t field, uint32_t wire_type, int depth = 0) {
    uint64_t ignored = 0;
    const uint8_t* at = nullptr;
    Span span;
    switch (wire_type) {
      case kVarint:
        return Varint(&ignored);
      case kFixed64:
        return Fixed(8, &at);
      case kLength:
        return Length(&span);
      case kFixed32:
        return Fixed(4, &at);
      case kStartGroup: {
        if (depth >= kMaxDepth) return false;
        uint32_t inner_field = 0;
        uint32_t inner_type = 0;
        while (Tag(&inner_field, &inner_type)) {
          if (inner_type == kEndGroup) return inner_field == field;
          if (!SkipValue(inner_field, inner_type, depth + 1)) return false;
        }
        return false;
      }
      default:
        return false;  // an end-group without a start, or wire types 6 and 7
    }
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

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
  Cursor example(Span{data, size});
  uint32_t field = 0;
  uint32_t wire_type = 0;
  while (!example.done()) {
    if (!example.Tag(&field, &wire_type)) return error_ = "bad field tag in the Example", false;
    if (field == 1 && wire_type == kLength) {
      Span features;
      if (!example.Length(&features)) return error_ = "Example.features runs past the record", false;
      if (!ParseFeatures(features)) return false;
    } else if (!example.SkipValue(field, wire_type)) {
      return error_ = "bad unknown field " + std::to_string(field) + " in the Example", false;
    }
  }
  return true;
}

bool ExampleWire::ParseFeatures(Span features) {
  Cursor cursor(features);
  uint32_t field = 0;
  uint32_t wire_type = 0;
  while (!cursor.done()) {
    if (!cursor.Tag(&field, &wire_type)) return error_ = "bad field tag in Features", false;
    if (field == 1 && wire_type == kLength) {
      Span entry;
      if (!cursor.Length(&entry)) return error_ = "a Features.feature entry runs past its message", false;
      if (!ParseEntry(entry)) return false;
    } else if (!cursor.SkipValue(field, wire_type)) {
      return error_ = "bad unknown field " + std::to_string(field) + " in Features", false;
    }
  }
  return true;
}

bool ExampleWire::ParseEntry(Span entry) {
  Cursor cursor(entry);
  Span key;  // an entry without a key has the empty key, as in protobuf
  FeatureRef ref;
  ref.first_list = static_cast<uint32_t>(lists_.size());
  uint32_t field = 0;
  uint32_t wire_type = 0;
  while (!cursor.done()) {
    if (!cursor.Tag(&field, &wire_type)) return error_ = "bad field tag in a feature map entry", false;
    if (field == 1 && wire_type == kLength) {
      if (!cursor.Length(&key)) return error_ = "a feature name runs past its entry", false;
    } else if (field == 2 && wire_type == kLength) {
      Span value;
      if (!cursor.Length(&value)) return error_ = "a Feature runs past its entry", false;
      if (!ParseFeature(value, &ref)) return false;
    } else if (!cursor.SkipValue(field, wire_type)) {
      return error_ = "bad unknown field " + std::to_string(field) + " in a feature map entry", false;
    }
  }
  names_.push_back(key);
  features_.push_back(ref);
  return true;
}

bool ExampleWire::ParseFeature(Span feature, FeatureRef* ref) {
  Cursor cursor(feature);
  uint32_t field = 0;
  uint32_t wire_type = 0;
  while (!cursor.done()) {
    if (!cursor.Tag(&field, &wire_type)) return error_ = "bad field tag in a Feature", false;
    if (field >= 1 && field <= 3 && wire_type == kLength) {
      Span list;
      if (!cursor.Length(&list)) return error_ = "a Feature's list runs past the Feature", false;
      const auto kind = static_cast<FeatureKind>(field);
      if (kind != ref->kind) {
        // Another member of the oneof replaces the one set so far.
        ref->kind = kind;
        ref->first_list = static_cast<uint32_t>(lists_.size());
        ref->num_lists = 0;
      }
      lists_.push_back(list);
      ++ref->num_lists;
    } else if (!cursor.SkipValue(field, wire_type)) {
      return error_ = "bad unknown field " + std::to_string(field) + " in a Feature", false;
    }
  }
  return true;
}

bool ExampleWire::CountNumbers(const FeatureRef& feature, size_t* count) const {
  *count = 0;
  for (uint32_t i = 0; i < feature.num_lists; ++i) {
    Cursor cursor(lists_[feature.first_list + i]);
    uint32_t field = 0;
    uint32_t wire_type = 0;
    while (!cursor.done()) {
      if (!cursor.Tag(&field, &wire_type)) return false;
      if (field == 1 && wire_type == kLength) {
        Span packed;
        if (!cursor.Length(&packed)) return false;
        if (feature.kind == FeatureKind::kFloat) {
          if (packed.size % 4 != 0) return false;
          *count += packed.size / 4;
        } else {
          // Varints: one ends at each byte below 0x80.
          size_t ends = 0;
          for (size_t b = 0; b < packed.size; ++b) ends += packed.data[b] < 0x80;
          if (packed.size > 0 && packed.data[packed.size - 1] >= 0x80) return false;
          *count += ends;
        }
      } else if (field == 1 && ((feature.kind == FeatureKind::kFloat && wire_type == kFixed32) ||
                                (feature.kind == FeatureKind::kInt64 && wire_type == kVarint))) {
        if (!cursor.SkipValue(field, wire_type)) return false;
        ++*count;
      } else if (!cursor.SkipValue(field, wire_type)) {
        return false;
      }
    }
  }
  return true;
}

bool ExampleWire::ReadInt64s(const FeatureRef& feature, int64_t* out) const {
  for (uint32_t i = 0; i < feature.num_lists; ++i) {
    Cursor cursor(lists_[feature.first_list + i]);
    uint32_t field = 0;
    uint32_t wire_type = 0;
    while (!cursor.done()) {
      if (!cursor.Tag(&field, &wire_type)) return false;
      uint64_t value = 0;
      if (field == 1 && wire_type == kLength) {
        Span packed;
        if (!cursor.Length(&packed)) return false;
        Cursor values(packed);
        while (!values.done()) {
          if (!values.Varint(&value)) return false;
          *out++ = static_cast<int64_t>(value);
        }
      } else if (field == 1 && wire_type == kVarint) {
        if (!cursor.Varint(&value)) return false;
        *out++ = static_cast<int64_t>(value);
      } else if (!cursor.SkipValue(field, wire_type)) {
        return false;
      }
    }
  }
  return true;
}

bool ExampleWire::ReadFloats(const FeatureRef& feature, float* out) const {
  for (uint32_t i = 0; i < feature.num_lists; ++i) {
    Cursor cursor(lists_[feature.first_list + i]);
    uint32_t field = 0;
    uint32_t wire_type = 0;
    while (!cursor.done()) {
      if (!cursor.Tag(&field, &wire_type)) return false;
      if (field == 1 && wire_type == kLength) {
        Span packed;
        if (!cursor.Length(&packed) || packed.size % 4 != 0) return false;
        std::memcpy(out, packed.data, packed.size);  // little-endian IEEE floats on the wire
        out += packed.size / 4;
      } else if (field == 1 && wire_type == kFixed32) {
        const uint8_t* at = nullptr;
        if (!cursor.Fixed(4, &at)) return false;
        std::memcpy(out++, at, 4);
      } else if (!cursor.SkipValue(field, wire_type)) {
        return false;
      }
    }
  }
  return true;
}

bool ExampleWire::ReadBytes(const FeatureRef& feature, std::vector<Span>* out) const {
  out->clear();
  for (uint32_t i = 0; i < feature.num_lists; ++i) {
    Cursor cursor(lists_[feature.first_list + i]);
    uint32_t field = 0;
    uint32_t wire_type = 0;
    while (!cursor.done()) {
      if (!cursor.Tag(&field, &wire_type)) return false;
      if (field == 1 && wire_type == kLength) {
        Span value;
        if (!cursor.Length(&value)) return false;
        out->push_back(value);
      } else if (!cursor.SkipValue(field, wire_type)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace headrace::engine::tfrecord
