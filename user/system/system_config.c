/*
 * The parser of SYSTEM's configuration files (format: system_config.h).
 * Pure: no syscalls, no allocation; everything goes into the SystemConfig.
 */
#include "system_config.h"

#include <anos/directory.h>
#include <anos/syscall.h>
#include <string.h>

/* Indexed by syscall number; NULL where no syscall has that number. */
static const char *const system_rights_names[SYS_COUNT] = {
    [SYS_NOP] = "nop",
    [SYS_DEBUG_WRITE] = "debug_write",
    [SYS_PROCESS_EXIT] = "process_exit",
    [SYS_THREAD_EXIT] = "thread_exit",
    [SYS_THREAD_CREATE] = "thread_create",
    [SYS_YIELD] = "yield",
    [SYS_SLEEP] = "sleep",
    [SYS_CLOCK] = "clock",
    [SYS_MEMINFO] = "meminfo",
    [SYS_MAP_ANON] = "map_anon",
    [SYS_UNMAP] = "unmap",
    [SYS_MAP_PHYS] = "map_phys",
    [SYS_ALLOC_PHYS] = "alloc_phys",
    [SYS_PROCESS_CREATE] = "process_create",
    [SYS_PROCESS_WAIT] = "process_wait",
    [SYS_HANDLE_DUP] = "handle_dup",
    [SYS_HANDLE_CLOSE] = "handle_close",
    [SYS_KLOG_READ] = "klog_read",
    [SYS_FIRMWARE_MAP] = "firmware_map",
    [SYS_IRQ_ALLOC] = "irq_alloc",
    [SYS_IRQ_WAIT] = "irq_wait",
    [SYS_PROCESS_KILL] = "process_kill",
    [SYS_THREAD_PRIORITY] = "thread_priority",
    [SYS_CHANNEL_CREATE] = "channel_create",
    [SYS_CHANNEL_DESTROY] = "channel_destroy",
    [SYS_CALL] = "call",
    [SYS_RECV] = "recv",
    [SYS_REPLY] = "reply",
    [SYS_REPLY_RECV] = "reply_recv",
    [SYS_IPC_AREA] = "ipc_area",
};

_Static_assert(SYS_COUNT <= 128, "syscall rights are two 64-bit words");

/* A word of the text: [start, start + len). */
typedef struct Word {
    const char *start;
    size_t len;
} Word;

static bool word_is(Word w, const char *s)
{
    size_t n = strlen(s);
    return w.len == n && memcmp(w.start, s, n) == 0;
}

static bool word_has_prefix(Word w, const char *prefix)
{
    size_t n = strlen(prefix);
    return w.len >= n && memcmp(w.start, prefix, n) == 0;
}

const char *system_rights_name(unsigned nr)
{
    return nr < SYS_COUNT ? system_rights_names[nr] : NULL;
}

int system_rights_lookup(const char *name, size_t len)
{
    Word w = {name, len};
    for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
        if (system_rights_names[nr] != NULL && word_is(w, system_rights_names[nr])) {
            return (int)nr;
        }
    }
    return -1;
}

Error system_rights_parse(const char *word, size_t len, uint64_t rights[2])
{
    if (word == NULL || rights == NULL) {
        return E_INVAL;
    }
    rights[0] = rights[1] = 0;
    size_t pos = 0;
    for (;;) {
        size_t end = pos;
        while (end < len && word[end] != ',') {
            end++;
        }
        Word item = {word + pos, end - pos};
        if (word_is(item, "all")) {
            for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
                rights[nr / 64] |= 1ull << (nr % 64);
            }
        } else if (!word_is(item, "none")) {
            int nr = system_rights_lookup(item.start, item.len);
            if (nr < 0) {
                return E_CORRUPT; /* also an empty item: ",," or a trailing ',' */
            }
            rights[nr / 64] |= 1ull << (nr % 64);
        }
        if (end == len) {
            return E_OK;
        }
        pos = end + 1;
    }
}

/* ---- Lines and words ---------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line (no '\n' in it) into words, stopping at a comment. */
static size_t split_words(const char *line, size_t len, Word *words, size_t max, bool *too_many)
{
    size_t n = 0;
    size_t pos = 0;
    *too_many = false;
    for (;;) {
        while (pos < len && is_blank(line[pos])) {
            pos++;
        }
        if (pos == len || line[pos] == '#') {
            return n;
        }
        size_t start = pos;
        while (pos < len && !is_blank(line[pos])) {
            pos++;
        }
        if (n == max) {
            *too_many = true;
            return n;
        }
        words[n++] = (Word){line + start, pos - start};
    }
}

