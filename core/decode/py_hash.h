/* Decoder stage: CPython's own hash of the keys the decoder makes.
 *
 * A dict hashes every key that is new to it, and a key the key cache has not
 * seen is new: PyObject_Hash, unicode_hash, _Py_HashBytes and the interpreter's
 * SipHash, about 210 instructions for a 20-byte key, 60 of them in the calls.
 * The decoder has just copied the key's text and computes the same SipHash
 * over it, with the interpreter's secret, into the str's hash field, where
 * the dict (and the key cache, and decode/dict_shape.c) find it.
 *
 * Used only when the interpreter's str hash is SipHash-1-3 or SipHash-2-4 on
 * 64 bits (PyHash_GetFuncDef) and, at import, agrees with PyObject_Hash on strs
 * of every length from 0 to 40 and of every kind (which also catches a build
 * with a Py_HASH_CUTOFF for short strs); otherwise PyObject_Hash does it. */
#ifndef JC_DECODE_PY_HASH_H
#define JC_DECODE_PY_HASH_H

#include "compat.h"

/* The hash of a str whose data is bytes[0, len) (len = length * kind), as
 * _Py_HashBytes gives it. */
typedef Py_hash_t (*jc_py_hash_fn)(const void *bytes, size_t len);

/* Chosen once at import by jc_py_hash_select; NULL when CPython must hash. */
extern jc_py_hash_fn jc_py_hash_bytes;

/* Picks the hash at import. Returns 0, or -1 with MemoryError when the
 * self-test's strs cannot be made. */
int jc_py_hash_select(void);

/* "siphash13", "siphash24", or "PyObject_Hash" when CPython hashes (tests). */
const char *jc_py_hash_name(void);

/* Gives a new str (a key) its hash, which is then never computed again. */
JC_INLINE void jc_py_hash_prime(PyObject *str)
{
    PyASCIIObject *header = (PyASCIIObject *)str;
    if (header->hash != -1) /* a shared one-character str may have it */
        return;
    if (jc_likely(jc_py_hash_bytes != NULL))
        header->hash = jc_py_hash_bytes(PyUnicode_DATA(str),
                                        (size_t)PyUnicode_GET_LENGTH(str) * PyUnicode_KIND(str));
    else
        (void)PyObject_Hash(str); /* cannot fail for a str */
}

#endif /* JC_DECODE_PY_HASH_H */
