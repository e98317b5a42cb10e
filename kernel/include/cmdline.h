/*
 * The kernel command line (BootInfo.cmdline): space-separated words, some of
 * the form key=value. Mechanism only: the kernel reads test and debug
 * switches here, never policy.
 */
#ifndef ANOS_KERNEL_CMDLINE_H
#define ANOS_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Keeps a private copy of line (truncated to the BootInfo limit). */
void cmdline_init(const char *line);

/* The whole line as given (never NULL). */
const char *cmdline_get(void);

/* True when the exact word appears (e.g. "selftest"). */
bool cmdline_has(const char *word);

/* Copies the value of key=value into buf (NUL-terminated, truncated to n).
 * Returns false when the key is absent. */
bool cmdline_value(const char *key, char *buf, size_t n);

#endif
