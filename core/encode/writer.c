/* The encoder's output buffer: growth. See writer.h. */
#include "encode/writer.h"

int jc_writer_grow(jc_writer *w, size_t need)
{
    size_t required = w->len + need;
    size_t step = w->cap / 16 > JC_WRITER_MIN_STEP ? w->cap / 16 : JC_WRITER_MIN_STEP;
    size_t cap = w->cap + step > required ? w->cap + step : required;
    /* The first growth goes to 64 KiB at once: a document past the first 1 KiB
     * is usually past the next 32 KiB too (github.json's 53 KiB grew twice),
     * and up to 64 KiB is within the peak's allowance whatever the output. */
    if (cap < JC_WRITER_FIRST_GROWTH)
        cap = JC_WRITER_FIRST_GROWTH;
    if (jc_bytes_resize(&w->bytes, cap) < 0) {
        w->data = NULL;
        return -1;
    }
    w->data = PyBytes_AS_STRING(w->bytes);
    w->cap = cap;
    return 0;
}
