/*
 * SYSTEM's service directory decisions: what a lookup request from one of
 * its programs gets, judged from the configuration alone. Pure (no
 * syscalls), so tests/host/user/test_system_lookup.c checks every answer;
 * system_directory.c carries the answers out. Protocol: anos/directory.h.
 */
#ifndef SYSTEM_LOOKUP_H
#define SYSTEM_LOOKUP_H

#include <anos/syscall.h>

#include "system_config.h"

/*
 * Decides `request` (as received, kernel tag bits included) from program
 * `asker` of cfg. E_OK: the asker gets the channel of the service that
 * program *provider provides. E_INVAL: malformed (a tag other than
 * ANOS_DIR_LOOKUP, a buffer or handles attached, a bad name, an asker
 * out of range); E_NOENT: no program provides the name; E_PERM: the name
 * is not in the asker's allow= list.
 */
Error system_lookup_decide(const SystemConfig *cfg, uint32_t asker, const AnosIpcMsg *request,
                           uint32_t *provider);

#endif
