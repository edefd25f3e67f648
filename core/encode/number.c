/* Encoder stage: ints beyond 64 bits, through CPython's conversion. The
 * 64-bit and float paths are inline in number.h. */
#include "encode/number.h"

/* An int no smaller than 2**630 (21 30-bit digits; below it at most 190
 * decimal digits) may exceed sys.get_int_max_str_digits(), whose smallest
 * limit is 640 digits. */
#define JC_INT_MAY_EXCEED_DIGITS 21

/* int's own decimal conversion (not a subclass's __repr__), or NULL with the
 * error recorded: beyond sys.get_int_max_str_digits() its ValueError becomes
 * the cause. That ValueError is a new object (created when it is taken) and
 * may start a cyclic collection, whose finalizers would run Python code while
 * the dicts being written lend their keys (encode_members): the collector is
 * paused for ints that big, so that no Python code runs without `default`. */
PyObject *jc_int_to_decimal(jc_encoder *e, PyObject *obj)
{
    bool may_exceed = jc_long_digit_count(obj) >= JC_INT_MAY_EXCEED_DIGITS;
    int collecting = may_exceed ? jc_gc_pause(&e->types->gc) : 0;
    if (collecting < 0) {
        jc_encode_fail_python(&e->err);
        return NULL;
    }
    PyObject *text = PyLong_Type.tp_repr(obj);
    if (text == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            if (jc_encode_take_cause(&e->err) == 0)
                jc_encode_fail(&e->err, JC_ENCODE_INT_DIGITS,
                               "Integer exceeds the limit for integer string conversion "
                               "(sys.set_int_max_str_digits())");
        } else {
            jc_encode_fail_python(&e->err);
        }
    }
    jc_gc_restore(&e->types->gc, collecting);
    return text;
}

/* Beyond 64 bits: CPython's conversion (int's own, not a subclass's __repr__),
 * which refuses more digits than sys.get_int_max_str_digits() allows. */
int jc_write_big_int(jc_encoder *e, PyObject *obj)
{
    if (e->opts & JC_OPT_STRICT_INTEGER)
        return jc_encode_fail(&e->err, JC_ENCODE_INT_RANGE, "Integer exceeds 53-bit range");
    PyObject *text = jc_int_to_decimal(e, obj);
    if (text == NULL)
        return -1;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int status = jc_writer_reserve(&e->out, (size_t)len);
    if (status == 0)
        jc_writer_put_bytes(&e->out, PyUnicode_1BYTE_DATA(text), (size_t)len);
    else
        jc_encode_fail_python(&e->err);
    Py_DECREF(text);
    return status;
}
