/*
 * ipc_caller: test_ipc's client that gets killed mid-call. Calls the
 * channel it was given (start tag ANOS_START_USER) with ECHO_SLOW (the
 * server sleeps before replying) and a lent buffer, forever; test_ipc
 * kills it while the server holds one of its calls.
 */
#include <libanos.h>

#define ECHO_SLOW 0x534C4F57ull

static _Alignas(4096) uint8_t buffer[4096];
static AnosIpcArea area;

int main(void)
{
    Handle ch = anos_start_handle(ANOS_START_USER);
    if (anos_ipc_area(&area) != 0) {
        return 1;
    }
    area.send_buffer = (uintptr_t)buffer;
    area.send_length = sizeof(buffer);
    for (;;) {
        buffer[0]++;
        AnosIpcMsg m = {.tag = ECHO_SLOW | ANOS_IPC_TAG_BUFFER};
        if (anos_call(ch, &m) != 0) {
            return 2;
        }
    }
}