static Error config_fail(SystemConfig *cfg, Error err, uint32_t line, const char *why)
{
    cfg->error_line = line;
    cfg->error = why;
    return err;
}

/* Copies a word into the string pool; NULL when the pool is full. */
static const char *config_store(SystemConfig *cfg, Word w)
{
    if (w.len + 1 > SYSTEM_CONFIG_STRINGS - cfg->strings_used) {
        return NULL;
    }
    char *dst = cfg->strings + cfg->strings_used;
    memcpy(dst, w.start, w.len);
    dst[w.len] = '\0';
    cfg->strings_used += w.len + 1;
    return dst;
}

/* N in cpu=N: decimal digits only, below SYSTEM_CONFIG_CPU_LIMIT. */
static bool parse_cpu(Word value, uint64_t *cpu)
{
    if (value.len == 0 || value.len > 4) {
        return false;
    }
    uint64_t n = 0;
    for (size_t i = 0; i < value.len; i++) {
        if (value.start[i] < '0' || value.start[i] > '9') {
            return false;
        }
        n = n * 10 + (uint64_t)(value.start[i] - '0');
    }
    if (n >= SYSTEM_CONFIG_CPU_LIMIT) {
        return false;
    }
    *cpu = n;
    return true;
}

static const char *const bad_name = "a service name is 1..31 of a-z 0-9 _ . -";
static const char *const pool_full = "paths, arguments and names too long in all";

/* service=NAME: a valid name that no earlier line provides. */
static Error parse_service(SystemConfig *cfg, SystemProgram *p, Word name)
{
    if (p->service != NULL) {
        return config_fail(cfg, E_CORRUPT, p->line, "service= given twice");
    }
    if (!anos_service_name_valid(name.start, name.len)) {
        return config_fail(cfg, E_CORRUPT, p->line, bad_name);
    }
    if (system_config_provider(cfg, name.start, name.len) >= 0) {
        return config_fail(cfg, E_CORRUPT, p->line, "service provided by an earlier line");
    }
    p->service = config_store(cfg, name);
    return p->service != NULL ? E_OK : config_fail(cfg, E_RANGE, p->line, pool_full);
}

/* allow=NAME[,NAME...]: distinct valid names, resolved once the whole
 * file is read (a provider may come later). */
static Error parse_allow(SystemConfig *cfg, SystemProgram *p, Word list)
{
    if (p->allow_count > 0) {
        return config_fail(cfg, E_CORRUPT, p->line, "allow= given twice");
    }
    size_t pos = 0;
    for (;;) {
        size_t end = pos;
        while (end < list.len && list.start[end] != ',') {
            end++;
        }
        Word name = {list.start + pos, end - pos};
        if (!anos_service_name_valid(name.start, name.len)) {
            return config_fail(cfg, E_CORRUPT, p->line, bad_name);
        }
        if (p->allow_count == SYSTEM_CONFIG_MAX_ALLOW) {
            return config_fail(cfg, E_RANGE, p->line, "too many names in allow=");
        }
        for (uint32_t i = 0; i < p->allow_count; i++) {
            if (word_is(name, p->allow[i])) {
                return config_fail(cfg, E_CORRUPT, p->line, "a service allowed twice");
            }
        }
        const char *stored = config_store(cfg, name);
        if (stored == NULL) {
            return config_fail(cfg, E_RANGE, p->line, pool_full);
        }
        p->allow[p->allow_count++] = stored;
        if (end == list.len) {
            return E_OK;
        }
        pos = end + 1;
    }
}

/* Options after the rights word; returns the index of the first argument. */
static Error parse_options(SystemConfig *cfg, SystemProgram *p, const Word *words, size_t n,
                           size_t *first_arg)
{
    bool have_cpu = false;
    size_t i = 2;
    for (; i < n; i++) {
        Word w = words[i];
        if (word_is(w, "--")) {
            i++;
            break;
        }
        if (word_has_prefix(w, "cpu=")) {
            Word value = {w.start + 4, w.len - 4};
            if (have_cpu || !parse_cpu(value, &p->cpu)) {
                return config_fail(cfg, E_CORRUPT, p->line,
                                   have_cpu ? "cpu= given twice" : "cpu=N needs a CPU number");
            }
            have_cpu = true;
        } else if (word_has_prefix(w, "handle=")) {
            if (!word_is(w, "handle=ramfs") || p->give_ramfs) {
                return config_fail(cfg, E_CORRUPT, p->line,
                                   p->give_ramfs ? "handle=ramfs given twice"
                                                 : "unknown handle (only handle=ramfs)");
            }
            p->give_ramfs = true;
        } else if (word_is(w, "alone")) {
            p->alone = true;
        } else if (word_has_prefix(w, "service=")) {
            Error err = parse_service(cfg, p, (Word){w.start + 8, w.len - 8});
            if (err != E_OK) {
                return err;
            }
        } else if (word_has_prefix(w, "allow=")) {
            Error err = parse_allow(cfg, p, (Word){w.start + 6, w.len - 6});
            if (err != E_OK) {
                return err;
            }
        } else {
            break;
        }
    }
    *first_arg = i;
    return E_OK;
}

