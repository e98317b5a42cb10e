/*
 * test_directory: SYSTEM's service directory, from a client's side.
 * SYSTEM starts this program with allow=echo next to two dir_echo
 * services, `echo` and `secret`. It looks `echo` up and calls through the
 * handle it gets (send right only), is refused `secret` (E_PERM) and an
 * unknown name (E_NOENT), sends SYSTEM malformed requests (E_INVAL, and
 * SYSTEM goes on serving), looks up from several threads at once, and
 * checks anos_serve's answer to a reply the kernel refuses.
 */
#include <anos/directory.h>
#include <libanos.h>
#include <string.h>

#include "tap.h"

#define PROG "test_directory"

static AnosIpcArea area;

/* One call to the echo service with a payload derived from seed. */
static bool echo_ok(Handle h, uint64_t seed)
{
    AnosIpcMsg m = {.tag = seed * 2, .words = {seed, seed + 1, seed + 2, seed + 3}};
    int64_t r = anos_call(h, &m);
    return r == 0 && m.tag == seed * 2 + 1 && m.words[0] == seed + 3 && m.words[3] == seed;
}

/* A request written by hand, past libanos's own checks: SYSTEM's answer
 * as an Error, or 1 if it (wrongly) sent a handle, which is closed. */
static int64_t raw_request(uint64_t tag, const uint64_t words[4])
{
    AnosIpcMsg m = {.tag = tag};
    memcpy(m.words, words, sizeof(m.words));
    int64_t r = anos_call(anos_start_handle(ANOS_START_SYSTEM), &m);
    if (r < 0) {
        return r;
    }
    if ((m.tag & ANOS_IPC_TAG_HANDLES) != 0) {
        for (uint32_t i = 0; i < area.recv_handle_count && i < ANOS_IPC_MAX_HANDLES; i++) {
            anos_handle_close(area.recv_handles[i].handle);
        }
        return 1;
    }
    return anos_dir_tag_error(m.tag);
}

static void test_lookup_echo(void)
{
    int64_t h = anos_service_lookup("echo", &area);
    Rights rights = h > 0 ? area.recv_handles[0].rights : 0;
    tap_check(h > 0 && rights == RIGHT_SEND, "lookup_echo_gives_send_only",
              "handle %lld, rights %x", (long long)h, rights);
    bool ok = h > 0;
    uint64_t i = 0;
    for (; ok && i < 100; i++) {
        ok = echo_ok((Handle)h, i);
    }
    tap_check(ok, "echo_calls_through_it", "failed at call %llu", (unsigned long long)i);
    AnosIpcMsg m;
    tap_eq(anos_recv((Handle)h, &m), E_PERM, "looked_up_handle_cannot_receive");
    tap_eq(anos_channel_destroy((Handle)h), E_PERM, "looked_up_handle_cannot_destroy");
    tap_eq(anos_handle_dup((Handle)h, RIGHT_SEND), E_PERM, "looked_up_handle_cannot_dup");
    anos_handle_close((Handle)h);
}

static void test_refusals(void)
{
    tap_eq(anos_service_lookup("secret", &area), E_PERM, "provided_but_not_allowed_is_eperm");
    tap_eq(anos_service_lookup("nosuch", &area), E_NOENT, "unknown_name_is_enoent");

    static const char *const bad[] = {"", "Echo", "ec ho", "echo/",
                                      "0123456789abcdef0123456789abcdef"};
    bool ok = true;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ok = ok && anos_service_lookup(bad[i], &area) == E_INVAL;
    }
    ok = ok && anos_service_lookup(NULL, &area) == E_INVAL &&
         anos_service_lookup("echo", NULL) == E_INVAL;
    TAP_OK(ok, "bad_names_refused_by_libanos");
}

/* What SYSTEM makes of requests libanos would never send. */
static void test_malformed_requests(void)
{
    uint64_t echo[4];
    anos_dir_name_pack("echo", 4, echo);
    tap_eq(raw_request(ANOS_DIR_LOOKUP + 1, echo), E_INVAL, "system_refuses_other_tags");

    uint64_t empty[4] = {0};
    uint64_t upper[4] = {0x4F484345};     /* "ECHO" */
    uint64_t gap[4] = {0x6F686365, 0x61}; /* "echo", NULs, then "a" */
    uint64_t full[4];
    memset(full, 'a', sizeof(full)); /* 32 bytes, no NUL */
    int64_t got[4] = {raw_request(ANOS_DIR_LOOKUP, empty), raw_request(ANOS_DIR_LOOKUP, upper),
                      raw_request(ANOS_DIR_LOOKUP, gap), raw_request(ANOS_DIR_LOOKUP, full)};
    tap_check(got[0] == E_INVAL && got[1] == E_INVAL && got[2] == E_INVAL && got[3] == E_INVAL,
              "system_refuses_bad_names", "empty %lld, upper case %lld, gap %lld, no NUL %lld",
              (long long)got[0], (long long)got[1], (long long)got[2], (long long)got[3]);

    /* A request carrying a handle: refused, and SYSTEM closes its copy. */
    int64_t ch = anos_channel_create();
    area.send_handle_count = 1;
    area.send_handles[0] = (AnosIpcHandle){.handle = (Handle)ch, .rights = RIGHT_SEND};
    int64_t r = ch > 0 ? raw_request(ANOS_DIR_LOOKUP | ANOS_IPC_TAG_HANDLES, echo) : ch;
    tap_eq(r, E_INVAL, "system_refuses_handles_in_requests");
    anos_channel_destroy((Handle)ch);
    anos_handle_close((Handle)ch);

    int64_t h = anos_service_lookup("echo", &area);
    tap_check(h > 0 && echo_ok((Handle)h, 7), "system_serves_on_after_bad_requests", "lookup %lld",
              (long long)h);
    anos_handle_close((Handle)h);
}

