/*
 * anos_service_lookup: asks SYSTEM's service directory for a channel to a
 * named service, over the directory channel SYSTEM gave this program at
 * start (ANOS_START_SYSTEM). The protocol is in anos/directory.h.
 */
#include <anos/directory.h>
#include <libanos.h>
#include <string.h>

/* Closes whatever handles a reply brought that the caller will not get. */
static void service_drop_handles(const AnosIpcArea *area)
{
    uint32_t n = area->recv_handle_count;
    for (uint32_t i = 0; i < n && i < ANOS_IPC_MAX_HANDLES; i++) {
        if (area->recv_handles[i].handle != HANDLE_NONE) {
            anos_handle_close(area->recv_handles[i].handle);
        }
    }
}

int64_t anos_service_lookup(const char *name, AnosIpcArea *area)
{
    AnosIpcMsg m = {.tag = ANOS_DIR_LOOKUP};
    if (name == NULL || area == NULL ||
        !anos_dir_name_pack(name, strnlen(name, ANOS_SERVICE_NAME_MAX + 1), m.words)) {
        return E_INVAL;
    }
    Handle dir = anos_start_handle(ANOS_START_SYSTEM);
    if (dir == HANDLE_NONE) {
        return E_NOENT;
    }
    int64_t r = anos_call(dir, &m);
    if (r < 0) {
        return r;
    }
    uint64_t tag = m.tag & ~ANOS_IPC_TAG_KERNEL;
    if ((m.tag & ANOS_IPC_TAG_HANDLES) == 0) {
        /* A success without its handle: the kernel dropped it, because
         * area is not this thread's registered IPC area. */
        return tag == ANOS_DIR_OK ? E_INVAL : anos_dir_tag_error(tag);
    }
    Handle h = area->recv_handles[0].handle;
    if (tag == ANOS_DIR_OK && area->recv_handle_count == 1 && h != HANDLE_NONE) {
        return (int64_t)h;
    }
    service_drop_handles(area);
    if (tag != ANOS_DIR_OK) {
        return anos_dir_tag_error(tag);
    }
    /* HANDLE_NONE: the handle did not fit in this process's table. */
    return area->recv_handle_count == 1 ? E_NOMEM : E_CORRUPT;
}
