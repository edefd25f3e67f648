/* Decoder stage: strings and object keys, the paths past the inline fast
 * path (str.h): escapes, non-ASCII text, long bodies, errors.
 *
 * Find the closing quote, give the key cache a chance on the raw bytes, then
 * decode escapes and UTF-8 (validated per RFC 3629) into a scratch array of
 * code units, and build a str of the narrowest kind (UCS1/2/4) that holds
 * them. A body over JC_LONG_STRING bytes is measured first and then decoded
 * straight into its str, without scratch. */
#include "decode/str.h"

#include "decode/py_hash.h"
#include "simd/scan.h"
#include "tables/char_tables.h"

/* Whether the eight bytes at s, all before the closing quote, are plain
 * printable ASCII (no escape, control or non-ASCII byte): the decoding loops
 * take those eight at a time. */
JC_INLINE bool plain_block(const uint8_t *s, const uint8_t *close)
{
    return close - s >= 8 && jc_swar_special(jc_load64(s)) == 0;
}

/* A code point and the byte after its escape or sequence; `next` NULL when
 * it was invalid (the error recorded). Returned in registers: an out-parameter
 * would take the address of the caller's variable, which then lives in memory
 * on every path of the decoding loops, plain ASCII bytes included. */
typedef struct {
    const uint8_t *next;
    uint32_t code_point;
} decoded;

JC_COLD static void fail_control(jc_parser *ps, const uint8_t *s)
{
    jc_parse_fail_at(ps, s, JC_PARSE_CONTROL_CHARACTER,
                     "unescaped control character 0x%02X in string", *s);
}

/* The four hex digits at p as a code unit, or -1. Bit 4 of each table entry
 * marks a digit, so one AND checks all four. */
JC_INLINE int32_t read_hex4(const uint8_t *p)
{
    uint32_t a = jc_hex_digit_value[p[0]], b = jc_hex_digit_value[p[1]];
    uint32_t c = jc_hex_digit_value[p[2]], d = jc_hex_digit_value[p[3]];
    if ((a & b & c & d & 0x10) == 0)
        return -1;
    return (int32_t)(((a & 0xF) << 12) | ((b & 0xF) << 8) | ((c & 0xF) << 4) | (d & 0xF));
}

/* Decodes the escape at s (s[0] == '\\'), bounded by the closing quote.
 * `next` NULL with the error recorded. */
static decoded decode_escape(jc_parser *ps, const uint8_t *s, const uint8_t *close)
{
    switch (s[1]) {
    case '"': return (decoded){s + 2, '"'};
    case '\\': return (decoded){s + 2, '\\'};
    case '/': return (decoded){s + 2, '/'};
    case 'b': return (decoded){s + 2, '\b'};
    case 'f': return (decoded){s + 2, '\f'};
    case 'n': return (decoded){s + 2, '\n'};
    case 'r': return (decoded){s + 2, '\r'};
    case 't': return (decoded){s + 2, '\t'};
    case 'u': break;
    default: {
        char found[32];
        jc_parse_describe(ps, s + 1, found, sizeof found);
        jc_parse_fail_at(ps, s, JC_PARSE_ESCAPE, "invalid escape: backslash followed by %s", found);
        return (decoded){NULL, 0};
    }
    }
    int32_t unit = close - s >= 6 ? read_hex4(s + 2) : -1;
    if (unit < 0) {
        jc_parse_fail_at(ps, s, JC_PARSE_ESCAPE, "invalid \\u escape: expected four hex digits");
        return (decoded){NULL, 0};
    }
    if (jc_likely(unit < 0xD800 || unit > 0xDFFF))
        return (decoded){s + 6, (uint32_t)unit};
    /* A surrogate is valid only as a high one followed by a \u low one. */
    if (unit <= 0xDBFF && close - s >= 12 && s[6] == '\\' && s[7] == 'u') {
        int32_t low = read_hex4(s + 8);
        if (low >= 0xDC00 && low <= 0xDFFF)
            return (decoded){s + 12, 0x10000 + (((uint32_t)unit - 0xD800) << 10) +
                                         ((uint32_t)low - 0xDC00)};
    }
    jc_parse_fail_at(ps, s, JC_PARSE_SURROGATE, "lone surrogate \\u%04x", (unsigned)unit);
    return (decoded){NULL, 0};
}

