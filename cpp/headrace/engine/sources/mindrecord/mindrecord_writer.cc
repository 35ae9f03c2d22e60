#include "headrace/engine/sources/mindrecord/mindrecord_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>

#include <nlohmann/json.hpp>

#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/mindrecord/mindrecord_blob.h"
#include "headrace/engine/sources/mindrecord/mindrecord_index.h"

namespace headrace::engine {

namespace {

using Json = nlohmann::json;

bool Exists(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void AppendLittleEndian64(uint64_t value, std::string* out) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  out->append(bytes, 8);
}

}  // namespace

MindRecordWriter::~MindRecordWriter() {
  for (Shard& shard : shards_) {
    if (shard.fd >= 0) close(shard.fd);
  }
}

Result<std::unique_ptr<MindRecordWriter>> MindRecordWriter::Create(std::vector<std::string> paths,
                                                                   MindRecordHeader schema, bool overwrite) {
  if (paths.empty()) return Status::InvalidArgument("MindRecordWriter: no file to write");
  if (schema.columns.empty()) {
    return Status::FailedPrecondition("the schema is not set: call add_schema before writing MindRecord files");
  }
  if (schema.index_fields.empty()) {
    // As MindSpore: without add_index, every scalar column is an index field.
    for (const MindRecordColumn& column : schema.columns) {
      if (!column.is_blob) schema.index_fields.push_back(column.name);
    }
  }
  schema.shard_addresses.clear();
  for (const std::string& path : paths) schema.shard_addresses.push_back(BaseName(path));
  std::unique_ptr<MindRecordWriter> writer(new MindRecordWriter(std::move(schema)));
  for (const std::string& path : paths) {
    if (Exists(path) || Exists(path + ".db")) {
      if (!overwrite) {
        return Status::AlreadyExists("MindRecord files already exist: " + path +
                                     "; set overwrite=True to replace them");
      }
      if ((unlink(path.c_str()) != 0 && errno != ENOENT) || (unlink((path + ".db").c_str()) != 0 && errno != ENOENT)) {
        return FileError("remove", path, errno);
      }
    }
    Shard shard;
    shard.path = path;
    shard.fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (shard.fd < 0) return FileError("create", path, errno);
    writer->shards_.push_back(std::move(shard));
  }
  return writer;
}

int MindRecordWriter::LastPage(const Shard& shard, bool blob) const {
  for (int i = static_cast<int>(shard.pages.size()) - 1; i >= 0; --i) {
    if (shard.pages[static_cast<size_t>(i)].is_blob == blob) return i;
  }
  return -1;
}

Status MindRecordWriter::WriteAt(Shard& shard, int64_t offset, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t wrote = pwrite(shard.fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) return FileError("write", shard.path, errno);
    done += static_cast<size_t>(wrote);
  }
  return Status::OK();
}

Status MindRecordWriter::Write(const std::vector<MindRecordRow>& rows) {
  if (committed_) return Status::FailedPrecondition("the MindRecord files are committed; no more rows can be written");
  if (rows.empty()) return Status::OK();
  const bool compress = header_.compresses_integers();
  std::vector<const MindRecordColumn*> blob_columns;
  for (const std::string& name : header_.blob_fields) blob_columns.push_back(header_.FindColumn(name));
  std::vector<Encoded> encoded(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const MindRecordRow& row = rows[i];
    Json raw = Json::object();
    for (const auto& [name, value] : row.scalars) {
      if (const auto* number = std::get_if<int64_t>(&value)) {
        raw[name] = *number;
      } else if (const auto* real = std::get_if<double>(&value)) {
        raw[name] = *real;
      } else {
        raw[name] = std::get<std::string>(value);
      }
    }
    // MindSpore gives a row without scalar columns a dummy one, and one without blob
    // columns a 4-byte dummy blob.
    if (raw.empty()) raw["id"] = 0;
    const std::vector<uint8_t> packed = Json::to_msgpack(raw);
    encoded[i].raw.assign(packed.begin(), packed.end());
    if (row.blobs.size() != blob_columns.size()) {
      return Status::InvalidArgument("row " + std::to_string(i) + " has " + std::to_string(row.blobs.size()) +
                                     " blob columns, the schema " + std::to_string(blob_columns.size()));
    }
    if (blob_columns.empty()) {
      encoded[i].blob.assign(4, '\0');
    } else {
      std::vector<std::string> stored(row.blobs.size());
      std::vector<std::string_view> views;
      int64_t plain = row.blobs.size() == 1 ? 0 : static_cast<int64_t>(8 * row.blobs.size());
      for (size_t c = 0; c < row.blobs.size(); ++c) {
        plain += static_cast<int64_t>(row.blobs[c].size());
        if (compress && blob_columns[c]->is_integer_array()) {
          stored[c] = mindrecord::CompressIntegers(row.blobs[c], static_cast<int>(ElementSize(blob_columns[c]->dtype())));
          views.emplace_back(stored[c]);
        } else {
          views.emplace_back(row.blobs[c]);
        }
      }
      encoded[i].blob = mindrecord::MergeBlob(views);
      header_.compression_size += plain - static_cast<int64_t>(encoded[i].blob.size());
    }
    const auto needed = static_cast<int64_t>(8 + std::max(encoded[i].raw.size(), encoded[i].blob.size()));
    if (needed > header_.page_size) {
      return Status::InvalidArgument("row " + std::to_string(i) + " needs " + std::to_string(needed) +
                                     " bytes, more than the page size " + std::to_string(header_.page_size) +
                                     ": call set_page_size with a larger size");
    }
  }
  // Every shard takes rows / shards; the remainder goes to the shards with fewest rows.
  const size_t count = shards_.size();
  std::vector<size_t> take(count, rows.size() / count);
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return shards_[a].rows < shards_[b].rows; });
  for (size_t k = 0; k < rows.size() % count; ++k) ++take[order[k]];
  size_t begin = 0;
  for (size_t s = 0; s < count; ++s) {
    RETURN_IF_ERROR(WriteShard(s, encoded, begin, begin + take[s]));
    begin += take[s];
  }
  rows_written_ += static_cast<int64_t>(rows.size());
  return Status::OK();
}

