/* Decoder stage: strings and object keys.
 *
 * The fast path is inline here because parse.c runs it per string: scan the
 * body (simd/scan.h) for the first byte that is not plain printable ASCII. If
 * that byte is the closing quote, the body is the str's text: one
 * PyUnicode_New and one copy, or for a key one lookup in the key cache.
 * Anything else (escapes, non-ASCII text, errors) goes to str.c. */
#ifndef JC_DECODE_STR_H
#define JC_DECODE_STR_H

#include "decode/state.h"
#include "simd/scan.h"

/* An ASCII str of text[0, len): the one constructor of the decoder's (and the
 * key cache's) ASCII strs, inline because every plain string value and every
 * new key is made by it. NULL with MemoryError on failure. */
JC_INLINE PyObject *jc_str_from_ascii(const uint8_t *text, size_t len)
{
    /* The empty and one-character strs are CPython's shared singletons, as
     * json returns them. */
    if (jc_unlikely(len <= 1))
        return len == 1 ? PyUnicode_FromOrdinal(text[0]) : PyUnicode_New(0, 127);
    PyObject *str = jc_ascii_str_new(len);
    if (jc_unlikely(str == NULL))
        return NULL;
    Py_UCS1 *data = PyUnicode_1BYTE_DATA(str);
    memcpy(data, text, len);
    data[len] = 0;
    return str;
}

/* Keys too long for the cache are shared within one document through a
 * per-call dict, as json's memo shares every key: a document repeating a long
 * key holds one str for it. Takes the reference to key; returns a new one, or
 * NULL with the error set. */
JC_NOINLINE PyObject *jc_memoize_long_key(jc_parser *ps, PyObject *key);

/* body: first byte of the string body; stop: the first byte the fast scan
 * could not take. Decodes the string (a key when is_key) into *out. Returns
 * the byte after the closing quote, or NULL with the error recorded. */
JC_NOINLINE const uint8_t *jc_parse_string_slow(jc_parser *ps, const uint8_t *body,
                                                const uint8_t *stop, PyObject **out, bool is_key);

/* A key whose document bytes are plain ASCII (no escapes). */
JC_INLINE PyObject *jc_plain_key(jc_parser *ps, const uint8_t *text, size_t len)
{
    if (jc_likely(len <= JC_KEYCACHE_MAX_KEY))
        return jc_keycache_get_ascii(ps->keys, text, len);
    ps->keys->stats.too_long++;
    PyObject *key = jc_str_from_ascii(text, len);
    return key ? jc_memoize_long_key(ps, key) : NULL;
}

/* p: first byte after the opening quote. A key goes through the key cache
 * (is_key is a constant at each call, so each caller gets its own copy). */
JC_INLINE const uint8_t *parse_quoted(jc_parser *ps, const uint8_t *p, PyObject **out, bool is_key)
{
    const uint8_t *stop = jc_scan_string(p, ps->end);
    if (jc_likely(*stop == '"')) {
        size_t len = (size_t)(stop - p);
        *out = is_key ? jc_plain_key(ps, p, len) : jc_str_from_ascii(p, len);
        if (jc_unlikely(*out == NULL)) {
            jc_parse_fail_python(ps, p);
            return NULL;
        }
        return stop + 1;
    }
    return jc_parse_string_slow(ps, p, stop, out, is_key);
}

JC_INLINE const uint8_t *jc_parse_string(jc_parser *ps, const uint8_t *p, PyObject **out)
{
    return parse_quoted(ps, p, out, false);
}

JC_INLINE const uint8_t *jc_parse_key(jc_parser *ps, const uint8_t *p, PyObject **out)
{
    return parse_quoted(ps, p, out, true);
}

#endif /* JC_DECODE_STR_H */
