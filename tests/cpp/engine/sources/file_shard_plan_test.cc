// FileShardPlan: file and row shards cover every row once (rows: equally, wrapping), and
// file orders depend on the seed and the pass only.
#include "headrace/engine/sources/file_shard_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>

namespace headrace::engine {
namespace {

ShardOptions Options(int64_t shards, int64_t id, bool shuffle, bool equal_rows, uint64_t seed = 7) {
  ShardOptions options;
  options.num_shards = shards;
  options.shard_id = id;
  options.shuffle_files = shuffle;
  options.equal_rows = equal_rows;
  options.seed = seed;
  return options;
}

// (file, row) -> how many shards read it in `pass`.
std::map<std::pair<int64_t, int64_t>, int> Coverage(int64_t shards, bool shuffle, bool equal_rows,
                                                    const std::vector<int64_t>& rows, int64_t pass) {
  std::map<std::pair<int64_t, int64_t>, int> seen;
  for (int64_t id = 0; id < shards; ++id) {
    auto plan = FileShardPlan::Make(static_cast<int64_t>(rows.size()),
                                    Options(shards, id, shuffle, equal_rows), rows);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    for (const FileSpan& span : plan->Spans(pass)) {
      const int64_t end = span.end_row < 0 ? rows[span.file] : span.end_row;
      for (int64_t r = span.first_row; r < end; ++r) ++seen[{span.file, r}];
    }
  }
  return seen;
}

TEST(FileShardPlanTest, FileShardsReadEveryRowOnce) {
  const std::vector<int64_t> rows = {3, 5, 2, 7, 1};
  for (bool shuffle : {false, true}) {
    for (int64_t pass : {0, 1, 2}) {
      auto seen = Coverage(2, shuffle, false, rows, pass);
      EXPECT_EQ(seen.size(), 18u);
      for (const auto& [row, count] : seen) EXPECT_EQ(count, 1);
    }
  }
  auto plan = FileShardPlan::Make(5, Options(2, 1, false, false), {});
  ASSERT_TRUE(plan.ok());
  std::vector<int64_t> files;
  for (const FileSpan& span : plan->Spans(0)) files.push_back(span.file);
  EXPECT_EQ(files, (std::vector<int64_t>{1, 3}));
}

TEST(FileShardPlanTest, RowShardsAreEqualAndWrapRound) {
  const std::vector<int64_t> rows = {3, 5, 2};  // 10 rows, 4 shards of 3: two rows twice
  std::vector<int64_t> per_shard;
  for (int64_t id = 0; id < 4; ++id) {
    auto plan = FileShardPlan::Make(3, Options(4, id, false, true), rows);
    ASSERT_TRUE(plan.ok());
    per_shard.push_back(plan->ShardRows(0));
  }
  EXPECT_EQ(per_shard, (std::vector<int64_t>{3, 3, 3, 3}));
  auto seen = Coverage(4, false, true, rows, 0);
  EXPECT_EQ(seen.size(), 10u);
  int total = 0;
  for (const auto& [row, count] : seen) total += count;
  EXPECT_EQ(total, 12);
  EXPECT_EQ((seen[{0, 0}]), 2);  // the last shard wraps round to rows 0 and 1
  EXPECT_EQ((seen[{0, 1}]), 2);
  auto last = FileShardPlan::Make(3, Options(4, 3, false, true), rows);
  EXPECT_EQ(last->Spans(0), (std::vector<FileSpan>{{2, 1, 2}, {0, 0, 2}}));
  auto first = FileShardPlan::Make(3, Options(4, 0, false, true), rows);
  EXPECT_EQ(first->Spans(0), (std::vector<FileSpan>{{0, 0, 3}}));
}

TEST(FileShardPlanTest, RowShardsWithoutRemainderReadEveryRowOnce) {
  for (bool shuffle : {false, true}) {
    auto seen = Coverage(3, shuffle, true, {4, 4, 1, 3}, 1);
    EXPECT_EQ(seen.size(), 12u);
    for (const auto& [row, count] : seen) EXPECT_EQ(count, 1);
  }
}

TEST(FileShardPlanTest, FileOrderDependsOnSeedAndPass) {
  auto a = FileShardPlan::Make(20, Options(1, 0, true, false, 1), {});
  auto b = FileShardPlan::Make(20, Options(1, 0, true, false, 1), {});
  auto c = FileShardPlan::Make(20, Options(1, 0, true, false, 2), {});
  EXPECT_EQ(a->FileOrder(0), b->FileOrder(0));
  EXPECT_NE(a->FileOrder(0), a->FileOrder(1));
  EXPECT_NE(a->FileOrder(0), c->FileOrder(0));
  std::vector<int64_t> sorted = a->FileOrder(3);
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> all(20);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  auto fixed = FileShardPlan::Make(4, Options(1, 0, false, false), {});
  EXPECT_EQ(fixed->FileOrder(5), (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST(FileShardPlanTest, BadShardsAreNamed) {
  auto id = FileShardPlan::Make(4, Options(2, 2, false, false), {});
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "shard_id must be in [0, 2), got 2");
  auto too_many = FileShardPlan::Make(2, Options(3, 0, false, false), {});
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.status().message().find("num_shards (3) is larger than the number of files (2)"),
            std::string::npos);
  EXPECT_TRUE(FileShardPlan::Make(2, Options(3, 0, false, true), {1, 1}).ok());
}

}  // namespace
}  // namespace headrace::engine
