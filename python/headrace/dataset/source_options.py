"""How a random-access source picks its sampler from shuffle / sampler / num_samples /
num_shards / shard_id, as MindSpore's sources do."""

from __future__ import annotations

from typing import Optional

from headrace.dataset.samplers import DistributedSampler, RandomSampler, Sampler, SequentialSampler
from headrace.dataset.validation import check_bool, check_int
from headrace.errors import InvalidArgumentError


def choose_sampler(shuffle: Optional[bool], sampler: Optional[Sampler],
                   num_samples: Optional[int], num_shards: Optional[int],
                   shard_id: Optional[int]) -> Sampler:
    if num_samples is not None:
        check_int("num_samples", num_samples, minimum=0)
    if shuffle is not None:
        check_bool("shuffle", shuffle)
    if sampler is not None:
        if not isinstance(sampler, Sampler):
            raise TypeError(f"sampler must be a headrace.dataset sampler, got {type(sampler).__name__}")
        if shuffle is not None:
            raise InvalidArgumentError("sampler and shuffle cannot be given together")
        if num_shards is not None or shard_id is not None:
            raise InvalidArgumentError("sampler and num_shards/shard_id cannot be given together")
        return sampler
    if (num_shards is None) != (shard_id is None):
        raise InvalidArgumentError("num_shards and shard_id must be given together")
    if num_shards is not None and shard_id is not None:  # both or neither, checked above
        # DistributedSampler checks num_shards and shard_id. MindSpore: shuffle=None with shards means shuffled shards.
        return DistributedSampler(num_shards, shard_id, shuffle=shuffle is None or shuffle,
                                  num_samples=num_samples)
    # MindSpore: shuffle=None on a random-access source means shuffled.
    if shuffle is None or shuffle:
        return RandomSampler(num_samples=num_samples)
    return SequentialSampler(num_samples=num_samples)
