/* The str writers of dumps: code units of a str (UCS1, UCS2 or UCS4, as
 * CPython stores them) to the body of a JSON string, in UTF-8 with '"', '\\'
 * and control characters (< 0x20) escaped as json.dumps(s, ensure_ascii=False)
 * escapes them (\" \\ \b \f \n \r \t, else \u00XX in lowercase hex).
 * Surrogates (U+D800..U+DFFF, paired or not) cannot be written as UTF-8 and are
 * refused.
 *
 * One kernel per kind and instruction set, one file per instruction set:
 * utf8_scalar.c (portable; what other architectures get), utf8_sse2.c (the
 * x86-64 baseline), utf8_avx2.c and utf8_avx512.c (AVX-512 F/BW/VL), the last
 * two sharing the 256-bit block encoders of utf8_avx2.h. The set used is
 * chosen once per process (utf8.c, like the string scanner) into jc_utf8;
 * every set writes the same bytes for the same input (tests/c/test_str_kernels.c).
 *
 * The contract of every kernel:
 *   char *kernel(char *o, const unit *s, size_t n)
 * writes units s[0..n) at o and returns the end of what it wrote, or NULL when
 * a unit is a surrogate (what was written before it is garbage then). The
 * caller provides 6 * n + JC_UTF8_SLACK writable bytes at o (6: the longest
 * escape); kernels store whole vectors and may leave garbage in that room past
 * the returned end. Nothing at or past s + n is read. */
#ifndef JC_SIMD_UTF8_H
#define JC_SIMD_UTF8_H

#include <stdbool.h>

#include "compiler.h"
#include "simd/cpu.h"
#include "tables/char_tables.h"

#define JC_UTF8_SLACK 128

typedef char *(*jc_utf8_ucs1_fn)(char *o, const uint8_t *s, size_t n);
typedef char *(*jc_utf8_ucs2_fn)(char *o, const uint16_t *s, size_t n);
typedef char *(*jc_utf8_ucs4_fn)(char *o, const uint32_t *s, size_t n);

/* One instruction set's kernels. */
typedef struct jc_utf8_kernels {
    jc_utf8_ucs1_fn ucs1; /* Latin-1 (ASCII too: the long ASCII strs go here) */
    jc_utf8_ucs2_fn ucs2;
    jc_utf8_ucs4_fn ucs4;
    jc_isa isa;
} jc_utf8_kernels;

/* The kernels in use; set by jc_utf8_select (before it: the baseline's). */
extern jc_utf8_kernels jc_utf8;

/* Picks the kernels for this CPU, once per process (later calls keep the first
 * choice), honouring JCODEC_ISA (cpu.h); returns the ISA's name. */
const char *jc_utf8_select(void);

/* The kernels of one instruction set, or NULL when this build or CPU has none
 * (tests run every set the CPU supports). */
const jc_utf8_kernels *jc_utf8_kernels_for(jc_isa isa);

char *jc_utf8_ucs1_scalar(char *o, const uint8_t *s, size_t n);
char *jc_utf8_ucs2_scalar(char *o, const uint16_t *s, size_t n);
char *jc_utf8_ucs4_scalar(char *o, const uint32_t *s, size_t n);
#if JC_HAVE_SSE2
char *jc_utf8_ucs1_sse2(char *o, const uint8_t *s, size_t n);
char *jc_utf8_ucs2_sse2(char *o, const uint16_t *s, size_t n);
char *jc_utf8_ucs4_sse2(char *o, const uint32_t *s, size_t n);
/* Compiled for AVX2 (and AVX-512) by target attributes: call them only when
 * jc_cpu_isa() says the CPU has the instruction set. */
char *jc_utf8_ucs1_avx2(char *o, const uint8_t *s, size_t n);
char *jc_utf8_ucs2_avx2(char *o, const uint16_t *s, size_t n);
char *jc_utf8_ucs4_avx2(char *o, const uint32_t *s, size_t n);
char *jc_utf8_ucs1_avx512(char *o, const uint8_t *s, size_t n);
char *jc_utf8_ucs2_avx512(char *o, const uint16_t *s, size_t n);
char *jc_utf8_ucs4_avx512(char *o, const uint32_t *s, size_t n);
#endif

/* Unit by unit, shared by every kernel (and by the encoder's inline ASCII
 * path, encode/str.h) for what the vector paths hand back. */

static const char jc_hex_digits_lower[] = "0123456789abcdef";

/* The escape for ASCII c, which needs one ('"', '\\' or < 0x20), at o; returns
 * the end. */
