/* datetime.datetime, datetime.date and datetime.time as RFC 3339 text, as
 * isoformat() writes it: microseconds only when non-zero, the offset as
 * "+HH:MM" (rounded to the nearest minute when it has seconds, RFC 3339
 * section 5.8, as orjson does), read from the fields through the datetime C
 * API's accessors. Options: OPT_NAIVE_UTC (a naive datetime is UTC),
 * OPT_UTC_Z ("Z" for a zero offset), OPT_OMIT_MICROSECONDS. A time with a
 * tzinfo, and a datetime whose offset cannot be read, are refused. */
#include "encode/types/types.h"

#include <datetime.h> /* after Python.h */

#ifndef _PyDateTime_HAS_TZINFO /* 3.9 */
#  define _PyDateTime_HAS_TZINFO(o) (((_PyDateTime_BaseTZInfo *)(o))->hastzinfo)
#endif

#include "compat.h"
#include "tables/char_tables.h"

JC_INLINE char *put_two(char *o, unsigned v)
{
    memcpy(o, jc_digit_pairs + 2 * (size_t)v, 2);
    return o + 2;
}

/* "YYYY-MM-DD"; years below 1000 are zero-padded to four digits. */
JC_INLINE char *put_date(char *o, unsigned year, unsigned month, unsigned day)
{
    o = put_two(o, year / 100);
    o = put_two(o, year % 100);
    *o++ = '-';
    o = put_two(o, month);
    *o++ = '-';
    return put_two(o, day);
}

/* "HH:MM:SS" and ".ffffff" when there are microseconds to write. */
JC_INLINE char *put_time(char *o, uint32_t opts, unsigned hour, unsigned minute, unsigned second,
                         unsigned microsecond)
{
    o = put_two(o, hour);
    *o++ = ':';
    o = put_two(o, minute);
    *o++ = ':';
    o = put_two(o, second);
    if (microsecond != 0 && !(opts & JC_OPT_OMIT_MICROSECONDS)) {
        *o++ = '.';
        o = put_two(o, microsecond / 10000);
        o = put_two(o, microsecond / 100 % 100);
        o = put_two(o, microsecond % 100);
    }
    return o;
}

/* An offset of `seconds` east of UTC (|seconds| <= 86400: a day less a
 * fraction of a second, rounded to the minute, is "24:00"). */
static char *put_offset(char *o, uint32_t opts, int seconds)
{
    if (seconds == 0) {
        if (opts & JC_OPT_UTC_Z) {
            *o++ = 'Z';
            return o;
        }
        memcpy(o, "+00:00", 6);
        return o + 6;
    }
    *o++ = seconds < 0 ? '-' : '+';
    unsigned magnitude = (unsigned)(seconds < 0 ? -seconds : seconds);
    /* "the closest representable UTC offset" (RFC 3339, 5.8) */
    unsigned minutes = (magnitude + 30) / 60;
    o = put_two(o, minutes / 60);
    *o++ = ':';
    return put_two(o, minutes % 60);
}

int jc_format_date(PyObject *obj, char *out)
{
    char *o = put_date(out, (unsigned)PyDateTime_GET_YEAR(obj), PyDateTime_GET_MONTH(obj),
                       PyDateTime_GET_DAY(obj));
    return (int)(o - out);
}

int jc_format_time(jc_encoder *e, PyObject *obj, char *out)
{
    if (_PyDateTime_HAS_TZINFO(obj) && ((PyDateTime_Time *)obj)->tzinfo != Py_None)
        return jc_encode_fail(&e->err, JC_ENCODE_DATETIME,
                              "datetime.time must not have tzinfo set");
    char *o =
        put_time(out, e->opts, PyDateTime_TIME_GET_HOUR(obj), PyDateTime_TIME_GET_MINUTE(obj),
                 PyDateTime_TIME_GET_SECOND(obj), (unsigned)PyDateTime_TIME_GET_MICROSECOND(obj));
    return (int)(o - out);
}

/* The offset of an aware datetime, through its tzinfo: 1 with *seconds set,
 * 0 when utcoffset() returns None (isoformat() then writes no offset), or -1
 * with the error recorded. pytz zones are normalized first, as orjson does, so
 * that a zone attached without localize() gives the offset in force then. */
