// scan/<length>/<impl>: the string scanners (core/simd/scan.h) on a plain ASCII
// string body of <length> bytes and its closing quote: scalar (SWAR), sse2,
// avx2, and `entry`, the parser's inline entry point (SSE2 for the first 16
// bytes, then the implementation chosen at import). Every implementation must
// stop at the quote; a benchmark whose scanner does not is skipped.
#include <vector>

#include "bench.h"

namespace bench
{
namespace
{

using ScanFn = const uint8_t *(*)(const uint8_t *, const uint8_t *);

const uint8_t *scan_entry(const uint8_t *p, const uint8_t *end)
{
    return jc_scan_string(p, end);
}

void bm_scan(benchmark::State &state, ScanFn scan, size_t length, bool needs_avx2)
{
    if (needs_avx2 && !jc_cpu_has_avx2()) {
        state.SkipWithError("this CPU has no AVX2");
        return;
    }
    // Body, closing quote, then more document after it, as in a real string.
    std::vector<uint8_t> buffer(length + 64);
    for (size_t i = 0; i < length; i++)
        buffer[i] = static_cast<uint8_t>('a' + i % 26);
    buffer[length] = '"';
    for (size_t i = length + 1; i < buffer.size(); i++)
        buffer[i] = ',';
    const uint8_t *begin = buffer.data(), *end = begin + buffer.size();
    if (scan(begin, end) != begin + length) {
        state.SkipWithError("scanner did not stop at the closing quote");
        return;
    }
    for (auto _ : state) {
        const uint8_t *stop = scan(begin, end);
        keep(stop);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * length));
}

}  // namespace

void register_scan_benchmarks()
{
    struct Scanner {
        const char *name;
        ScanFn fn;
        bool needs_avx2;
    };
    std::vector<Scanner> scanners = {{"scalar", jc_scan_string_scalar, false}};
#if JC_HAVE_SSE2
    scanners.push_back({"sse2", jc_scan_string_sse2, false});
    scanners.push_back({"avx2", jc_scan_string_avx2, true});
#endif
    scanners.push_back({"entry", scan_entry, false});
    for (size_t length : {size_t{16}, size_t{64}, size_t{256}, size_t{4096}, size_t{65536}}) {
        for (const Scanner &s : scanners) {
            std::string name = "scan/" + size_label(length) + "/" + s.name;
            benchmark::RegisterBenchmark(name.c_str(), [s, length](benchmark::State &state) {
                bm_scan(state, s.fn, length, s.needs_avx2);
            });
        }
    }
}

}  // namespace bench
