// Number conversion, per number, against the C library as the reference:
//
// float_parse/<set>/<impl>  decimal_to_double (jc_decimal_to_double on digits
//                           already split, the parser's converter), jc_parse
//                           (the set as one JSON array, floats created), strtod,
//                           python (PyOS_string_to_double: float() and json)
// float_print/<set>/<impl>  jc_write_double_repr, snprintf_17g, python
//                           (PyOS_double_to_string 'r': repr())
// int_parse/<set>/<impl>    jc_parse (the set as one JSON array), strtoll,
//                           strtoll_pylong (strtoll plus the int object)
// int_print/<set>/<impl>    jcodec (the serializer's integer writer), snprintf,
//                           to_chars
//
// Sets (4096 numbers each, from fixed seeds): coords (canada-like coordinates,
// 16-17 digits), short (prices, 2 decimals), wide (17 digits, exponents of
// +-300); small (-1000..1000) and int64 (the full range). Every implementation's
// results are checked against the reference before timing.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <random>

#include "bench.h"

namespace bench
{
namespace
{

constexpr size_t kCount = 4096;

struct FloatSet {
    std::vector<double> values;
    std::vector<std::string> texts;
    std::string array;            // "[t0,t1,...]"
    std::vector<size_t> offsets;  // of each text in `array`
    // Digits and exponent of each text, as the parser splits them.
    std::vector<uint64_t> w;
    std::vector<int64_t> q;
    std::vector<uint8_t> negative;
};

struct IntSet {
    std::vector<int64_t> values;
    std::string array;
    std::vector<size_t> offsets;
};

std::string python_repr(double x)
{
    char *text = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, nullptr);
    std::string out = text != nullptr ? text : "";
    PyMem_Free(text);
    return out;
}

// value = (negative ? -1 : 1) * w * 10^q for a literal of at most 19 digits.
bool split_decimal(const std::string &text, uint64_t *w, int64_t *q, bool *negative)
{
    size_t i = 0;
    *negative = text[0] == '-';
    i += *negative;
    uint64_t value = 0;
    int significant = 0;
    int64_t exponent = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); i++) {
        value = value * 10 + static_cast<uint64_t>(text[i] - '0');
        significant += value != 0;
    }
    if (i < text.size() && text[i] == '.') {
        for (i++; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); i++) {
            value = value * 10 + static_cast<uint64_t>(text[i] - '0');
            significant += value != 0;
            exponent--;
        }
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E'))
        exponent += std::atoll(&text[i + 1]);
    *w = value;
    *q = exponent;
    return significant <= 19;
}

FloatSet make_float_set(const std::string &name)
{
    std::mt19937_64 rng(name == "coords" ? 3 : name == "short" ? 4 : 5);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    std::uniform_int_distribution<int> exponent(-300, 300);
    FloatSet set;
    set.array = "[";
    for (size_t i = 0; i < kCount; i++) {
        std::string text;
        if (name == "coords") {
            text = python_repr(unit(rng) * 180.0);
        } else if (name == "short") {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.2f", unit(rng) * 1e6);
            text = buffer;
        } else {
            text = python_repr(unit(rng) * std::pow(10.0, exponent(rng)));
        }
        if (i > 0)
            set.array += ',';
        set.offsets.push_back(set.array.size());
        set.array += text;
        set.values.push_back(std::strtod(text.c_str(), nullptr));
        uint64_t w;
        int64_t q;
        bool negative;
        split_decimal(text, &w, &q, &negative);
        set.w.push_back(w);
        set.q.push_back(q);
        set.negative.push_back(negative);
        set.texts.push_back(std::move(text));
    }
    set.array += ']';
    return set;
}

IntSet make_int_set(const std::string &name)
{
    std::mt19937_64 rng(name == "small" ? 6 : 7);
    std::uniform_int_distribution<int64_t> small(-1000, 1000);
    std::uniform_int_distribution<int64_t> full(INT64_MIN, INT64_MAX);
    IntSet set;
    set.array = "[";
    for (size_t i = 0; i < kCount; i++) {
        int64_t v = name == "small" ? small(rng) : full(rng);
        if (i > 0)
            set.array += ',';
        set.offsets.push_back(set.array.size());
        set.array += std::to_string(v);
        set.values.push_back(v);
    }
    set.array += ']';
    return set;
}

