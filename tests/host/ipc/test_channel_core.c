// Host tests of the channel state machine: hand-over to a waiting
// receiver, caller queueing order, receivers by priority, reply matching
// (no reply without a call, no second reply), destruction with waiters,
// and threads that die mid-call on either side.
// TEST_SOURCES: kernel/ipc/channel_core.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ipc/channel_core.h>

static ChanCore core;
static struct Channel *const CH = (struct Channel *)0x1000; /* only recorded */
static Thread threads[8];

static int setup(void **state)
{
    memset(threads, 0, sizeof(threads));
    chan_core_init(&core);
    return 0;
}

static IpcMsg msg(uint64_t tag)
{
    IpcMsg m = {.tag = tag, .words = {tag + 1, tag + 2, tag + 3, tag + 4}};
    return m;
}

/* The kernel's calling pattern: the message sits in the sender's
 * ipc.msg, and a receiver's arrives in its own. */
static Error call(ChanCore *c, Thread *t, const IpcMsg *m, Thread **wake)
{
    t->ipc.msg = *m;
    return chan_core_call(c, CH, t, wake);
}

static Error recv(ChanCore *c, Thread *t, unsigned priority, IpcMsg *got, bool *queued)
{
    Error err = chan_core_recv(c, CH, t, priority, queued);
    *got = t->ipc.msg;
    return err;
}

static Error reply(ChanCore *c, Thread *t, const IpcMsg *m, Thread **wake)
{
    t->ipc.msg = *m;
    return chan_core_reply(c, t, wake);
}

static void test_call_to_waiting_receiver(void **state)
{
    Thread *server = &threads[0], *client = &threads[1];
    IpcMsg got;
    bool queued;
    assert_int_equal(recv(&core, server, 10, &got, &queued), E_OK);
    assert_true(queued);
    assert_int_equal(server->ipc.state, IPC_RECEIVING);
    Thread *wake;
    IpcMsg m = msg(100);
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_ptr_equal(wake, server);
    assert_int_equal(server->ipc.msg.tag, 100);
    assert_int_equal(server->ipc.msg.words[3], 104);
    assert_int_equal(client->ipc.state, IPC_AWAIT_REPLY);
    assert_ptr_equal(server->ipc.client, client);
    assert_ptr_equal(client->ipc.server, server);
    IpcMsg r = msg(200);
    assert_int_equal(reply(&core, server, &r, &wake), E_OK);
    assert_ptr_equal(wake, client);
    assert_int_equal(client->ipc.state, IPC_IDLE);
    assert_int_equal(client->ipc.result, E_OK);
    assert_int_equal(client->ipc.msg.tag, 200);
    assert_int_equal(core.served_count, 0);
}

static void test_callers_queue_in_order(void **state)
{
    Thread *wake;
    for (int i = 1; i <= 3; i++) {
        IpcMsg m = msg((uint64_t)i);
        assert_int_equal(call(&core, &threads[i], &m, &wake), E_OK);
        assert_null(wake);
        assert_int_equal(threads[i].ipc.state, IPC_CALLING);
    }
    assert_int_equal(core.caller_count, 3);
    Thread *server = &threads[0];
    for (int i = 1; i <= 3; i++) {
        IpcMsg got;
        bool queued;
        assert_int_equal(recv(&core, server, 0, &got, &queued), E_OK);
        assert_false(queued);
        assert_int_equal(got.tag, (uint64_t)i); /* arrival order */
        IpcMsg r = msg(10 + (uint64_t)i);
        assert_int_equal(reply(&core, server, &r, &wake), E_OK);
        assert_ptr_equal(wake, &threads[i]);
        assert_int_equal(threads[i].ipc.msg.tag, 10 + (uint64_t)i);
    }
    assert_int_equal(core.caller_count, 0);
}

