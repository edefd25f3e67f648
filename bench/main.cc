// ./bench: Google Benchmark over the C core, with CPython embedded so that the
// Python-facing families (loads, dumps, keys) run the code users import and
// can call orjson and json in the same process for side-by-side ratios.
//
// Families (bench/README.md): keys/, loads/, dumps/ (documents and rich
// types), scaling/, alloc/, scan/, float_parse/, float_print/, int_parse/,
// int_print/, lines/ (JSON Lines).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench.h"

namespace
{

// The 64 MiB scaling points take a minute with their generation: they run
// with BENCH_FULL=1, or when the filter names them.
bool include_largest(int argc, char **argv)
{
    const char *full = std::getenv("BENCH_FULL");
    if (full != nullptr && std::strcmp(full, "1") == 0)
        return true;
    for (int i = 1; i < argc; i++)
        if (std::strncmp(argv[i], "--benchmark_filter=", 19) == 0 && std::strstr(argv[i], "64MiB"))
            return true;
    return false;
}

std::string python_version()
{
    const char *version = Py_GetVersion();
    return std::string(version, std::strcspn(version, " "));
}

std::string module_version(const char *module)
{
    std::string error;
    bench::Ref version = bench::import_attribute(module, "__version__", &error);
    const char *text = version ? PyUnicode_AsUTF8(version.get()) : nullptr;
    if (text == nullptr) {
        PyErr_Clear();
        return "not importable";
    }
    return text;
}

}  // namespace

int main(int argc, char **argv)
{
    const bench::Locations &where = bench::locations();
    std::string error;
    if (!bench::start_interpreter(where.source_dir, &error)) {
        std::fprintf(stderr, "bench: %s\n", error.c_str());
        return 1;
    }
    // Imported first: the module's initialisation chooses the string scanner
    // (jc_scan_select) that the scan benchmarks and the context report.
    bench::Ref jcodec(PyImport_ImportModule("jcodec"));
    if (!jcodec) {
        std::fprintf(stderr, "bench: %s\n", bench::take_error("import jcodec").c_str());
        return 1;
    }
    bench::Datasets datasets;
    if (!bench::load_datasets(&datasets, &error)) {
        std::fprintf(stderr, "bench: loading the datasets: %s\n", error.c_str());
        return 1;
    }

    benchmark::AddCustomContext("python", python_version());
    benchmark::AddCustomContext("jcodec_scanner", jc_scan_selected_name());
    benchmark::AddCustomContext("orjson", module_version("orjson"));
    const std::string shared_corpus = bench::shared_corpus_dir(&error);
    if (!error.empty()) {
        std::fprintf(stderr, "bench: %s\n", error.c_str());
        return 1;
    }
    benchmark::AddCustomContext("shared_corpus", datasets.empty() || datasets[0]->origin != "shared"
                                                     ? "absent: " + shared_corpus
                                                     : shared_corpus);
    const char *seed = std::getenv("JCODEC_HASH_SEED");
    benchmark::AddCustomContext("key_cache_seed", seed != nullptr ? seed : "random per process");

    bench::register_keys_benchmarks(datasets);
    bench::register_codec_benchmarks(datasets);
    bench::register_types_benchmarks();
    bench::register_scaling_benchmarks(include_largest(argc, argv));
    bench::register_alloc_benchmarks(datasets);
    bench::register_scan_benchmarks();
    bench::register_number_benchmarks();
    bench::register_lines_benchmarks();

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    benchmark::ClearRegisteredBenchmarks();  // the lambdas hold Python objects
    bench::release_codec_benchmarks();
    bench::release_types_benchmarks();
    bench::release_alloc_benchmarks();
    bench::release_lines_benchmarks();
    bench::release_datasets(&datasets);
    jcodec.reset();
    bench::stop_interpreter();
    return 0;
}
