#include "headrace/engine/sources/mindrecord/mindrecord_header.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "headrace/engine/sources/data_file.h"

namespace headrace::engine {

namespace {

using Json = nlohmann::json;

// MindSpore refuses headers longer than this (128 MB); a larger length is not a header.
constexpr int64_t kMaxHeaderSize = int64_t{1} << 27;

bool IsKnownType(const std::string& type) {
  return type == "int32" || type == "int64" || type == "float32" || type == "float64" ||
         type == "string" || type == "bytes";
}

Status NotMindRecord(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path + " is not a MindRecord file: " + why);
}

// The columns of a {"name": {"type": ..., "shape": [...]}} object; `what` starts errors.
Status ParseColumns(const Json& schema, const std::string& what, MindRecordHeader* header) {
  if (!schema.is_object() || schema.empty()) return Status::InvalidArgument(what + ": the schema is empty");
  for (const auto& [name, spec] : schema.items()) {
    if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
      return Status::InvalidArgument(what + ": column '" + name + "' has no type");
    }
    MindRecordColumn column;
    column.name = name;
    column.type = spec["type"].get<std::string>();
    if (!IsKnownType(column.type)) {
      return Status::InvalidArgument(what + ": column '" + name + "' has unknown type '" + column.type + "'");
    }
    if (spec.contains("shape")) {
      if (!spec["shape"].is_array() || column.type == "string" || column.type == "bytes") {
        return Status::InvalidArgument(what + ": column '" + name + "' has a bad shape");
      }
      column.has_shape = true;
      for (const Json& dim : spec["shape"]) {
        if (!dim.is_number_integer() || (dim.get<int64_t>() < 1 && dim.get<int64_t>() != -1)) {
          return Status::InvalidArgument(what + ": column '" + name + "' has a bad shape " + spec["shape"].dump());
        }
        column.shape.push_back(dim.get<int64_t>());
      }
    }
    column.is_blob = column.has_shape || column.type == "bytes";
    header->columns.push_back(std::move(column));
  }
  return Status::OK();
}

Json PageJson(const MindRecordPage& page) {
  Json out;
  out["page_id"] = page.page_id;
  out["shard_id"] = page.shard_id;
  out["page_type"] = page.is_blob ? "BLOB_DATA" : "RAW_DATA";
  out["page_type_id"] = page.page_type_id;
  out["start_row_id"] = page.start_row_id;
  out["end_row_id"] = page.end_row_id;
  out["row_group_ids"] = Json::array();
  // MindSpore writes a page without row groups as one group (0, 0); readers skip groups
  // that start at the page's end, so an empty raw page reads as no rows.
  if (page.row_groups.empty()) {
    out["row_group_ids"].push_back({{"id", 0}, {"offset", 0}});
  }
  for (const auto& [id, offset] : page.row_groups) {
    out["row_group_ids"].push_back({{"id", id}, {"offset", offset}});
  }
  out["page_size"] = page.page_size;
  return out;
}

}  // namespace

DataType MindRecordColumn::dtype() const {
  if (type == "int32") return DataType::kInt32;
  if (type == "int64") return DataType::kInt64;
  if (type == "float32") return DataType::kFloat32;
  if (type == "float64") return DataType::kFloat64;
  if (type == "string") return DataType::kString;
  return DataType::kUInt8;
}

Result<MindRecordHeader> MindRecordHeader::Read(const DataFile& file) {
  if (file.size() < 8) return NotMindRecord(file.path(), "it has " + std::to_string(file.size()) + " bytes");
  uint8_t length_bytes[8];
  RETURN_IF_ERROR(file.ReadExactlyAt(0, 8, length_bytes, "header length"));
  uint64_t length = 0;
  std::memcpy(&length, length_bytes, 8);  // little-endian, as on every machine MindSpore runs
  if (length == 0 || length > static_cast<uint64_t>(kMaxHeaderSize)) {
    return NotMindRecord(file.path(), "its header length " + std::to_string(length) + " is out of range");
  }
  std::string text(length, '\0');
  RETURN_IF_ERROR(file.ReadExactlyAt(8, static_cast<int64_t>(length),
                                     reinterpret_cast<uint8_t*>(text.data()), "header"));
  return Parse(text, file.path());
}

