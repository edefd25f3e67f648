// dumps/<dataset>/<implementation> for the rich types (issue 12): dataclass,
// datetime_tz, datetime_naive, date, uuid, enum, np_float64, np_int32, np_bool
// and np_float64_2d, built by bench/bench_types.py (its DATASETS table). The
// implementations are the codec family's: jcodec and orjson (with
// OPT_SERIALIZE_NUMPY, passed as a keyword, for the numpy datasets), and json
// with a `default` converting each type as the standard library would.
//
// Each case serializes its own copy of the value, built once. Before timing,
// its output is checked once (bench_types.check): it parses to the value json's
// output does, and jcodec's equals orjson's bytes (for the float64 arrays the
// parsed values: jcodec writes repr's floats, orjson Ryu's). A difference, an
// exception or a peer that is not importable skips the benchmark with the
// reason. Without numpy the np_* datasets are not registered, with one message.
#include <cstdio>
#include <cstring>

#include "bench.h"

namespace bench
{
namespace
{

Ref option_keyword;  // "option"

struct TypesCase {
    std::string dataset;
    const char *impl;
    bool prepared = false;
    std::string error;  // why the case is skipped, once known
    Ref dumps, option;  // option: empty when dumps is called without one
    Ref value;          // this implementation's own copy
    size_t output_size = 0;
    size_t items = 0;
};

// Every case, so that their Python objects are released before the interpreter stops.
std::vector<std::shared_ptr<TypesCase>> cases;

// bench_types.function(*args); empty with *error set on failure.
Ref call_bench_types(const char *function, PyObject *args, std::string *error)
{
    return call_function("bench_types", function, args, error);
}

// impl's dumps of the case's value, with its option when it has one.
PyObject *dumps_once(const TypesCase &c)
{
    if (!c.option)
        return PyObject_CallOneArg(c.dumps.get(), c.value.get());
    Ref keywords(PyDict_New());
    if (!keywords || PyDict_SetItem(keywords.get(), option_keyword.get(), c.option.get()) < 0)
        return nullptr;
    Ref args(PyTuple_Pack(1, c.value.get()));
    return args ? PyObject_Call(c.dumps.get(), args.get(), keywords.get()) : nullptr;
}

// The case's function, option, value and check; the error, empty when right.
std::string prepare(TypesCase &c)
{
    std::string error;
    Ref args(Py_BuildValue("(ss)", c.dataset.c_str(), c.impl));
    // An ImportError naming the peer when it is not importable.
    Ref call = args ? call_bench_types("dumps_call", args.get(), &error) : Ref();
    PyObject *dumps = nullptr, *option = nullptr;
    if (!call || !PyArg_ParseTuple(call.get(), "OO", &dumps, &option))
        return error.empty() ? take_error("bench_types.dumps_call") : error;
    c.dumps = Ref(Py_NewRef(dumps));
    if (option != Py_None)
        c.option = Ref(Py_NewRef(option));

    Ref name(Py_BuildValue("(s)", c.dataset.c_str()));
    c.value = name ? call_bench_types("value", name.get(), &error) : Ref();
    Ref items = c.value ? call_bench_types("items", name.get(), &error) : Ref();
    if (!items)
        return error.empty() ? take_error("bench_types") : error;
    c.items = PyLong_AsSize_t(items.get());

    Ref output(dumps_once(c));
    if (!output)
        return take_error(std::string(c.impl) + ".dumps raised");
    Ref check_args(Py_BuildValue("(ssO)", c.dataset.c_str(), c.impl, output.get()));
    Ref verdict = check_args ? call_bench_types("check", check_args.get(), &error) : Ref();
    const char *why = nullptr;
    Py_ssize_t size = 0;
    if (!verdict || !PyArg_ParseTuple(verdict.get(), "sn", &why, &size))
        return error.empty() ? take_error("bench_types.check") : error;
    c.output_size = static_cast<size_t>(size);
    return why;
}

void bm_types_dumps(benchmark::State &state, TypesCase &c)
{
    if (!prepared_case(state, c, prepare))
        return;
    const bool jcodec = std::strcmp(c.impl, "jcodec") == 0;
    jc_alloc_stats before{}, after{};
    jc_alloc_stats_get(&before);
    time_calls(state, c.dumps.get(), c.value.get(), std::string(c.impl) + ".dumps", &c.error,
               c.option ? option_keyword.get() : nullptr, c.option.get());
    jc_alloc_stats_get(&after);
    if (jcodec)
        state.counters["allocs_per_doc"] =
            per_iteration(static_cast<double>(allocator_calls(before, after)));
    // The reference's bytes (json's), the same for every implementation.
    set_item_counters(state, c.output_size, c.items);
}

}  // namespace

void register_types_benchmarks()
{
    std::string error;
    option_keyword = Ref(PyUnicode_InternFromString("option"));
    Ref version = option_keyword ? call_bench_types("numpy_version", nullptr, &error) : Ref();
    Ref available = version ? call_bench_types("available", nullptr, &error) : Ref();
    PyObject *names = nullptr;
    const char *skipped = nullptr;
    if (!available || !PyArg_ParseTuple(available.get(), "O!s", &PyList_Type, &names, &skipped)) {
        if (error.empty())
            error = take_error("bench_types.available");
        std::fprintf(stderr, "bench: %s; rich-type dumps benchmarks not registered\n",
                     error.c_str());
        return;
    }
    const char *numpy = PyUnicode_AsUTF8(version.get());
    if (numpy == nullptr)
        PyErr_Clear();
    benchmark::AddCustomContext("numpy", numpy != nullptr ? numpy : "?");
    if (*skipped != 0)
        std::fprintf(stderr, "bench: %s\n", skipped);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names); i++) {
        const char *dataset = PyUnicode_AsUTF8(PyList_GET_ITEM(names, i));
        if (dataset == nullptr) {
            std::fprintf(stderr, "bench: %s\n", take_error("bench_types.available").c_str());
            return;
        }
        for (const char *impl : kImplementations) {
            auto c = std::make_shared<TypesCase>();
            c->dataset = dataset;
            c->impl = impl;
            cases.push_back(c);
            std::string name = std::string("dumps/") + dataset + "/" + impl;
            benchmark::RegisterBenchmark(
                name.c_str(), [c](benchmark::State &state) { bm_types_dumps(state, *c); });
        }
    }
}

void release_types_benchmarks()
{
    cases.clear();
    option_keyword.reset();
}

}  // namespace bench
