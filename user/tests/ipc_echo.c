/*
 * ipc_echo: test_ipc's server. Serves the channel it was given (start tag
 * ANOS_START_USER) until the channel is destroyed: each reply carries tag +
 * 1 and the words in reverse order. Tag 0xDEAD makes it exit without
 * replying (a server that dies mid-call). Tag ECHO_USE_HANDLE brings a
 * channel handle: the server calls through it, tries to receive on it
 * (its rights should forbid that), reports both, and moves the handle back
 * in the reply. Tag ECHO_BUFFER brings a lent buffer: the server sums
 * its bytes, inverts them in place, tries to unmap the window (refused),
 * and reports. ECHO_PROBE asks whether the address in words[0] is still
 * mapped here (SYS_UNMAP's answer). ECHO_SLOW sleeps 20 ms before
 * replying. ECHO_CLOSE closes the handles it brings and replies how many
 * it closed. Exits 0 when the channel goes.
 */
#include <libanos.h>

#define ECHO_DIE        0xDEADull
#define ECHO_USE_HANDLE 0x48414E44ull
#define ECHO_BUFFER     0x42554646ull
#define ECHO_PROBE      0x50524F42ull
#define ECHO_SLOW       0x534C4F57ull
#define ECHO_CLOSE      0x434C4F53ull

static AnosIpcArea area;

/* The reply to ECHO_USE_HANDLE: words = {handles received, the call's
 * result, its reply's tag, the receive's result}. */
static AnosIpcMsg use_handle(const AnosIpcMsg *msg)
{
    bool has = (msg->tag & ANOS_IPC_TAG_HANDLES) != 0;
    Handle h = has ? area.recv_handles[0].handle : HANDLE_NONE;
    AnosIpcMsg inner = {.tag = 77};
    int64_t called = anos_call(h, &inner);
    AnosIpcMsg unused;
    int64_t received = anos_recv(h, &unused);
    AnosIpcMsg reply = {.tag = ECHO_USE_HANDLE + 1,
                        .words = {has ? area.recv_handle_count : 0, (uint64_t)called, inner.tag,
                                  (uint64_t)received}};
    if (has) {
        area.send_handle_count = 1;
        area.send_handles[0] =
            (AnosIpcHandle){.handle = h, .rights = RIGHT_SEND, .flags = ANOS_IPC_HANDLE_MOVE};
        reply.tag |= ANOS_IPC_TAG_HANDLES;
    }
    return reply;
}

/* The reply to ECHO_BUFFER: words = {length, sum of the bytes, window
 * address, SYS_UNMAP's answer on the window}. */
static AnosIpcMsg use_buffer(const AnosIpcMsg *msg)
{
    AnosIpcMsg reply = {.tag = ECHO_BUFFER + 1};
    if ((msg->tag & ANOS_IPC_TAG_BUFFER) == 0) {
        return reply;
    }
    uint8_t *p = (uint8_t *)(uintptr_t)area.recv_buffer;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < area.recv_length; i++) {
        sum += p[i];
        p[i] = (uint8_t)~p[i];
    }
    reply.words[0] = area.recv_length;
    reply.words[1] = sum;
    reply.words[2] = area.recv_buffer;
    reply.words[3] = (uint64_t)anos_unmap(area.recv_buffer, 4096);
    return reply;
}

int main(void)
{
    Handle ch = anos_start_handle(ANOS_START_USER);
    anos_ipc_area(&area);
    AnosIpcMsg msg;
    int64_t r = anos_recv(ch, &msg);
    while (r == 0) {
        AnosIpcMsg reply;
        if (msg.tag == ECHO_DIE) {
            return 3;
        } else if ((msg.tag & ~ANOS_IPC_TAG_KERNEL) == ECHO_USE_HANDLE) {
            reply = use_handle(&msg);
        } else if ((msg.tag & ~ANOS_IPC_TAG_KERNEL) == ECHO_BUFFER) {
            reply = use_buffer(&msg);
        } else if ((msg.tag & ~ANOS_IPC_TAG_KERNEL) == ECHO_CLOSE) {
            uint64_t closed = 0;
            for (uint32_t i = 0;
                 (msg.tag & ANOS_IPC_TAG_HANDLES) != 0 && i < area.recv_handle_count; i++) {
                closed += anos_handle_close(area.recv_handles[i].handle) == 0;
            }
            reply = (AnosIpcMsg){.tag = ECHO_CLOSE + 1, .words = {closed}};
        } else if (msg.tag == ECHO_PROBE) {
            reply = (AnosIpcMsg){.tag = ECHO_PROBE + 1,
                                 .words = {(uint64_t)anos_unmap(msg.words[0], 4096)}};
        } else if ((msg.tag & ~ANOS_IPC_TAG_KERNEL) == ECHO_SLOW) {
            anos_sleep_ns(20000000);
            reply = (AnosIpcMsg){.tag = ECHO_SLOW + 1};
        } else {
            /* A lent buffer (ipc_rtt_4k) is left alone: the reply returns it. */
            reply = (AnosIpcMsg){.tag = (msg.tag & ~ANOS_IPC_TAG_KERNEL) + 1,
                                 .words = {msg.words[3], msg.words[2], msg.words[1], msg.words[0]}};
        }
        msg = reply;
        r = anos_reply_recv(ch, &msg);
    }
    return r == E_NOENT ? 0 : 1;
}
