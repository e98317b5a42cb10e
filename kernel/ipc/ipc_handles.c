/*
 * IPC handle transfer (ipc/ipc_handles.h).
 */
#include <ipc/ipc_handles.h>

/* Is list[i]'s handle also named by an earlier entry, with either a move?
 * (Moving a handle twice, or moving and copying it, would let one handle
 * turn into two.) */
static bool named_twice(const AnosIpcHandle *list, uint32_t i)
{
    for (uint32_t j = 0; j < i; j++) {
        if (list[j].handle == list[i].handle &&
            ((list[j].flags | list[i].flags) & ANOS_IPC_HANDLE_MOVE) != 0) {
            return true;
        }
    }
    return false;
}

Error ipc_handles_take(HandleTable *src, const AnosIpcHandle *list, uint32_t count, IpcExtras *out)
{
    if (count == 0 || count > IPC_MAX_HANDLES) {
        return E_INVAL;
    }
    for (uint32_t i = 0; i < count; i++) {
        if ((list[i].flags & ~ANOS_IPC_HANDLE_MOVE) != 0 || named_twice(list, i)) {
            return E_INVAL;
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        bool move = (list[i].flags & ANOS_IPC_HANDLE_MOVE) != 0;
        Error err = handle_take(src, list[i].handle, list[i].rights, move, &out->handles[i]);
        if (err != E_OK) {
            out->handle_count = i;
            ipc_handles_drop(out);
            return err;
        }
    }
    out->handle_count = count;
    for (uint32_t i = 0; i < count; i++) {
        if ((list[i].flags & ANOS_IPC_HANDLE_MOVE) != 0) {
            /* Closed meanwhile by another thread: the move still stands,
             * as a move followed by that close. */
            (void)handle_close(src, list[i].handle);
        }
    }
    return E_OK;
}

uint32_t ipc_handles_install(HandleTable *dst, IpcExtras *in, AnosIpcHandle *got)
{
    uint32_t installed = 0;
    for (uint32_t i = 0; i < in->handle_count; i++) {
        HandleInFlight *h = &in->handles[i];
        got[i] = (AnosIpcHandle){.handle = HANDLE_NONE};
        if (handle_transfer_in(dst, h, &got[i].handle) == E_OK) {
            got[i].rights = h->rights;
            installed++;
        } else {
            handle_in_flight_drop(h);
        }
    }
    in->handle_count = 0;
    return installed;
}

void ipc_handles_drop(IpcExtras *x)
{
    for (uint32_t i = 0; i < x->handle_count; i++) {
        handle_in_flight_drop(&x->handles[i]);
    }
    x->handle_count = 0;
}