static void test_receivers_by_priority(void **state)
{
    static const unsigned prio[] = {50, 10, 50, 30};
    IpcMsg got;
    bool queued;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(recv(&core, &threads[i], prio[i], &got, &queued), E_OK);
    }
    /* Most urgent first, FIFO among equals: 1 (10), 3 (30), 0 (50), 2 (50). */
    static const int order[] = {1, 3, 0, 2};
    for (int i = 0; i < 4; i++) {
        Thread *wake;
        IpcMsg m = msg(7);
        assert_int_equal(call(&core, &threads[4 + (i % 4)], &m, &wake), E_OK);
        assert_ptr_equal(wake, &threads[order[i]]);
        IpcMsg r = msg(8);
        assert_int_equal(reply(&core, wake, &r, &wake), E_OK);
    }
}

static void test_reply_matching(void **state)
{
    Thread *server = &threads[0], *client = &threads[1], *other = &threads[2];
    Thread *wake;
    IpcMsg r = msg(1), got;
    bool queued;
    /* Never received: nothing to reply to. */
    assert_int_equal(reply(&core, server, &r, &wake), E_INVAL);
    IpcMsg m = msg(5);
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_int_equal(recv(&core, server, 0, &got, &queued), E_OK);
    /* A second receive before replying is refused; another thread cannot
     * reply for the server. */
    assert_int_equal(recv(&core, server, 0, &got, &queued), E_BUSY);
    assert_int_equal(reply(&core, other, &r, &wake), E_INVAL);
    assert_int_equal(reply(&core, server, &r, &wake), E_OK);
    assert_ptr_equal(wake, client);
    /* A duplicate reply. */
    assert_int_equal(reply(&core, server, &r, &wake), E_INVAL);
    assert_null(wake);
    /* A caller cannot call again while its call is in progress. */
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_int_equal(call(&core, client, &m, &wake), E_BUSY);
}

static void test_close_wakes_everyone(void **state)
{
    Thread *wake;
    IpcMsg m = msg(1), got;
    bool queued;
    /* threads 1, 2: queued callers; 3 awaits a reply from server 0;
     * 4, 5: queued receivers on a second core. */
    assert_int_equal(call(&core, &threads[3], &m, &wake), E_OK);
    assert_int_equal(recv(&core, &threads[0], 0, &got, &queued), E_OK);
    assert_int_equal(call(&core, &threads[1], &m, &wake), E_OK);
    assert_int_equal(call(&core, &threads[2], &m, &wake), E_OK);
    Thread *woken = chan_core_close(&core);
    int n = 0;
    for (Thread *t = woken; t != NULL; t = t->ipc.next) {
        assert_int_equal(t->ipc.result, E_NOENT);
        assert_int_equal(t->ipc.state, IPC_IDLE);
        n++;
    }
    assert_int_equal(n, 3);
    /* The server learns at its reply that its caller is gone, once. */
    assert_int_equal(reply(&core, &threads[0], &m, &wake), E_NOENT);
    assert_int_equal(reply(&core, &threads[0], &m, &wake), E_INVAL);
    assert_int_equal(call(&core, &threads[6], &m, &wake), E_NOENT);
    assert_int_equal(recv(&core, &threads[7], 0, &got, &queued), E_NOENT);

    ChanCore second;
    chan_core_init(&second);
    assert_int_equal(recv(&second, &threads[4], 0, &got, &queued), E_OK);
    assert_int_equal(recv(&second, &threads[5], 0, &got, &queued), E_OK);
    woken = chan_core_close(&second);
    assert_non_null(woken);
    assert_non_null(woken->ipc.next);
    assert_null(woken->ipc.next->ipc.next);
    assert_int_equal(threads[4].ipc.result, E_NOENT);
    assert_int_equal(threads[5].ipc.result, E_NOENT);
}

