/* The encoder's output: bytes written straight into a bytes object that
 * grows in place (jc_bytes_resize) and is trimmed once when done.
 *
 * The first growth goes to 64 KiB, each later one adds max(capacity / 16,
 * 32 KiB): small documents grow in few steps, and the capacity never exceeds
 * 64 KiB or 17/16 of what was asked for plus 32 KiB, which keeps the peak near
 * the output size (no doubling, no second copy). */
#ifndef JC_ENCODE_WRITER_H
#define JC_ENCODE_WRITER_H

#include "compat.h"

#include "alloc.h"
#include "compiler.h"

#define JC_WRITER_INITIAL      1024
#define JC_WRITER_MIN_STEP     ((size_t)32 * 1024)
#define JC_WRITER_FIRST_GROWTH ((size_t)64 * 1024)

typedef struct jc_writer {
    PyObject *bytes; /* owned; NULL after finish or on failure */
    char *data;      /* PyBytes_AS_STRING(bytes) */
    size_t len;      /* bytes written */
    size_t cap;      /* bytes available in `bytes` */
} jc_writer;

JC_INLINE int jc_writer_init(jc_writer *w, size_t capacity)
{
    w->bytes = jc_bytes_new(capacity);
    if (jc_unlikely(w->bytes == NULL))
        return -1;
    w->data = PyBytes_AS_STRING(w->bytes);
    w->len = 0;
    w->cap = capacity;
    return 0;
}

/* The slow path of jc_writer_reserve (writer.c). */
JC_COLD int jc_writer_grow(jc_writer *w, size_t need);

/* Makes room for `need` more bytes; -1 with MemoryError on failure. */
JC_INLINE int jc_writer_reserve(jc_writer *w, size_t need)
{
    if (jc_likely(w->cap - w->len >= need))
        return 0;
    return jc_writer_grow(w, need);
}

/* The write position; valid until the next reserve. */
JC_INLINE char *jc_writer_pos(jc_writer *w)
{
    return w->data + w->len;
}

/* Caller has reserved. */
JC_INLINE void jc_writer_put(jc_writer *w, char c)
{
    w->data[w->len++] = c;
}
JC_INLINE void jc_writer_put_bytes(jc_writer *w, const void *p, size_t n)
{
    memcpy(w->data + w->len, p, n);
    w->len += n;
}

/* Trims to the written length and hands over the bytes object. */
JC_INLINE PyObject *jc_writer_finish(jc_writer *w)
{
    if (w->len != w->cap && jc_bytes_resize(&w->bytes, w->len) < 0)
        return NULL;
    PyObject *bytes = w->bytes;
    w->bytes = NULL;
    return bytes;
}

JC_INLINE void jc_writer_discard(jc_writer *w)
{
    Py_CLEAR(w->bytes);
}

#endif /* JC_ENCODE_WRITER_H */
