// loads/<dataset>/<implementation> and dumps/<dataset>/<implementation>:
// jcodec against orjson and json, each called in-process through the embedded
// interpreter, as a Python program calls it; loads/<dataset>/marshal, the
// cheapest way CPython itself builds the same objects (marshal.loads of the
// value's marshal bytes, made once outside the timing); limit/<dataset>/memcpy,
// a copy of as many bytes as the document's compact output, so each dumps
// time reads as a multiple of the memory-copy limit. scaling/<op>/<shape>/<size>/<impl>: jcodec
// (and orjson, for reference) on one document shape at growing sizes: the cost
// per byte, and how it moves with size.
//
// Before timing, each implementation's output is checked once against json's
// (loads: equal values; dumps: equal bytes with json.dumps(ensure_ascii=False,
// separators=(",", ":"))); a difference skips that benchmark with the reason.
// A peer that is not importable is skipped the same way.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "bench.h"

namespace bench
{
namespace
{

struct Implementation {
    const char *name;
    Ref module;
    Ref loads, dumps;         // empty when the module is not importable
    std::string unavailable;  // why
    // marshal: loads reads the value's own serialization (dumps makes it,
    // outside the timing) and has no dumps benchmark.
    bool own_format = false;
};

std::vector<Implementation> implementations;
Ref json_loads, json_dumps;  // the references for the checks

bool load_implementations(std::string *error)
{
    json_loads = import_attribute("json", "loads", error);
    // json.dumps writes str; the others write the UTF-8 bytes, compact: the
    // project's one reference (scripts/project.py), through bench_data.
    json_dumps = import_attribute("bench_data", "reference_dumps", error);
    if (!json_loads || !json_dumps)
        return false;
    for (const char *name : kImplementations) {
        Implementation impl;
        impl.name = name;
        impl.module = Ref(PyImport_ImportModule(name));
        if (!impl.module) {
            impl.unavailable = take_error(std::string(name) + " is not importable");
        } else {
            impl.loads = Ref(PyObject_GetAttrString(impl.module.get(), "loads"));
            impl.dumps = std::strcmp(name, "json") == 0
                             ? Ref(Py_NewRef(json_dumps.get()))
                             : Ref(PyObject_GetAttrString(impl.module.get(), "dumps"));
            if (!impl.loads || !impl.dumps)
                impl.unavailable = take_error(name);
        }
        implementations.push_back(std::move(impl));
    }
    Implementation marshal;
    marshal.name = "marshal";
    marshal.own_format = true;
    marshal.module = Ref(PyImport_ImportModule("marshal"));
    if (marshal.module) {
        marshal.loads = Ref(PyObject_GetAttrString(marshal.module.get(), "loads"));
        marshal.dumps = Ref(PyObject_GetAttrString(marshal.module.get(), "dumps"));
    }
    if (!marshal.loads || !marshal.dumps)
        marshal.unavailable = take_error("marshal");
    implementations.push_back(std::move(marshal));
    // Peers may be missing (their benchmarks are skipped); jcodec may not.
    *error = implementations[0].unavailable;
    return error->empty();
}

Implementation &jcodec()
{
    return implementations[0];
}

bool is_jcodec(const Implementation &impl)
{
    return &impl == &jcodec();
}

jc_keycache *jcodec_cache()
{
    return jc_state(jcodec().module.get())->keys;
}

// The first byte where a and b differ, with a little context, for the skip message.
std::string first_difference(PyObject *got, PyObject *expected)
{
    const char *a = PyBytes_AS_STRING(got), *b = PyBytes_AS_STRING(expected);
    size_t na = static_cast<size_t>(PyBytes_GET_SIZE(got));
    size_t nb = static_cast<size_t>(PyBytes_GET_SIZE(expected));
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    size_t from = i > 20 ? i - 20 : 0;
    return "output differs from json.dumps at byte " + std::to_string(i) + ": ..." +
           std::string(a + from, std::min(na, i + 20) - from) + "... instead of ..." +
           std::string(b + from, std::min(nb, i + 20) - from) + "...";
}

// input: what impl.loads reads (the document, or marshal's bytes of its value).
std::string check_loads(const Implementation &impl, const Dataset &d, PyObject *input)
{
    Ref expected(PyObject_CallOneArg(json_loads.get(), d.document.get()));
    if (!expected)
        return take_error("json.loads");
    Ref got(PyObject_CallOneArg(impl.loads.get(), input));
    if (!got)
        return take_error(std::string(impl.name) + ".loads raised");
    int same = PyObject_RichCompareBool(got.get(), expected.get(), Py_EQ);
    if (same < 0)
        return take_error("comparing results");
    return same ? "" : std::string(impl.name) + ".loads result differs from json.loads";
}

// Compares impl.dumps(obj) with json's bytes for a separate copy of the value.
std::string check_dumps(const Implementation &impl, const Dataset &d, PyObject *obj,
                        size_t *output_size)
{
    Ref copy(PyObject_CallOneArg(json_loads.get(), d.document.get()));
    Ref expected(copy ? PyObject_CallOneArg(json_dumps.get(), copy.get()) : nullptr);
    if (!expected)
        return take_error("json.dumps");
    Ref got(PyObject_CallOneArg(impl.dumps.get(), obj));
    if (!got)
        return take_error(std::string(impl.name) + ".dumps raised");
    if (!PyBytes_Check(got.get()))
        return std::string(impl.name) + ".dumps did not return bytes";
    *output_size = static_cast<size_t>(PyBytes_GET_SIZE(expected.get()));
    int same = PyObject_RichCompareBool(got.get(), expected.get(), Py_EQ);
    if (same < 0)
        return take_error("comparing outputs");
    return same ? ""
                : std::string(impl.name) + ".dumps " + first_difference(got.get(), expected.get());
}

struct CodecCase {
    const Dataset *dataset;
    Implementation *impl;
    bool checked = false;
    std::string error;
    size_t output_size = 0;  // dumps: bytes written per call
    Ref input;               // loads of an own-format peer: the value in its format
};

// What c's loads reads: the document, or for marshal its value's marshal
// bytes, made on first use; NULL with c.error set on failure.
PyObject *loads_input(CodecCase &c)
{
    if (!c.impl->own_format)
        return c.dataset->document.get();
    if (!c.input) {
        Ref value(PyObject_CallOneArg(json_loads.get(), c.dataset->document.get()));
        c.input = Ref(value ? PyObject_CallOneArg(c.impl->dumps.get(), value.get()) : nullptr);
        if (!c.input)
            c.error = take_error(std::string(c.impl->name) + ".dumps");
    }
    return c.input.get();
}

// What the jcodec benchmarks add: the module's key cache and the allocator layer.
struct JcodecCounters {
    jc_keycache_stats cache_before{}, cache_after{};
    jc_alloc_stats alloc_before{}, alloc_after{};
    void start()
    {
        jc_keycache_stats_get(jcodec_cache(), &cache_before);
        jc_alloc_stats_get(&alloc_before);
    }
    void finish(benchmark::State &state, bool with_cache)
    {
        jc_keycache_stats_get(jcodec_cache(), &cache_after);
        jc_alloc_stats_get(&alloc_after);
        if (with_cache)
            set_hit_rate(state, cache_before, cache_after);
        state.counters["allocs_per_doc"] =
            per_iteration(static_cast<double>(allocator_calls(alloc_before, alloc_after)));
    }
};

bool available(benchmark::State &state, const CodecCase &c)
{
    if (!c.impl->unavailable.empty()) {
        state.SkipWithError(c.impl->unavailable.c_str());
        return false;
    }
    return true;
}

// The case's check against json, run on its first call and remembered for
// later runs (check() returns the error, empty when right). False, the
// benchmark skipped with the error, when the case has failed.
template <typename Check> bool checked(benchmark::State &state, CodecCase &c, Check check)
{
    if (!c.checked) {
        c.error = check();
        c.checked = true;
    }
    if (!c.error.empty()) {
        state.SkipWithError(c.error.c_str());
        return false;
    }
    return true;
}

void bm_loads(benchmark::State &state, CodecCase &c)
{
    if (!available(state, c))
        return;
    PyObject *input = loads_input(c);
    if (input == nullptr) {
        state.SkipWithError(c.error.c_str());
        return;
    }
    if (!checked(state, c, [&] { return check_loads(*c.impl, *c.dataset, input); }))
        return;
    JcodecCounters jc;
    jc.start();
    time_calls(state, c.impl->loads.get(), input, std::string(c.impl->name) + ".loads", &c.error);
    if (is_jcodec(*c.impl))
        jc.finish(state, true);
    const Dataset &d = *c.dataset;
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * d.size()));
    state.counters["objects_per_second"] = per_second(static_cast<double>(d.objects));
    state.counters["document_bytes"] = static_cast<double>(d.size());
    state.SetLabel(d.origin);
}

