/* The parser's scratch buffers. See state.h. */
#include "decode/state.h"

bool jc_parser_grow_code_points(jc_parser *ps, size_t need)
{
    size_t cap = ps->code_points_cap ? ps->code_points_cap : 256;
    while (cap < need)
        cap *= 2;
    uint32_t *grown =
        jc_realloc(ps->code_points, ps->code_points_cap * sizeof(uint32_t), cap * sizeof(uint32_t));
    if (grown == NULL)
        return false;
    ps->code_points = grown;
    ps->code_points_cap = cap;
    return true;
}

const char *jc_parser_copy_text(jc_parser *ps, const uint8_t *from, const uint8_t *to)
{
    size_t len = (size_t)(to - from);
    if (ps->text == NULL || len + 1 > ps->text_cap) {
        char *grown = jc_realloc(ps->text, ps->text_cap, len + 1);
        if (grown == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        ps->text = grown;
        ps->text_cap = len + 1;
    }
    memcpy(ps->text, from, len);
    ps->text[len] = 0;
    return ps->text;
}
