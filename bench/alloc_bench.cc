// alloc/...: the allocator layer (core/alloc.h, over PyMem_*) against raw
// malloc, and what the core allocates per loads and dumps call.
//
// alloc/block/<size>/<impl>   one allocation and its free
// alloc/grow/<size>/<impl>    a block doubled from 64 bytes to <size>, as the
//                             parser's stacks grow
// alloc/loads/<dataset>/jcodec, alloc/dumps/<dataset>/jcodec
//                             scratch allocations and peak scratch bytes per
//                             call (dumps: output buffer allocations, resizes
//                             and peak capacity against the output size)
#include <cstdio>
#include <cstdlib>

#include "bench.h"

namespace bench
{
namespace
{

void bm_block(benchmark::State &state, size_t size, bool layer)
{
    for (auto _ : state) {
        void *block = layer ? jc_malloc(size) : std::malloc(size);
        keep(block);
        if (block == nullptr) {
            state.SkipWithError("out of memory");
            break;
        }
        layer ? jc_free(block, size) : std::free(block);
    }
    state.SetItemsProcessed(state.iterations());
}

void bm_grow(benchmark::State &state, size_t final_size, bool layer)
{
    size_t steps = 0;
    for (auto _ : state) {
        size_t size = 64;
        void *block = layer ? jc_malloc(size) : std::malloc(size);
        steps = 1;
        while (block != nullptr && size < final_size) {
            // Touch the block's last byte as a stack would before it grows again.
            static_cast<char *>(block)[size - 1] = 1;
            void *grown = layer ? jc_realloc(block, size, size * 2) : std::realloc(block, size * 2);
            if (grown == nullptr) {
                layer ? jc_free(block, size) : std::free(block);
                block = nullptr;
                break;
            }
            block = grown;
            size *= 2;
            steps++;
        }
        keep(block);
        if (block == nullptr) {
            state.SkipWithError("out of memory");
            break;
        }
        layer ? jc_free(block, size) : std::free(block);
    }
    state.counters["allocator_calls"] = static_cast<double>(steps);
}

// What one call of fn(arg) allocates, measured between a counter reset and a
// snapshot (so peaks are per call; *live_before is the live bytes at the
// start), then the call timed. False, the benchmark skipped, when the measured
// call fails.
bool count_and_time(benchmark::State &state, PyObject *fn, PyObject *arg, const char *what,
                    jc_alloc_stats *per_call, uint64_t *live_before)
{
    jc_alloc_stats_reset();
    jc_alloc_stats before;
    jc_alloc_stats_get(&before);
    *live_before = before.live_bytes;
    PyObject *result = PyObject_CallOneArg(fn, arg);
    jc_alloc_stats_get(per_call);
    if (result == nullptr) {
        state.SkipWithError(take_error(what).c_str());
        return false;
    }
    Py_DECREF(result);
    std::string error;
    time_calls(state, fn, arg, what, &error);
    return true;
}

void bm_loads_allocations(benchmark::State &state, const Dataset &d, PyObject *loads)
{
    jc_alloc_stats per_call;
    uint64_t live_before;
    if (!count_and_time(state, loads, d.document.get(), "jcodec.loads", &per_call, &live_before))
        return;
    state.counters["allocations"] = static_cast<double>(per_call.allocations);
    state.counters["reallocs"] = static_cast<double>(per_call.reallocs);
    state.counters["peak_scratch_bytes"] = static_cast<double>(per_call.peak_bytes - live_before);
    state.counters["document_bytes"] = static_cast<double>(d.size());
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * d.size()));
}

void bm_dumps_allocations(benchmark::State &state, const Dataset &d, PyObject *dumps,
                          PyObject *json_loads)
{
    Ref obj(PyObject_CallOneArg(json_loads, d.document.get()));
    if (!obj) {
        state.SkipWithError(take_error("json.loads").c_str());
        return;
    }
    Ref output(PyObject_CallOneArg(dumps, obj.get()));
    if (!output) {
        state.SkipWithError(take_error("jcodec.dumps").c_str());
        return;
    }
    const size_t output_size = static_cast<size_t>(PyBytes_GET_SIZE(output.get()));
    output.reset();
    jc_alloc_stats per_call;
    uint64_t live_before;
    if (!count_and_time(state, dumps, obj.get(), "jcodec.dumps", &per_call, &live_before))
        return;
    state.counters["allocations"] = static_cast<double>(per_call.allocations);
    state.counters["peak_scratch_bytes"] = static_cast<double>(per_call.peak_bytes - live_before);
    state.counters["buffer_allocations"] = static_cast<double>(per_call.buffer_allocations);
    state.counters["buffer_resizes"] = static_cast<double>(per_call.buffer_resizes);
    state.counters["buffer_peak_bytes"] = static_cast<double>(per_call.buffer_peak_bytes);
    state.counters["output_bytes"] = static_cast<double>(output_size);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * output_size));
}

// Module-level references, released with release_alloc_benchmarks.
Ref jcodec_loads, jcodec_dumps, json_loads;

}  // namespace

void register_alloc_benchmarks(const Datasets &datasets)
{
    for (size_t size : {size_t{64}, size_t{512}, size_t{4096}, size_t{65536}}) {
        for (bool layer : {true, false}) {
            std::string name =
                "alloc/block/" + size_label(size) + (layer ? "/jc_malloc" : "/malloc");
            benchmark::RegisterBenchmark(name.c_str(), [size, layer](benchmark::State &state) {
                bm_block(state, size, layer);
            });
        }
    }
    for (size_t size : {size_t{64} << 10, size_t{1} << 20}) {
        for (bool layer : {true, false}) {
            std::string name =
                "alloc/grow/" + size_label(size) + (layer ? "/jc_realloc" : "/realloc");
            benchmark::RegisterBenchmark(name.c_str(), [size, layer](benchmark::State &state) {
                bm_grow(state, size, layer);
            });
        }
    }
    std::string error;
    jcodec_loads = import_attribute("jcodec", "loads", &error);
    jcodec_dumps = import_attribute("jcodec", "dumps", &error);
    json_loads = import_attribute("json", "loads", &error);
    if (!error.empty()) {
        std::fprintf(stderr, "bench: %s; no alloc/loads, alloc/dumps benchmarks\n", error.c_str());
        return;
    }
    for (const auto &d : datasets) {
        const Dataset *dataset = d.get();
        benchmark::RegisterBenchmark(("alloc/loads/" + d->name + "/jcodec").c_str(),
                                     [dataset](benchmark::State &state) {
                                         bm_loads_allocations(state, *dataset, jcodec_loads.get());
                                     });
        benchmark::RegisterBenchmark(
            ("alloc/dumps/" + d->name + "/jcodec").c_str(), [dataset](benchmark::State &state) {
                bm_dumps_allocations(state, *dataset, jcodec_dumps.get(), json_loads.get());
            });
    }
}

void release_alloc_benchmarks()
{
    jcodec_loads.reset();
    jcodec_dumps.reset();
    json_loads.reset();
}

}  // namespace bench