JC_INLINE char *jc_utf8_escape(char *o, uint32_t c)
{
    uint8_t letter = jc_json_escape[c];
    o[0] = '\\';
    if (letter != 'u') {
        o[1] = (char)letter;
        return o + 2;
    }
    memcpy(o + 1, "u00", 3);
    o[4] = jc_hex_digits_lower[c >> 4];
    o[5] = jc_hex_digits_lower[c & 0xF];
    return o + 6;
}

/* A unit a vector path stopped at: an escape, or NULL for a surrogate. */
JC_INLINE char *jc_utf8_special(char *o, uint32_t c)
{
    return c < 0x80 ? jc_utf8_escape(o, c) : NULL;
}

/* One code point (< 0x110000) as itself, its escape or its UTF-8; NULL for a
 * surrogate. */
JC_INLINE char *jc_utf8_code_point(char *o, uint32_t c)
{
    if (c < 0x80) {
        if (jc_unlikely(jc_json_escape[c]))
            return jc_utf8_escape(o, c);
        *o = (char)c;
        return o + 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return o + 2;
    }
    if (c < 0x10000) {
        if (jc_unlikely((c & 0xF800) == 0xD800))
            return NULL;
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return o + 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return o + 4;
}

/* The vector kernels' tails: fewer units than a vector are copied into a
 * buffer of `size` bytes prefilled with 'a' units (plain ASCII, one output byte
 * each), so the block code runs on whole vectors and the caller subtracts one
 * byte per pad unit from the end it returns. */
#define JC_UTF8_PAD 'a'

/* One block of a vector kernel: `lanes` units at s (a block's worth, or
 * fewer at the end of the str), encoded at o up to the first unit that needs
 * an escape or is a surrogate. Returns the end; *count is the units encoded,
 * *stopped whether such a unit follows them (jc_utf8_stop_at sets both). */
typedef char *(*jc_utf8_block_fn)(char *o, const void *s, int lanes, int *count, bool *stopped);

/* The units a block encodes, also stored in *count: up to the first special
 * one when `special` (a mask with 1 << shift bits a unit) has a bit set, else
 * all `lanes`; *stopped says which. */
JC_INLINE int jc_utf8_stop_at(uint64_t special, int shift, int lanes, int *count, bool *stopped)
{
    *stopped = special != 0;
    *count = special != 0 ? (int)(jc_ctz64(special) >> shift) : lanes;
    return *count;
}

/* A Latin-1 block whose `flags` (a bit a byte: '"', '\\', < 0x20 or >= 0x80)
 * are not all clear, `*high` the bytes >= 0x80 among them: the units it
 * encodes, up to the first escape (jc_utf8_stop_at), with *high cut to them. */
JC_INLINE int jc_utf8_latin1_stop(uint64_t flags, uint64_t *high, int lanes, int *count,
                                  bool *stopped)
{
    lanes = jc_utf8_stop_at(flags & ~*high, 0, lanes, count, stopped);
    *high &= lanes >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << lanes) - 1;
    return lanes;
}

/* The loop of every ISA's block kernels: blocks of `width` units until the str
 * ends, the unit each stopped at written between them (jc_utf8_special; a
 * Latin-1 block stops at escapes only). Returns the end, or NULL at a
 * surrogate. Inline for speed, with `block`, `unit_size` and `width`
 * constants: each kernel compiles to its own loop around its own block (the
 * kernel's target attribute lets the block's intrinsics in). */
JC_INLINE char *jc_utf8_blocks(char *o, const void *s, size_t n, size_t unit_size, int width,
                               jc_utf8_block_fn block)
{
    const uint8_t *p = s;
    while (n > 0) {
        int count;
        bool stopped;
        o = block(o, p, n < (size_t)width ? (int)n : width, &count, &stopped);
        p += (size_t)count * unit_size;
        n -= (size_t)count;
        if (jc_unlikely(stopped)) {
            uint32_t unit = unit_size == 1 ? *p : unit_size == 2 ? jc_load16(p) : jc_load32(p);
            o = jc_utf8_special(o, unit);
            if (o == NULL)
                return NULL;
            p += unit_size;
            n--;
        }
    }
    return o;
}

/* Defines the kernel `name` (of `unit`s) as the jc_utf8_blocks loop around
 * `block`, `width` units a block; `attributes` carries the target of a kernel
 * compiled for more than the build's baseline. */
#define JC_UTF8_BLOCKS_KERNEL(attributes, name, unit, width, block) \
  attributes char *name(char *o, const unit *s, size_t n)           \
  {                                                                 \
    return jc_utf8_blocks(o, s, n, sizeof *s, width, block);        \
  }

#endif /* JC_SIMD_UTF8_H */
