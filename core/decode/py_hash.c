/* CPython's str hash for the decoder's keys (py_hash.h). SipHash as its paper
 * defines it (J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast short-input
 * PRF", 2012), with c compression rounds per 8-byte word and d finalization
 * rounds, keyed with the interpreter's secret.
 *
 * Py_BUILD_CORE: 3.13 declares _Py_HashSecret in an internal header only
 * (3.9 to 3.12 in pyhash.h). */
#define Py_BUILD_CORE 1
#include "decode/py_hash.h"

#include <string.h>

#if PY_VERSION_HEX >= 0x030D0000
#  include "internal/pycore_pyhash.h"
#endif

jc_py_hash_fn jc_py_hash_bytes = NULL;

/* The secret, copied at import: the process draws it once, at startup. */
static uint64_t secret_k0, secret_k1;

typedef struct {
    uint64_t v0, v1, v2, v3;
} sip_state;

JC_INLINE uint64_t rotate_left(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

/* One SipRound. */
JC_INLINE void sip_round(sip_state *s)
{
    s->v0 += s->v1;
    s->v1 = rotate_left(s->v1, 13) ^ s->v0;
    s->v0 = rotate_left(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = rotate_left(s->v3, 16) ^ s->v2;
    s->v0 += s->v3;
    s->v3 = rotate_left(s->v3, 21) ^ s->v0;
    s->v2 += s->v1;
    s->v1 = rotate_left(s->v1, 17) ^ s->v2;
    s->v2 = rotate_left(s->v2, 32);
}

/* The last len % 8 bytes of bytes[0, len) as a little-endian word, read
 * without a byte past the end: the final word shifted when there is one,
 * otherwise two overlapping loads (the bytes they share land on the same
 * bits). */
JC_INLINE uint64_t tail_word(const uint8_t *bytes, size_t len)
{
    size_t rest = len & 7;
    if (rest == 0)
        return 0;
    if (len >= 8)
        return jc_load64(bytes + len - 8) >> (8 * (8 - rest));
    if (rest >= 4)
        return jc_load32(bytes) | (uint64_t)jc_load32(bytes + rest - 4) << (8 * (rest - 4));
    return bytes[0] | (uint64_t)bytes[rest >> 1] << (8 * (rest >> 1)) |
           (uint64_t)bytes[rest - 1] << (8 * (rest - 1));
}

/* SipHash-c-d of bytes[0, len), as _Py_HashBytes returns it: 0 for no bytes,
 * and -2 for -1, which means "not computed" in a str. */
JC_INLINE Py_hash_t siphash(const void *data, size_t len, int c_rounds, int d_rounds)
{
    if (len == 0)
        return 0;
    const uint8_t *bytes = data;
    sip_state s = {
        secret_k0 ^ UINT64_C(0x736f6d6570736575), secret_k1 ^ UINT64_C(0x646f72616e646f6d),
        secret_k0 ^ UINT64_C(0x6c7967656e657261), secret_k1 ^ UINT64_C(0x7465646279746573)};
    const uint8_t *words_end = bytes + (len & ~(size_t)7);
    for (const uint8_t *p = bytes; p < words_end; p += 8) {
        uint64_t m = jc_load64(p);
        s.v3 ^= m;
        for (int i = 0; i < c_rounds; i++)
            sip_round(&s);
        s.v0 ^= m;
    }
    uint64_t last = (uint64_t)len << 56 | tail_word(bytes, len);
    s.v3 ^= last;
    for (int i = 0; i < c_rounds; i++)
        sip_round(&s);
    s.v0 ^= last;
    s.v2 ^= 0xff;
    for (int i = 0; i < d_rounds; i++)
        sip_round(&s);
    Py_hash_t hash = (Py_hash_t)(s.v0 ^ s.v1 ^ s.v2 ^ s.v3);
    return hash == -1 ? -2 : hash;
}

static Py_hash_t siphash13(const void *data, size_t len)
{
    return siphash(data, len, 1, 3);
}

static Py_hash_t siphash24(const void *data, size_t len)
{
    return siphash(data, len, 2, 4);
}

static const struct {
    const char *name;
    jc_py_hash_fn fn;
} candidates[] = {
    {"siphash13", siphash13},
    {"siphash24", siphash24},
};

/* Whether fn gives every str of text[0, n) for n up to 40, in each kind, the
 * hash PyObject_Hash gives it. 1 yes, 0 no, -1 with MemoryError. */
static int agrees_with_cpython(jc_py_hash_fn fn)
{
    /* code points below 0x80, 0x100, 0x10000 and above, one kind each */
    static const Py_UCS4 widest[] = {0x7A, 0xE9, 0x20AC, 0x1F600};
    Py_UCS4 text[40];
    for (size_t kind = 0; kind < sizeof widest / sizeof widest[0]; kind++) {
        for (Py_ssize_t n = 0; n <= 40; n++) {
            for (Py_ssize_t i = 0; i < n; i++)
                text[i] = i == n / 2 ? widest[kind] : (Py_UCS4)('a' + (i * 7 + n) % 26);
            PyObject *str = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text, n);
            if (str == NULL)
                return -1;
            Py_hash_t expected = PyObject_Hash(str);
            Py_hash_t ours =
                fn(PyUnicode_DATA(str), (size_t)PyUnicode_GET_LENGTH(str) * PyUnicode_KIND(str));
            Py_DECREF(str);
            if (ours != expected)
                return 0;
        }
    }
    return 1;
}

int jc_py_hash_select(void)
{
    /* Once per process: the secret and the hash are the process's, and a
     * second interpreter importing the module must not rewrite what another
     * one's loads is reading. */
    static bool selected;
    if (selected)
        return 0;
    PyHash_FuncDef *def = PyHash_GetFuncDef();
    if (def->hash_bits != 64 || sizeof(Py_hash_t) != 8) {
        selected = true;
        return 0;
    }
    secret_k0 = _Py_HashSecret.siphash.k0;
    secret_k1 = _Py_HashSecret.siphash.k1;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (strcmp(def->name, candidates[i].name) != 0)
            continue;
        int agrees = agrees_with_cpython(candidates[i].fn);
        if (agrees < 0)
            return -1;
        if (agrees)
            jc_py_hash_bytes = candidates[i].fn;
    }
    selected = true;
    return 0;
}

const char *jc_py_hash_name(void)
{
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (jc_py_hash_bytes == candidates[i].fn)
            return candidates[i].name;
    return "PyObject_Hash";
}
