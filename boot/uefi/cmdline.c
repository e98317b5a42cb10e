/*
 * Command line file parsing: the first line, trimmed. Everything after the
 * first line is free for comments or future use.
 */
#include "cmdline.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

Error cmdline_extract(const char *text, uint64_t len, char *out, uint64_t out_size)
{
    if (!out || out_size == 0 || (!text && len != 0))
        return E_INVAL;
    out[0] = '\0';

    uint64_t start = 0;
    if (len >= 3 && (uint8_t)text[0] == 0xEF && (uint8_t)text[1] == 0xBB &&
        (uint8_t)text[2] == 0xBF)
        start = 3;
    uint64_t end = start;
    while (end < len && text[end] != '\n')
        end++;
    while (start < end && is_blank(text[start]))
        start++;
    while (end > start && is_blank(text[end - 1]))
        end--;

    for (uint64_t i = start; i < end; i++) {
        if (text[i] == '\0')
            return E_INVAL;
    }
    uint64_t n = end - start;
    Error err = E_OK;
    if (n > out_size - 1) {
        n = out_size - 1;
        err = E_RANGE;
    }
    for (uint64_t i = 0; i < n; i++)
        out[i] = text[start + i];
    out[n] = '\0';
    return err;
}
