// Shared by the benchmark families: registration entry points and the helpers
// that turn core statistics into Google Benchmark counters.
#ifndef JC_BENCH_BENCH_H
#define JC_BENCH_BENCH_H

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "datasets.h"

namespace bench
{

using Datasets = std::vector<std::unique_ptr<Dataset>>;

// Each family registers its benchmarks, named op/dataset/implementation so
// that --benchmark_filter selects by any part.
void register_keys_benchmarks(const Datasets &datasets);   // keys_bench.cc
void register_codec_benchmarks(const Datasets &datasets);  // codec_bench.cc
void register_types_benchmarks();                          // types_bench.cc
void register_scaling_benchmarks(bool include_largest);    // codec_bench.cc
void register_alloc_benchmarks(const Datasets &datasets);  // alloc_bench.cc
void register_scan_benchmarks();                           // scan_bench.cc
void register_number_benchmarks();                         // number_bench.cc
void register_lines_benchmarks();                          // lines_bench.cc

// Release the Python objects the families keep (before the interpreter stops).
void release_codec_benchmarks();
void release_types_benchmarks();
void release_alloc_benchmarks();
void release_lines_benchmarks();

// The implementations of the loads and dumps families, jcodec first.
inline constexpr const char *kImplementations[] = {"jcodec", "orjson", "json"};

// "1KiB", "256KiB", "64MiB"; plain bytes below 1 KiB.
std::string size_label(size_t bytes);

// Seconds per item (the console shows "9.67ns"), computed by the library from
// the run's CPU time: a rate counter of items per iteration, inverted.
inline benchmark::Counter time_per(double items_per_iteration)
{
    return benchmark::Counter(items_per_iteration, benchmark::Counter::kIsIterationInvariantRate |
                                                       benchmark::Counter::kInvert);
}

// Makes the compiler treat `value` as used, through benchmark::DoNotOptimize's
// input-only (const) form. Its read-write form, taken for a non-const lvalue,
// is an "+m,r" asm operand that GCC with AddressSanitizer miscompiled here:
// a pointer passed through it came back as a stack address.
template <typename T> inline void keep(const T &value)
{
    benchmark::DoNotOptimize(value);
}

// The timed loop of the Python-level benchmarks (loads, dumps, scaling,
// alloc): fn(arg) per iteration, or fn(arg, name=value) when `keyword` names
// a keyword argument (through vectorcall, as PyObject_CallOneArg calls), each
// result dropped at once, as a program drops what it has used. An exception
// ends the loop and skips the benchmark with its text, prefixed by `what` and
// left in *error too (for a case that remembers it).
inline void time_calls(benchmark::State &state, PyObject *fn, PyObject *arg,
                       const std::string &what, std::string *error, PyObject *keyword = nullptr,
                       PyObject *keyword_value = nullptr)
{
    // One slot before the arguments, which PY_VECTORCALL_ARGUMENTS_OFFSET lets
    // the callee use (PyObject_CallOneArg passes the same).
    PyObject *stack[3] = {nullptr, arg, keyword_value};
    PyObject *keywords = keyword != nullptr ? PyTuple_Pack(1, keyword) : nullptr;
    if (keyword != nullptr && keywords == nullptr) {
        *error = take_error(what);
        state.SkipWithError(error->c_str());
        return;
    }
    for (auto _ : state) {
        PyObject *result =
            PyObject_Vectorcall(fn, stack + 1, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, keywords);
        if (result == nullptr) {
            *error = take_error(what);
            state.SkipWithError(error->c_str());
            break;
        }
        Py_DECREF(result);
    }
    Py_XDECREF(keywords);
}

// A case made at its first run (so that --benchmark_filter makes only what
// runs) and checked before it is timed: `prepare(c)` returns why it cannot
// run, or "" when it can. false, with the run skipped with that reason, when
// it cannot. Case has `bool prepared` and `std::string error`.
template <typename Case, typename Prepare>
inline bool prepared_case(benchmark::State &state, Case &c, Prepare prepare)
{
    if (!c.prepared) {
        c.error = prepare(c);
        c.prepared = true;
    }
    if (!c.error.empty()) {
        state.SkipWithError(c.error.c_str());
        return false;
    }
    return true;
}

inline benchmark::Counter per_second(double items_per_iteration)
{
    return benchmark::Counter(items_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

inline benchmark::Counter per_iteration(double total)
{
    return benchmark::Counter(total, benchmark::Counter::kAvgIterations);
}

// The counters of a benchmark over items (lines, rich-type values): `bytes`
// per iteration as its bytes per second, items_per_second, time_per_item and
// the items themselves.
inline void set_item_counters(benchmark::State &state, size_t bytes, size_t items)
{
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["items_per_second"] = per_second(static_cast<double>(items));
    state.counters["time_per_item"] = time_per(static_cast<double>(items));
    state.counters["items"] = static_cast<double>(items);
}

// hit_rate: lookups answered by the cache, over every key the cache saw (hits,
// misses, keys too long to cache, keys that bypassed a disabled cache); not
// set when the document had no keys.
void set_hit_rate(benchmark::State &state, const jc_keycache_stats &before,
                  const jc_keycache_stats &after);

// hit_rate, misses and evictions per iteration, from the cache's statistics
// before and after the timed loop.
void set_cache_counters(benchmark::State &state, const jc_keycache_stats &before,
                        const jc_keycache_stats &after);

// Allocator-layer requests (malloc, realloc, output buffers) between two snapshots.
uint64_t allocator_calls(const jc_alloc_stats &before, const jc_alloc_stats &after);

}  // namespace bench

#endif  // JC_BENCH_BENCH_H