JC_COLD static decoded fail_utf8(jc_parser *ps, const uint8_t *s, const char *why)
{
    jc_parse_fail_at(ps, s, JC_PARSE_UTF8, "invalid UTF-8 byte 0x%02X (%s)", s[0], why);
    return (decoded){NULL, 0};
}

/* Decodes the multi-byte UTF-8 sequence at s. Each byte is read only after the
 * one before it proved to be a lead or continuation byte, so no read passes the
 * closing quote. `next` NULL with the error recorded. */
static decoded decode_utf8(jc_parser *ps, const uint8_t *s)
{
    uint32_t lead = s[0];
    if (lead < 0xC2)
        return fail_utf8(
            ps, s, lead < 0xC0 ? "continuation byte without a lead byte" : "overlong encoding");
    if (lead > 0xF4)
        return fail_utf8(ps, s, "not a UTF-8 lead byte");
    if ((s[1] & 0xC0) != 0x80)
        return fail_utf8(ps, s, "truncated sequence");
    uint32_t c1 = s[1] & 0x3F;
    if (lead < 0xE0)
        return (decoded){s + 2, ((lead & 0x1F) << 6) | c1};
    if (lead < 0xF0) {
        if (lead == 0xE0 && c1 < 0x20)
            return fail_utf8(ps, s, "overlong encoding");
        if (lead == 0xED && c1 >= 0x20)
            return fail_utf8(ps, s, "encoded surrogate");
        if ((s[2] & 0xC0) != 0x80)
            return fail_utf8(ps, s, "truncated sequence");
        return (decoded){s + 3, ((lead & 0x0F) << 12) | (c1 << 6) | (s[2] & 0x3Fu)};
    }
    if (lead == 0xF0 && c1 < 0x10)
        return fail_utf8(ps, s, "overlong encoding");
    if (lead == 0xF4 && c1 >= 0x10)
        return fail_utf8(ps, s, "above U+10FFFF");
    if ((s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return fail_utf8(ps, s, "truncated sequence");
    return (decoded){s + 4,
                     ((lead & 0x07) << 18) | (c1 << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu)};
}

PyObject *jc_memoize_long_key(jc_parser *ps, PyObject *key)
{
    jc_py_hash_prime(key);
    if (ps->long_keys == NULL && (ps->long_keys = PyDict_New()) == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    PyObject *shared = PyDict_SetDefault(ps->long_keys, key, key);
    Py_XINCREF(shared);
    Py_DECREF(key);
    return shared;
}

/* Well-formed 2-, 3- and 4-byte sequences decoded inline; anything else goes
 * through decode_utf8, which reports the error where it is. A continuation
 * test passes only before the closing quote (which is before the sentinel), so
 * each byte is read only when the one before it is inside the body. */
JC_INLINE decoded decode_utf8_inline(jc_parser *ps, const uint8_t *s)
{
    uint32_t c = s[0];
    if (c >= 0xC2 && c < 0xE0 && (s[1] & 0xC0) == 0x80)
        return (decoded){s + 2, ((c & 0x1F) << 6) | (s[1] & 0x3Fu)};
    if ((c & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if (cp >= 0x800 && (cp & 0xF800) != 0xD800)
            return (decoded){s + 3, cp};
    } else if (c >= 0xF0 && c <= 0xF4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
               (s[3] & 0xC0) == 0x80) {
        uint32_t cp =
            ((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        if (cp >= 0x10000 && cp <= 0x10FFFF)
            return (decoded){s + 4, cp};
    }
    return decode_utf8(ps, s);
}

/* One step of the validating passes over a body (decode_into_ucs2 and
 * measure_body): STEP_BLOCK when the eight bytes at *s are plain printable
 * ASCII (the caller takes them, *s unmoved), else the next code point in *c
 * and *s past it (STEP_POINT), or STEP_FAILED with the error recorded: an
 * escape through decode_escape, a well-formed UTF-8 sequence inline, anything
 * else through decode_utf8, which says where and why. */
typedef enum { STEP_BLOCK, STEP_POINT, STEP_FAILED } step;

JC_INLINE step decode_step(jc_parser *ps, const uint8_t **at, const uint8_t *close, uint32_t *c)
{
    const uint8_t *s = *at;
    uint32_t byte = *s;
    decoded d;
    if (byte < 0x80) {
        if (plain_block(s, close))
            return STEP_BLOCK;
        if (byte == '\\') {
            d = decode_escape(ps, s, close);
        } else if (jc_unlikely(byte < 0x20)) {
            fail_control(ps, s);
            return STEP_FAILED;
        } else {
            d = (decoded){s + 1, byte};
        }
    } else {
        d = decode_utf8_inline(ps, s);
    }
    if (d.next == NULL)
        return STEP_FAILED;
    *at = d.next;
    *c = d.code_point;
    return STEP_POINT;
}

/* Where a pass into narrow units met a code point too wide for them: the byte
 * after it, the units written before it and the code point itself. The next
 * wider pass carries on from there; its str is of its own kind, since the
 * code point needs it. */
typedef struct {
    const uint8_t *at;
    size_t units;
    uint32_t wide;
} widen_resume;

/* The code point at s, a byte that is not plain printable ASCII: an escape
 * (decode_escape), a control byte (an error), or a UTF-8 sequence
 * (decode_utf8_inline). `next` NULL with the error recorded. */
JC_INLINE decoded decode_special(jc_parser *ps, const uint8_t *s, const uint8_t *close)
{
    if (*s == '\\')
        return decode_escape(ps, s, close);
    if (jc_unlikely(*s < 0x20)) {
        fail_control(ps, s);
        return (decoded){NULL, 0};
    }
    return decode_utf8_inline(ps, s);
}

/* Widens the first n units of the scratch array from `from` to `to` bytes
 * each, in place: from the last, so none is overwritten before it is read
 * (unit i moves from byte i * from to byte i * to). memcpy: the views alias. */
static void widen_units(unsigned char *bytes, size_t n, size_t from, size_t to)
{
    for (size_t i = n; i-- > 0;) {
        uint32_t unit;
        if (from == 1) {
            unit = bytes[i];
        } else {
            Py_UCS2 narrow;
            memcpy(&narrow, bytes + i * from, sizeof narrow);
            unit = narrow;
        }
        if (to == sizeof(Py_UCS2)) {
            Py_UCS2 wide = (Py_UCS2)unit;
            memcpy(bytes + i * to, &wide, sizeof wide);
        } else {
            memcpy(bytes + i * to, &unit, sizeof unit);
        }
    }
}

/* Copies the run of plain printable ASCII at s into o, 16 (SSE2) or 8 bytes
 * a block while a whole block lies before the closing quote, then byte by
 * byte; stops at the first byte that is not plain. A block is stored whole
 * even when it holds the stop: the bytes past it are overwritten next, and
 * they fit, since o is never further into the scratch than s is into the
 * body. Returns where s stopped; *o moves as far. */
JC_INLINE const uint8_t *copy_plain_run(const uint8_t *s, const uint8_t *close, uint8_t **o)
{
    uint8_t *out = *o;
#if JC_HAVE_SSE2
    while (close - s >= 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)s);
        _mm_storeu_si128((__m128i *)out, block);
        unsigned mask = jc_sse2_special_mask(block);
        if (mask != 0) {
            unsigned k = jc_ctz32(mask);
            *o = out + k;
            return s + k;
        }
        s += 16;
        out += 16;
    }
#else
    while (close - s >= 8) {
        uint64_t block = jc_load64(s);
        jc_store64(out, block);
        uint64_t special = jc_swar_special(block);
        if (special != 0) {
            unsigned k = (unsigned)jc_ctz64(special) / 8;
            *o = out + k;
            return s + k;
        }
        s += 8;
        out += 8;
    }
#endif
    while (s < close && jc_plain_string_byte[*s])
        *out++ = *s++;
    *o = out;
    return s;
}

/* The first pass over a short body with escapes or non-ASCII bytes: into one
 * byte per code point while they are below U+0100, which is all of most
 * strings (ASCII text with escapes, Latin-1 text), so that runs of plain
 * ASCII are copied a block at a time and the str is made with one copy. A
 * wider code point stops it with *retry saying where. The body before `stop`
 * (the fast scan's first special byte) is known to be plain. */
static PyObject *decode_into_ucs1(jc_parser *ps, const uint8_t *body, const uint8_t *stop,
                                  const uint8_t *close, widen_resume *retry)
{
    uint8_t *const units = (uint8_t *)ps->code_points;
    uint8_t *o = units;
    memcpy(o, body, (size_t)(stop - body));
    o += stop - body;
    const uint8_t *s = stop;
    uint32_t seen = 0;
    while (s < close) {
        uint32_t c = *s;
        if (jc_plain_string_byte[c]) {
            s = copy_plain_run(s, close, &o);
            continue;
        }
        decoded d = decode_special(ps, s, close);
        if (d.next == NULL)
            return NULL;
        s = d.next;
        c = d.code_point;
        if (c > 0xFF) {
            *retry = (widen_resume){s, (size_t)(o - units), c};
            return NULL;
        }
        seen |= c;
        *o++ = (uint8_t)c;
    }
    size_t n = (size_t)(o - units);
    PyObject *str;
    /* Below 0x80 it must be the compact ASCII kind, which str equality and
     * hashing rely on; one character is CPython's shared singleton. */
    if (seen < 0x80) {
        str = jc_str_from_ascii(units, n);
    } else if (n == 1) {
        str = PyUnicode_FromOrdinal(units[0]);
    } else if ((str = PyUnicode_New((Py_ssize_t)n, 0xFF)) != NULL) {
        memcpy(PyUnicode_1BYTE_DATA(str), units, n);
    }
    if (str == NULL)
        jc_parse_fail_python(ps, body);
    return str;
}

/* The second pass, for bodies holding a code point in U+0100..U+FFFF (most
 * other text is in the Basic Multilingual Plane): carries on where
 * decode_into_ucs1 stopped, its units already widened to 16 bits. Well-formed
 * sequences are decoded inline (decode_utf8_inline); anything else goes
 * through decode_utf8 or decode_escape, which validate it and report an error
 * where it is. A code point beyond U+FFFF (emoji and the like) stops it with
 * *retry saying where, and the UCS4 pass carries on from there. Reading s[1]
 * and s[2] is safe: the span ends at the closing quote, before the sentinel,
 * and a quote is never a continuation byte, so the tests stop at it. */
static PyObject *decode_into_ucs2(jc_parser *ps, const uint8_t *body, const uint8_t *close,
                                  widen_resume *retry)
{
    Py_UCS2 *const units = (Py_UCS2 *)ps->code_points;
    Py_UCS2 *o = units + retry->units;
    *o++ = (Py_UCS2)retry->wide;
    const uint8_t *s = retry->at;
    retry->at = NULL;
    while (s < close) {
        uint32_t c;
        step taken = decode_step(ps, &s, close, &c);
        if (taken == STEP_BLOCK) {
#if JC_HAVE_SSE2
            __m128i block = _mm_loadl_epi64((const __m128i *)s);
            _mm_storeu_si128((__m128i *)o, _mm_unpacklo_epi8(block, _mm_setzero_si128()));
#else
            for (int k = 0; k < 8; k++)
                o[k] = s[k];
#endif
            o += 8;
            s += 8;
            continue;
        }
        if (taken == STEP_FAILED)
            return NULL;
        if (c > 0xFFFF) {
            *retry = (widen_resume){s, (size_t)(o - units), c};
            return NULL;
        }
        *o++ = (Py_UCS2)c;
    }
    size_t n = (size_t)(o - units);
    PyObject *str = PyUnicode_New((Py_ssize_t)n, 0xFFFF);
    if (str == NULL)
        jc_parse_fail_python(ps, body);
    else
        memcpy(PyUnicode_2BYTE_DATA(str), units, n * sizeof(Py_UCS2));
    return str;
}

/* The last pass, for bodies holding a code point beyond U+FFFF: carries on
 * where a narrower pass stopped, its units already widened to 32 bits. */
static PyObject *decode_into_ucs4(jc_parser *ps, const uint8_t *body, const uint8_t *close,
                                  widen_resume from)
{
    uint32_t *o = ps->code_points + from.units;
    *o++ = from.wide;
    const uint8_t *s = from.at;
    while (s < close) {
        uint32_t c = *s;
        if (jc_likely(jc_plain_string_byte[c])) {
            *o++ = c;
            s++;
            continue;
        }
        /* UTF-8 first: past the first code point beyond U+FFFF, text is
         * mostly non-ASCII and escapes are rare */
        decoded d = c >= 0x80 ? decode_utf8_inline(ps, s) : decode_special(ps, s, close);
        if (d.next == NULL)
            return NULL;
        s = d.next;
        *o++ = d.code_point;
    }
    size_t n = (size_t)(o - ps->code_points);
    PyObject *str = PyUnicode_New((Py_ssize_t)n, 0x10FFFF);
    if (str == NULL)
        jc_parse_fail_python(ps, body);
    else
        memcpy(PyUnicode_4BYTE_DATA(str), ps->code_points, n * sizeof(Py_UCS4));
    return str;
}

/* A short body with escapes or non-ASCII bytes, through the scratch array:
 * one pass into the narrowest units that hold what it has met so far,
 * widened in place when a code point needs more. Every pass writes at most
 * one unit per body byte, so raw_len units of scratch suffice. */
static PyObject *decode_short_body(jc_parser *ps, const uint8_t *body, const uint8_t *stop,
                                   const uint8_t *close)
{
    unsigned char *scratch = (unsigned char *)ps->code_points;
    widen_resume retry = {NULL, 0, 0};
    PyObject *str = decode_into_ucs1(ps, body, stop, close, &retry);
    if (retry.at == NULL)
        return str;
    if (retry.wide <= 0xFFFF) {
        widen_units(scratch, retry.units, 1, sizeof(Py_UCS2));
        str = decode_into_ucs2(ps, body, close, &retry);
        if (retry.at == NULL)
            return str;
        widen_units(scratch, retry.units, sizeof(Py_UCS2), sizeof(Py_UCS4));
    } else {
        widen_units(scratch, retry.units, 1, sizeof(Py_UCS4));
    }
    return decode_into_ucs4(ps, body, close, retry);
}

/* Bodies longer than this (document bytes) with escapes or non-ASCII text are
 * decoded straight into their str, in two passes, rather than through the
 * scratch array, which would take up to four bytes per document byte: so the
 * scratch stays within 32 KiB whatever the strings. Below it, one walk over
 * the body into scratch (decode_short_body: its passes resume one another,
 * each byte is read once) is faster. */
#define JC_LONG_STRING 8192

/* The first pass over a long body: validates it as the short-body passes do
 * (well-formed sequences inline, the rest through decode_utf8
 * and decode_escape, which report errors where they are), and counts its code
 * points and ORs those beyond ASCII. */
static bool measure_body(jc_parser *ps, const uint8_t *s, const uint8_t *close, size_t *count,
                         uint32_t *seen)
{
    size_t n = 0;
    uint32_t bits = 0;
    while (s < close) {
        uint32_t c;
        step taken = decode_step(ps, &s, close, &c);
        if (taken == STEP_BLOCK) {
            n += 8;
            s += 8;
            continue;
        }
        if (taken == STEP_FAILED)
            return false;
        bits |= c;
        n++;
    }
    *count = n;
    *seen = bits;
    return true;
}

JC_INLINE void store_code_point(void *data, int kind, size_t i, uint32_t c)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND: ((Py_UCS1 *)data)[i] = (Py_UCS1)c; break;
    case PyUnicode_2BYTE_KIND: ((Py_UCS2 *)data)[i] = (Py_UCS2)c; break;
    default: ((Py_UCS4 *)data)[i] = c; break;
    }
}

/* The second pass: decodes a body measure_body accepted into a str's data of
 * the given kind, trusting it (every sequence is whole and well-formed). Inlined
 * with a constant kind, one copy per kind. */
JC_INLINE void write_body(jc_parser *ps, const uint8_t *s, const uint8_t *close, int kind,
                          void *data)
{
    size_t n = 0;
    while (s < close) {
        uint32_t c = *s;
        if (c < 0x80) {
            if (plain_block(s, close)) {
                for (size_t k = 0; k < 8; k++)
                    store_code_point(data, kind, n + k, s[k]);
                n += 8;
                s += 8;
                continue;
            }
            if (c == '\\') {
                decoded d = decode_escape(ps, s, close); /* measure_body accepted it */
                s = d.next;
                c = d.code_point;
            } else {
                s++;
            }
        } else if (c < 0xE0) {
            c = ((c & 0x1F) << 6) | (s[1] & 0x3Fu);
            s += 2;
        } else if (c < 0xF0) {
            c = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
            s += 3;
        } else {
            c = ((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
                (s[3] & 0x3Fu);
            s += 4;
        }
        store_code_point(data, kind, n++, c);
    }
}

/* A long body (over JC_LONG_STRING bytes): measured and validated, then
 * decoded into a str of the narrowest kind, with no scratch. */
JC_NOINLINE static PyObject *decode_long_body(jc_parser *ps, const uint8_t *body,
                                              const uint8_t *close)
{
    size_t n = 0;
    uint32_t seen = 0;
    if (!measure_body(ps, body, close, &n, &seen))
        return NULL;
    /* The OR has the same highest bit as the maximum, which is all the kind
     * depends on; below 0x80 the str must be the compact ASCII kind. */
    Py_UCS4 maxchar = seen < 0x80 ? 0x7F : seen < 0x100 ? 0xFF : seen < 0x10000 ? 0xFFFF : 0x10FFFF;
    PyObject *str = PyUnicode_New((Py_ssize_t)n, maxchar);
    if (str == NULL) {
        jc_parse_fail_python(ps, body);
        return NULL;
    }
    void *data = PyUnicode_DATA(str);
    switch (PyUnicode_KIND(str)) {
    case PyUnicode_1BYTE_KIND: write_body(ps, body, close, PyUnicode_1BYTE_KIND, data); break;
    case PyUnicode_2BYTE_KIND: write_body(ps, body, close, PyUnicode_2BYTE_KIND, data); break;
    default: write_body(ps, body, close, PyUnicode_4BYTE_KIND, data); break;
    }
    return str;
}

const uint8_t *jc_parse_string_slow(jc_parser *ps, const uint8_t *body, const uint8_t *stop,
                                    PyObject **out, bool is_key)
{
    const uint8_t *end = ps->end;
    const uint8_t *close = stop;
    for (;;) {
        close = jc_find_quote_or_backslash(close, end);
        if (close >= end) {
            jc_parse_fail_at(ps, body - 1, JC_PARSE_UNTERMINATED_STRING, "unterminated string");
            return NULL;
        }
        if (*close == '"')
            break;
        close += 2; /* the escaped byte cannot close the string */
    }
    size_t raw_len = (size_t)(close - body);

    jc_keycache *keys = ps->keys;
    uint64_t hash = 0;
    bool cacheable =
        is_key && raw_len <= JC_KEYCACHE_MAX_KEY && keys->enabled && !jc_keycache_skip(keys);
    if (cacheable) {
        hash = jc_keycache_hash(keys, body, raw_len);
        PyObject *key = jc_keycache_find(keys, body, raw_len, hash);
        if (key != NULL) {
            *out = key;
            return close + 1;
        }
    } else if (is_key) {
        if (raw_len > JC_KEYCACHE_MAX_KEY)
            keys->stats.too_long++;
        else if (!keys->enabled)
            keys->stats.bypassed++;
    }
    bool memoize = is_key && raw_len > JC_KEYCACHE_MAX_KEY;

    PyObject *str;
    if (jc_unlikely(raw_len > JC_LONG_STRING)) {
        str = decode_long_body(ps, body, close);
    } else {
        if ((ps->code_points == NULL || raw_len > ps->code_points_cap) &&
            !jc_parser_grow_code_points(ps, raw_len)) {
            PyErr_NoMemory();
            jc_parse_fail_python(ps, body);
            return NULL;
        }
        str = decode_short_body(ps, body, stop, close);
    }
    if (str == NULL)
        return NULL;
    if (is_key && !cacheable && !memoize)
        jc_py_hash_prime(str); /* the cache stores and memoizing primes the others */
    if (cacheable && jc_keycache_insert(keys, body, raw_len, hash, str) < 0) {
        Py_DECREF(str);
        jc_parse_fail_python(ps, body);
        return NULL;
    }
    if (memoize && (str = jc_memoize_long_key(ps, str)) == NULL) {
        jc_parse_fail_python(ps, body);
        return NULL;
    }
    *out = str;
    return close + 1;
}
