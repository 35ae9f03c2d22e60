#include "headrace/cache/cache_lookup_sampler.h"

#include "headrace/core/warning.h"

namespace headrace::cache {

void CachePassPlan::Set(PassPlan plan) {
  std::lock_guard<std::mutex> lock(mu_);
  plan_ = std::move(plan);
}

PassPlan CachePassPlan::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(plan_);
}

void CachePassPlan::SetOverride(std::vector<int64_t> ids) {
  std::lock_guard<std::mutex> lock(mu_);
  override_ = std::move(ids);
}

std::optional<std::vector<int64_t>> CachePassPlan::TakeOverride() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::vector<int64_t>> ids = std::move(override_);
  override_.reset();
  return ids;
}

void CachePassPlan::MarkLost() {
  std::lock_guard<std::mutex> lock(mu_);
  lost_ = true;
}

bool CachePassPlan::lost() {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_;
}

CacheLookupSampler::CacheLookupSampler(std::shared_ptr<engine::Sampler> inner,
                                       std::shared_ptr<CacheClient> client, uint64_t cache_id,
                                       std::shared_ptr<CachePassPlan> plan)
    : inner_(std::move(inner)), client_(std::move(client)), cache_id_(cache_id), plan_(std::move(plan)) {}

Result<std::vector<int64_t>> CacheLookupSampler::Indices(int64_t source_size, int64_t pass) {
  if (std::optional<std::vector<int64_t>> ids = plan_->TakeOverride()) return std::move(*ids);
  PassPlan plan;
  ASSIGN_OR_RETURN(plan.ids, inner_->Indices(source_size, pass));
  plan.hit.assign(plan.ids.size(), false);
  if (plan_->lost()) {
    plan.lookup_failed = true;
    plan_->Set(plan);
    return plan.ids;
  }
  Result<std::vector<bool>> cached = client_->Lookup(cache_id_, plan.ids);
  if (!cached.ok()) {
    plan.lookup_failed = true;
    if (!warned_) {
      warned_ = true;
      Warn("the cache server at " + client_->address() + " cannot be asked which rows it holds (" +
           cached.status().message() + "); this pass reads every row");
    }
  } else {
    plan.hit = std::move(cached).value();
  }
  std::vector<int64_t> misses;
  misses.reserve(plan.ids.size());
  for (size_t i = 0; i < plan.ids.size(); ++i) {
    if (!plan.hit[i]) misses.push_back(plan.ids[i]);
  }
  plan_->Set(std::move(plan));
  return misses;
}

}  // namespace headrace::cache
