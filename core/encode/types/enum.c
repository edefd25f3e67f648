/* enum.Enum members (IntEnum, StrEnum, Flag and every other subclass) as
 * their value, written with the same options as any value. The value is the
 * member's `_value_`, which Enum.value returns: reading it directly skips the
 * Python-level property. */
#include "compat.h"
#include "encode/types/types.h"
#include "stack_guard.h"

PyObject *jc_enum_value(jc_encoder *e, PyObject *obj)
{
    jc_types *types = e->types;
    PyObject *value = NULL;
    int found = jc_lookup_attr(obj, types->s_value_, &value);
    if (found == 0)
        value = PyObject_GetAttr(obj, types->s_value);
    if (value == NULL)
        jc_encode_fail_raised(&e->err, JC_ENCODE_ATTRIBUTE, "enum member %s has no readable value",
                              jc_type_name(obj));
    return value;
}

/* A member's value may be another member (or itself: `E.A._value_ = E.A`),
 * a chain no container depth counts: each hop counts as a default call does,
 * so a cycle ends in JSONEncodeError, and the C stack is checked before the
 * next hop. */
int jc_enum_hop_enter(jc_encoder *e)
{
    if (jc_unlikely(e->default_depth >= JC_ENCODE_MAX_DEFAULT_DEPTH))
        return jc_encode_fail(&e->err, JC_ENCODE_DEFAULT_DEPTH,
                              "enum member values nested deeper than %d",
                              JC_ENCODE_MAX_DEFAULT_DEPTH);
    if (jc_unlikely(jc_stack_exhausted(e->stack_floor))) {
        jc_stack_fail(" while encoding a JSON object");
        return jc_encode_fail_python(&e->err);
    }
    e->default_depth++;
    return 0;
}

int jc_encode_enum(jc_encoder *e, PyObject *obj)
{
    if (jc_enum_hop_enter(e) < 0)
        return -1;
    /* Reading the value may run Python code (a property) that drops the
     * container's reference to obj, which an error then names. */
    Py_INCREF(obj);
    PyObject *value = jc_enum_value(e, obj);
    Py_DECREF(obj);
    if (value == NULL) {
        e->default_depth--;
        return -1;
    }
    int status = jc_encode_value(e, value);
    e->default_depth--;
    Py_DECREF(value);
    return status;
}
