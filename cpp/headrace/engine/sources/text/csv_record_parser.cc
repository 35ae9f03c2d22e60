#include "headrace/engine/sources/text/csv_record_parser.h"

#include <cstring>

namespace headrace::engine {

Status CSVRecordParser::Error(const std::string& what) const {
  return Status::DataLoss(path() + " line " + std::to_string(record_line_) + ": " + what);
}

std::string* CSVRecordParser::NextField() {
  if (num_fields_ == fields_.size()) fields_.emplace_back();
  std::string* field = &fields_[num_fields_++];
  field->clear();
  return field;
}

Result<bool> CSVRecordParser::Next() {
  while (true) {
    ASSIGN_OR_RETURN(Outcome outcome, TryParse());
    if (outcome == Outcome::kRecord) return true;
    if (outcome == Outcome::kEnd) return false;
    ASSIGN_OR_RETURN(bool more, chunks_.Fill());
    // Without more bytes the window is the rest of the file, and TryParse, seeing the
    // reader exhausted, no longer asks for more.
    (void)more;
  }
}

Result<CSVRecordParser::Outcome> CSVRecordParser::TryParse() {
  const char* p = chunks_.data();
  const char* const stop = p + chunks_.size();
  const bool at_eof = chunks_.exhausted();

  // Empty lines are no records; they are consumed at once, whatever follows.
  while (p < stop && (*p == '\n' || *p == '\r')) {
    if (*p == '\r' && p + 1 == stop && !at_eof) break;  // "\r" or "\r\n"? Read on.
    p += (*p == '\r' && p + 1 < stop && p[1] == '\n') ? 2 : 1;
    ++line_;
  }
  chunks_.Consume(static_cast<size_t>(p - chunks_.data()));
  if (p == stop) return at_eof ? Outcome::kEnd : Outcome::kNeedMore;
  if (*p == '\r') return Outcome::kNeedMore;

  record_line_ = line_;
  num_fields_ = 0;
  int64_t lines = 0;  // line ends inside quoted fields of this record
  while (true) {
    // One field starts at p.
    std::string* field = NextField();
    if (p == stop) {
      if (!at_eof) return Outcome::kNeedMore;
      break;  // an empty last field after a delimiter at the end of the file
    }
    if (*p == '"') {
      ++p;
      while (true) {
        const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(stop - p)));
        if (quote == nullptr) {
          if (!at_eof) return Outcome::kNeedMore;
          return Error("a quoted field is still open at the end of the file");
        }
        for (const char* c = p; c < quote; ++c) {
          if (*c == '\n' || (*c == '\r' && (c + 1 == quote || c[1] != '\n'))) ++lines;
        }
        field->append(p, static_cast<size_t>(quote - p));
        p = quote + 1;
        if (p == stop && !at_eof) return Outcome::kNeedMore;  // "" or the closing quote?
        if (p < stop && *p == '"') {
          field->push_back('"');
          ++p;
          continue;
        }
        break;
      }
      if (p < stop && *p != delim_ && *p != '\n' && *p != '\r') {
        return Error(std::string("character '") + *p + "' after the closing quote of field " +
                     std::to_string(num_fields_));
      }
    } else {
      const char* start = p;
      while (p < stop && *p != delim_ && *p != '\n' && *p != '\r') {
        if (*p == '"') {
          return Error("a quote inside unquoted field " + std::to_string(num_fields_) +
                       " (quote the whole field and double the quotes inside it)");
        }
        ++p;
      }
      if (p == stop && !at_eof) return Outcome::kNeedMore;
      field->append(start, static_cast<size_t>(p - start));
    }
    // The field ends at p: a delimiter, a line end, or the end of the file.
    if (p == stop) break;
    if (*p == delim_) {
      ++p;
      continue;
    }
    if (*p == '\r') {
      if (p + 1 == stop && !at_eof) return Outcome::kNeedMore;
      p += (p + 1 < stop && p[1] == '\n') ? 2 : 1;
    } else {
      ++p;
    }
    ++lines;
    break;
  }
  line_ += lines;
  chunks_.Consume(static_cast<size_t>(p - chunks_.data()));
  return Outcome::kRecord;
}

}  // namespace headrace::engine
