/* A dict's table (dict_table.h). Built against CPython's internal headers,
 * as only decode/py_hash.c (for the hash secret) is besides: the dict layout is not public API, so it is
 * read here once per dict, through the interpreter's own definitions, and the
 * version test below keeps every other CPython on PyDict_Next. */
#define Py_BUILD_CORE 1
#include "dict_table.h"

#if JC_DICT_TABLE_READABLE
/* 3.13's internal headers have inline functions with unused parameters. */
#  if defined(__GNUC__)
#    pragma GCC diagnostic push
#    pragma GCC diagnostic ignored "-Wunused-parameter"
#  endif
#  include "internal/pycore_dict.h"
#  if defined(__GNUC__)
#    pragma GCC diagnostic pop
#  endif

bool jc_dict_table_of(PyObject *dict, jc_dict_table *table)
{
    PyDictObject *mp = (PyDictObject *)dict;
    PyDictKeysObject *keys = mp->ma_keys;
    if (mp->ma_values != NULL)
        return false; /* split: the values live apart, in their own order */
    table->entries = keys->dk_nentries;
    table->keys = keys;
    if (table->entries == 0) {
        /* Possibly the shared empty table, whose entries array is one byte
         * past its index: not even its address may be formed as an entry's. */
        static PyObject *no_entries[2];
        table->slots = no_entries;
        table->stride = 2;
        return true;
    }
    if (DK_IS_UNICODE(keys)) {
        PyDictUnicodeEntry *entries = DK_UNICODE_ENTRIES(keys);
        table->slots = &entries[0].me_key;
        table->stride = sizeof *entries / sizeof(PyObject *);
    } else {
        PyDictKeyEntry *entries = DK_ENTRIES(keys);
        table->slots = &entries[0].me_key;
        table->stride = sizeof *entries / sizeof(PyObject *);
    }
    return true;
}

/* The encoder reads the value one slot after the key. */
_Static_assert(offsetof(PyDictUnicodeEntry, me_value) ==
                   offsetof(PyDictUnicodeEntry, me_key) + sizeof(PyObject *),
               "value follows key");
_Static_assert(offsetof(PyDictKeyEntry, me_value) ==
                   offsetof(PyDictKeyEntry, me_key) + sizeof(PyObject *),
               "value follows key");

PyObject *jc_dict_value_at(PyObject *dict, PyObject *key, Py_ssize_t *index)
{
    PyDictObject *mp = (PyDictObject *)dict;
    PyDictKeysObject *keys = mp->ma_keys;
    Py_ssize_t ix = *index;
    /* The bound first: the shared empty table's entries may not be formed. */
    if (ix >= keys->dk_nentries || !DK_IS_UNICODE(keys))
        return NULL;
    PyDictUnicodeEntry *entry = &DK_UNICODE_ENTRIES(keys)[ix];
    if (entry->me_key != key)
        return NULL;
    PyObject *value;
    if (mp->ma_values == NULL) {
        value = entry->me_value;
    } else {
        /* split: the value of entry ix is values[ix], as dictobject.c reads
         * it; from 3.13 an instance's array may hold fewer values than the
         * shared keys have entries */
#  if PY_VERSION_HEX >= 0x030D0000
        if (ix >= mp->ma_values->capacity)
            return NULL;
#  endif
        value = mp->ma_values->values[ix];
    }
    if (value != NULL)
        *index = ix + 1;
    return value;
}
#else
bool jc_dict_table_of(PyObject *dict, jc_dict_table *table)
{
    (void)dict;
    (void)table;
    return false;
}

PyObject *jc_dict_value_at(PyObject *dict, PyObject *key, Py_ssize_t *index)
{
    (void)dict;
    (void)key;
    (void)index;
    return NULL;
}
#endif

/* Building a table needs more of the layout than reading one: how an empty
 * dict holds its keys and how CPython probes, as 3.11 to 3.13 have them. */
#if JC_DICT_TABLE_BUILDABLE

