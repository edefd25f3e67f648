/* Exactness of the str writers (core/simd/utf8.h): every kernel set the CPU
 * supports (portable, SSE2, AVX2, AVX-512) writes, for every input, the bytes
 * of a plain reference written here (json.dumps(s, ensure_ascii=False)'s
 * escapes and UTF-8), the same bytes as the portable kernels, and refuses
 * every input holding a surrogate.
 *
 * Inputs, for each kind (UCS1, UCS2, UCS4):
 *   - random strs of every length 0..300 (and a few long ones, up to past
 *     the encoder's 4096-unit chunk) over every combination of the unit
 *     classes the kind holds (plain ASCII, escapes, Latin-1, 2-byte, 3-byte
 *     and astral units, edge values of each favoured), mixed unit by unit
 *     and in runs, so every block meets every mixture;
 *   - one escape at every offset of every length 0..300 (hence at every
 *     block boundary and in every tail), in a background of each class;
 *   - one surrogate at every offset of every length 1..300 (UCS2, UCS4).
 * Each input sits at the very end of a block of exactly its size, and each
 * output buffer is exactly 6 * n + JC_UTF8_SLACK bytes: under ASan (the
 * sanitizer gate) a read past the str or a write past the room the contract
 * grants is reported.
 *
 * Every check reports file:line and the test exits non-zero if any failed (check.h). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "simd/utf8.h"

#define MAX_LEN 300

/* ---------------------------------------------------------------------------
 * The reference: one unit at a time, as json.dumps writes it. */

/* Writes unit c at o; returns the end, NULL for a surrogate. */
static char *reference_unit(char *o, uint32_t c)
{
    static const char hex[] = "0123456789abcdef";
    const char *short_escape = NULL;
    switch (c) {
    case '"': short_escape = "\\\""; break;
    case '\\': short_escape = "\\\\"; break;
    case '\b': short_escape = "\\b"; break;
    case '\f': short_escape = "\\f"; break;
    case '\n': short_escape = "\\n"; break;
    case '\r': short_escape = "\\r"; break;
    case '\t': short_escape = "\\t"; break;
    default: break;
    }
    if (short_escape != NULL) {
        memcpy(o, short_escape, 2);
        return o + 2;
    }
    if (c < 0x20) {
        memcpy(o, "\\u00", 4);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 0xF];
        return o + 6;
    }
    if (c < 0x80) {
        *o = (char)c;
        return o + 1;
    }
    if (c < 0x800) {
        *o++ = (char)(0xC0 | (c >> 6));
        *o++ = (char)(0x80 | (c & 0x3F));
        return o;
    }
    if (c >= 0xD800 && c <= 0xDFFF)
        return NULL;
    if (c < 0x10000) {
        *o++ = (char)(0xE0 | (c >> 12));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
        return o;
    }
    *o++ = (char)(0xF0 | (c >> 18));
    *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
    *o++ = (char)(0x80 | (c & 0x3F));
    return o;
}

/* The reference output of units[0..n) at out; its length, or -1 when a unit is
 * a surrogate. */
static long reference(char *out, const uint32_t *units, size_t n)
{
    char *o = out;
    for (size_t i = 0; i < n; i++) {
        o = reference_unit(o, units[i]);
        if (o == NULL)
            return -1;
    }
    return (long)(o - out);
}

/* ---------------------------------------------------------------------------
 * Inputs. */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static uint32_t random_in(uint32_t low, uint32_t high)
{
    return low + next_random() % (high - low + 1);
}

enum unit_class {
    PLAIN,     /* ASCII that is written as it is */
    ESCAPE,    /* '"', '\\', < 0x20 */
    LATIN1,    /* 0x80..0xFF */
    TWO,       /* 0x100..0x7FF */
    THREE,     /* 0x800..0xFFFF but surrogates */
    ASTRAL,    /* 0x10000..0x10FFFF */
    SURROGATE, /* 0xD800..0xDFFF: refused */
    CLASSES
};

/* How many classes (the first ones of the list) a kind holds; surrogates
 * get their own test. */
static int classes_of(int unit_size)
{
    return unit_size == 1 ? LATIN1 + 1 : unit_size == 2 ? THREE + 1 : ASTRAL + 1;
}

static const uint32_t escapes[] = {'"', '\\', 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,
                                   10,  11,   12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                   22,  23,   24, 25, 26, 27, 28, 29, 30, 31};
#define N_ESCAPES (sizeof escapes / sizeof escapes[0])

/* A unit of the class, its edges (where the byte count or the kernels'
 * range tests change) one time in four. */