/* The kernel drops a handle sent to a thread without an IPC area, so
 * a lookup from such a thread cannot succeed: libanos says E_INVAL. */
static void test_unregistered_area(void)
{
    anos_ipc_area(NULL);
    int64_t r = anos_service_lookup("echo", &area);
    anos_ipc_area(&area);
    tap_eq(r, E_INVAL, "lookup_needs_registered_area");
}

/* Several threads look up and call at once; SYSTEM serves this program's
 * lookups one at a time, in order. */
#define LOOKERS       4
#define LOOKER_ROUNDS 25
static volatile uint32_t lookups_good, lookers_done;
static _Alignas(16) uint8_t looker_stacks[LOOKERS][8192];
static AnosIpcArea looker_areas[LOOKERS];

static void looker(void *arg)
{
    uint64_t id = (uint64_t)(uintptr_t)arg;
    uint32_t good = 0;
    if (anos_ipc_area(&looker_areas[id]) == 0) {
        for (uint64_t i = 0; i < LOOKER_ROUNDS; i++) {
            int64_t h = anos_service_lookup("echo", &looker_areas[id]);
            good += h > 0 && echo_ok((Handle)h, (id << 16) + i);
            anos_handle_close((Handle)h);
        }
    }
    __atomic_fetch_add(&lookups_good, good, __ATOMIC_RELAXED);
    __atomic_fetch_add(&lookers_done, 1, __ATOMIC_RELEASE);
}

static void test_concurrent_lookups(void)
{
    for (uint64_t i = 0; i < LOOKERS; i++) {
        if (anos_thread_start(looker, (void *)(uintptr_t)i, looker_stacks[i],
                              sizeof(looker_stacks[i])) < 0) {
            __atomic_fetch_add(&lookers_done, 1, __ATOMIC_RELEASE);
        }
    }
    while (__atomic_load_n(&lookers_done, __ATOMIC_ACQUIRE) < LOOKERS) {
        anos_sleep_ns(1000000);
    }
    tap_eq(lookups_good, LOOKERS * LOOKER_ROUNDS, "lookups_from_4_threads");
}

/* anos_serve on a channel of this process: a handler whose reply names a
 * handle that does not exist. The kernel refuses that reply; anos_serve
 * must answer the caller with the error instead, serve the next call, and
 * return 0 when the channel is destroyed. */
static AnosIpcArea server_area;
static volatile int64_t serve_result = 1;
static volatile uint32_t serve_done;
static _Alignas(16) uint8_t server_stack[8192];

static void refusing(void *ctx, const AnosIpcMsg *request, AnosIpcMsg *reply)
{
    if (request->tag == 1) {
        server_area.send_handle_count = 1;
        server_area.send_handles[0] = (AnosIpcHandle){.handle = HANDLE_NONE, .rights = RIGHT_SEND};
        reply->tag = ANOS_IPC_TAG_HANDLES;
    } else {
        reply->tag = request->tag + 1;
    }
}

static void server(void *arg)
{
    serve_result = anos_serve((Handle)(uintptr_t)arg, &server_area, refusing, NULL);
    __atomic_store_n(&serve_done, 1, __ATOMIC_RELEASE);
}

static void test_serve_helper(void)
{
    int64_t ch = anos_channel_create();
    bool started = ch > 0 && anos_thread_start(server, (void *)(uintptr_t)ch, server_stack,
                                               sizeof(server_stack)) > 0;
    AnosIpcMsg m = {.tag = 1};
    int64_t r = started ? anos_call((Handle)ch, &m) : -1;
    tap_check(r == 0 && anos_dir_tag_error(m.tag) < 0 && anos_dir_tag_error(m.tag) != E_CORRUPT,
              "serve_answers_a_refused_reply", "call %lld, tag %llx", (long long)r,
              (unsigned long long)m.tag);
    m = (AnosIpcMsg){.tag = 41};
    r = started ? anos_call((Handle)ch, &m) : -1;
    tap_check(r == 0 && m.tag == 42, "serve_goes_on_after_it", "call %lld, tag %llu", (long long)r,
              (unsigned long long)m.tag);
    anos_channel_destroy((Handle)ch);
    for (int i = 0; started && i < 1000 && !__atomic_load_n(&serve_done, __ATOMIC_ACQUIRE); i++) {
        anos_sleep_ns(1000000);
    }
    tap_eq(serve_result, 0, "serve_returns_0_when_destroyed");
    anos_handle_close((Handle)ch);
}

int main(void)
{
    tap_plan(PROG, 19);
    Handle dir = anos_start_handle(ANOS_START_SYSTEM);
    AnosIpcMsg m;
    tap_check(dir != HANDLE_NONE && anos_recv(dir, &m) == E_PERM, "directory_handle_send_only",
              "directory handle %llx", (unsigned long long)dir);
    tap_eq(anos_ipc_area(&area), 0, "ipc_area");
    test_lookup_echo();
    test_refusals();
    test_malformed_requests();
    test_unregistered_area();
    test_concurrent_lookups();
    test_serve_helper();
    return tap_done();
}
