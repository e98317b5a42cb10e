/*
 * test_ipc: calls between processes over a channel. A server (ipc_echo)
 * gets a receive-only copy of the channel handle at creation; this program
 * calls it many times checking every payload (also from eight threads at
 * once, spread over the CPUs), checks the refusals (reply
 * without a call, a handle without the right, a forged handle), kills the
 * server mid-call (the caller gets an error, not a hang), and destroys the
 * channel under a waiting server (it wakes with E_NOENT and exits 0).
 */
#include <libanos.h>
#include <libanos_ramfs.h>

#include "tap.h"

#define PROG            "test_ipc"
#define ROUNDS          1000
#define ECHO_DIE        0xDEADull
#define ECHO_USE_HANDLE 0x48414E44ull
#define ECHO_BUFFER     0x42554646ull
#define ECHO_PROBE      0x50524F42ull
#define ECHO_SLOW       0x534C4F57ull

static int64_t start_server_on(const Ramfs *fs, Handle ch, uint64_t cpu)
{
    AnosGiveHandle give = {.handle = ch, .rights = RIGHT_RECEIVE, .tag = ANOS_START_USER};
    AnosProcessSpec spec = {.handles = &give, .handle_count = 1, .cpu = cpu};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    anos_rights_add(spec.syscall_rights, SYS_RECV);
    anos_rights_add(spec.syscall_rights, SYS_REPLY_RECV);
    anos_rights_add(spec.syscall_rights, SYS_CALL);
    anos_rights_add(spec.syscall_rights, SYS_IPC_AREA);
    anos_rights_add(spec.syscall_rights, SYS_UNMAP);
    anos_rights_add(spec.syscall_rights, SYS_SLEEP);
    anos_rights_add(spec.syscall_rights, SYS_HANDLE_CLOSE);
    return anos_spawn_ramfs(fs, "bin/ipc_echo", &spec);
}

static int64_t start_server(const Ramfs *fs, Handle ch)
{
    return start_server_on(fs, ch, ANOS_CPU_ANY);
}

/* A client (bin/ipc_pinger) pinned to CPU 0 calling ch, which a server
 * on CPU 0 serves; with `forever` it calls until a call fails. */
static int64_t start_pinger(const Ramfs *fs, Handle ch, bool forever)
{
    AnosGiveHandle give = {.handle = ch, .rights = RIGHT_SEND, .tag = ANOS_START_USER};
    static const char *const forever_argv[] = {"bin/ipc_pinger", "forever"};
    AnosProcessSpec spec = {.handles = &give,
                            .handle_count = 1,
                            .cpu = 0,
                            .argv = forever ? forever_argv : NULL,
                            .argc = forever ? 2 : 0};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    anos_rights_add(spec.syscall_rights, SYS_CALL);
    return anos_spawn_ramfs(fs, "bin/ipc_pinger", &spec);
}

/* The same-CPU fast path: a server and a client pinned to CPU 0, so every
 * call and reply hands the CPU straight over; the client checks 1,000
 * round trips and exits 0 only if all were right. Then kills in the
 * middle of that traffic: a client killed leaves the server serving, a
 * server killed fails the client's call instead of hanging it. */
static void test_same_cpu_round_trips(const Ramfs *fs)
{
    int64_t ch = anos_channel_create();
    int64_t server = ch > 0 ? start_server_on(fs, (Handle)ch, 0) : ch;
    int64_t client = server > 0 ? start_pinger(fs, (Handle)ch, false) : server;
    int64_t status = client > 0 ? anos_process_wait((Handle)client) : client;
    tap_check(status == 0, "same_cpu_1000_round_trips", "client status %lld (server %lld)",
              (long long)status, (long long)server);

    client = server > 0 ? start_pinger(fs, (Handle)ch, true) : server;
    anos_sleep_ns(20000000);
    int64_t killed = client > 0 ? anos_process_kill((Handle)client) : client;
    status = killed == 0 ? anos_process_wait((Handle)client) : killed;
    AnosIpcMsg m = {.tag = 10};
    int64_t r = anos_call((Handle)ch, &m);
    tap_check(status == ANOS_EXIT_KILLED && r == 0 && m.tag == 11,
              "same_cpu_client_killed_server_serves", "client %lld, call %lld, tag %llu",
              (long long)status, (long long)r, (unsigned long long)m.tag);

    client = server > 0 ? start_pinger(fs, (Handle)ch, true) : server;
    anos_sleep_ns(20000000);
    killed = server > 0 ? anos_process_kill((Handle)server) : server;
    int64_t server_status = killed == 0 ? anos_process_wait((Handle)server) : killed;
    /* A client slow to start may call only now, with no server left: the
     * channel's end fails that call too. */
    anos_channel_destroy((Handle)ch);
    status = client > 0 ? anos_process_wait((Handle)client) : client;
    tap_check(server_status == ANOS_EXIT_KILLED && status == 200,
              "same_cpu_server_killed_client_fails", "server %lld, client %lld",
              (long long)server_status, (long long)status);
    anos_handle_close((Handle)ch);
}