Status MindRecordWriter::WriteShard(size_t shard_index, const std::vector<Encoded>& rows, size_t begin, size_t end) {
  if (begin == end) return Status::OK();
  Shard& shard = shards_[shard_index];
  std::vector<MindRecordPage>& pages = shard.pages;
  const int64_t page_size = header_.page_size;
  const auto raw_size = [&](size_t i) { return static_cast<int64_t>(8 + rows[i].raw.size()); };
  const auto blob_size = [&](size_t i) { return static_cast<int64_t>(8 + rows[i].blob.size()); };
  const auto pack = [&](std::pair<size_t, size_t> range, bool blob) {
    std::string out;
    for (size_t i = range.first; i < range.second; ++i) {
      const std::string& bytes = blob ? rows[i].blob : rows[i].raw;
      AppendLittleEndian64(bytes.size(), &out);
      out += bytes;
    }
    return out;
  };
  int last_raw = LastPage(shard, false);
  const int last_blob = LastPage(shard, true);

  // Cut the rows into groups of one blob page each; group 0 continues the last blob page
  // (it is empty when nothing more fits there). A group also ends when its raw bytes would
  // not fit in one raw page.
  int64_t blob_bytes = last_blob >= 0 ? pages[static_cast<size_t>(last_blob)].page_size : 0;
  int64_t raw_bytes = 0;
  if (last_raw >= 0) {
    const MindRecordPage& raw = pages[static_cast<size_t>(last_raw)];
    raw_bytes = raw.page_size - (raw.row_groups.empty() ? 0 : raw.row_groups.back().second);
  }
  std::vector<std::pair<size_t, size_t>> groups;
  size_t start = begin;
  for (size_t i = begin; i < end; ++i) {
    if (blob_bytes == 0 || blob_bytes + blob_size(i) > page_size || raw_bytes + raw_size(i) > page_size) {
      groups.emplace_back(start, i);
      start = i;
      blob_bytes = blob_size(i);
      raw_bytes = raw_size(i);
    } else {
      blob_bytes += blob_size(i);
      raw_bytes += raw_size(i);
    }
  }
  groups.emplace_back(start, end);
  const auto raw_sum = [&](std::pair<size_t, size_t> range) {
    int64_t total = 0;
    for (size_t i = range.first; i < range.second; ++i) total += raw_size(i);
    return total;
  };

  // Blob pages: group 0 onto the last one, each further group onto a new one.
  const bool continues = groups[0].first != groups[0].second;
  if (continues) {
    MindRecordPage& page = pages[static_cast<size_t>(last_blob)];
    const std::string bytes = pack(groups[0], true);
    RETURN_IF_ERROR(WriteAt(shard, PageStart(page.page_id) + page.page_size, bytes));
    page.page_size += static_cast<int64_t>(bytes.size());
    page.end_row_id += static_cast<int64_t>(groups[0].second - groups[0].first);
  }
  int64_t type_id = last_blob >= 0 ? pages[static_cast<size_t>(last_blob)].page_type_id : -1;
  int64_t row_id = last_blob >= 0 ? pages[static_cast<size_t>(last_blob)].end_row_id : 0;
  for (size_t g = 1; g < groups.size(); ++g) {
    const auto page_id = static_cast<int64_t>(pages.size());
    const std::string bytes = pack(groups[g], true);
    RETURN_IF_ERROR(WriteAt(shard, PageStart(page_id), bytes));
    const auto rows_in_group = static_cast<int64_t>(groups[g].second - groups[g].first);
    pages.push_back({page_id, static_cast<int64_t>(shard_index), true, ++type_id, row_id, row_id + rows_in_group, {},
                     static_cast<int64_t>(bytes.size())});
    row_id += rows_in_group;
  }

  // If group 0's raw rows do not fit after the last raw page's bytes, that page's last row
  // group (the rows of the last blob page) moves to a new raw page, which group 0 extends.
  if (continues && raw_sum(groups[0]) + pages[static_cast<size_t>(last_raw)].page_size > page_size) {
    MindRecordPage& old_page = pages[static_cast<size_t>(last_raw)];
    const auto [group_id, group_offset] =
        old_page.row_groups.empty() ? std::pair<int64_t, int64_t>{0, 0} : old_page.row_groups.back();
    std::string moved(static_cast<size_t>(old_page.page_size - group_offset), '\0');
    const ssize_t got = pread(shard.fd, moved.data(), moved.size(), PageStart(old_page.page_id) + group_offset);
    if (got != static_cast<ssize_t>(moved.size())) return FileError("read back", shard.path, got < 0 ? errno : EIO);
    // MindSpore numbers raw pages by the previous raw page's id (a quirk kept for equal headers).
    const int64_t new_type_id = old_page.page_id + 1;
    old_page.page_size = group_offset;
    if (!old_page.row_groups.empty()) old_page.row_groups.pop_back();
    const auto page_id = static_cast<int64_t>(pages.size());
    RETURN_IF_ERROR(WriteAt(shard, PageStart(page_id), moved));
    pages.push_back({page_id, static_cast<int64_t>(shard_index), false, new_type_id, 0, 0, {{group_id, 0}},
                     static_cast<int64_t>(moved.size())});
    last_raw = static_cast<int>(page_id);
  }

  // Raw pages: each group's rows after the last raw page's bytes, or on a new raw page.
  int64_t last_group = -1;
  if (last_raw >= 0 && !pages[static_cast<size_t>(last_raw)].row_groups.empty()) {
    last_group = pages[static_cast<size_t>(last_raw)].row_groups.back().first;
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].first == groups[g].second) continue;
    const int64_t bytes_needed = raw_sum(groups[g]);
    if (last_raw < 0 || pages[static_cast<size_t>(last_raw)].page_size + bytes_needed > page_size) {
      if (g == 0) return Status::Internal(shard.path + ": the continued row group has no raw page");
      const int64_t new_type_id = last_raw >= 0 ? pages[static_cast<size_t>(last_raw)].page_id + 1 : 0;
      const auto page_id = static_cast<int64_t>(pages.size());
      pages.push_back({page_id, static_cast<int64_t>(shard_index), false, new_type_id, 0, 0, {}, 0});
      last_raw = static_cast<int>(page_id);
    }
    MindRecordPage& page = pages[static_cast<size_t>(last_raw)];
    if (g > 0) page.row_groups.emplace_back(++last_group, page.page_size);
    const std::string bytes = pack(groups[g], false);
    RETURN_IF_ERROR(WriteAt(shard, PageStart(page.page_id) + page.page_size, bytes));
    page.page_size += static_cast<int64_t>(bytes.size());
  }
  shard.rows += static_cast<int64_t>(end - begin);
  return Status::OK();
}

