/*
 * SYSTEM's service directory at run time (docs/IPC.md, "Service
 * directory"): a channel per service, and per program a directory channel
 * served by a thread of SYSTEM's own, which answers lookups with copies
 * of service channels as system_lookup.c decides. The main thread calls
 * these functions; the serving threads only read what they set up.
 */
#ifndef SYSTEM_DIRECTORY_H
#define SYSTEM_DIRECTORY_H

#include <anos/errors.h>
#include <anos/handle.h>
#include <stdint.h>

#include "system_config.h"

/* Creates the channel of every service cfg names, before any program
 * starts, so that a lookup never races its provider's start (calls wait
 * in the channel until the provider receives). cfg must outlive every
 * directory thread. */
Error system_directory_init(const SystemConfig *cfg);

/* SYSTEM's handle (all rights) to the channel of the service program i
 * provides, or HANDLE_NONE. */
Handle system_directory_service(uint32_t i);

/* Destroys the channel of the service program i provides: its provider's
 * receive fails with E_NOENT (it should then exit), calls on it fail. The
 * handle stays open: a lookup answered meanwhile hands out a dead channel,
 * never a stale handle. */
void system_directory_end_service(uint32_t i);

/* Creates program i's directory channel and starts the thread serving it;
 * *dir is SYSTEM's handle, to be given to the program with RIGHT_SEND. */
Error system_directory_open(uint32_t i, Handle *dir);

/* Destroys program i's directory channel (once the program has ended);
 * its thread ends. */
void system_directory_close(uint32_t i);

#endif
