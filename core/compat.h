/* Python.h for the core, and what differs between the CPython versions jcodec
 * builds for (3.9 to 3.13), in one place: each helper is the newest API, with
 * the older spelling behind a version test. */
#ifndef JC_COMPAT_H
#define JC_COMPAT_H

#include <Python.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "compiler.h"

/* PyMemberDef's type and flag constants: in Python.h from 3.12, in the
 * deprecated structmember.h before. */
#if PY_VERSION_HEX >= 0x030C0000
#  define JC_MEMBER_OBJECT   Py_T_OBJECT_EX
#  define JC_MEMBER_READONLY Py_READONLY
#else
#  include <structmember.h>
#  define JC_MEMBER_OBJECT   T_OBJECT_EX
#  define JC_MEMBER_READONLY READONLY
#endif

/* 3.10's type flags, 0 on 3.9 (where a heap type stays mutable, and
 * stream/lines.c makes LinesIterator not instantiable by other means). */
#ifdef Py_TPFLAGS_IMMUTABLETYPE
#  define JC_TPFLAGS_IMMUTABLETYPE Py_TPFLAGS_IMMUTABLETYPE
#else
#  define JC_TPFLAGS_IMMUTABLETYPE 0
#endif
#ifdef Py_TPFLAGS_DISALLOW_INSTANTIATION
#  define JC_TPFLAGS_DISALLOW_INSTANTIATION Py_TPFLAGS_DISALLOW_INSTANTIATION
#else
#  define JC_TPFLAGS_DISALLOW_INSTANTIATION 0
#endif

/* 3.10's reference helpers, for 3.9. */
#if PY_VERSION_HEX < 0x030A0000
JC_INLINE PyObject *jc_new_ref(PyObject *obj)
{
    Py_INCREF(obj);
    return obj;
}
JC_INLINE PyObject *jc_xnew_ref(PyObject *obj)
{
    Py_XINCREF(obj);
    return obj;
}
#  define Py_NewRef(obj)  jc_new_ref((PyObject *)(obj))
#  define Py_XNewRef(obj) jc_xnew_ref((PyObject *)(obj))
JC_INLINE int jc_module_add_object_ref(PyObject *module, const char *name, PyObject *value)
{
    Py_INCREF(value);
    if (PyModule_AddObject(module, name, value) < 0) {
        Py_DECREF(value);
        return -1;
    }
    return 0;
}
#  define PyModule_AddObjectRef jc_module_add_object_ref
#endif

/* The cyclic collector's switches, for jc_gc_pause and jc_gc_restore. From
 * 3.10 the C API (PyGC_Disable, PyGC_Enable) and these stay NULL. 3.9 has no
 * C API for it: the gc module's isenabled, disable and enable, read at import
 * into the module state (jc_gc_switches_init) and called through their C
 * functions, which neither allocate nor fail. Looking them up at each pause
 * (import, attribute names, bound calls) allocated, and a failed request in
 * the resume left the collector disabled for good, with the MemoryError
 * cleared. */
typedef struct jc_gc_switches {
    PyObject *isenabled, *disable, *enable; /* 3.9: gc's builtins, owned */
} jc_gc_switches;

#if PY_VERSION_HEX < 0x030A0000
JC_INLINE int jc_gc_switch_get(PyObject *gc, const char *name, PyObject **slot)
{
    *slot = PyObject_GetAttrString(gc, name);
    if (*slot == NULL)
        return -1;
    if (!PyCFunction_Check(*slot) || PyCFunction_GET_FLAGS(*slot) != METH_NOARGS) {
        PyErr_Format(PyExc_ImportError, "gc.%s is not the gc module's builtin", name);
        return -1;
    }
    return 0;
}

/* One switch called: gc's METH_NOARGS C function with its module. */
JC_INLINE PyObject *jc_gc_switch_call(PyObject *fn)
{
    return PyCFunction_GET_FUNCTION(fn)(PyCFunction_GET_SELF(fn), NULL);
}
#endif

/* 0, or -1 with an error set (on 3.9; the references are the caller's to
 * visit and clear, NULL from 3.10). */
JC_INLINE int jc_gc_switches_init(jc_gc_switches *switches)
{
    switches->isenabled = switches->disable = switches->enable = NULL;
#if PY_VERSION_HEX < 0x030A0000
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL)
        return -1;
    int status = jc_gc_switch_get(gc, "isenabled", &switches->isenabled) < 0 ||
                         jc_gc_switch_get(gc, "disable", &switches->disable) < 0 ||
                         jc_gc_switch_get(gc, "enable", &switches->enable) < 0
                     ? -1
                     : 0;
    Py_DECREF(gc);
    return status;
