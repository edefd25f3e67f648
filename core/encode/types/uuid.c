/* uuid.UUID as str(uuid) writes it: 32 lowercase hex digits of its `int`, in
 * groups of 8-4-4-4-12, for every version (the text depends only on the int). */
#include "compat.h"
#include "encode/types/types.h"

#if JC_HAVE_SSE2
#  include <emmintrin.h>
#endif

/* The 32 hex digits of the 128-bit value, most significant first, then the
 * dashes after the 8th, 12th, 16th and 20th. */
static void put_uuid(char *out, uint64_t high, uint64_t low)
{
    char hex[32];
#if JC_HAVE_SSE2
    /* Bytes most significant first, each split into its two nibbles, which
     * become '0'..'9' or 'a'..'f' by adding '0' and, above 9, 39 more. */
    __m128i bytes =
        _mm_set_epi64x((long long)__builtin_bswap64(low), (long long)__builtin_bswap64(high));
    __m128i low_nibbles = _mm_and_si128(bytes, _mm_set1_epi8(0x0F));
    __m128i high_nibbles = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0F));
    __m128i first = _mm_unpacklo_epi8(high_nibbles, low_nibbles);
    __m128i second = _mm_unpackhi_epi8(high_nibbles, low_nibbles);
    const __m128i nine = _mm_set1_epi8(9), zero = _mm_set1_epi8('0'), letters = _mm_set1_epi8(39);
    first = _mm_add_epi8(_mm_add_epi8(first, zero),
                         _mm_and_si128(_mm_cmpgt_epi8(first, nine), letters));
    second = _mm_add_epi8(_mm_add_epi8(second, zero),
                          _mm_and_si128(_mm_cmpgt_epi8(second, nine), letters));
    _mm_storeu_si128((__m128i *)hex, first);
    _mm_storeu_si128((__m128i *)(hex + 16), second);
#else
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        unsigned byte = (unsigned)((i < 8 ? high : low) >> (56 - 8 * (i & 7))) & 0xFF;
        hex[2 * i] = digits[byte >> 4];
        hex[2 * i + 1] = digits[byte & 0xF];
    }
#endif
    memcpy(out, hex, 8);
    out[8] = '-';
    memcpy(out + 9, hex + 8, 4);
    out[13] = '-';
    memcpy(out + 14, hex + 12, 4);
    out[18] = '-';
    memcpy(out + 19, hex + 16, 4);
    out[23] = '-';
    memcpy(out + 24, hex + 20, 12);
}

int jc_format_uuid(jc_encoder *e, PyObject *obj, char *out)
{
    jc_types *types = e->types;
    PyObject *value = NULL;
    if (jc_unlikely(types->uuid_version != types->uuid->tp_version_tag))
        jc_types_find_uuid_slot(types);
    if (jc_likely(types->uuid_int_offset >= 0)) {
        value = *(PyObject **)((char *)obj + types->uuid_int_offset);
        Py_XINCREF(value);
    }
    if (value == NULL)
        value = PyObject_GetAttr(obj, types->s_int);
    if (value == NULL)
        return jc_encode_fail_raised(&e->err, JC_ENCODE_ATTRIBUTE, "UUID has no readable int");
    uint64_t high = 0, low = 0;
    int status = PyLong_Check(value) ? jc_long_as_u128(value, &high, &low) : -2;
    Py_DECREF(value);
    if (status == -1)
        return jc_encode_fail_raised(&e->err, JC_ENCODE_ATTRIBUTE,
                                     "UUID int is not within 128 bits");
    if (status == -2)
        return jc_encode_fail(&e->err, JC_ENCODE_ATTRIBUTE, "UUID int is not an int");
    put_uuid(out, high, low);
    return 36;
}

int jc_encode_uuid(jc_encoder *e, PyObject *obj)
{
    char text[36];
    if (jc_format_uuid(e, obj, text) < 0)
        return -1;
    return jc_encode_raw(e, text, sizeof text, true);
}
