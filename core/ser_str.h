/* Serializer: str. Internal to serialize.c.
 *
 * Output equals json.dumps(s, ensure_ascii=False) encoded as UTF-8: '"', '\\'
 * and control characters are escaped (\n \r \t \b \f, else \u00XX), everything
 * else is written as UTF-8 straight from the str's own storage.
 *
 * ASCII strs (the common case) are copied 16 bytes at a time: each block is
 * stored first and scanned for escapes after, so a block without escapes costs
 * one load, one store and one compare. UCS1/2/4 strs are encoded per code unit,
 * in chunks whose worst case (6 bytes per unit) is reserved up front, so the
 * inner loop has no capacity checks and no chunk over-reserves by much. */
#ifndef JC_SER_STR_H
#define JC_SER_STR_H

#include "char_tables.h"
#include "scan.h"
#include "serialize.h"

#define JC_STR_CHUNK 4096

JC_COLD static int fail_surrogate(jc_encoder *e);

static const char hex_digits_lower[] = "0123456789abcdef";

/* Writes the escape for ASCII byte c (which needs one) at o; returns the end. */
JC_INLINE char *write_escape(char *o, uint8_t c)
{
    uint8_t letter = jc_json_escape[c];
    o[0] = '\\';
    if (letter != 'u') {
        o[1] = (char)letter;
        return o + 2;
    }
    memcpy(o + 1, "u00", 3);
    o[4] = hex_digits_lower[c >> 4];
    o[5] = hex_digits_lower[c & 0xF];
    return o + 6;
}

/* An ASCII str's text, quoted and escaped. */
JC_INLINE int write_ascii_str(jc_writer *w, const uint8_t *p, size_t n)
{
    /* 2 quotes, and 16 bytes of slack for the last block's whole-block store. */
    if (jc_unlikely(jc_writer_reserve(w, n + 18) < 0))
        return -1;
    char *o = jc_writer_pos(w);
    *o++ = '"';
#if JC_HAVE_SSE2
    while (n >= 16) {
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
        if (jc_unlikely(jc_writer_reserve(w, n + 6 + 18) < 0))
            return -1;
        o = write_escape(jc_writer_pos(w), *p);
        p++;
        n--;
    }
#endif
    /* Under 16 bytes left (most keys): two overlapping loads cover them
     * without reading past the end; stored as they are when clean. */
    if (n >= 8) {
        uint64_t head = jc_load64(p), tail = jc_load64(p + n - 8);
        if (jc_likely((jc_swar_special(head) | jc_swar_special(tail)) == 0)) {
            jc_store64(o, head);
            jc_store64(o + n - 8, tail);
            o += n;
            n = 0;
        }
    } else if (n >= 4) {
        uint32_t head = jc_load32(p), tail = jc_load32(p + n - 4);
        if (jc_likely(jc_swar_special(head | (uint64_t)tail << 32) == 0)) {
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
        if (jc_unlikely(jc_writer_reserve(w, n + 6 + 18) < 0))
            return -1;
        o = write_escape(jc_writer_pos(w), *p);
    }
    *o++ = '"';
    w->len = (size_t)(o - w->data);
    return 0;
}

/* One code unit (< 0x110000) as UTF-8 or an escape; NULL for a surrogate. */
JC_INLINE char *write_code_point(char *o, uint32_t c)
{
    if (c < 0x80) {
        if (jc_unlikely(jc_json_escape[c]))
            return write_escape(o, (uint8_t)c);
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

#define JC_DEFINE_WRITE_UNITS(name, unit_type)                 \
  static char *name(char *o, const unit_type *units, size_t n) \
  {                                                            \
    for (size_t i = 0; i < n; i++) {                           \
      uint32_t c = units[i];                                   \
      if (jc_likely(c < 0x80 && !jc_json_escape[c])) {         \
        *o++ = (char)c;                                        \
        continue;                                              \
      }                                                        \
      o = write_code_point(o, c);                              \
      if (jc_unlikely(o == NULL))                              \
        return NULL;                                           \
    }                                                          \
    return o;                                                  \
  }
JC_DEFINE_WRITE_UNITS(write_ucs1_units, Py_UCS1)
JC_DEFINE_WRITE_UNITS(write_ucs2_units_scalar, Py_UCS2)
JC_DEFINE_WRITE_UNITS(write_ucs4_units, Py_UCS4)
#undef JC_DEFINE_WRITE_UNITS

/* A UCS2 unit known to need no escape and not to be a surrogate, as 1 to 3
 * UTF-8 bytes: one 4-byte store (the slack is reserved), no branches. */
JC_INLINE char *write_plain_ucs2_unit(char *o, uint32_t c)
{
    uint32_t two = (0xC0 | (c >> 6)) | ((0x80 | (c & 0x3F)) << 8);
    uint32_t three =
        (0xE0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3F)) << 8) | ((0x80 | (c & 0x3F)) << 16);
    uint32_t bytes = c < 0x80 ? c : c < 0x800 ? two : three;
    jc_store32(o, bytes);
    return o + 1 + (c >= 0x80) + (c >= 0x800);
}

/* UCS2 (most non-Latin text): blocks of 8 units. A block that is all ASCII is
 * packed to 8 bytes; any other block without escapes or surrogates is encoded
 * branch-free; the rest take the per-unit path. */
static char *write_ucs2_units(char *o, const Py_UCS2 *units, size_t n)
{
    size_t i = 0;
#if JC_HAVE_SSE2
    const __m128i zero = _mm_setzero_si128();
    for (; i + 8 <= n; i += 8) {
        __m128i v = _mm_loadu_si128((const __m128i *)(units + i));
        __m128i control = _mm_cmpeq_epi16(_mm_subs_epu16(v, _mm_set1_epi16(0x1F)), zero);
        __m128i quote = _mm_cmpeq_epi16(v, _mm_set1_epi16('"'));
        __m128i backslash = _mm_cmpeq_epi16(v, _mm_set1_epi16('\\'));
        __m128i surrogate = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xF800)),
                                            _mm_set1_epi16((short)0xD800));
        __m128i special =
            _mm_or_si128(_mm_or_si128(control, quote), _mm_or_si128(backslash, surrogate));
        if (jc_unlikely(_mm_movemask_epi8(special) != 0)) {
            o = write_ucs2_units_scalar(o, units + i, 8);
            if (o == NULL)
                return NULL;
            continue;
        }
        __m128i non_ascii = _mm_and_si128(v, _mm_set1_epi16((short)0xFF80));
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(non_ascii, zero)) == 0xFFFF) {
            _mm_storel_epi64((__m128i *)o, _mm_packus_epi16(v, v));
            o += 8;
            continue;
        }
        for (size_t k = 0; k < 8; k++)
            o = write_plain_ucs2_unit(o, units[i + k]);
    }