#else
    return 0;
#endif
}

/* Pauses the cyclic collector: 1 when it was enabled (pass that to
 * jc_gc_restore), 0 when not, -1 with an error set. */
JC_INLINE int jc_gc_pause(const jc_gc_switches *switches)
{
#if PY_VERSION_HEX >= 0x030A0000
    (void)switches;
    return PyGC_Disable();
#else
    PyObject *was = jc_gc_switch_call(switches->isenabled);
    if (was == NULL)
        return -1;
    int enabled = PyObject_IsTrue(was);
    Py_DECREF(was);
    if (enabled > 0) {
        PyObject *done = jc_gc_switch_call(switches->disable);
        if (done == NULL)
            return -1;
        Py_DECREF(done);
    }
    return enabled;
#endif
}

/* Undoes a jc_gc_pause that returned 1; keeps any error already set. */
JC_INLINE void jc_gc_restore(const jc_gc_switches *switches, int was_enabled)
{
    if (was_enabled <= 0)
        return;
#if PY_VERSION_HEX >= 0x030A0000
    (void)switches;
    PyGC_Enable();
#else
    PyObject *done = jc_gc_switch_call(switches->enable); /* None: cannot fail */
    Py_XDECREF(done);
#endif
}

/* A pause where it saves time and nothing else (loads): 1 when the collector
 * was enabled (pass that to jc_gc_resume), 0 when not. On 3.9, where pausing
 * costs Python calls, it is not done (0). */
JC_INLINE int jc_gc_pause_for_speed(void)
{
#if PY_VERSION_HEX >= 0x030A0000
    return PyGC_Disable();
#else
    return 0;
#endif
}

/* Undoes a jc_gc_pause_for_speed that returned 1 (never on 3.9). */
JC_INLINE void jc_gc_resume(int was_enabled)
{
#if PY_VERSION_HEX >= 0x030A0000
    if (was_enabled > 0)
        PyGC_Enable();
#else
    (void)was_enabled;
#endif
}

/* The exception being raised, taken as one object (its traceback attached),
 * with the error indicator cleared; NULL when none is set. 3.12 deprecates
 * PyErr_Fetch for PyErr_GetRaisedException. */
JC_INLINE PyObject *jc_err_take(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL && traceback != NULL)
        PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
#endif
}

/* obj.name, without raising AttributeError when it is missing: 1 with a new
 * reference in *result, 0 (and NULL) when missing, -1 with an error set. */
JC_INLINE int jc_lookup_attr(PyObject *obj, PyObject *name, PyObject **result)
{
#if PY_VERSION_HEX >= 0x030D0000
    return PyObject_GetOptionalAttr(obj, name, result);
#else
    return _PyObject_LookupAttr(obj, name, result);
#endif
}

/* The attribute `name` of a type or its bases, borrowed, without raising
 * (NULL when absent): the method-cache lookup every version exports. */
JC_INLINE PyObject *jc_type_lookup(PyTypeObject *type, PyObject *name)
{
    return _PyType_Lookup(type, name);
}

/* The text of a str that PyUnicode_IS_COMPACT_ASCII accepted: it follows the
 * object header, on every version. PyUnicode_1BYTE_DATA finds the same address
 * by testing compact and ascii again, a few instructions per key and value. */
JC_INLINE const uint8_t *jc_compact_ascii_data(PyObject *str)
{
    return (const uint8_t *)((PyASCIIObject *)str + 1);
}

/* An int's magnitude as CPython stores it: an array of PyLong_SHIFT-bit
 * digits, least significant first, their count, and the sign (-1, 0, 1). The
 * layout changed in 3.12 (a tag word holds the count and the sign). */
JC_INLINE const digit *jc_long_digits(PyObject *v, Py_ssize_t *count, int *sign)
{
    PyLongObject *number = (PyLongObject *)v;
#if PY_VERSION_HEX >= 0x030C0000
    uintptr_t tag = number->long_value.lv_tag;
    *count = (Py_ssize_t)(tag >> 3);
    *sign = 1 - (int)(tag & 3);
    return number->long_value.ob_digit;
#else
    Py_ssize_t size = Py_SIZE(number);
    *count = size < 0 ? -size : size;
    *sign = size < 0 ? -1 : size > 0;
    return number->ob_digit;
#endif
}

/* An int of one digit (|v| < 2**PyLong_SHIFT), the encoder's per-int fast
 * path: true with its value, false for any other int. */
JC_INLINE bool jc_long_is_small(PyObject *v, int64_t *value)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (!PyUnstable_Long_IsCompact((PyLongObject *)v))
        return false;
    *value = PyUnstable_Long_CompactValue((PyLongObject *)v);
    return true;
