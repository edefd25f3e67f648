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
#else
bool jc_dict_table_of(PyObject *dict, jc_dict_table *table)
{
    (void)dict;
    (void)table;
    return false;
}
#endif