static Error parse_line(SystemConfig *cfg, const char *line, size_t len, uint32_t line_no)
{
    /* path, rights, options and arguments: at most this many words count. */
    enum { MAX_WORDS = SYSTEM_CONFIG_MAX_ARGS + 8 };
    Word words[MAX_WORDS];
    bool too_many;
    size_t n = split_words(line, len, words, MAX_WORDS, &too_many);
    if (too_many) {
        return config_fail(cfg, E_RANGE, line_no, "too many words on one line");
    }
    if (n == 0) {
        return E_OK;
    }
    if (n == 1) {
        return config_fail(cfg, E_CORRUPT, line_no, "a program needs a rights word");
    }
    if (cfg->count == SYSTEM_CONFIG_MAX_PROGRAMS) {
        return config_fail(cfg, E_RANGE, line_no, "too many programs");
    }
    if (words[0].len > SYSTEM_CONFIG_PATH_MAX) {
        return config_fail(cfg, E_RANGE, line_no, "path longer than a RAMFS name");
    }
    SystemProgram *p = &cfg->programs[cfg->count];
    *p = (SystemProgram){.cpu = ANOS_CPU_ANY, .line = line_no};
    if (system_rights_parse(words[1].start, words[1].len, p->rights) != E_OK) {
        return config_fail(cfg, E_CORRUPT, line_no, "unknown syscall name in the rights");
    }
    size_t first_arg;
    Error err = parse_options(cfg, p, words, n, &first_arg);
    if (err != E_OK) {
        return err;
    }
    if (p->alone && p->service != NULL) {
        /* Its clients could never run: an alone program runs by itself. */
        return config_fail(cfg, E_CORRUPT, line_no, "a service cannot run alone");
    }
    if (1 + (n - first_arg) > SYSTEM_CONFIG_MAX_ARGS) {
        return config_fail(cfg, E_RANGE, line_no, "too many arguments");
    }
    const char *path = config_store(cfg, words[0]);
    if (path == NULL) {
        return config_fail(cfg, E_RANGE, line_no, pool_full);
    }
    p->path = path;
    p->argv[p->argc++] = path;
    for (size_t i = first_arg; i < n; i++) {
        const char *arg = config_store(cfg, words[i]);
        if (arg == NULL) {
            return config_fail(cfg, E_RANGE, line_no, pool_full);
        }
        p->argv[p->argc++] = arg;
    }
    p->argv[p->argc] = NULL;
    cfg->count++;
    return E_OK;
}

int system_config_provider(const SystemConfig *cfg, const char *name, size_t len)
{
    Word w = {name, len};
    for (uint32_t i = 0; i < cfg->count; i++) {
        if (cfg->programs[i].service != NULL && word_is(w, cfg->programs[i].service)) {
            return (int)i;
        }
    }
    return -1;
}

/* Turns every allow= name into its provider's bit, once all lines are in. */
static Error resolve_allowed(SystemConfig *cfg)
{
    for (uint32_t i = 0; i < cfg->count; i++) {
        SystemProgram *p = &cfg->programs[i];
        for (uint32_t j = 0; j < p->allow_count; j++) {
            int provider = system_config_provider(cfg, p->allow[j], strlen(p->allow[j]));
            if (provider < 0) {
                return config_fail(cfg, E_CORRUPT, p->line,
                                   "allow= names a service no line provides");
            }
            p->allowed |= 1u << provider;
        }
    }
    return E_OK;
}

Error system_config_parse(SystemConfig *cfg, const char *text, size_t len)
{
    if (cfg == NULL || (text == NULL && len > 0)) {
        return E_INVAL;
    }
    memset(cfg, 0, sizeof(*cfg));
    const char *nul = len > 0 ? memchr(text, '\0', len) : NULL;
    if (nul != NULL) {
        uint32_t line_no = 1;
        for (const char *c = text; c < nul; c++) {
            line_no += *c == '\n';
        }
        return config_fail(cfg, E_CORRUPT, line_no, "NUL byte in the text");
    }
    size_t pos = 0;
    uint32_t line_no = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        Error err = parse_line(cfg, text + pos, end - pos, ++line_no);
        if (err != E_OK) {
            return err;
        }
        pos = end + 1;
    }
    return resolve_allowed(cfg);
}