bool same_double(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// The set as one document through jc_parse, on a cache of its own.
PyObject *parse_array(const std::string &array, std::string *error)
{
    jc_keycache *cache = jc_keycache_new();
    if (cache == nullptr) {
        *error = take_error("jc_keycache_new");
        return nullptr;
    }
    jc_parse_error err;
    PyObject *list =
        jc_parse(reinterpret_cast<const uint8_t *>(array.c_str()), array.size(), cache, &err);
    if (list == nullptr)
        *error = std::string("jc_parse: ") + err.msg;
    jc_keycache_free(cache);
    return list;
}

// One timed parse_array, the list dropped; false (the benchmark skipped with
// the error) when it fails.
bool parse_and_drop(benchmark::State &state, const std::string &array, std::string *error)
{
    PyObject *list = parse_array(array, error);
    if (list == nullptr) {
        state.SkipWithError(error->c_str());
        return false;
    }
    Py_DECREF(list);
    return true;
}

void set_number_counters(benchmark::State &state)
{
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kCount));
    state.counters["time_per_number"] = time_per(static_cast<double>(kCount));
}

// ---- float parse -------------------------------------------------------------

std::string check_float_parse(const FloatSet &set, const std::string &impl, size_t *fallbacks)
{
    *fallbacks = 0;
    if (impl == "jc_parse") {
        std::string error;
        Ref list(parse_array(set.array, &error));
        if (!list)
            return error;
        for (size_t i = 0; i < kCount; i++)
            if (!same_double(PyFloat_AsDouble(PyList_GET_ITEM(list.get(), i)), set.values[i]))
                return "jc_parse gives a different double for " + set.texts[i];
        return "";
    }
    for (size_t i = 0; i < kCount; i++) {
        double x = 0;
        bool decided = true;
        if (impl == "decimal_to_double") {
            decided = jc_decimal_to_double(set.w[i], set.q[i], set.negative[i], &x);
            *fallbacks += !decided;
        } else if (impl == "python") {
            x = PyOS_string_to_double(set.texts[i].c_str(), nullptr, nullptr);
        } else {
            x = std::strtod(set.texts[i].c_str(), nullptr);
        }
        if (decided && !same_double(x, set.values[i]))
            return impl + " gives a different double for " + set.texts[i];
    }
    return "";
}

void bm_float_parse(benchmark::State &state, const FloatSet &set, const std::string &impl)
{
    size_t fallbacks;
    std::string error = check_float_parse(set, impl, &fallbacks);
    if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
    }
    const char *array = set.array.c_str();
    for (auto _ : state) {
        if (impl == "jc_parse") {
            if (!parse_and_drop(state, set.array, &error))
                break;
            continue;
        }
        double sum = 0;
        if (impl == "decimal_to_double") {
            for (size_t i = 0; i < kCount; i++) {
                double x;
                jc_decimal_to_double(set.w[i], set.q[i], set.negative[i], &x);
                sum += x;
            }
        } else if (impl == "strtod") {
            for (size_t i = 0; i < kCount; i++)
                sum += std::strtod(array + set.offsets[i], nullptr);
        } else {
            for (size_t i = 0; i < kCount; i++)
                sum += PyOS_string_to_double(set.texts[i].c_str(), nullptr, nullptr);
        }
        keep(sum);
    }
    set_number_counters(state);
    if (impl == "decimal_to_double")
        state.counters["fallbacks"] = static_cast<double>(fallbacks);  // left to the exact path
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * set.array.size()));
}

// ---- float print -------------------------------------------------------------

void bm_float_print(benchmark::State &state, const FloatSet &set, const std::string &impl)
{
    char out[64];
    if (impl == "jc_write_double_repr") {
        for (size_t i = 0; i < kCount; i++) {
            size_t n = jc_write_double_repr(set.values[i], out);
            std::string expected = python_repr(set.values[i]);
            if (std::string(out, n) != expected) {
                std::string error =
                    "jc_write_double_repr wrote " + std::string(out, n) + " for " + expected;
                state.SkipWithError(error.c_str());
                return;
            }
        }
    }
    for (auto _ : state) {
        size_t total = 0;
        if (impl == "jc_write_double_repr") {
            for (size_t i = 0; i < kCount; i++)
                total += jc_write_double_repr(set.values[i], out);
        } else if (impl == "snprintf_17g") {
            for (size_t i = 0; i < kCount; i++)
                total +=
                    static_cast<size_t>(std::snprintf(out, sizeof out, "%.17g", set.values[i]));
        } else {
            for (size_t i = 0; i < kCount; i++) {
                char *text =
                    PyOS_double_to_string(set.values[i], 'r', 0, Py_DTSF_ADD_DOT_0, nullptr);
                total += std::strlen(text);
                PyMem_Free(text);
            }
        }
        keep(total);
        benchmark::ClobberMemory();
    }
    set_number_counters(state);
}

// ---- integers ----------------------------------------------------------------

