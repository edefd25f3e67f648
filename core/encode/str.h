/* Encoder stage: str.
 *
 * Output equals json.dumps(s, ensure_ascii=False) encoded as UTF-8: '"', '\\'
 * and control characters are escaped (\n \r \t \b \f, else \u00XX), everything
 * else is written as UTF-8 straight from the str's own storage.
 *
 * ASCII strs shorter than JC_STR_WIDE_ASCII (the common case: keys and short
 * values) are written inline here, because the encoder does it per key and
 * value: copied 16 bytes at a time, each block stored first and scanned for
 * escapes after, so a block without escapes costs one load, one store and one
 * compare. Longer ASCII strs and every other kind go to str.c, which runs the
 * widest str writer the CPU has (simd/utf8.h). */
#ifndef JC_ENCODE_STR_H
#define JC_ENCODE_STR_H

#include "encode/encoder.h"
#include "simd/kernels.h"
#include "simd/utf8.h"
#include "tables/char_tables.h"

/* ASCII strs of at least this many bytes go to the str writers (whose AVX2
 * and AVX-512 blocks are 32 and 64 bytes wide) rather than the inline path. */
#define JC_STR_WIDE_ASCII 128

/* A str that is not compact ASCII, quoted and escaped; -1 with the error
 * recorded (a lone surrogate), or with a Python exception set and e->err
 * still JC_ENCODE_OK (out of memory: the caller records it). */
JC_NOINLINE int jc_write_unicode_str(jc_encoder *e, PyObject *str);

/* An ASCII str of JC_STR_WIDE_ASCII bytes or more, quoted and escaped; -1 with
 * MemoryError set. */
JC_NOINLINE int jc_write_long_ascii_str(jc_writer *w, const uint8_t *p, size_t n);

/* Writes the escape for ASCII byte c (which needs one) at o; returns the end. */
JC_INLINE char *write_escape(char *o, uint8_t c)
{
    return jc_utf8_escape(o, c);
}

/* A long key's ':' after jc_write_long_ascii_str; -1 with MemoryError set. */
JC_NOINLINE int jc_write_long_ascii_key(jc_writer *w, const uint8_t *p, size_t n);

/* An ASCII str's text, quoted and escaped, with ',' before it when `comma`
 * and ':' after it when `colon`: a dict member's key and its punctuation in
 * one reservation (for a value both are constant false and fold away). */
JC_INLINE int write_ascii_str_framed(jc_writer *w, const uint8_t *p, size_t n, bool comma,
                                     bool colon)
{
    /* the comma, 2 quotes, the colon, and 16 bytes of slack for the last
     * block's whole-block store */
    if (jc_unlikely(jc_writer_reserve(w, n + 20) < 0))
        return -1;
    char *o = jc_writer_pos(w);
    *o = ',';
    o += comma;
    if (n >= 16) {
        /* Tested only here, so strs under 16 bytes pay nothing for it. Without
         * SSE2 every str of 16 bytes or more goes to the portable writer. */
        if (!JC_HAVE_SSE2 || jc_unlikely(n >= JC_STR_WIDE_ASCII)) {
            w->len += comma;
            return colon ? jc_write_long_ascii_key(w, p, n) : jc_write_long_ascii_str(w, p, n);
        }
        *o++ = '"';
#if JC_HAVE_SSE2
        do {
            __m128i block = _mm_loadu_si128((const __m128i *)p);
            _mm_storeu_si128((__m128i *)o, block);
            unsigned mask = jc_sse2_special_mask(block);
            if (jc_likely(mask == 0)) {
                p += 16;
                o += 16;
                n -= 16;
                continue;
            }
            unsigned skip = jc_ctz32(mask);
            p += skip;
            o += skip;
            n -= skip;
            /* An escape takes up to 6 bytes for 1: make room for it and the rest. */
            w->len = (size_t)(o - w->data);
            if (jc_unlikely(jc_writer_reserve(w, n + 6 + 20) < 0))
                return -1;
            o = write_escape(jc_writer_pos(w), *p);
            p++;
            n--;
        } while (n >= 16);
#endif
    } else {
        *o++ = '"';
    }
    /* Under 16 bytes left (most keys): two overlapping loads cover them
     * without reading past the end; stored as they are when clean. With
     * SSE2 both halves are tested in one vector. */
    if (n >= 8) {
#if JC_HAVE_SSE2
        __m128i head = _mm_loadl_epi64((const __m128i *)p);
        __m128i tail = _mm_loadl_epi64((const __m128i *)(p + n - 8));
        if (jc_likely(jc_sse2_special_mask(_mm_unpacklo_epi64(head, tail)) == 0)) {
            _mm_storel_epi64((__m128i *)o, head);
            _mm_storel_epi64((__m128i *)(o + n - 8), tail);
            o += n;
            n = 0;
        }
#else
        uint64_t head = jc_load64(p), tail = jc_load64(p + n - 8);
        if (jc_likely((jc_swar_special(head) | jc_swar_special(tail)) == 0)) {
            jc_store64(o, head);
            jc_store64(o + n - 8, tail);
            o += n;
            n = 0;
        }
#endif
    } else if (n >= 4) {
        uint32_t head = jc_load32(p), tail = jc_load32(p + n - 4);
#if JC_HAVE_SSE2
        /* Bytes 8..15 of the vector are 0: only the low 8 bits count. */
        unsigned flags =
            jc_sse2_special_mask(_mm_cvtsi64_si128((long long)(head | (uint64_t)tail << 32))) &
            0xFF;
#else
        uint64_t flags = jc_swar_special(head | (uint64_t)tail << 32);
#endif
        if (jc_likely(flags == 0)) {
            jc_store32(o, head);
            jc_store32(o + n - 4, tail);
            o += n;
            n = 0;
        }
    } else if (n > 0) {
        /* 1 to 3 bytes: first, middle and last cover them all. */
        uint8_t first = p[0], middle = p[n >> 1], last = p[n - 1];
        if (jc_likely(!(jc_json_escape[first] | jc_json_escape[middle] | jc_json_escape[last]))) {
            o[0] = (char)first;
            o[n >> 1] = (char)middle;
            o[n - 1] = (char)last;
            o += n;
            n = 0;
        }
    }
    for (; n > 0; p++, n--) {
        if (jc_likely(!jc_json_escape[*p])) {
            *o++ = (char)*p;
            continue;
        }
        w->len = (size_t)(o - w->data);
        if (jc_unlikely(jc_writer_reserve(w, n + 6 + 20) < 0))
            return -1;
        o = write_escape(jc_writer_pos(w), *p);
    }
    o[0] = '"';
    o[1] = ':'; /* in the reserved room either way, counted only for a key */
    w->len = (size_t)(o + 1 + colon - w->data);
    return 0;
}

/* An ASCII str's text, quoted and escaped. */
JC_INLINE int write_ascii_str(jc_writer *w, const uint8_t *p, size_t n)
{
    return write_ascii_str_framed(w, p, n, false, false);
}

JC_INLINE int write_str(jc_encoder *e, PyObject *str)
{
    if (jc_likely(PyUnicode_IS_COMPACT_ASCII(str)))
        return write_ascii_str(&e->out, jc_compact_ascii_data(str),
                               (size_t)PyUnicode_GET_LENGTH(str));
    return jc_write_unicode_str(e, str);
}

#endif /* JC_ENCODE_STR_H */
