// The .db index file MindSpore keeps beside each MindRecord shard: a SQLite database with
//   INDEXES(ROW_ID, PAGE_ID_RAW, PAGE_OFFSET_RAW, PAGE_OFFSET_RAW_END, ROW_GROUP_ID,
//           PAGE_ID_BLOB, PAGE_OFFSET_BLOB, PAGE_OFFSET_BLOB_END, then per index field k
//           INC_k and <field>_0 with the row's value)  -- one row per data row
//   SHARD_NAME(NAME)                                   -- the shard file's name
// MindSpore's reader needs it; headrace's reads the pages themselves and does not.
#pragma once

#include <string>

#include "headrace/core/status.h"
#include "headrace/engine/sources/mindrecord/mindrecord_header.h"

namespace headrace::engine {

// Writes `path`.db for the committed shard file `path` whose header is `header`, from the
// file's pages (as MindSpore does). AlreadyExists if the .db exists; Internal with SQLite's
// message when SQLite fails; DataLoss when the shard file is corrupt.
Status WriteMindRecordIndex(const std::string& path, const MindRecordHeader& header);

}  // namespace headrace::engine