/* A 4 KiB buffer lent to the echo server, which reads it and inverts it
 * in place: the caller sees the change (zero copy, both ways), the window
 * is gone from the server after the reply, and bad buffers are refused. */
static void test_lent_buffer(Handle ch)
{
    static AnosIpcArea area;
    int64_t page = anos_map_anon(0, 4096, ANOS_PROT_READ | ANOS_PROT_WRITE);
    bool ok = page > 0 && anos_ipc_area(&area) == 0;
    uint8_t *buf = (uint8_t *)(uintptr_t)page;
    uint64_t sum = 0;
    for (int i = 0; ok && i < 4096; i++) {
        buf[i] = (uint8_t)(i * 7);
        sum += buf[i];
    }
    area.send_buffer = (uintptr_t)page;
    area.send_length = 4096;
    AnosIpcMsg m = {.tag = ECHO_BUFFER | ANOS_IPC_TAG_BUFFER};
    int64_t r = ok ? anos_call(ch, &m) : -1;
    bool inverted = r == 0;
    for (int i = 0; inverted && i < 4096; i++) {
        inverted = buf[i] == (uint8_t)~(i * 7);
    }
    tap_check(r == 0 && m.words[0] == 4096 && m.words[1] == sum && inverted,
              "buffer_4k_round_trip_modified", "call %lld, length %llu, sum %llu (want %llu)",
              (long long)r, (unsigned long long)m.words[0], (unsigned long long)m.words[1],
              (unsigned long long)sum);
    tap_eq((int64_t)m.words[3], E_BUSY, "server_cannot_unmap_window");
    AnosIpcMsg probe = {.tag = ECHO_PROBE, .words = {m.words[2]}};
    r = anos_call(ch, &probe);
    tap_check(r == 0 && (int64_t)probe.words[0] == E_NOENT, "window_gone_after_reply",
              "call %lld, unmap %lld", (long long)r, (long long)probe.words[0]);

    /* Refusals: the call does nothing. */
    const AnosIpcMsg lend = {.tag = ECHO_BUFFER | ANOS_IPC_TAG_BUFFER};
    area.send_buffer = (uintptr_t)page + 8;
    m = lend;
    int64_t unaligned = anos_call(ch, &m);
    area.send_buffer = (uintptr_t)page;
    area.send_length = 4097;
    m = lend;
    int64_t too_long = anos_call(ch, &m);
    area.send_length = 0;
    m = lend;
    int64_t empty = anos_call(ch, &m);
    area.send_length = 16;
    area.send_buffer = 0x7FFF00000000ull; /* nothing mapped there */
    m = lend;
    int64_t not_ours = anos_call(ch, &m);
    area.send_buffer = (uintptr_t)test_lent_buffer & ~4095ull; /* our code: read-only */
    m = lend;
    int64_t read_only = anos_call(ch, &m);
    tap_check(unaligned == E_ALIGN && too_long == E_INVAL && empty == E_INVAL &&
                  not_ours == E_FAULT && read_only == E_FAULT,
              "bad_buffers_refused", "unaligned %lld, 4097 %lld, 0 %lld, unmapped %lld, text %lld",
              (long long)unaligned, (long long)too_long, (long long)empty, (long long)not_ours,
              (long long)read_only);
    /* The buffer is ours again: it can be unmapped. */
    tap_eq(anos_unmap((uintptr_t)page, 4096), 0, "buffer_released_after_call");
}

/* A client killed while the server holds its call (and its lent buffer):
 * the server's reply finds nobody, and the server carries on. */
