/* jcodec.dumps: arguments, options, the serializer call and the one place
 * serializer errors become JSONEncodeError. */
#include "encode/encoder.h"
#include "module.h"
#include "stack_guard.h"
#include "testing.h"

JC_COLD static PyObject *raise_option_error(jc_module_state *st, const char *msg)
{
    PyErr_SetString(st->JSONEncodeError, msg);
    return NULL;
}

/* orjson's rules: None or an exact int of known bits (orjson's, and
 * jcodec's own: options.h). Returns -1 with the error set. */
static int parse_options(jc_module_state *st, PyObject *option, uint32_t *opts)
{
    *opts = 0;
    if (option == NULL || option == Py_None)
        return 0;
    /* Exactly int, as orjson 3.8.3: bool, IntFlag and other subclasses are
     * refused, so a program that works here works with orjson. */
    if (!PyLong_CheckExact(option)) {
        raise_option_error(st, "Invalid opts");
        return -1;
    }
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(option, &overflow);
    if (overflow || value < 0 || (value & ~(long long)JC_OPT_VALID) != 0) {
        PyErr_Clear();
        raise_option_error(st, "Invalid opts");
        return -1;
    }
    *opts = (uint32_t)value;
    return 0;
}

/* Stack the entry needs before the encoder's own checks take over. */
#define JC_DUMPS_ENTRY_STACK ((size_t)8 * 1024)

/* dumps(obj, /, default=None, option=None), parsed by hand: this is on the
 * path of every call, and most calls pass one argument. */
static int parse_arguments(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                           PyObject **obj, PyObject **default_fn, PyObject **option)
{
    if (nargs < 1 || nargs > 3) {
        PyErr_Format(PyExc_TypeError, "dumps() takes from 1 to 3 positional arguments (%zd given)",
                     nargs);
        return -1;
    }
    *obj = args[0];
    *default_fn = nargs > 1 ? args[1] : NULL;
    *option = nargs > 2 ? args[2] : NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, i);
        PyObject **slot;
        if (PyUnicode_CompareWithASCIIString(name, "default") == 0)
            slot = default_fn;
        else if (PyUnicode_CompareWithASCIIString(name, "option") == 0)
            slot = option;
        else {
            PyErr_Format(PyExc_TypeError, "dumps() got an unexpected keyword argument '%U'", name);
            return -1;
        }
        if (*slot != NULL) {
            PyErr_Format(PyExc_TypeError, "dumps() got multiple values for argument '%U'", name);
            return -1;
        }
        *slot = args[nargs + i];
    }
    return 0;
}

/* The encoder's settings from `default` and `option`, its error record empty;
 * -1 with the error set. */
JC_INLINE int setup_encoder(jc_encoder *e, jc_module_state *st, PyObject *default_fn,
                            PyObject *option)
{
    if (parse_options(st, option, &e->opts) < 0)
        return -1;
    if (default_fn == Py_None)
        default_fn = NULL;
    if (default_fn != NULL && !PyCallable_Check(default_fn)) {
        raise_option_error(st, "default must be callable");
        return -1;
    }
    e->default_fn = default_fn;
    e->types = &st->types;
    e->write_value = jc_encode_value_buffered;
    e->safe_point = NULL;
    e->rare_entries = 0;
    jc_encode_error_init(&e->err);
    return 0;
}

int jc_encoder_setup(jc_encoder *e, jc_module_state *st, PyObject *default_fn, PyObject *option)
{
    return setup_encoder(e, st, default_fn, option);
}

PyObject *jc_dumps(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    jc_module_state *st = jc_state(module);
    PyObject *obj, *default_fn, *option;
    jc_encoder e;
    if (parse_arguments(args, nargs, kwnames, &obj, &default_fn, &option) < 0 ||
        setup_encoder(&e, st, default_fn, option) < 0)
        return NULL;
    /* The encoder checks the stack itself as it goes deeper; the entry needs
     * only room for its own frames. */
    if (jc_recursion_enter(" while encoding a JSON object", JC_DUMPS_ENTRY_STACK, &e.stack_floor) <
        0)
        return NULL;

    jc_call_enter();
    PyObject *result = jc_serialize(&e, obj);
    if (result == NULL)
        jc_encode_error_raise(st, &e.err);
    jc_encode_error_clear(&e.err);
    jc_call_exit();
    jc_recursion_leave();
    return result;
}
