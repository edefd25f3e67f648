/* Property: the SIMD and scalar string scanners (core/simd/scan.h) give the same
 * answers as naive byte loops on every input:
 *   - jc_scan_string_scalar / _sse2 / _avx2 (when the CPU has AVX2), the
 *     selected jc_scan_string_long and the inline jc_scan_string all return the
 *     first byte that is '"', '\\', < 0x20 or >= 0x80 (or end);
 *   - jc_find_quote_or_backslash returns the first '"' or '\\' (or end);
 *   - jc_swar_special (8 bytes) and jc_sse2_special_mask (16 bytes) flag
 *     exactly those bytes, with no false positives.
 * Every start offset below 64 and every end within 40 bytes of the input's end
 * is tried, so each SIMD width meets each alignment and tail length. The input
 * is copied into a block of exactly its size: ASan reports any over-read. */
#include "fuzz_common.h"

#include <stdlib.h>

#include "simd/scan.h"

static int has_avx2;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    jc_fuzz_init(argc, argv); /* jc_scan_select runs at import */
    has_avx2 = jc_cpu_has_avx2();
    return 0;
}

static bool is_special(uint8_t c)
{
    return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/* The naive answers for every start at once: next[i] is the first index >= i
 * whose byte qualifies (size when none), computed backwards in one pass. */
static void naive_next(const uint8_t *buf, size_t size, bool (*qualifies)(uint8_t), size_t *next)
{
    next[size] = size;
    for (size_t i = size; i-- > 0;)
        next[i] = qualifies(buf[i]) ? i : next[i + 1];
}

static bool is_quote_or_backslash(uint8_t c)
{
    return c == '"' || c == '\\';
}

static void require_scan(const char *name, const uint8_t *got, const uint8_t *want,
                         const uint8_t *base, const uint8_t *p, const uint8_t *end)
{
    JC_FUZZ_REQUIRE(got == want, "%s from offset %td to %td returned offset %td, expected %td",
                    name, p - base, end - base, got - base, want - base);
}

static void check_range(const uint8_t *base, const uint8_t *p, const uint8_t *end,
                        const size_t *next_special, const size_t *next_quote)
{
    size_t limit = (size_t)(end - base);
    const uint8_t *want = base + (next_special[p - base] < limit ? next_special[p - base] : limit);
    require_scan("jc_scan_string_scalar", jc_scan_string_scalar(p, end), want, base, p, end);
#if JC_HAVE_SSE2
    require_scan("jc_scan_string_sse2", jc_scan_string_sse2(p, end), want, base, p, end);
    if (has_avx2)
        require_scan("jc_scan_string_avx2", jc_scan_string_avx2(p, end), want, base, p, end);
#endif
    require_scan("jc_scan_string_long", jc_scan_string_long(p, end), want, base, p, end);
    require_scan("jc_scan_string", jc_scan_string(p, end), want, base, p, end);
    const uint8_t *quote = base + (next_quote[p - base] < limit ? next_quote[p - base] : limit);
    require_scan("jc_find_quote_or_backslash", jc_find_quote_or_backslash(p, end), quote, base, p,
                 end);
}

static void check_masks(const uint8_t *buf, size_t size)
{
    for (size_t i = 0; i + 8 <= size; i++) {
        uint64_t want = 0;
        for (unsigned k = 0; k < 8; k++)
            if (is_special(buf[i + k]))
                want |= UINT64_C(0x80) << (8 * k);
        uint64_t got = jc_swar_special(jc_load64(buf + i));
        JC_FUZZ_REQUIRE(got == want, "jc_swar_special at offset %zu: %016llx, expected %016llx", i,
                        (unsigned long long)got, (unsigned long long)want);
    }
#if JC_HAVE_SSE2
    for (size_t i = 0; i + 16 <= size; i++) {
        unsigned want = 0;
        for (unsigned k = 0; k < 16; k++)
            want |= (unsigned)is_special(buf[i + k]) << k;
        unsigned got = jc_sse2_special_mask(_mm_loadu_si128((const __m128i *)(buf + i)));
        JC_FUZZ_REQUIRE(got == want, "jc_sse2_special_mask at offset %zu: %04x, expected %04x", i,
                        got, want);
    }
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return -1; /* 2560 ranges per input: this target's own, smaller cap */
    uint8_t *buf = malloc(size ? size : 1);
    size_t *next_special = malloc((size + 1) * sizeof *next_special);
    size_t *next_quote = malloc((size + 1) * sizeof *next_quote);
    JC_FUZZ_REQUIRE(buf && next_special && next_quote, "malloc");
    memcpy(buf, data, size);
    naive_next(buf, size, is_special, next_special);
    naive_next(buf, size, is_quote_or_backslash, next_quote);
    const uint8_t *end = buf + size;
    for (size_t start = 0; start <= size && start < 64; start++)
        for (size_t cut = 0; cut <= size - start && cut < 40; cut++)
            check_range(buf, buf + start, end - cut, next_special, next_quote);
    check_masks(buf, size);
    free(next_quote);
    free(next_special);
    free(buf);
    return 0;
}