Status MindRecordWriter::Commit() {
  if (committed_) return Status::FailedPrecondition("the MindRecord files are already committed");
  committed_ = true;
  std::vector<MindRecordHeader> headers;
  for (size_t s = 0; s < shards_.size(); ++s) {
    Shard& shard = shards_[s];
    MindRecordHeader header = header_;
    header.pages = shard.pages;
    header.shard_id = static_cast<int64_t>(s);
    const std::string text = header.Serialize();
    if (static_cast<int64_t>(8 + text.size()) > header_.header_size) {
      return Status::InvalidArgument("the header of " + shard.path + " needs " + std::to_string(8 + text.size()) +
                                     " bytes, more than the header size " + std::to_string(header_.header_size) +
                                     ": call set_header_size with a larger size");
    }
    std::string bytes;
    AppendLittleEndian64(text.size(), &bytes);
    bytes += text;
    RETURN_IF_ERROR(WriteAt(shard, 0, bytes));
    if (close(shard.fd) != 0) {
      shard.fd = -1;
      return FileError("close", shard.path, errno);
    }
    shard.fd = -1;
    headers.push_back(std::move(header));
  }
  for (size_t s = 0; s < shards_.size(); ++s) RETURN_IF_ERROR(WriteMindRecordIndex(shards_[s].path, headers[s]));
  return Status::OK();
}

}  // namespace headrace::engine
