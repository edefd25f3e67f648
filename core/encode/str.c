/* Encoder stage: strs that are not compact ASCII (the inline path in str.h),
 * encoded from their kind (UCS1/2/4) to UTF-8, chunk by chunk: each chunk's
 * worst case (6 bytes per unit) is reserved up front, so the inner loops have
 * no capacity checks and no chunk over-reserves by much. */
#include "encode/str.h"

#define JC_STR_CHUNK 4096

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

int jc_write_unicode_str(jc_encoder *e, PyObject *str)
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
            return jc_encode_fail(&e->err, JC_ENCODE_SURROGATE,
                                  "str is not valid UTF-8: surrogates not allowed");
        w->len = (size_t)(o - w->data);
        done += chunk;
    }
    jc_writer_put(w, '"');
    return 0;
}
