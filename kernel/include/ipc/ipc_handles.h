/*
 * Handles carried by IPC messages: taken out of the sender's table when it
 * sends (all of them or, on any error, none), owned by the message in
 * flight, and installed in the receiver's table when it receives. Pure
 * over handle tables, so host-tested (tests/host/ipc/test_ipc_handles.c).
 */
#ifndef ANOS_KERNEL_IPC_IPC_HANDLES_H
#define ANOS_KERNEL_IPC_IPC_HANDLES_H

#include <anos/syscall.h>
#include <cap/handle_table.h>
#include <ipc/ipc_types.h>

/*
 * Takes list[0..count) out of src into out (which must be empty): each
 * entry needs RIGHT_TRANSFER, a copy (no ANOS_IPC_HANDLE_MOVE) also
 * RIGHT_DUPLICATE, and its rights must be a subset of the handle's. Moved
 * handles are closed in src once every entry has passed. Errors, with src
 * and out unchanged: E_INVAL count outside 1..IPC_MAX_HANDLES, an unknown
 * flag, or a handle named twice where either is a move; E_NOENT a handle
 * that is not live; E_PERM a missing right or rights not a subset.
 */
Error ipc_handles_take(HandleTable *src, const AnosIpcHandle *list, uint32_t count, IpcExtras *out);

/*
 * Installs the handles of in into dst, consuming them: got[i] receives the
 * new handle and its rights, or HANDLE_NONE and no rights when dst is full
 * (that object's reference is dropped). Returns the count installed.
 */
uint32_t ipc_handles_install(HandleTable *dst, IpcExtras *in, AnosIpcHandle *got);

/* Releases handles a message still owns (never delivered). */
void ipc_handles_drop(IpcExtras *x);

#endif