#endif
    return write_ucs2_units_scalar(o, units + i, n - i);
}

/* A str that is not compact ASCII: encode from its kind, chunk by chunk. */
JC_NOINLINE static int write_unicode_str(jc_encoder *e, PyObject *str)
{
    if (jc_unlikely(PyUnicode_READY(str) < 0))
        return -1;
    jc_writer *w = &e->out;
    int kind = PyUnicode_KIND(str);
    const char *data = PyUnicode_DATA(str);
    size_t n = (size_t)PyUnicode_GET_LENGTH(str);
    if (kind == PyUnicode_1BYTE_KIND && PyUnicode_IS_ASCII(str))
        return write_ascii_str(w, (const uint8_t *)data, n);
    if (jc_unlikely(jc_writer_reserve(w, 2) < 0))
        return -1;
    jc_writer_put(w, '"');
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < JC_STR_CHUNK ? n - done : JC_STR_CHUNK;
        if (jc_unlikely(jc_writer_reserve(w, 6 * chunk + 2) < 0))
            return -1;
        char *o = jc_writer_pos(w);
        if (kind == PyUnicode_1BYTE_KIND)
            o = write_ucs1_units(o, (const Py_UCS1 *)data + done, chunk);
        else if (kind == PyUnicode_2BYTE_KIND)
            o = write_ucs2_units(o, (const Py_UCS2 *)data + done, chunk);
        else
            o = write_ucs4_units(o, (const Py_UCS4 *)data + done, chunk);
        if (jc_unlikely(o == NULL))
            return fail_surrogate(e);
        w->len = (size_t)(o - w->data);
        done += chunk;
    }
    jc_writer_put(w, '"');
    return 0;
}

JC_INLINE int write_str(jc_encoder *e, PyObject *str)
{
    if (jc_likely(PyUnicode_IS_COMPACT_ASCII(str)))
        return write_ascii_str(&e->out, PyUnicode_1BYTE_DATA(str),
                               (size_t)PyUnicode_GET_LENGTH(str));
    return write_unicode_str(e, str);
}

#endif /* JC_SER_STR_H */