void bm_dumps(benchmark::State &state, CodecCase &c)
{
    if (!available(state, c))
        return;
    // This implementation's own copy of the value: orjson stores a UTF-8 form
    // inside each str it serializes, which another implementation must not inherit.
    Ref obj(PyObject_CallOneArg(json_loads.get(), c.dataset->document.get()));
    if (!obj) {
        c.error = take_error("json.loads");
        state.SkipWithError(c.error.c_str());
        return;
    }
    if (!checked(state, c,
                 [&] { return check_dumps(*c.impl, *c.dataset, obj.get(), &c.output_size); }))
        return;
    JcodecCounters jc;
    jc.start();
    time_calls(state, c.impl->dumps.get(), obj.get(), std::string(c.impl->name) + ".dumps",
               &c.error);
    if (is_jcodec(*c.impl))
        jc.finish(state, false);
    // Bytes written (the same for every implementation: the outputs are equal).
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.output_size));
    state.counters["objects_per_second"] = per_second(static_cast<double>(c.dataset->objects));
    state.counters["document_bytes"] = static_cast<double>(c.dataset->size());
    state.SetLabel(c.dataset->origin);
}

// The memory-copy limit of dumps: as many bytes as the document's compact
// output, copied between two buffers allocated once.
void bm_limit(benchmark::State &state, const Dataset &d)
{
    Ref value(PyObject_CallOneArg(json_loads.get(), d.document.get()));
    Ref output(value ? PyObject_CallOneArg(json_dumps.get(), value.get()) : nullptr);
    if (!output) {
        state.SkipWithError(take_error("json.dumps").c_str());
        return;
    }
    const size_t size = static_cast<size_t>(PyBytes_GET_SIZE(output.get()));
    std::vector<char> source(PyBytes_AS_STRING(output.get()),
                             PyBytes_AS_STRING(output.get()) + size);
    std::vector<char> target(size);
    for (auto _ : state) {
        std::memcpy(target.data(), source.data(), size);
        benchmark::DoNotOptimize(target.data());
        benchmark::ClobberMemory();
    }
    if (std::memcmp(target.data(), source.data(), size) != 0)
        state.SkipWithError("memcpy copied something else");
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
    state.counters["output_bytes"] = static_cast<double>(size);
}