#  include <string.h>

/* dictobject.c's, which no header exports */
#  define DICT_LOG_MINSIZE      3
#  define PERTURB_SHIFT         5
#  define USABLE_FRACTION(size) (((size) << 1) / 3)
/* The allocator dictobject.c frees a table with: PyMem_Free from 3.13,
 * PyObject_Free before (the debug allocators of -X dev check the pairing). */
#  if PY_VERSION_HEX >= 0x030D0000
#    define KEYS_MALLOC PyMem_Malloc
#    define KEYS_FREE   PyMem_Free
#  else
#    define KEYS_MALLOC PyObject_Malloc
#    define KEYS_FREE   PyObject_Free
#  endif

/* Indices are 1, 2, 4 or 8 bytes wide, by table size. */
JC_INLINE Py_ssize_t index_at(const PyDictKeysObject *keys, size_t i, unsigned width_log2)
{
    switch (width_log2) {
    case 0: return ((const int8_t *)keys->dk_indices)[i];
    case 1: return ((const int16_t *)(const void *)keys->dk_indices)[i];
    case 2: return ((const int32_t *)(const void *)keys->dk_indices)[i];
    default: return ((const int64_t *)(const void *)keys->dk_indices)[i];
    }
}

JC_INLINE void index_set(PyDictKeysObject *keys, size_t i, unsigned width_log2, size_t ix)
{
    switch (width_log2) {
    case 0: ((int8_t *)keys->dk_indices)[i] = (int8_t)ix; break;
    case 1: ((int16_t *)(void *)keys->dk_indices)[i] = (int16_t)ix; break;
    case 2: ((int32_t *)(void *)keys->dk_indices)[i] = (int32_t)ix; break;
    default: ((int64_t *)(void *)keys->dk_indices)[i] = (int64_t)ix; break;
    }
}

/* str equality as the dict's lookup decides it, for two strs of equal hash */
JC_INLINE bool same_text(PyObject *a, PyObject *b)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(a);
    return len == PyUnicode_GET_LENGTH(b) && PyUnicode_KIND(a) == PyUnicode_KIND(b) &&
           memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)len * PyUnicode_KIND(a)) == 0;
}

/* A new, empty table of unicode keys with room for n entries, laid out as
 * dictobject.c's new_keys_object lays it out (and frees it). */
static PyDictKeysObject *new_unicode_keys(size_t n)
{
    unsigned log2_size = DICT_LOG_MINSIZE;
    while (USABLE_FRACTION((size_t)1 << log2_size) < n)
        log2_size++;
    unsigned log2_index_bytes = log2_size < 8    ? log2_size
                                : log2_size < 16 ? log2_size + 1
                                : log2_size < 32 ? log2_size + 2
                                                 : log2_size + 3;
    size_t usable = USABLE_FRACTION((size_t)1 << log2_size);
    size_t index_bytes = (size_t)1 << log2_index_bytes;
    PyDictKeysObject *keys =
        KEYS_MALLOC(sizeof(PyDictKeysObject) + index_bytes + sizeof(PyDictUnicodeEntry) * usable);
    if (keys == NULL)
        return NULL;
    memset(keys, 0, sizeof *keys); /* 3.13's dk_mutex too */
    keys->dk_refcnt = 1;
    keys->dk_log2_size = (uint8_t)log2_size;
    keys->dk_log2_index_bytes = (uint8_t)log2_index_bytes;
    keys->dk_kind = DICT_KEYS_UNICODE;
    keys->dk_version = 0;
    keys->dk_usable = (Py_ssize_t)usable;
    keys->dk_nentries = 0;
    memset(keys->dk_indices, 0xff, index_bytes); /* DKIX_EMPTY */
    memset(DK_UNICODE_ENTRIES(keys), 0, sizeof(PyDictUnicodeEntry) * usable);
    return keys;
}

/* Whether keys is the shared table every empty dict starts with, which
 * PyDict_New gives a new dict: no entries, no room. */