static void test_client_killed_mid_call(const Ramfs *fs, Handle ch)
{
    AnosGiveHandle give = {.handle = ch, .rights = RIGHT_SEND, .tag = ANOS_START_USER};
    AnosProcessSpec spec = {.handles = &give, .handle_count = 1, .cpu = ANOS_CPU_ANY};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    anos_rights_add(spec.syscall_rights, SYS_CALL);
    anos_rights_add(spec.syscall_rights, SYS_IPC_AREA);
    int64_t client = anos_spawn_ramfs(fs, "bin/ipc_caller", &spec);
    anos_sleep_ns(30000000); /* a few of its 20 ms calls */
    int64_t killed = client > 0 ? anos_process_kill((Handle)client) : client;
    int64_t status = killed == 0 ? anos_process_wait((Handle)client) : killed;
    AnosIpcMsg m = {.tag = 900};
    int64_t r = anos_call(ch, &m);
    tap_check(status == ANOS_EXIT_KILLED && r == 0 && m.tag == 901,
              "client_killed_server_continues", "client status %lld, call %lld, tag %llu",
              (long long)status, (long long)r, (unsigned long long)m.tag);
}

/* Eight client threads (spread over the CPUs) call one server. */
#define CLIENTS       8
#define CLIENT_ROUNDS 200
static volatile int64_t client_channel;
static volatile uint32_t good_replies, clients_done;
static _Alignas(16) uint8_t client_stacks[CLIENTS][16384];

static void client(void *arg)
{
    uint64_t id = (uint64_t)(uintptr_t)arg;
    uint32_t good = 0;
    for (uint64_t i = 0; i < CLIENT_ROUNDS; i++) {
        uint64_t tag = (id << 32) | (i << 1);
        AnosIpcMsg m = {.tag = tag, .words = {id, i, ~id, ~i}};
        if (anos_call((Handle)client_channel, &m) == 0 && m.tag == tag + 1 && m.words[0] == ~i &&
            m.words[3] == id) {
            good++;
        }
    }
    __atomic_fetch_add(&good_replies, good, __ATOMIC_RELAXED);
    __atomic_fetch_add(&clients_done, 1, __ATOMIC_RELEASE);
}

/* A server thread of this process on a second channel: replies tag +
 * 1000 until the channel is destroyed. */
static _Alignas(16) uint8_t side_stack[16384];

static void side_server(void *arg)
{
    Handle ch = (Handle)(uintptr_t)arg;
    AnosIpcMsg m;
    int64_t r = anos_recv(ch, &m);
    while (r == 0) {
        m.tag += 1000;
        r = anos_reply_recv(ch, &m);
    }
}

/* Handle passing: the echo server gets a copy of a second channel's
 * handle with only the send and transfer rights, calls through it (this
 * process serves it), is refused a receive on it, and moves it back in its
 * reply with the send right alone, where it works again. */
static void test_handle_passing(Handle ch)
{
    static AnosIpcArea area;
    int64_t side = anos_channel_create();
    bool ok =
        side > 0 && anos_ipc_area(&area) == 0 &&
        anos_thread_start(side_server, (void *)(uintptr_t)side, side_stack, sizeof(side_stack)) > 0;
    area.send_handle_count = 1;
    area.send_handles[0] =
        (AnosIpcHandle){.handle = (Handle)side, .rights = RIGHT_SEND | RIGHT_TRANSFER};
    AnosIpcMsg m = {.tag = ECHO_USE_HANDLE | ANOS_IPC_TAG_HANDLES};
    int64_t r = ok ? anos_call(ch, &m) : -1;
    tap_check(r == 0 && m.words[0] == 1 && m.words[1] == 0 && m.words[2] == 1077,
              "handle_passed_and_used", "call %lld, handles %llu, inner call %lld, tag %llu",
              (long long)r, (unsigned long long)m.words[0], (long long)m.words[1],
              (unsigned long long)m.words[2]);
    tap_eq((int64_t)m.words[3], E_PERM, "passed_handle_keeps_reduced_rights");
    bool back = (m.tag & ANOS_IPC_TAG_HANDLES) != 0 && area.recv_handle_count == 1 &&
                area.recv_handles[0].rights == RIGHT_SEND;
    Handle returned = back ? area.recv_handles[0].handle : HANDLE_NONE;
    AnosIpcMsg again = {.tag = 5};
    r = back ? anos_call(returned, &again) : -1;
    tap_check(r == 0 && again.tag == 1005, "handle_moved_back_in_reply",
              "tag %llx, count %u, rights %x, call %lld", (unsigned long long)m.tag,
              area.recv_handle_count, area.recv_handles[0].rights, (long long)r);
    /* A message naming a handle it may not send changes nothing. */
    area.send_handles[0] = (AnosIpcHandle){.handle = returned, .rights = RIGHT_SEND};
    m = (AnosIpcMsg){.tag = ECHO_USE_HANDLE | ANOS_IPC_TAG_HANDLES};
    tap_eq(anos_call(ch, &m), E_PERM, "send_needs_transfer_right");
    anos_channel_destroy((Handle)side);
}