static uint32_t random_unit(int cls)
{
    int edge = next_random() % 4 == 0;
    uint32_t c;
    switch (cls) {
    case PLAIN:
        if (edge)
            return (uint32_t[]){0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F}[next_random() % 7];
        do
            c = random_in(0x20, 0x7F);
        while (c == '"' || c == '\\');
        return c;
    case ESCAPE: return escapes[next_random() % N_ESCAPES];
    case LATIN1:
        return edge ? (uint32_t[]){0x80, 0xBF, 0xC0, 0xFF}[next_random() % 4]
                    : random_in(0x80, 0xFF);
    case TWO:
        return edge ? (uint32_t[]){0x100, 0x7FF, 0x400, 0x3FF}[next_random() % 4]
                    : random_in(0x100, 0x7FF);
    case THREE:
        if (edge)
            return (uint32_t[]){0x800,  0xFFF,  0x1000, 0x7FFF, 0x8000,
                                0xD7FF, 0xE000, 0xFFFF, 0xFFFE, 0xFF80}[next_random() % 10];
        do
            c = random_in(0x800, 0xFFFF);
        while (c >= 0xD800 && c <= 0xDFFF);
        return c;
    case ASTRAL:
        return edge ? (uint32_t[]){0x10000, 0x10FFFF, 0x1FFFF, 0x1F600, 0xFFFFF}[next_random() % 5]
                    : random_in(0x10000, 0x10FFFF);
    default:
        return edge ? (uint32_t[]){0xD800, 0xDBFF, 0xDC00, 0xDFFF}[next_random() % 4]
                    : random_in(0xD800, 0xDFFF);
    }
}

/* A class from the set `classes` (bit per class). */
static int random_class(unsigned classes)
{
    int cls;
    do
        cls = (int)(next_random() % CLASSES);
    while (!(classes >> cls & 1));
    return cls;
}

/* n units from the classes: unit by unit, or in runs of 1 to 40. */
static void random_units(uint32_t *units, size_t n, unsigned classes, int runs)
{
    size_t i = 0;
    while (i < n) {
        int cls = random_class(classes);
        size_t run = runs ? random_in(1, 40) : 1;
        for (; run > 0 && i < n; run--)
            units[i++] = random_unit(cls);
    }
}

/* ---------------------------------------------------------------------------
 * Running the kernels. */

static const jc_utf8_kernels *sets[JC_ISA_AVX512 + 1];
static int failures_reported;

/* Runs one kind's kernel of set k on units[0..n) (unit_size 1, 2 or 4): the
 * input copied to the end of a block of exactly its size, the output into a
 * block of exactly 6 * n + JC_UTF8_SLACK bytes. Returns the output's length,
 * -1 when the kernel refused the input; the bytes are copied to out. */
static long run_kernel(const jc_utf8_kernels *k, int unit_size, const uint32_t *units, size_t n,
                       char *out)
{
    size_t in_bytes = n * (size_t)unit_size;
    void *input = malloc(in_bytes ? in_bytes : 1);
    char *output = malloc(6 * n + JC_UTF8_SLACK);
    if (input == NULL || output == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        if (unit_size == 1)
            ((uint8_t *)input)[i] = (uint8_t)units[i];
        else if (unit_size == 2)
            ((uint16_t *)input)[i] = (uint16_t)units[i];
        else
            ((uint32_t *)input)[i] = units[i];
    }
    char *end;
    if (unit_size == 1)
        end = k->ucs1(output, input, n);
    else if (unit_size == 2)
        end = k->ucs2(output, input, n);
    else
        end = k->ucs4(output, input, n);
    long length = -1;
    if (end != NULL) {
        length = (long)(end - output);
        if (length < 0 || (size_t)length > 6 * n) {
            fprintf(stderr, "%s: %ld bytes returned for %zu units\n", jc_isa_name(k->isa), length,
                    n);
            check_failed();
            length = 0;
        }
        memcpy(out, output, (size_t)length);
    }
    free(input);
    free(output);
    return length;
}

static void report(const char *what, const jc_utf8_kernels *k, int unit_size, const uint32_t *units,
                   size_t n, long got, long want)
{
    check_failed();
    if (failures_reported++ >= 10)
        return;
    fprintf(stderr, "%s: %s UCS%d, %zu units, %ld bytes (want %ld):", what, jc_isa_name(k->isa),
            unit_size, n, got, want);
    for (size_t i = 0; i < n && i < 64; i++)
        fprintf(stderr, " %x", (unsigned)units[i]);
    fprintf(stderr, "%s\n", n > 64 ? " ..." : "");
}

static long runs_checked;

/* Every supported set on one input, against the reference and the portable
 * kernels. */
