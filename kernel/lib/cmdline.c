/*
 * Kernel command-line parsing. The line is copied at boot so later code does
 * not depend on where the loader left BootInfo.
 */
#include <anos/bootinfo.h>
#include <cmdline.h>

static char cmdline[BOOTINFO_CMDLINE_MAX];

void cmdline_init(const char *line)
{
    size_t i = 0;
    if (line) {
        for (; i < BOOTINFO_CMDLINE_MAX - 1 && line[i]; i++) {
            cmdline[i] = line[i];
        }
    }
    cmdline[i] = '\0';
}

const char *cmdline_get(void)
{
    return cmdline;
}

/* Finds the next word at or after *pos; returns its start and length. */
static bool next_word(size_t *pos, const char **start, size_t *len)
{
    size_t i = *pos;
    while (cmdline[i] == ' ' || cmdline[i] == '\t') {
        i++;
    }
    if (!cmdline[i]) {
        return false;
    }
    *start = &cmdline[i];
    size_t n = 0;
    while (cmdline[i] && cmdline[i] != ' ' && cmdline[i] != '\t') {
        i++;
        n++;
    }
    *len = n;
    *pos = i;
    return true;
}

static bool word_equals(const char *w, size_t len, const char *s, size_t slen)
{
    if (len != slen) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (w[i] != s[i]) {
            return false;
        }
    }
    return true;
}

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

bool cmdline_has(const char *word)
{
    size_t pos = 0, len, wlen = str_len(word);
    const char *w;
    while (next_word(&pos, &w, &len)) {
        if (word_equals(w, len, word, wlen)) {
            return true;
        }
    }
    return false;
}

bool cmdline_value(const char *key, char *buf, size_t n)
{
    size_t pos = 0, len, klen = str_len(key);
    const char *w;
    while (next_word(&pos, &w, &len)) {
        if (len > klen && w[klen] == '=' && word_equals(w, klen, key, klen)) {
            size_t vlen = len - klen - 1, i;
            if (n == 0) {
                return true;
            }
            for (i = 0; i < vlen && i + 1 < n; i++) {
                buf[i] = w[klen + 1 + i];
            }
            buf[i] = '\0';
            return true;
        }
    }
    return false;
}
