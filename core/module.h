/* The jcodec module: its per-module state and the entry points module.c
 * registers. */
#ifndef JC_MODULE_H
#define JC_MODULE_H

#include "compat.h"

#include "compiler.h"
#include "decode/keycache.h"
#include "encode/types/registry.h"

/* Per-module (so per-interpreter) state: the module imports in
 * sub-interpreters, each with its own exception types and key cache. A new
 * PyObject field goes into module.c's JC_STATE_OWNED too (traverse, clear). */
typedef struct jc_module_state {
    PyObject *JSONDecodeError;   /* subclass of json.JSONDecodeError */
    PyObject *JSONEncodeError;   /* subclass of TypeError, as orjson's */
    PyObject *json_decode_error; /* json.JSONDecodeError, the base */
    PyObject *CacheInfo;         /* struct sequence type for _cache_info() */
    PyObject *LinesIterator;     /* the type iter_lines() returns (stream/lines.c) */
    jc_keycache *keys;
    jc_types types; /* datetime, UUID, enum, dataclass, numpy, Fragment */
} jc_module_state;

JC_INLINE jc_module_state *jc_state(PyObject *module)
{
    return (jc_module_state *)PyModule_GetState(module);
}

/* The module's init functions; their names are fixed by CPython's import
 * protocol. PyInit__jcodec is the package's extension, jcodec._jcodec
 * (python/jcodec/__init__.py makes its names the package's); embedders
 * (fuzz/, bench/, tests/c/) register PyInit_jcodec as "jcodec" with
 * PyImport_AppendInittab. Both make the same module. */
PyMODINIT_FUNC PyInit__jcodec(void);
PyMODINIT_FUNC PyInit_jcodec(void);

/* decode/loads.c */
PyObject *jc_loads(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* encode/dumps.c */
PyObject *jc_dumps(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);

#endif /* JC_MODULE_H */