void bm_int_parse(benchmark::State &state, const IntSet &set, const std::string &impl)
{
    const char *array = set.array.c_str();
    std::string error;
    if (impl == "jc_parse") {
        Ref list(parse_array(set.array, &error));
        for (size_t i = 0; list && i < kCount; i++)
            if (PyLong_AsLongLong(PyList_GET_ITEM(list.get(), i)) != set.values[i])
                error = "jc_parse gives a different int for " + std::to_string(set.values[i]);
    } else {
        for (size_t i = 0; i < kCount; i++)
            if (std::strtoll(array + set.offsets[i], nullptr, 10) != set.values[i])
                error = "strtoll differs";
    }
    if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
    }
    for (auto _ : state) {
        if (impl == "jc_parse") {
            if (!parse_and_drop(state, set.array, &error))
                break;
        } else if (impl == "strtoll") {
            uint64_t sum = 0;  // wraps, as signed sums may not
            for (size_t i = 0; i < kCount; i++)
                sum += static_cast<uint64_t>(std::strtoll(array + set.offsets[i], nullptr, 10));
            keep(sum);
        } else {
            for (size_t i = 0; i < kCount; i++) {
                PyObject *value =
                    PyLong_FromLongLong(std::strtoll(array + set.offsets[i], nullptr, 10));
                keep(value);
                Py_XDECREF(value);
            }
        }
    }
    set_number_counters(state);
}

void bm_int_print(benchmark::State &state, const IntSet &set, const std::string &impl)
{
    // Every implementation writes "v0,v1,...," and must match snprintf's text.
    std::string expected;
    char out[32];
    for (int64_t v : set.values) {
        std::snprintf(out, sizeof out, "%lld,", static_cast<long long>(v));
        expected += out;
    }
    std::vector<char> buffer(kCount * 21 + 1);
    auto run = [&]() -> size_t {
        size_t n = 0;
        if (impl == "snprintf") {
            for (int64_t v : set.values)
                n += static_cast<size_t>(
                    std::snprintf(&buffer[n], 22, "%lld,", static_cast<long long>(v)));
        } else {
            for (int64_t v : set.values) {
                n = static_cast<size_t>(std::to_chars(&buffer[n], &buffer[n] + 20, v).ptr -
                                        buffer.data());
                buffer[n++] = ',';
            }
        }
        return n;
    };
    if (impl == "jcodec") {
        Ref bytes(jc_bench_print_i64s(set.values.data(), kCount));
        if (!bytes || std::string(PyBytes_AS_STRING(bytes.get()), PyBytes_GET_SIZE(bytes.get())) !=
                          expected) {
            state.SkipWithError(bytes ? "the serializer's integer text differs from snprintf's"
                                      : take_error("jc_bench_print_i64s").c_str());
            return;
        }
    } else if (std::string(buffer.data(), run()) != expected) {
        state.SkipWithError("output differs from snprintf's");
        return;
    }
    for (auto _ : state) {
        if (impl == "jcodec") {
            PyObject *bytes = jc_bench_print_i64s(set.values.data(), kCount);
            if (bytes == nullptr) {
                state.SkipWithError("jc_bench_print_i64s failed");
                break;
            }
            Py_DECREF(bytes);
        } else {
            keep(run());
            benchmark::ClobberMemory();
        }
    }
    set_number_counters(state);
}

// Registers family/name/impl for each impl: bm(state, set, impl). The set
// outlives the benchmarks (register_number_benchmarks keeps it).
template <typename Set>
void register_impls(const char *family, const std::string &name, const Set &set,
                    std::initializer_list<const char *> impls,
                    void (*bm)(benchmark::State &, const Set &, const std::string &))
{
    const Set *s = &set;
    for (const char *impl : impls) {
        std::string impl_name = impl;
        benchmark::RegisterBenchmark(
            (std::string(family) + "/" + name + "/" + impl).c_str(),
            [s, impl_name, bm](benchmark::State &state) { bm(state, *s, impl_name); });
    }
}

}  // namespace

void register_number_benchmarks()
{
    // Built at start-up (a few milliseconds) and kept for the process; plain C++ data.
    static std::vector<std::pair<std::string, FloatSet>> float_sets;
    static std::vector<std::pair<std::string, IntSet>> int_sets;
    for (const char *name : {"coords", "short", "wide"})
        float_sets.emplace_back(name, make_float_set(name));
    for (const char *name : {"small", "int64"})
        int_sets.emplace_back(name, make_int_set(name));

    for (const auto &[name, set] : float_sets)
        register_impls("float_parse", name, set,
                       {"decimal_to_double", "jc_parse", "strtod", "python"}, bm_float_parse);
    for (const auto &[name, set] : float_sets)
        register_impls("float_print", name, set, {"jc_write_double_repr", "snprintf_17g", "python"},
                       bm_float_print);
    for (const auto &[name, set] : int_sets) {
        register_impls("int_parse", name, set, {"jc_parse", "strtoll", "strtoll_pylong"},
                       bm_int_parse);
        register_impls("int_print", name, set, {"jcodec", "snprintf", "to_chars"}, bm_int_print);
    }
}

}  // namespace bench
