#include "bench.h"

namespace bench
{

std::string size_label(size_t bytes)
{
    if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0)
        return std::to_string(bytes >> 20) + "MiB";
    if (bytes >= 1024 && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + "KiB";
    return std::to_string(bytes) + "B";
}

static uint64_t lookups(const jc_keycache_stats &before, const jc_keycache_stats &after)
{
    return (after.hits - before.hits) + (after.misses - before.misses) +
           (after.too_long - before.too_long) + (after.bypassed - before.bypassed);
}

void set_hit_rate(benchmark::State &state, const jc_keycache_stats &before,
                  const jc_keycache_stats &after)
{
    const uint64_t keys = lookups(before, after);
    if (keys > 0)
        state.counters["hit_rate"] =
            static_cast<double>(after.hits - before.hits) / static_cast<double>(keys);
}

void set_cache_counters(benchmark::State &state, const jc_keycache_stats &before,
                        const jc_keycache_stats &after)
{
    set_hit_rate(state, before, after);
    state.counters["misses"] = per_iteration(static_cast<double>(after.misses - before.misses));
    state.counters["evictions"] =
        per_iteration(static_cast<double>(after.evictions - before.evictions));
}

uint64_t allocator_calls(const jc_alloc_stats &before, const jc_alloc_stats &after)
{
    return (after.allocations - before.allocations) + (after.reallocs - before.reallocs) +
           (after.buffer_allocations - before.buffer_allocations) +
           (after.buffer_resizes - before.buffer_resizes);
}

}  // namespace bench
