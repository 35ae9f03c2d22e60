#include "headrace/engine/sources/mindrecord/mindrecord_index.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/mindrecord/mindrecord_layout.h"

namespace headrace::engine {

namespace {

using Json = nlohmann::json;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

Status SqliteError(sqlite3* db, const std::string& path, const std::string& what) {
  return Status::Internal("cannot " + what + " in " + path + ": " + sqlite3_errmsg(db));
}

std::string SqlType(const std::string& type) {
  if (type == "int32" || type == "int64") return "INTEGER";
  if (type == "float32" || type == "float64") return "REAL";
  return "TEXT";
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Status WriteMindRecordIndex(const std::string& path, const MindRecordHeader& header) {
  const std::string db_path = path + ".db";
  struct stat info {};
  if (stat(db_path.c_str(), &info) == 0) return Status::AlreadyExists("the index file " + db_path + " already exists");
  sqlite3* opened = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::unique_ptr<sqlite3, CloseDb> failed(opened);
    return SqliteError(opened, db_path, "create the index");
  }
  std::unique_ptr<sqlite3, CloseDb> db(opened);
  // The same statement text as MindSpore's, so that the schemas compare equal.
  std::string create =
      "CREATE TABLE INDEXES(  ROW_ID               INT  NOT NULL, PAGE_ID_RAW          INT  NOT NULL"
      ", PAGE_OFFSET_RAW      INT  NOT NULL, PAGE_OFFSET_RAW_END  INT  NOT NULL"
      ", ROW_GROUP_ID         INT  NOT NULL, PAGE_ID_BLOB         INT  NOT NULL"
      ", PAGE_OFFSET_BLOB     INT  NOT NULL, PAGE_OFFSET_BLOB_END INT  NOT NULL";
  std::string insert =
      "INSERT INTO INDEXES (ROW_ID,ROW_GROUP_ID,PAGE_ID_RAW,PAGE_OFFSET_RAW,PAGE_OFFSET_RAW_END,PAGE_ID_BLOB,"
      "PAGE_OFFSET_BLOB,PAGE_OFFSET_BLOB_END";
  std::string values = ") VALUES(?,?,?,?,?,?,?,?";
  std::vector<const MindRecordColumn*> fields;
  for (size_t k = 0; k < header.index_fields.size(); ++k) {
    const MindRecordColumn* column = header.FindColumn(header.index_fields[k]);
    if (column == nullptr) return Status::InvalidArgument("index field '" + header.index_fields[k] + "' is not a column");
    fields.push_back(column);
    const std::string inc = "INC_" + std::to_string(k);
    create += "," + inc + " INT, " + column->name + "_0 " + SqlType(column->type);
    insert += "," + inc + "," + column->name + "_0";
    values += ",?,?";
  }
  create += ", PRIMARY KEY(ROW_ID";
  for (size_t k = 0; k < fields.size(); ++k) create += ",INC_" + std::to_string(k);
  create += "));";
  const std::string shard_table = "CREATE TABLE SHARD_NAME(NAME TEXT NOT NULL);";
  for (const std::string& sql : {create, shard_table, std::string("BEGIN TRANSACTION;")}) {
    if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqliteError(db.get(), db_path, "create the tables");
    }
  }
  const auto prepare = [&](const std::string& sql) -> Result<std::unique_ptr<sqlite3_stmt, FinalizeStatement>> {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      return SqliteError(db.get(), db_path, "prepare a statement");
    }
    return std::unique_ptr<sqlite3_stmt, FinalizeStatement>(statement);
  };
  {
    ASSIGN_OR_RETURN(auto name, prepare("INSERT INTO SHARD_NAME (NAME) VALUES (?);"));
    const std::string base = BaseName(path);
    sqlite3_bind_text(name.get(), 1, base.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(name.get()) != SQLITE_DONE) return SqliteError(db.get(), db_path, "write the shard name");
  }
  ASSIGN_OR_RETURN(auto row, prepare(insert + values + ")"));
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  const auto add_row = [&](const MindRecordRowPlace& place) -> Status {
    sqlite3_stmt* s = row.get();
    sqlite3_reset(s);
    const int64_t numbers[8] = {place.row_id,
                                place.blob_page->page_type_id,
                                place.raw_page->page_id,
                                place.raw_offset,
                                place.raw_offset + 8 + place.raw_length,
                                place.blob_page->page_id,
                                place.blob_offset,
                                place.blob_offset + 8 + place.blob_length};
    for (int i = 0; i < 8; ++i) sqlite3_bind_int64(s, i + 1, numbers[i]);
    if (!fields.empty()) {
      const Json raw = Json::from_msgpack(place.raw.begin(), place.raw.end(), true, false);
      if (raw.is_discarded() || !raw.is_object()) {
        return Status::DataLoss(path + ": row " + std::to_string(place.row_id) + " has raw data that is not MessagePack");
      }
      for (size_t k = 0; k < fields.size(); ++k) {
        const int at = 9 + 2 * static_cast<int>(k);
        sqlite3_bind_int64(s, at, 0);
        const auto value = raw.find(fields[k]->name);
        if (value == raw.end()) {
          sqlite3_bind_null(s, at + 1);
        } else if (value->is_number_integer()) {
          sqlite3_bind_int64(s, at + 1, value->get<int64_t>());
        } else if (value->is_number()) {
          sqlite3_bind_double(s, at + 1, value->get<double>());
        } else if (value->is_string()) {
          const auto& text = value->get_ref<const std::string&>();
          sqlite3_bind_text(s, at + 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        } else {
          sqlite3_bind_text(s, at + 1, value->dump().c_str(), -1, SQLITE_TRANSIENT);
        }
      }
    }
    if (sqlite3_step(s) != SQLITE_DONE) return SqliteError(db.get(), db_path, "write row " + std::to_string(place.row_id));
    return Status::OK();
  };
  RETURN_IF_ERROR(WalkMindRecordRows(*file, header, [](const MindRecordPage&, std::string_view) {}, add_row));
  if (sqlite3_exec(db.get(), "END TRANSACTION;", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db.get(), db_path, "commit the index");
  }
  return Status::OK();
}

}  // namespace headrace::engine