void bm_scaling(benchmark::State &state, bool loads, const std::string &shape, size_t size,
                const Implementation &impl)
{
    if (!impl.unavailable.empty()) {
        state.SkipWithError(impl.unavailable.c_str());
        return;
    }
    std::string error;
    PyObject *document = scaled_document(shape, size, &error);
    if (document == nullptr) {
        state.SkipWithError(error.c_str());
        return;
    }
    Ref obj(loads ? nullptr : PyObject_CallOneArg(json_loads.get(), document));
    PyObject *fn = loads ? impl.loads.get() : impl.dumps.get();
    PyObject *arg = loads ? document : obj.get();
    Ref first(arg ? PyObject_CallOneArg(fn, arg) : nullptr);
    if (!first) {
        error = take_error(impl.name);
        state.SkipWithError(error.c_str());
        return;
    }
    // loads reads the document, dumps writes its compact form.
    const size_t bytes = static_cast<size_t>(PyBytes_GET_SIZE(loads ? document : first.get()));
    first.reset();
    time_calls(state, fn, arg, impl.name, &error);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["time_per_byte"] = time_per(static_cast<double>(bytes));
    state.counters["bytes"] = static_cast<double>(bytes);
}

}  // namespace

void register_codec_benchmarks(const Datasets &datasets)
{
    std::string error;
    if (!load_implementations(&error)) {
        std::fprintf(stderr, "bench: %s; loads and dumps benchmarks not registered\n",
                     error.c_str());
        return;
    }
    for (const char *op : {"loads", "dumps"}) {
        const bool loads = op[0] == 'l';
        for (const auto &d : datasets) {
            for (Implementation &impl : implementations) {
                if (impl.own_format && !loads)
                    continue;
                auto c = std::make_shared<CodecCase>();
                c->dataset = d.get();
                c->impl = &impl;
                std::string name = std::string(op) + "/" + d->name + "/" + impl.name;
                benchmark::RegisterBenchmark(name.c_str(), [c, loads](benchmark::State &state) {
                    loads ? bm_loads(state, *c) : bm_dumps(state, *c);
                });
            }
        }
    }
    for (const auto &d : datasets) {
        const Dataset *dataset = d.get();
        std::string name = "limit/" + d->name + "/memcpy";
        benchmark::RegisterBenchmark(
            name.c_str(), [dataset](benchmark::State &state) { bm_limit(state, *dataset); });
    }
}

void register_scaling_benchmarks(bool include_largest)
{
    std::string error;
    std::vector<std::string> shapes = scaled_shapes(&error);
    if (!error.empty())
        std::fprintf(stderr, "bench: %s; no scaling benchmarks\n", error.c_str());
    for (const char *op : {"loads", "dumps"}) {
        const bool loads = op[0] == 'l';
        for (const std::string &shape : shapes) {
            // 1 KiB to 16 MiB by fourfold steps; 64 MiB on request (README).
            for (size_t size = 1024; size <= (size_t{64} << 20); size *= 4) {
                if (size == (size_t{64} << 20) && !include_largest)
                    continue;
                // orjson alongside: what growing sizes cost any codec on this
                // interpreter (allocation, caches), against which jcodec's slope reads.
                for (Implementation &impl : implementations) {
                    if (std::strcmp(impl.name, "json") == 0 || impl.own_format)
                        continue;  // minutes at 64 MiB
                    const Implementation *measured = &impl;
                    std::string name = std::string("scaling/") + op + "/" + shape + "/" +
                                       size_label(size) + "/" + impl.name;
                    benchmark::RegisterBenchmark(
                        name.c_str(), [loads, shape, size, measured](benchmark::State &state) {
                            bm_scaling(state, loads, shape, size, *measured);
                        });
                }
            }
        }
    }
}

void release_codec_benchmarks()
{
    implementations.clear();
    json_loads.reset();
    json_dumps.reset();
}

}  // namespace bench