int main(void)
{
    tap_plan(PROG, 25);
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    int64_t ch = anos_channel_create();
    tap_check(err == E_OK && ch > 0, "channel_create", "ramfs %s, channel %lld", error_name(err),
              (long long)ch);

    int64_t server = start_server(&fs, (Handle)ch);
    bool ok = server > 0;
    int64_t r = 0;
    uint64_t round = 0;
    AnosIpcMsg m = {0};
    for (; ok && round < ROUNDS; round++) {
        uint64_t i = round;
        m = (AnosIpcMsg){.tag = i * 2, .words = {i, i + 1, i + 2, i + 3}};
        r = anos_call((Handle)ch, &m);
        ok = r == 0 && m.tag == i * 2 + 1 && m.words[0] == i + 3 && m.words[3] == i;
    }
    tap_check(ok, "ping_pong_1000_rounds", "server %lld, round %llu: result %lld, tag %llu",
              (long long)server, (unsigned long long)round, (long long)r,
              (unsigned long long)m.tag);

    client_channel = ch;
    for (uint64_t c = 0; c < CLIENTS; c++) {
        anos_thread_start(client, (void *)(uintptr_t)c, client_stacks[c], sizeof(client_stacks[c]));
    }
    while (__atomic_load_n(&clients_done, __ATOMIC_ACQUIRE) < CLIENTS) {
        anos_sleep_ns(1000000);
    }
    tap_eq(good_replies, CLIENTS * CLIENT_ROUNDS, "8_clients_every_reply_accounted");

    m = (AnosIpcMsg){0};
    tap_eq(anos_reply((Handle)ch, &m), E_INVAL, "reply_without_call");
    int64_t send_only = anos_handle_dup((Handle)ch, RIGHT_SEND);
    tap_eq(anos_recv((Handle)send_only, &m), E_PERM, "recv_needs_right");
    tap_eq(anos_call((Handle)ch + (1ull << HANDLE_INDEX_BITS), &m), E_NOENT, "stale_handle");
    m = (AnosIpcMsg){.tag = ANOS_IPC_TAG_HANDLES};
    tap_eq(anos_call((Handle)ch, &m), E_INVAL, "extras_without_ipc_area");

    test_same_cpu_round_trips(&fs);
    test_handle_passing((Handle)ch);
    test_lent_buffer((Handle)ch);
    test_client_killed_mid_call(&fs, (Handle)ch);

    /* The server dies holding our call: we get an error, not a hang. */
    m.tag = ECHO_DIE;
    tap_eq(server > 0 ? anos_call((Handle)ch, &m) : -1, E_NOENT, "server_dies_mid_call");
    tap_eq(server > 0 ? anos_process_wait((Handle)server) : -1, 3, "dead_server_status");

    /* A server blocked in its receive is killed: the kill interrupts the
     * wait (without that this wait would never end). */
    server = start_server(&fs, (Handle)ch);
    anos_sleep_ns(5000000); /* let it block in its receive */
    int64_t killed = server > 0 ? anos_process_kill((Handle)server) : server;
    tap_eq(killed == 0 ? anos_process_wait((Handle)server) : killed, ANOS_EXIT_KILLED,
           "kill_interrupts_recv");

    /* A new server waits; destroying the channel wakes it with E_NOENT. */
    server = start_server(&fs, (Handle)ch);
    m.tag = 40;
    ok = server > 0 && anos_call((Handle)ch, &m) == 0 && m.tag == 41;
    anos_sleep_ns(5000000); /* let it block in its next receive */
    tap_eq(ok ? anos_channel_destroy((Handle)ch) : -1, 0, "channel_destroy");
    tap_eq(server > 0 ? anos_process_wait((Handle)server) : -1, 0, "waiting_server_woken");
    return tap_done();
}
