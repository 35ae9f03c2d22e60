// MindRecordHeader: the JSON header at the start of every MindRecord shard file.
//
// A shard file (as mindspore.mindrecord.FileWriter writes it) is:
//   [8-byte little-endian length n][n bytes of JSON header] ... zeros up to header_size
//   page 0, page 1, ...   each page_size bytes long (the last one may end early), page k
//                         starting at header_size + k * page_size
// Pages are of two kinds. A blob page holds, per row, an 8-byte little-endian length and the
// row's blob: the one blob column's bytes, or, with several blob columns, each as an 8-byte
// big-endian length and its bytes (integer arrays compressed, see mindrecord_blob.h). A raw
// page holds, per row, an 8-byte little-endian length and the MessagePack map of the row's
// other (scalar) columns. A raw page lists its row groups: (id, byte offset in the raw page);
// group id g holds the rows of the blob page whose page_type_id is g, rows
// [start_row_id, end_row_id) of the shard. Every shard's header carries the whole data set's
// schema, its own page list and the names of all sibling shard files.
//
// Parse accepts what MindSpore 2.x writes; Serialize writes the same keys in the same
// order, byte for byte, so that MindSpore reads what headrace writes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/data_type.h"
#include "headrace/core/result.h"

namespace headrace::engine {

class DataFile;

// A column of the schema: "label": {"type": "int32"}, "vec": {"type": "float32", "shape": [4]}.
struct MindRecordColumn {
  std::string name;
  std::string type;            // "int32", "int64", "float32", "float64", "string", "bytes"
  bool has_shape = false;      // arrays carry a shape (a -1 dimension takes what is left)
  std::vector<int64_t> shape;
  bool is_blob = false;        // bytes and arrays live in blob pages

  // The element type of the tensor: bytes -> uint8, string -> string, the rest as named.
  DataType dtype() const;
  // True for int32/int64 arrays: MindSpore stores them compressed when the schema has any.
  bool is_integer_array() const { return has_shape && (type == "int32" || type == "int64"); }
};

struct MindRecordPage {
  int64_t page_id = 0;
  int64_t shard_id = 0;
  bool is_blob = false;  // "BLOB_DATA" or "RAW_DATA"
  int64_t page_type_id = 0;
  int64_t start_row_id = 0;
  int64_t end_row_id = 0;
  std::vector<std::pair<int64_t, int64_t>> row_groups;  // (id, offset); blob pages have none
  int64_t page_size = 0;                                 // bytes used
};

struct MindRecordHeader {
  int64_t header_size = 0;
  int64_t page_size = 0;
  int64_t compression_size = 0;
  std::string desc;
  std::vector<MindRecordColumn> columns;  // in name order, as the JSON object lists them
  std::vector<std::string> blob_fields;   // the order of the columns in a blob
  std::vector<std::string> index_fields;
  std::vector<MindRecordPage> pages;
  std::vector<std::string> shard_addresses;  // file names (no folder) of every shard
  int64_t shard_id = 0;
  std::string version = "3.0";

  // The header of `file`. InvalidArgument "<path> is not a MindRecord file: ..." when the
  // length or the JSON make no sense; DataLoss when the file ends inside the header.
  static Result<MindRecordHeader> Read(const DataFile& file);
  // The header from its JSON text; `path` names the file in errors.
  static Result<MindRecordHeader> Parse(const std::string& json_text, const std::string& path);

  // The schema of a new data set from the JSON object FileWriter.add_schema takes
  // ({"name": {"type": ..., "shape": [...]}, ...}): columns and blob_fields.
  static Result<MindRecordHeader> FromSchema(const std::string& schema_json, std::string desc);

  // The JSON text as MindSpore writes it.
  std::string Serialize() const;
  // {"blob_fields":[...],"desc":"...","schema":{...}}: the schema entry of the header.
  std::string SchemaJson() const;

  // Rows of this shard (the blob pages' rows).
  int64_t num_rows() const;
  // True when blobs hold compressed integer arrays (the schema has an int32/int64 array).
  bool compresses_integers() const;
  // The column called `name`, or nullptr.
  const MindRecordColumn* FindColumn(const std::string& name) const;
  std::vector<std::string> column_names() const;
};

}  // namespace headrace::engine