JC_INLINE bool is_shared_empty(const PyDictKeysObject *keys)
{
    return keys->dk_log2_size == 0 && keys->dk_usable == 0 && keys->dk_nentries == 0;
}

/* A table being filled, its layout read once. */
typedef struct {
    PyDictKeysObject *keys;
    PyDictUnicodeEntry *entries;
    size_t mask;
    unsigned width_log2; /* of the index bytes */
    size_t used;         /* entries filled */
} table_fill;

JC_INLINE table_fill fill_start(PyDictKeysObject *keys)
{
    return (table_fill){keys, DK_UNICODE_ENTRIES(keys), ((size_t)1 << keys->dk_log2_size) - 1,
                        (unsigned)(keys->dk_log2_index_bytes - keys->dk_log2_size), 0};
}

JC_INLINE PyDictKeysObject *fill_end(table_fill *fill)
{
    fill->keys->dk_nentries = (Py_ssize_t)fill->used;
    fill->keys->dk_usable -= (Py_ssize_t)fill->used;
    return fill->keys;
}

/* Enters key (with its hash) at the end of the probe sequence of CPython's
 * lookups, the first empty slot, for which the table has room: true. False,
 * and nothing entered, when the table has an equal key already. */
JC_INLINE bool enter(table_fill *fill, PyObject *key, PyObject *value)
{
    Py_hash_t hash = jc_str_hash(key);
    size_t i = (size_t)hash & fill->mask, perturb = (size_t)hash;
    for (;;) {
        Py_ssize_t ix = index_at(fill->keys, i, fill->width_log2);
        if (ix == DKIX_EMPTY) {
            index_set(fill->keys, i, fill->width_log2, fill->used);
            fill->entries[fill->used].me_key = key;
            fill->entries[fill->used].me_value = value;
            fill->used++;
            return true;
        }
        PyObject *other = fill->entries[ix].me_key;
        if (other == key || (jc_str_hash(other) == hash && same_text(other, key)))
            return false;
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & fill->mask;
    }
}

int jc_dict_from_pairs(PyObject **pairs, size_t n, PyObject **out)
{
    PyObject *dict = PyDict_New();
    if (dict == NULL)
        return -1;
    PyDictObject *mp = (PyDictObject *)dict;
    if (mp->ma_values != NULL || !is_shared_empty(mp->ma_keys)) {
        Py_DECREF(dict);
        return 0;
    }
    PyDictKeysObject *keys = new_unicode_keys(n);
    if (keys == NULL) {
        Py_DECREF(dict);
        PyErr_NoMemory();
        return -1;
    }
    bool holds_containers = false;
    table_fill fill = fill_start(keys);
    for (size_t p = 0; p < n; p++) {
        /* A repeated key (rare) leaves it to insertion, which sizes the table
         * by the keys that stay; no reference has moved yet. */
        if (jc_unlikely(!enter(&fill, pairs[2 * p], pairs[2 * p + 1]))) {
            KEYS_FREE(keys);
            Py_DECREF(dict);
            return 0;
        }
        holds_containers |= PyObject_IS_GC(pairs[2 * p + 1]);
    }
    /* The dict takes the pairs' references from here. The shared empty table
     * counts its users on 3.11; from 3.12 it is immortal and is not counted. */
#  if PY_VERSION_HEX < 0x030C0000
    mp->ma_keys->dk_refcnt--;
#  endif
    mp->ma_keys = fill_end(&fill);
    mp->ma_used = (Py_ssize_t)fill.used;
    /* Tracked by the GC exactly when inserting the values would have tracked
     * it: when one of them may hold references (a list or a dict). */
    if (holds_containers)
        PyObject_GC_Track(dict);
    *out = dict;
    return 1;
}
#else
int jc_dict_from_pairs(PyObject **pairs, size_t n, PyObject **out)
{
    (void)pairs;
    (void)n;
    (void)out;
    return 0;
}
#endif
