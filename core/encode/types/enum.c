/* enum.Enum members (IntEnum, StrEnum, Flag and every other subclass) as
 * their value, written with the same options as any value. The value is the
 * member's `_value_`, which Enum.value returns: reading it directly skips the
 * Python-level property. */
#include "compat.h"
#include "encode/types/types.h"

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

int jc_encode_enum(jc_encoder *e, PyObject *obj)
{
    PyObject *value = jc_enum_value(e, obj);
    if (value == NULL)
        return -1;
    int status = jc_encode_value(e, value);
    Py_DECREF(value);
    return status;
}
