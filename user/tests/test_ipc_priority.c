/*
 * test_ipc_priority: priority inheritance over IPC. All threads of this
 * process share one CPU (SYSTEM pins it). A low-priority server (level
 * 200) serves a high-priority client (this thread, level 50) while a
 * medium-priority thread (level 100) spins without ever blocking. The
 * server's work spans several time slices; without inheritance the
 * spinner would take the CPU from the server at the first slice end and
 * keep it until its own bound ran out, so the call could return only
 * after the spinner finished. With inheritance the server runs at the
 * client's priority and the call returns while the spinner still spins.
 * No time is measured: the spinner's state when the call returns is the
 * result (its 2 s bound only keeps a broken kernel from hanging the test).
 */
#include <libanos.h>

#include "tap.h"

#define PROG        "test_ipc_priority"
#define CLIENT      50
#define MEDIUM      100
#define SERVER      200
#define WORK_NS     30000000ull   /* the server's work: several 10 ms slices */
#define SPIN_MAX_NS 2000000000ull /* the spinner's bound */

static volatile int64_t channel;
static volatile int server_level_ok, spinner_started, spinner_finished, stop_spinner;
static _Alignas(16) uint8_t server_stack[16384], spinner_stack[16384];

/* Burns CPU (no blocking) for ns of clock time. */
static void busy_for(uint64_t ns)
{
    uint64_t end = (uint64_t)anos_clock_ns() + ns;
    while ((uint64_t)anos_clock_ns() < end) {
    }
}

static void server(void *arg)
{
    (void)arg;
    server_level_ok = anos_thread_priority(SERVER) == 0;
    AnosIpcMsg m;
    int64_t r = anos_recv((Handle)channel, &m);
    while (r == 0) {
        busy_for(WORK_NS);
        m.tag += 1;
        r = anos_reply_recv((Handle)channel, &m);
    }
}

static void spinner(void *arg)
{
    (void)arg;
    anos_thread_priority(MEDIUM);
    spinner_started = 1;
    uint64_t end = (uint64_t)anos_clock_ns() + SPIN_MAX_NS;
    while (!stop_spinner && (uint64_t)anos_clock_ns() < end) {
    }
    spinner_finished = 1;
}

int main(void)
{
    tap_plan(PROG, 4);
    tap_eq(anos_thread_priority(255), E_INVAL, "priority_out_of_range");
    tap_eq(anos_thread_priority(CLIENT), 0, "priority_set");
    channel = anos_channel_create();
    bool ok =
        channel > 0 && anos_thread_start(server, NULL, server_stack, sizeof(server_stack)) > 0;
    /* A first call: when it returns, the server is blocked in its next
     * receive (its reply and that receive are one kernel entry), so the
     * spinner cannot keep it from ever receiving the call that matters. */
    AnosIpcMsg warm = {.tag = 1};
    ok = ok && anos_call((Handle)channel, &warm) == 0 && warm.tag == 2;
    ok = ok && anos_thread_start(spinner, NULL, spinner_stack, sizeof(spinner_stack)) > 0;
    while (ok && !spinner_started) {
        anos_sleep_ns(1000000);
    }
    /* The spinner is ready and more urgent than the server: only the
     * inherited priority keeps the server running until it replies. */
    AnosIpcMsg m = {.tag = 7};
    int64_t r = ok ? anos_call((Handle)channel, &m) : -1;
    bool spinner_was_running = !spinner_finished;
    stop_spinner = 1;
    tap_check(r == 0 && m.tag == 8 && server_level_ok, "call_served", "call %lld, tag %llu",
              (long long)r, (unsigned long long)m.tag);
    tap_check(spinner_was_running, "server_inherits_client_priority",
              "the call returned only after the medium-priority spinner gave up");
    while (!spinner_finished) {
        anos_sleep_ns(1000000);
    }
    anos_channel_destroy((Handle)channel);
    return tap_done();
}