JC_NOINLINE static int tz_offset(jc_encoder *e, PyObject *dt, PyObject *tzinfo, int *seconds)
{
    jc_types *types = e->types;
    PyObject *normalized = NULL, *delta = NULL;
    int status = -1;
    /* Python code runs from here (a zone's methods): hold what the caller
     * borrowed from a container that code could change. */
    Py_INCREF(dt);
    Py_INCREF(tzinfo);
    if (jc_type_lookup(Py_TYPE(tzinfo), types->s_normalize) != NULL &&
        jc_type_lookup(Py_TYPE(tzinfo), types->s_convert) == NULL) {
        normalized = PyObject_CallMethodOneArg(tzinfo, types->s_normalize, dt);
        if (normalized == NULL)
            goto raised;
        delta = PyObject_CallMethodNoArgs(normalized, types->s_utcoffset);
    } else {
        delta = PyObject_CallMethodOneArg(tzinfo, types->s_utcoffset, dt);
    }
    if (delta == NULL)
        goto raised;
    if (delta == Py_None) {
        status = 0;
        goto done;
    }
    if (!PyObject_TypeCheck(delta, types->delta)) {
        jc_encode_fail(&e->err, JC_ENCODE_DATETIME,
                       "datetime's utcoffset() returned %s, not datetime.timedelta",
                       jc_type_name(delta));
        goto done;
    }
    /* Strictly within a day of UTC, as datetime itself requires. A
     * timedelta is normalised to 0 <= seconds < 86400 and 0 <= microseconds
     * < 10^6: +24h is days 1, -24h days -1 with neither seconds nor
     * microseconds (-24h + 1us is within, and written as orjson does). */
    int days = PyDateTime_DELTA_GET_DAYS(delta);
    int secs = PyDateTime_DELTA_GET_SECONDS(delta);
    if (days < -1 || days > 0 ||
        (days == -1 && secs == 0 && PyDateTime_DELTA_GET_MICROSECONDS(delta) == 0)) {
        jc_encode_fail(&e->err, JC_ENCODE_DATETIME,
                       "datetime's utcoffset() is not within 24 hours of UTC");
        goto done;
    }
    *seconds = days * 86400 + secs;
    status = 1;
    goto done;
raised:
    jc_encode_fail_raised(&e->err, JC_ENCODE_DATETIME,
                          "datetime's timezone failed to give its utcoffset()");
done:
    Py_XDECREF(delta);
    Py_XDECREF(normalized);
    Py_DECREF(tzinfo);
    Py_DECREF(dt);
    return status;
}

int jc_format_datetime(jc_encoder *e, PyObject *obj, char *out)
{
    uint32_t opts = e->opts;
    /* The fields first: a zone's utcoffset() may drop the last reference to
     * obj (clearing the dict it was borrowed from), so obj is not read after
     * tz_offset. */
    char *o = put_date(out, (unsigned)PyDateTime_GET_YEAR(obj), PyDateTime_GET_MONTH(obj),
                       PyDateTime_GET_DAY(obj));
    *o++ = 'T';
    o = put_time(o, opts, PyDateTime_DATE_GET_HOUR(obj), PyDateTime_DATE_GET_MINUTE(obj),
                 PyDateTime_DATE_GET_SECOND(obj), (unsigned)PyDateTime_DATE_GET_MICROSECOND(obj));
    bool offset = false;
    int seconds = 0;
    if (_PyDateTime_HAS_TZINFO(obj)) {
        PyObject *tzinfo = ((PyDateTime_DateTime *)obj)->tzinfo;
        if (tzinfo != e->types->utc && tzinfo != Py_None) {
            int found = tz_offset(e, obj, tzinfo, &seconds);
            if (found < 0)
                return -1;
            offset = found;
        } else {
            offset = tzinfo != Py_None;
        }
    } else {
        offset = opts & JC_OPT_NAIVE_UTC;
    }
    if (offset)
        o = put_offset(o, opts, seconds);
    return (int)(o - out);
}

int jc_format_utc_fields(uint32_t opts, int year, int month, int day, int hour, int minute,
                         int second, int microsecond, char *out)
{
    char *o = put_date(out, (unsigned)year, (unsigned)month, (unsigned)day);
    *o++ = 'T';
    o = put_time(o, opts, (unsigned)hour, (unsigned)minute, (unsigned)second,
                 (unsigned)microsecond);
    if (opts & JC_OPT_NAIVE_UTC)
        o = put_offset(o, opts, 0);
    return (int)(o - out);
}

/* Formats into a local buffer (a zone's Python code may run meanwhile), then
 * writes it quoted. */
int jc_encode_datetime(jc_encoder *e, PyObject *obj)
{
    char text[JC_DATETIME_MAX];
    int len = jc_format_datetime(e, obj, text);
    return len < 0 ? -1 : jc_encode_raw(e, text, (size_t)len, true);
}

int jc_encode_date(jc_encoder *e, PyObject *obj)
{
    char text[JC_DATETIME_MAX];
    int len = jc_format_date(obj, text);
    return jc_encode_raw(e, text, (size_t)len, true);
}

int jc_encode_time(jc_encoder *e, PyObject *obj)
{
    char text[JC_DATETIME_MAX];
    int len = jc_format_time(e, obj, text);
    return len < 0 ? -1 : jc_encode_raw(e, text, (size_t)len, true);
}
