// lines/<dataset>_<op>/<implementation>: JSON Lines (issue 14), the datasets of
// bench/bench_lines.py (events, metrics: 8 MiB of small records each). loads:
// jcodec.loads_lines(data) against the obvious loop with orjson and json
// ([orjson.loads(l) for l in data.splitlines()]); dumps: jcodec.dumps_lines
// against b"\n".join([orjson.dumps(x) for x in items]) and json's. Each output
// is checked once before timing (bench_lines.check); a wrong output, an
// exception or a peer that is not importable skips the benchmark with the
// reason.
#include <cstdio>
#include <cstring>

#include "bench.h"

namespace bench
{
namespace
{

struct LinesCase {
    std::string dataset;
    const char *op;
    const char *impl;
    bool prepared = false;
    std::string error;  // why the case is skipped, once known
    Ref fn, arg;
    size_t bytes = 0, lines = 0;
};

std::vector<std::shared_ptr<LinesCase>> cases;

// bench_lines.function(*args); empty with *error set on failure.
Ref call_bench_lines(const char *function, PyObject *args, std::string *error)
{
    return call_function("bench_lines", function, args, error);
}

// The case's function, argument and sizes, and its output checked; the
// error, empty when right.
std::string prepare(LinesCase &c)
{
    std::string error;
    Ref op_impl(Py_BuildValue("(ss)", c.op, c.impl));
    c.fn = op_impl ? call_bench_lines("call", op_impl.get(), &error) : Ref();
    if (!c.fn)
        return error.empty() ? take_error("bench_lines.call") : error;
    Ref name_op(Py_BuildValue("(ss)", c.dataset.c_str(), c.op));
    c.arg = name_op ? call_bench_lines("argument", name_op.get(), &error) : Ref();
    Ref name(Py_BuildValue("(s)", c.dataset.c_str()));
    Ref data = c.arg && name ? call_bench_lines("data", name.get(), &error) : Ref();
    Ref count = data ? call_bench_lines("count", name.get(), &error) : Ref();
    if (!count)
        return error.empty() ? take_error("bench_lines") : error;
    c.bytes = static_cast<size_t>(PyBytes_Size(data.get()));
    c.lines = PyLong_AsSize_t(count.get());

    Ref output(PyObject_CallOneArg(c.fn.get(), c.arg.get()));
    if (!output)
        return take_error(std::string(c.impl) + " " + c.op + " raised");
    Ref check_args(Py_BuildValue("(sssO)", c.dataset.c_str(), c.op, c.impl, output.get()));
    Ref verdict = check_args ? call_bench_lines("check", check_args.get(), &error) : Ref();
    const char *why = verdict ? PyUnicode_AsUTF8(verdict.get()) : nullptr;
    if (why == nullptr)
        return error.empty() ? take_error("bench_lines.check") : error;
    return why;
}

void bm_lines(benchmark::State &state, LinesCase &c)
{
    if (!prepared_case(state, c, prepare))
        return;
    time_calls(state, c.fn.get(), c.arg.get(), std::string(c.impl) + " " + c.op, &c.error);
    // The JSON Lines read (loads) or written (dumps, json's size).
    set_item_counters(state, c.bytes, c.lines);
}

}  // namespace

void register_lines_benchmarks()
{
    std::string error;
    Ref names = call_bench_lines("available", nullptr, &error);
    if (!names || !PyList_Check(names.get())) {
        std::fprintf(stderr, "bench: %s; lines benchmarks not registered\n",
                     error.empty() ? "bench_lines.available() is not a list" : error.c_str());
        return;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names.get()); i++) {
        const char *dataset = PyUnicode_AsUTF8(PyList_GET_ITEM(names.get(), i));
        if (dataset == nullptr) {
            std::fprintf(stderr, "bench: %s\n", take_error("bench_lines.available").c_str());
            return;
        }
        for (const char *op : {"loads", "dumps"}) {
            for (const char *impl : kImplementations) {
                auto c = std::make_shared<LinesCase>();
                c->dataset = dataset;
                c->op = op;
                c->impl = impl;
                cases.push_back(c);
                std::string name = std::string("lines/") + dataset + "_" + op + "/" + impl;
                benchmark::RegisterBenchmark(name.c_str(),
                                             [c](benchmark::State &state) { bm_lines(state, *c); });
            }
        }
    }
}

void release_lines_benchmarks()
{
    cases.clear();
}

}  // namespace bench