static void check_units(int unit_size, const uint32_t *units, size_t n)
{
    static char want[6 * 70000 + 16], portable[6 * 70000 + 16], got[6 * 70000 + 16];
    long want_length = reference(want, units, n);
    long portable_length = run_kernel(sets[JC_ISA_SCALAR], unit_size, units, n, portable);
    if (portable_length != want_length ||
        (want_length > 0 && memcmp(portable, want, (size_t)want_length) != 0))
        report("differs from the reference", sets[JC_ISA_SCALAR], unit_size, units, n,
               portable_length, want_length);
    for (int isa = JC_ISA_SCALAR + 1; isa <= JC_ISA_AVX512; isa++) {
        if (sets[isa] == NULL)
            continue;
        long length = run_kernel(sets[isa], unit_size, units, n, got);
        if (length != portable_length || (length > 0 && memcmp(got, portable, (size_t)length) != 0))
            report("differs from the portable kernel", sets[isa], unit_size, units, n, length,
                   portable_length);
        if (length != want_length || (length > 0 && memcmp(got, want, (size_t)length) != 0))
            report("differs from the reference", sets[isa], unit_size, units, n, length,
                   want_length);
    }
    runs_checked++;
}

static const int unit_sizes[] = {1, 2, 4};

/* Random strs of every length over every set of classes, mixed and in runs;
 * then a few long ones. */
static void check_random(void)
{
    static uint32_t units[70000];
    for (int s = 0; s < 3; s++) {
        int unit_size = unit_sizes[s];
        unsigned all = (1u << classes_of(unit_size)) - 1;
        for (size_t n = 0; n <= MAX_LEN; n++) {
            for (unsigned classes = 1; classes <= all; classes++) {
                random_units(units, n, classes, 0);
                check_units(unit_size, units, n);
                random_units(units, n, classes, 1);
                check_units(unit_size, units, n);
            }
        }
        static const size_t long_lengths[] = {1000, 4095, 4096, 4097, 8200, 65537};
        for (size_t i = 0; i < sizeof long_lengths / sizeof long_lengths[0]; i++) {
            random_units(units, long_lengths[i], all, 1);
            check_units(unit_size, units, long_lengths[i]);
            /* Plain ASCII throughout (the long ASCII strs' path), then one
             * escape near the end. */
            random_units(units, long_lengths[i], 1u << PLAIN, 0);
            check_units(unit_size, units, long_lengths[i]);
            units[long_lengths[i] - 3] = '\n';
            check_units(unit_size, units, long_lengths[i]);
        }
    }
}

/* One escape (or surrogate) at every offset of every length, in a background
 * of each class the kind holds. */
static void check_every_offset(int special_class)
{
    uint32_t units[MAX_LEN];
    for (int s = 0; s < 3; s++) {
        int unit_size = unit_sizes[s];
        if (special_class == SURROGATE && unit_size == 1)
            continue;
        /* The backgrounds: every class the kind holds but the escapes. */
        int backgrounds[CLASSES], count = 0;
        for (int cls = 0; cls < classes_of(unit_size); cls++)
            if (cls != ESCAPE)
                backgrounds[count++] = cls;
        for (size_t n = 1; n <= MAX_LEN; n++) {
            for (size_t at = 0; at < n; at++) {
                /* Every background for the shorter lengths, one in turn
                 * beyond (the blocks are at most 64 units wide). */
                for (int b = 0; b < count; b++) {
                    if (n > 130 && (size_t)b != (n + at) % (size_t)count)
                        continue;
                    random_units(units, n, 1u << backgrounds[b], 0);
                    units[at] = special_class == ESCAPE ? escapes[(n + at) % N_ESCAPES]
                                                        : random_unit(SURROGATE);
                    check_units(unit_size, units, n);
                }
            }
        }
    }
}

/* The dispatch: a set for every ISA up to the CPU's and none beyond; the
 * chosen set is the one JCODEC_ISA (or the CPU) asks for. */
static void check_dispatch(void)
{
    jc_isa cpu = jc_cpu_isa();
    for (int isa = JC_ISA_SCALAR; isa <= JC_ISA_AVX512; isa++) {
        sets[isa] = jc_utf8_kernels_for((jc_isa)isa);
        if (isa <= (int)cpu) {
            CHECK(sets[isa] != NULL);
            if (sets[isa] != NULL)
                CHECK_EQ(sets[isa]->isa, isa);
        } else {
            CHECK(sets[isa] == NULL);
        }
    }
    const char *name = jc_utf8_select();
    CHECK(strcmp(name, jc_isa_name(jc_isa_wanted())) == 0);
    CHECK_EQ(jc_utf8.isa, jc_isa_wanted());
    CHECK(jc_utf8.ucs2 == jc_utf8_kernels_for(jc_utf8.isa)->ucs2);
    printf("kernels: up to %s (chosen: %s)\n", jc_isa_name(cpu), name);
}

int main(void)
{
    Py_Initialize();
    check_dispatch();
    if (sets[JC_ISA_SCALAR] == NULL)
        return check_finish("test_str_kernels");
    check_random();
    check_every_offset(ESCAPE);
    check_every_offset(SURROGATE);
    printf("%ld inputs checked\n", runs_checked);
    return check_finish("test_str_kernels");
}
