/* The further types dumps writes natively, one file each (README, "Types"):
 *   datetime.c    datetime.datetime, datetime.date, datetime.time (RFC 3339)
 *   uuid.c        uuid.UUID (canonical 8-4-4-4-12 lowercase)
 *   enum.c        enum.Enum and its subclasses (the member's value)
 *   decimal.c     decimal.Decimal (its digits, OPT_SERIALIZE_DECIMAL)
 *   dataclass.c   dataclasses (a map of their fields)
 *   numpy.c       numpy arrays and scalars (OPT_SERIALIZE_NUMPY)
 *   fragment.c    jcodec.Fragment (already serialized JSON, written verbatim)
 *   registry.c    which types they are (registry.h)
 *
 * encoder.c dispatches to them from its out-of-line path, in orjson's order:
 * datetime, date, time, UUID, Fragment, enum, then the str/int/dict/list
 * subclasses, then dataclasses and numpy; Decimal (not an orjson type) after
 * enum, with its option only. Each jc_encode_* writes one value
 * and returns 0, or -1 with the error recorded in e->err, as every encoder
 * stage does; JC_TYPE_DEFAULT asks the caller to hand the object to
 * `default` instead (numpy arrays jcodec cannot write natively). */
#ifndef JC_ENCODE_TYPES_H
#define JC_ENCODE_TYPES_H

#include "encode/encoder.h"
#include "encode/types/registry.h"

#define JC_TYPE_DEFAULT 1

/* datetime.c */
int jc_encode_datetime(jc_encoder *e, PyObject *obj);
int jc_encode_date(jc_encoder *e, PyObject *obj);
int jc_encode_time(jc_encoder *e, PyObject *obj);
/* The longest text of a datetime: "-9999-12-31T23:59:59.999999+23:59", with room. */
#define JC_DATETIME_MAX 40
/* A datetime's text as dumps writes it (no quotes) at out; its length, or -1
 * with the error recorded. For OPT_NON_STR_KEYS and numpy.datetime64. */
int jc_format_datetime(jc_encoder *e, PyObject *obj, char *out);
int jc_format_date(PyObject *obj, char *out);
int jc_format_time(jc_encoder *e, PyObject *obj, char *out);
/* A UTC wall time (numpy.datetime64) as a naive datetime's text. */
int jc_format_utc_fields(uint32_t opts, int year, int month, int day, int hour, int minute,
                         int second, int microsecond, char *out);

/* uuid.c */
int jc_encode_uuid(jc_encoder *e, PyObject *obj);
/* The 36 characters of str(uuid) at out; -1 with the error recorded. */
int jc_format_uuid(jc_encoder *e, PyObject *obj, char *out);

/* enum.c: the member's value, written as any value is (or NULL for keys). */
int jc_encode_enum(jc_encoder *e, PyObject *obj);
/* The member's value, a new reference; NULL with the error recorded. */
PyObject *jc_enum_value(jc_encoder *e, PyObject *obj);
/* Before following a member to its value (which may be a member again, or
 * itself): each hop counts as a default call does, and the C stack is
 * checked. 0 with e->default_depth raised (the caller lowers it after), or -1
 * with the error recorded. */
int jc_enum_hop_enter(jc_encoder *e);

/* decimal.c (OPT_SERIALIZE_DECIMAL): decimal.Decimal as its digits. */
int jc_encode_decimal(jc_encoder *e, PyObject *obj);
/* The text a Decimal key is written as (OPT_NON_STR_KEYS), a new str; NULL
 * with the error recorded (NaN and the infinities are refused as values are). */
PyObject *jc_decimal_key(jc_encoder *e, PyObject *obj);

/* dataclass.c: the fields jc_types_dataclass_fields gave (its reference to
 * the names is released here), read from the instance's __dict__, or as
 * attributes when the class has __slots__. The caller holds obj. */
int jc_encode_dataclass(jc_encoder *e, PyObject *obj, const jc_dataclass_fields *fields);

/* numpy.c: an object of one of numpy's types (jc_types_numpy); returns
 * JC_TYPE_DEFAULT for what orjson also hands to default (an unsupported dtype
 * or unit, a non-C-contiguous or 0-dimensional array) when default is given. */
int jc_encode_numpy(jc_encoder *e, PyObject *obj, const jc_numpy_types *np);
bool jc_is_numpy_type(const jc_numpy_types *np, PyTypeObject *type);

/* fragment.c */
int jc_encode_fragment(jc_encoder *e, PyObject *obj);
/* The Fragment type, created for each module (heap type). */
PyTypeObject *jc_fragment_type_new(PyObject *module);

#endif /* JC_ENCODE_TYPES_H */
