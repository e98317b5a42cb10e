/*
 * SYSTEM's configuration files (ramfs/system*.conf): which programs to
 * start, with which syscall rights, CPU and handles. A pure parser, so the
 * host tests (tests/host/user/test_system_config.c) check it in full.
 *
 * Format (docs/Userspace.md): one program per line,
 *
 *     <ramfs path> <rights> [cpu=N] [handle=ramfs] [alone] [service=NAME]
 *         [allow=NAME[,NAME...]] [--] [args...]
 *
 * words separated by spaces or tabs; a word beginning with `#` starts a
 * comment running to the end of the line; blank lines are ignored.
 * <rights> is `all`, `none`, or a comma-separated list of syscall names
 * (nop, debug_write, process_exit, ...; see system_rights_name). Options
 * come right after the rights; `--` ends them, so that an argument may
 * itself look like an option. `alone` runs the program by itself: it starts
 * once every earlier program has ended, and later ones start after it
 * ends (for tests that measure the whole machine). `service=NAME`: the
 * program provides service NAME (one per program, each name provided
 * once); `allow=`: the services it may look up in SYSTEM's directory,
 * each provided by some line of the file (anos/directory.h has the name
 * syntax). The program gets argv[0] = its path, then the arguments.
 */
#ifndef SYSTEM_CONFIG_H
#define SYSTEM_CONFIG_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYSTEM_CONFIG_MAX_PROGRAMS 32
#define SYSTEM_CONFIG_MAX_ARGS     16   /* argv entries per program, argv[0] included */
#define SYSTEM_CONFIG_STRINGS      4096 /* bytes of all paths and arguments, NULs included */
#define SYSTEM_CONFIG_PATH_MAX     63   /* a RAMFS name's longest length (RAMFS_NAME_MAX - 1) */
#define SYSTEM_CONFIG_CPU_LIMIT    1024 /* cpu=N takes N below this */
#define SYSTEM_CONFIG_MAX_ALLOW    8    /* names in one allow= list */

_Static_assert(SYSTEM_CONFIG_MAX_PROGRAMS <= 32, "SystemProgram.allowed is a 32-bit set");

typedef struct SystemProgram {
    const char *path;                             /* = argv[0] */
    const char *argv[SYSTEM_CONFIG_MAX_ARGS + 1]; /* NULL-terminated */
    uint32_t argc;
    uint64_t rights[2]; /* bit nr: may make syscall nr */
    uint64_t cpu;       /* ANOS_CPU_ANY unless cpu=N */
    bool give_ramfs;    /* handle=ramfs: gets the RAMFS range, tag ANOS_START_RAMFS */
    bool alone;         /* alone: starts after every earlier program ended, runs by itself */
    uint32_t line;      /* in the file, from 1 */
    /* service=: the service it provides, or NULL. SYSTEM gives it that
     * channel's receive handle, tag ANOS_START_SERVICE. */
    const char *service;
    /* allow=: the services it may look up, as written, and resolved to
     * their providers once the whole file is read: bit i of allowed means
     * program i's service. */
    const char *allow[SYSTEM_CONFIG_MAX_ALLOW];
    uint32_t allow_count;
    uint32_t allowed;
} SystemProgram;

typedef struct SystemConfig {
    SystemProgram programs[SYSTEM_CONFIG_MAX_PROGRAMS];
    uint32_t count;
    char strings[SYSTEM_CONFIG_STRINGS]; /* every path, argument and name, copied */
    size_t strings_used;
    /* After a failure: the line (from 1) and a static sentence saying why. */
    uint32_t error_line;
    const char *error;
} SystemConfig;

/*
 * Parses len bytes of text (need not be NUL-terminated) into cfg, which it
 * resets first. E_INVAL for NULL arguments; E_CORRUPT for malformed text
 * (an unknown right or option, a missing rights word, a NUL byte, a bad
 * or twice-provided service name, an allowed name nobody provides);
 * E_RANGE when a limit above is exceeded. On failure cfg->error_line and
 * cfg->error say where and why; the programs are not to be used.
 */
Error system_config_parse(SystemConfig *cfg, const char *text, size_t len);

/* The index of the program providing service name[0..len), or -1. */
int system_config_provider(const SystemConfig *cfg, const char *name, size_t len);

/*
 * Parses a <rights> word of len bytes into rights (which it zeroes first).
 * E_CORRUPT for an unknown name or an empty list item.
 */
Error system_rights_parse(const char *word, size_t len, uint64_t rights[2]);

/* The syscall number of a rights name of len bytes, or -1. */
int system_rights_lookup(const char *name, size_t len);

/* The rights name of syscall nr, or NULL for a number with no syscall. */
const char *system_rights_name(unsigned nr);

#endif