Result<MindRecordHeader> MindRecordHeader::Parse(const std::string& json_text, const std::string& path) {
  Json json = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return NotMindRecord(path, "its header is not JSON");
  MindRecordHeader header;
  try {
    header.header_size = json.at("header_size").get<int64_t>();
    header.page_size = json.at("page_size").get<int64_t>();
    header.compression_size = json.value("compression_size", int64_t{0});
    header.shard_id = json.value("shard_id", int64_t{0});
    header.version = json.at("version").get<std::string>();
    header.shard_addresses = json.at("shard_addresses").get<std::vector<std::string>>();
    const Json& schemas = json.at("schema");
    if (!schemas.is_array() || schemas.size() != 1) return NotMindRecord(path, "it has no schema");
    const Json& schema = schemas[0];
    header.desc = schema.value("desc", std::string());
    header.blob_fields = schema.at("blob_fields").get<std::vector<std::string>>();
    Status columns = ParseColumns(schema.at("schema"), path, &header);
    if (!columns.ok()) return NotMindRecord(path, columns.message());
    const Json& index = json.at("index_fields");
    if (index.is_array()) {
      for (const Json& field : index) header.index_fields.push_back(field.at("index_field").get<std::string>());
    }
    const Json& pages = json.at("page");
    if (pages.is_array()) {
      for (const Json& item : pages) {
        MindRecordPage page;
        page.page_id = item.at("page_id").get<int64_t>();
        page.shard_id = item.at("shard_id").get<int64_t>();
        const auto type = item.at("page_type").get<std::string>();
        if (type != "BLOB_DATA" && type != "RAW_DATA") return NotMindRecord(path, "page type " + type);
        page.is_blob = type == "BLOB_DATA";
        page.page_type_id = item.at("page_type_id").get<int64_t>();
        page.start_row_id = item.at("start_row_id").get<int64_t>();
        page.end_row_id = item.at("end_row_id").get<int64_t>();
        page.page_size = item.at("page_size").get<int64_t>();
        if (!page.is_blob) {
          for (const Json& group : item.at("row_group_ids")) {
            page.row_groups.emplace_back(group.at("id").get<int64_t>(), group.at("offset").get<int64_t>());
          }
        }
        header.pages.push_back(std::move(page));
      }
    }
  } catch (const Json::exception& error) {
    return NotMindRecord(path, std::string("its header lacks a field (") + error.what() + ")");
  }
  if (header.header_size < 8 || header.page_size <= 0) {
    return NotMindRecord(path, "header_size " + std::to_string(header.header_size) + " or page_size " +
                                   std::to_string(header.page_size) + " is out of range");
  }
  for (const std::string& field : header.blob_fields) {
    if (header.FindColumn(field) == nullptr) return NotMindRecord(path, "blob field '" + field + "' is not a column");
  }
  return header;
}

Result<MindRecordHeader> MindRecordHeader::FromSchema(const std::string& schema_json, std::string desc) {
  Json json = Json::parse(schema_json, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument("schema: not JSON");
  MindRecordHeader header;
  header.desc = std::move(desc);
  RETURN_IF_ERROR(ParseColumns(json, "schema", &header));
  for (const MindRecordColumn& column : header.columns) {
    if (column.is_blob) header.blob_fields.push_back(column.name);
  }
  return header;
}

std::string MindRecordHeader::SchemaJson() const {
  Json schema = Json::object();
  for (const MindRecordColumn& column : columns) {
    Json spec;
    spec["type"] = column.type;
    if (column.has_shape) spec["shape"] = column.shape;
    schema[column.name] = spec;
  }
  Json entry;
  entry["blob_fields"] = blob_fields;
  entry["desc"] = desc;
  entry["schema"] = schema;
  return entry.dump();
}

std::string MindRecordHeader::Serialize() const {
  // MindSpore assembles the header by hand (compression_size after page_size, out of
  // alphabetical order); empty lists are written as null.
  Json index;
  for (const std::string& field : index_fields) index.push_back({{"index_field", field}, {"schema_id", 0}});
  Json page_list;
  for (const MindRecordPage& page : pages) page_list.push_back(PageJson(page));
  std::string out = "{\"header_size\":" + std::to_string(header_size) + ",";
  out += "\"index_fields\":" + index.dump() + ",";
  out += "\"page\":" + page_list.dump() + ",";
  out += "\"page_size\":" + std::to_string(page_size) + ",";
  out += "\"compression_size\":" + std::to_string(compression_size) + ",";
  out += "\"schema\":[" + SchemaJson() + "],";
  out += "\"shard_addresses\":" + Json(shard_addresses).dump() + ",";
  out += "\"shard_id\":" + std::to_string(shard_id) + ",";
  out += "\"statistics\":null,";
  out += "\"version\":" + Json(version).dump() + "}";
  return out;
}

int64_t MindRecordHeader::num_rows() const {
  int64_t rows = 0;
  for (const MindRecordPage& page : pages) {
    if (page.is_blob) rows += page.end_row_id - page.start_row_id;
  }
  return rows;
}

bool MindRecordHeader::compresses_integers() const {
  for (const MindRecordColumn& column : columns) {
    if (column.is_integer_array()) return true;
  }
  return false;
}

const MindRecordColumn* MindRecordHeader::FindColumn(const std::string& name) const {
  for (const MindRecordColumn& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

std::vector<std::string> MindRecordHeader::column_names() const {
  std::vector<std::string> names;
  for (const MindRecordColumn& column : columns) names.push_back(column.name);
  return names;
}

}  // namespace headrace::engine
