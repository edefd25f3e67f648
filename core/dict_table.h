/* A dict's members read from its table, by both directions.
 *
 * PyDict_Next costs about 50 instructions a member on CPython 3.11 (a call
 * into the interpreter, the dict's layout checked again on every step); the
 * members of a combined table, which is what loads, dict literals and dict()
 * build, sit in one array in insertion order, so the encoder walks that array
 * itself; and the decoder stores the values of a new object into the entries
 * of a fresh copy of an object with the same keys (decode/dict_shape.h).
 * Split tables (instance __dict__s) and CPythons whose dict layout is not in
 * their installed headers (before 3.11) report no table and take PyDict_Next
 * or insertion; one value at a time, jc_dict_value_at reads split tables
 * too. dict_table.c reads CPython's internal dict headers (and
 * decode/py_hash.c its hash secret): no other file does. */
#ifndef JC_DICT_TABLE_H
#define JC_DICT_TABLE_H

#include "compat.h"

typedef struct jc_dict_table {
    PyObject **slots;   /* entry i: key at slots[i * stride], value at +1 */
    Py_ssize_t stride;  /* pointers per entry */
    Py_ssize_t entries; /* entries in use, deleted ones included (value NULL) */
    const void *keys;   /* the table: the dict was resized if it changed */
} jc_dict_table;

/* Whether this CPython's dict layout is known (dict_table.c): before 3.11
 * jc_dict_table_of always says false. */
#define JC_DICT_TABLE_READABLE (PY_VERSION_HEX >= 0x030B0000)

/* Whether jc_dict_from_pairs builds tables here: 3.11 to 3.13, the layouts and
 * allocators it was written against, not free-threaded. */
#if JC_DICT_TABLE_READABLE && PY_VERSION_HEX < 0x030E0000 && !defined(Py_GIL_DISABLED)
#  define JC_DICT_TABLE_BUILDABLE 1
#else
#  define JC_DICT_TABLE_BUILDABLE 0
#endif

/* dict's table (true), or false when it must be walked with PyDict_Next. */
bool jc_dict_table_of(PyObject *dict, jc_dict_table *table);

/* dict's value for `key` (borrowed) when entry *index of its table, split
 * tables (instance __dict__s) included, holds that very key object; *index
 * then moves past it. NULL, no error set, otherwise (and always before 3.11):
 * the caller looks the key up. For reading a dict in an order its keys
 * usually have, a dataclass's fields from its instance's __dict__: identity
 * with the key in the expected entry finds the value without hashing, where
 * PyDict_GetItemWithError was a quarter of dumps' time on dataclasses
 * (perf record -e cpu-clock). */
PyObject *jc_dict_value_at(PyObject *dict, PyObject *key, Py_ssize_t *index);

/* Whether dict still has the table read by jc_dict_table_of: Python code run
 * while a member was written (a tzinfo's utcoffset, `default`) may resize it. */
JC_INLINE bool jc_dict_table_current(PyObject *dict, const jc_dict_table *table)
{
    return (const void *)((PyDictObject *)dict)->ma_keys == table->keys;
}

/* A str key's hash: the one stored in it (every key loads makes has it,
 * decode/py_hash.h), computed when it is not. */
JC_INLINE Py_hash_t jc_str_hash(PyObject *str)
{
    Py_hash_t hash = ((PyASCIIObject *)str)->hash;
    return hash != -1 ? hash : PyObject_Hash(str); /* cannot fail for a str */
}

/* Starts bringing dict's table (its header and first entries) into the cache,
 * for the encoder to ask one member ahead: a table lives apart from its dict,
 * and reading one that is not cached was 17% of dumps' time on
 * citm_catalog.json (perf record -e cpu-clock). */
JC_INLINE void jc_dict_table_prefetch(PyObject *dict)
{
    const char *keys = (const char *)((PyDictObject *)dict)->ma_keys;
    __builtin_prefetch(keys);
    __builtin_prefetch(keys + 64);
}

/* The decoder's dicts that match no shape (decode/dict_shape.h), built at
 * their final size in one pass: CPython's insertion of a new key costs about
 * 280 instructions on 3.11 (PyDict_SetItem, a lookup that finds nothing, the
 * entry, and the resizes on the way up, four of them for 64 keys). The table
 * is the one insertion would give the same keys, values and order, of the
 * smallest size that holds them, where insertion's growth also ends.
 * pairs: n >= 1 key, value pairs, each key a str with its hash; on success
 * the dict takes their references. 1 with the dict in *out; 0, the pairs
 * untouched, when a key repeats or !JC_DICT_TABLE_BUILDABLE (3.9, 3.10,
 * 3.14 and later, free-threaded builds): the caller inserts; -1 with
 * MemoryError, the pairs untouched. */
int jc_dict_from_pairs(PyObject **pairs, size_t n, PyObject **out);

#endif /* JC_DICT_TABLE_H */
