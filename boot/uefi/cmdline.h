/*
 * Turning the contents of \EFI\anos\cmdline.txt into BootInfo.cmdline.
 * Pure C, tested on the host.
 */
#ifndef BOOT_UEFI_CMDLINE_H
#define BOOT_UEFI_CMDLINE_H

#include <anos/errors.h>
#include <stdint.h>

/* Copy the first line of text (a UTF-8 BOM and surrounding blanks removed)
 * into out as a NUL-terminated string. out_size must be >= 1.
 * Returns E_RANGE if the line did not fit (out then holds the truncated
 * line), E_INVAL for a NUL byte inside the line or a bad argument. */
Error cmdline_extract(const char *text, uint64_t len, char *out, uint64_t out_size);

#endif