#else
    /* A sign-magnitude array of digits, the sign in ob_size. */
    Py_ssize_t size = Py_SIZE(v);
    if (size > 1 || size < -1)
        return false;
    *value = size * (int64_t)((PyLongObject *)v)->ob_digit[0];
    return true;
#endif
}

/* An int of two digits (ids, timestamps in ms: under 2**60), without the
 * call to PyLong_AsLongLongAndOverflow: true with its value. */
JC_INLINE bool jc_long_is_two_digits(PyObject *v, int64_t *value)
{
    Py_ssize_t count;
    int sign;
    const digit *digits = jc_long_digits(v, &count, &sign);
    if (count != 2)
        return false;
    *value = sign * (int64_t)(((uint64_t)digits[1] << PyLong_SHIFT) | digits[0]);
    return true;
}

/* How many PyLong_SHIFT-bit digits an int's magnitude has. */
JC_INLINE Py_ssize_t jc_long_digit_count(PyObject *v)
{
    Py_ssize_t count;
    int sign;
    (void)jc_long_digits(v, &count, &sign);
    return count;
}

/* A non-negative int below 2**128 as two 64-bit halves; -1 with OverflowError
 * set otherwise. */
JC_INLINE int jc_long_as_u128(PyObject *v, uint64_t *high, uint64_t *low)
{
    Py_ssize_t count;
    int sign;
    const digit *digits = jc_long_digits(v, &count, &sign);
    __uint128_t value = 0;
    for (Py_ssize_t i = count; i-- > 0;) {
        if (value >> (128 - PyLong_SHIFT) != 0) {
            sign = -1; /* more than 128 bits */
            break;
        }
        value = (value << PyLong_SHIFT) | digits[i];
    }
    if (sign < 0) {
        PyErr_SetString(PyExc_OverflowError, "int is not within 0 and 2**128 - 1");
        return -1;
    }
    *high = (uint64_t)(value >> 64);
    *low = (uint64_t)value;
    return 0;
}

/* The int of magnitude high * 2**64 + low and the given sign, its digits
 * written directly (the reverse of jc_long_digits); magnitude at least
 * 2**PyLong_SHIFT, so never one of CPython's cached small ints. NULL with
 * MemoryError set. */
JC_INLINE PyObject *jc_long_from_u128(uint64_t high, uint64_t low, bool negative)
{
    __uint128_t magnitude = ((__uint128_t)high << 64) | low;
    Py_ssize_t count = 0;
    for (__uint128_t rest = magnitude; rest != 0; rest >>= PyLong_SHIFT)
        count++;
    PyLongObject *number = _PyLong_New(count);
    if (number == NULL)
        return NULL;
#if PY_VERSION_HEX >= 0x030C0000
    digit *digits = number->long_value.ob_digit;
    if (negative)
        number->long_value.lv_tag |= 2; /* the sign bits: 0 positive, 2 negative */
#else
    digit *digits = number->ob_digit;
    if (negative)
        Py_SET_SIZE(number, -count);
#endif
    for (Py_ssize_t i = 0; i < count; i++, magnitude >>= PyLong_SHIFT)
        digits[i] = (digit)(magnitude & PyLong_MASK);
    return (PyObject *)number;
}

/* A new compact ASCII str of len >= 1 characters whose text (and the NUL
 * after it) the caller writes: what PyUnicode_New(len, 127) makes, without its
 * tests for the other kinds and sizes (about 45 of its 50 instructions; every
 * ASCII str loads makes is one). The header fields differ by version: 3.12
 * dropped `ready` and `wstr`, and added `statically_allocated`, which is 0
 * for a str on the heap, as every other bit the state does not set. NULL with
 * MemoryError on failure. */
JC_INLINE PyObject *jc_ascii_str_new(size_t len)
{
    if (jc_unlikely(len > (size_t)PY_SSIZE_T_MAX - sizeof(PyASCIIObject) - 1))
        return PyErr_NoMemory();
    PyASCIIObject *str = (PyASCIIObject *)PyObject_Malloc(sizeof(PyASCIIObject) + len + 1);
    if (jc_unlikely(str == NULL))
        return PyErr_NoMemory();
    str->length = (Py_ssize_t)len;
    str->hash = -1;
    memset(&str->state, 0, sizeof str->state);
    str->state.kind = PyUnicode_1BYTE_KIND;
    str->state.compact = 1;
    str->state.ascii = 1;
#if PY_VERSION_HEX < 0x030C0000
    str->state.ready = 1;
    str->wstr = NULL;
#endif
    return PyObject_Init((PyObject *)str, &PyUnicode_Type);
}

#endif /* JC_COMPAT_H */
