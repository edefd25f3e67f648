/* The encoder's output buffer: growth. See writer.h. */
#include "encode/writer.h"

int jc_writer_grow(jc_writer *w, size_t need)
{
    size_t required = w->len + need;
    size_t step = w->cap / 16 > JC_WRITER_MIN_STEP ? w->cap / 16 : JC_WRITER_MIN_STEP;
    size_t cap = w->cap + step > required ? w->cap + step : required;
    if (jc_bytes_resize(&w->bytes, cap) < 0) {
        w->data = NULL;
        return -1;
    }
    w->data = PyBytes_AS_STRING(w->bytes);
    w->cap = cap;
    return 0;
}
