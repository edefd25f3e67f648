/* Encoder stage: strs that are not short compact ASCII (the inline path in
 * str.h), encoded from their kind (UCS1/2/4) to UTF-8 by the str writers
 * chosen for this CPU at import (simd/utf8.h), chunk by chunk: each chunk's
 * worst case (6 bytes per unit, and the writers' slack) is reserved up front,
 * so the writers have no capacity checks and no chunk over-reserves by much. */
#include "encode/str.h"

#define JC_STR_CHUNK 4096

/* A str's units of one kind, quoted: its first chunk reserved with the
 * quotes, a longer str's other chunks each in turn. 1 at a surrogate, -1
 * with MemoryError set. Inlined into each caller, so the kernel is called
 * with no other call between it and the encoder. */
#define JC_DEFINE_WRITE_QUOTED(name, unit_type, kernel)                         \
  JC_INLINE int name(jc_writer *w, const unit_type *units, size_t n)            \
  {                                                                             \
    size_t chunk = n < JC_STR_CHUNK ? n : JC_STR_CHUNK;                         \
    if (jc_unlikely(jc_writer_reserve(w, 6 * chunk + 2 + JC_UTF8_SLACK) < 0))   \
      return -1;                                                                \
    char *o = jc_writer_pos(w);                                                 \
    *o++ = '"';                                                                 \
    for (;;) {                                                                  \
      o = jc_utf8.kernel(o, units, chunk);                                      \
      if (jc_unlikely(o == NULL))                                               \
        return 1;                                                               \
      units += chunk;                                                           \
      n -= chunk;                                                               \
      if (jc_likely(n == 0))                                                    \
        break;                                                                  \
      w->len = (size_t)(o - w->data);                                           \
      chunk = n < JC_STR_CHUNK ? n : JC_STR_CHUNK;                              \
      if (jc_unlikely(jc_writer_reserve(w, 6 * chunk + 1 + JC_UTF8_SLACK) < 0)) \
        return -1;                                                              \
      o = jc_writer_pos(w);                                                     \
    }                                                                           \
    *o++ = '"';                                                                 \
    w->len = (size_t)(o - w->data);                                             \
    return 0;                                                                   \
  }
JC_DEFINE_WRITE_QUOTED(write_ucs1_quoted, uint8_t, ucs1)
JC_DEFINE_WRITE_QUOTED(write_ucs2_quoted, uint16_t, ucs2)
JC_DEFINE_WRITE_QUOTED(write_ucs4_quoted, uint32_t, ucs4)
#undef JC_DEFINE_WRITE_QUOTED

int jc_write_long_ascii_str(jc_writer *w, const uint8_t *p, size_t n)
{
    /* ASCII has no surrogates: 0 or -1. */
    return write_ucs1_quoted(w, p, n);
}

int jc_write_long_ascii_key(jc_writer *w, const uint8_t *p, size_t n)
{
    if (jc_unlikely(write_ucs1_quoted(w, p, n) != 0 || jc_writer_reserve(w, 1) < 0))
        return -1;
    jc_writer_put(w, ':');
    return 0;
}

int jc_write_unicode_str(jc_encoder *e, PyObject *str)
{
    if (jc_unlikely(PyUnicode_READY(str) < 0))
        return -1;
    jc_writer *w = &e->out;
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    size_t n = (size_t)PyUnicode_GET_LENGTH(str);
    if (kind == PyUnicode_1BYTE_KIND && PyUnicode_IS_ASCII(str))
        return write_ascii_str(w, data, n);
    int status;
    if (kind == PyUnicode_1BYTE_KIND)
        status = write_ucs1_quoted(w, data, n);
    else if (kind == PyUnicode_2BYTE_KIND)
        status = write_ucs2_quoted(w, data, n);
    else
        status = write_ucs4_quoted(w, data, n);
    if (jc_unlikely(status > 0))
        return jc_encode_fail(&e->err, JC_ENCODE_SURROGATE,
                              "str is not valid UTF-8: surrogates not allowed");
    return status;
}