static void test_client_dies_mid_call(void **state)
{
    Thread *server = &threads[0], *client = &threads[1], *next = &threads[2];
    Thread *wake;
    IpcMsg m = msg(1), got;
    bool queued;
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_int_equal(recv(&core, server, 0, &got, &queued), E_OK);
    chan_core_cancel(&core, client);
    assert_int_equal(core.served_count, 0);
    /* The server finds the caller gone and carries on with the next. */
    assert_int_equal(reply(&core, server, &m, &wake), E_NOENT);
    assert_int_equal(call(&core, next, &m, &wake), E_OK);
    assert_int_equal(recv(&core, server, 0, &got, &queued), E_OK);
    assert_false(queued);
    assert_int_equal(reply(&core, server, &m, &wake), E_OK);
    assert_ptr_equal(wake, next);
    /* A queued caller that dies simply leaves the queue. */
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    chan_core_cancel(&core, client);
    assert_int_equal(core.caller_count, 0);
    assert_int_equal(client->ipc.state, IPC_IDLE);
}

static void test_server_dies_mid_call(void **state)
{
    Thread *server = &threads[0], *client = &threads[1], *receiver = &threads[2];
    Thread *wake;
    IpcMsg m = msg(1), got;
    bool queued;
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_int_equal(recv(&core, server, 0, &got, &queued), E_OK);
    assert_ptr_equal(chan_core_abandon(&core, server), client);
    assert_int_equal(client->ipc.result, E_NOENT);
    assert_int_equal(client->ipc.state, IPC_IDLE);
    assert_int_equal(core.served_count, 0);
    /* A queued receiver that dies leaves the queue: a later call queues. */
    assert_int_equal(recv(&core, receiver, 0, &got, &queued), E_OK);
    chan_core_cancel(&core, receiver);
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_null(wake);
    assert_int_equal(client->ipc.state, IPC_CALLING);
}

/* A server may call another channel on behalf of the call it serves:
 * the two roles are independent, and the reply still reaches the first
 * caller. */
static void test_server_calls_while_serving(void **state)
{
    ChanCore second;
    chan_core_init(&second);
    Thread *client = &threads[1], *middle = &threads[2], *back = &threads[3];
    Thread *wake;
    IpcMsg m = msg(1), got;
    bool queued;
    assert_int_equal(call(&core, client, &m, &wake), E_OK);
    assert_int_equal(recv(&core, middle, 0, &got, &queued), E_OK);
    assert_true(chan_core_serving(middle));
    assert_int_equal(recv(&second, back, 0, &got, &queued), E_OK);
    IpcMsg inner = msg(50);
    assert_int_equal(call(&second, middle, &inner, &wake), E_OK);
    assert_ptr_equal(wake, back);
    assert_int_equal(middle->ipc.state, IPC_AWAIT_REPLY);
    IpcMsg answer = msg(60);
    assert_int_equal(reply(&second, back, &answer, &wake), E_OK);
    assert_ptr_equal(wake, middle);
    assert_int_equal(middle->ipc.msg.tag, 60);
    /* Still serving the first call: a receive is refused, the reply works. */
    assert_int_equal(recv(&core, middle, 0, &got, &queued), E_BUSY);
    IpcMsg outer = msg(70);
    assert_int_equal(reply(&core, middle, &outer, &wake), E_OK);
    assert_ptr_equal(wake, client);
    assert_int_equal(client->ipc.msg.tag, 70);
    assert_false(chan_core_serving(middle));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_call_to_waiting_receiver, setup),
        cmocka_unit_test_setup(test_server_calls_while_serving, setup),
        cmocka_unit_test_setup(test_callers_queue_in_order, setup),
        cmocka_unit_test_setup(test_receivers_by_priority, setup),
        cmocka_unit_test_setup(test_reply_matching, setup),
        cmocka_unit_test_setup(test_close_wakes_everyone, setup),
        cmocka_unit_test_setup(test_client_dies_mid_call, setup),
        cmocka_unit_test_setup(test_server_dies_mid_call, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
