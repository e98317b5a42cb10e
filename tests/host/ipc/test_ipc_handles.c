// Host tests of IPC handle transfer: a move leaves the sender and a copy
// stays, rights are reduced and never raised, a bad entry anywhere leaves
// the sender's table exactly as it was, a full receiver drops what does
// not fit, and every reference is accounted for whichever way a message
// ends (delivered, or dropped undelivered).
// TEST_SOURCES: kernel/ipc/ipc_handles.c kernel/cap/handle_table.c kernel/cap/object.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ipc/ipc_handles.h>
#include <panic_fails_test.h>

bool fake_irq_enabled = true;

#define CAP 4

static HandleEntry src_storage[CAP], dst_storage[CAP];
static HandleTable src, dst;
static KObject objs[3];
static int destroyed[3];

static void obj_destroy(KObject *obj)
{
    destroyed[obj - objs]++;
}

/* Three channels in src: A (every right), B (no RIGHT_DUPLICATE), C (no
 * RIGHT_TRANSFER). Each object's own creation reference is dropped, so
 * the handles hold the only ones. */
static Handle a, b, c;

static int setup(void **state)
{
    memset(destroyed, 0, sizeof(destroyed));
    assert_int_equal(handle_table_init(&src, src_storage, CAP), E_OK);
    assert_int_equal(handle_table_init(&dst, dst_storage, CAP), E_OK);
    static const Rights rights[3] = {
        RIGHT_SEND | RIGHT_RECEIVE | RIGHT_TRANSFER | RIGHT_DUPLICATE,
        RIGHT_SEND | RIGHT_TRANSFER,
        RIGHT_SEND | RIGHT_DUPLICATE,
    };
    Handle *hs[3] = {&a, &b, &c};
    for (int i = 0; i < 3; i++) {
        kobject_init(&objs[i], KOBJ_CHANNEL, obj_destroy);
        assert_int_equal(handle_alloc(&src, &objs[i], rights[i], hs[i]), E_OK);
        kobject_unref(&objs[i]);
    }
    return 0;
}

static AnosIpcHandle entry(Handle h, Rights r, bool move)
{
    return (AnosIpcHandle){.handle = h, .rights = r, .flags = move ? ANOS_IPC_HANDLE_MOVE : 0};
}

static void test_move_and_copy(void **state)
{
    AnosIpcHandle list[2] = {entry(a, RIGHT_SEND, true), entry(a, RIGHT_SEND, false)};
    IpcExtras x = {0};
    /* The same handle moved and copied: refused, nothing changed. */
    assert_int_equal(ipc_handles_take(&src, list, 2, &x), E_INVAL);
    assert_int_equal(handle_table_count(&src), 3);

    list[1] = entry(b, RIGHT_SEND, true);
    list[0] = entry(a, RIGHT_SEND | RIGHT_RECEIVE, false);
    assert_int_equal(ipc_handles_take(&src, list, 2, &x), E_OK);
    assert_int_equal(x.handle_count, 2);
    /* The copy stays, the move left; each object has one reference more
     * than its handles: the message's. */
    assert_int_equal(handle_table_count(&src), 2);
    assert_int_equal(kobject_refcount(&objs[0]), 2);
    assert_int_equal(kobject_refcount(&objs[1]), 1);
    KObject *o;
    assert_int_equal(handle_get(&src, b, KOBJ_ANY, 0, &o), E_NOENT);

    AnosIpcHandle got[IPC_MAX_HANDLES];
    assert_int_equal(ipc_handles_install(&dst, &x, got), 2);
    assert_int_equal(x.handle_count, 0);
    assert_int_equal(got[0].rights, RIGHT_SEND | RIGHT_RECEIVE);
    assert_int_equal(got[1].rights, RIGHT_SEND);
    assert_int_equal(handle_get(&dst, got[1].handle, KOBJ_CHANNEL, RIGHT_SEND, &o), E_OK);
    assert_ptr_equal(o, &objs[1]);
    kobject_unref(o);
    /* The receiver's copy cannot do what the reduced rights leave out. */
    assert_int_equal(handle_get(&dst, got[1].handle, KOBJ_CHANNEL, RIGHT_TRANSFER, &o), E_PERM);
    assert_int_equal(kobject_refcount(&objs[0]), 2); /* src's and dst's handles */
    assert_int_equal(kobject_refcount(&objs[1]), 1); /* dst's handle only */
}

static void test_bad_entry_changes_nothing(void **state)
{
    IpcExtras x = {0};
    /* The last entry fails (C has no RIGHT_TRANSFER) after two good ones,
     * one of them a move: A must still be there, every reference back. */
    AnosIpcHandle list[3] = {entry(a, RIGHT_SEND, true), entry(b, RIGHT_SEND, false),
                             entry(c, RIGHT_SEND, false)};
    assert_int_equal(ipc_handles_take(&src, list, 3, &x), E_PERM);
    list[1] = entry(b, RIGHT_SEND, true);
    assert_int_equal(ipc_handles_take(&src, list, 3, &x), E_PERM);
    /* B copied without RIGHT_DUPLICATE; rights raised; a stale handle. */
    list[2] = entry(b, RIGHT_SEND, false);
    list[1] = entry(c, RIGHT_SEND, false);
    assert_int_equal(ipc_handles_take(&src, &list[2], 1, &x), E_PERM);
    AnosIpcHandle raise = entry(b, RIGHT_SEND | RIGHT_RECEIVE, true);
    assert_int_equal(ipc_handles_take(&src, &raise, 1, &x), E_PERM);
    AnosIpcHandle stale = entry(a + (1ull << HANDLE_INDEX_BITS), RIGHT_SEND, true);
    assert_int_equal(ipc_handles_take(&src, &stale, 1, &x), E_NOENT);
    AnosIpcHandle flags = {.handle = a, .rights = RIGHT_SEND, .flags = 2};
    assert_int_equal(ipc_handles_take(&src, &flags, 1, &x), E_INVAL);
    assert_int_equal(ipc_handles_take(&src, list, 0, &x), E_INVAL);
    assert_int_equal(ipc_handles_take(&src, list, IPC_MAX_HANDLES + 1, &x), E_INVAL);

    assert_int_equal(x.handle_count, 0);
    assert_int_equal(handle_table_count(&src), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(kobject_refcount(&objs[i]), 1);
    }
}

static void test_full_receiver_and_undelivered(void **state)
{
    /* dst has room for one: the second handle is dropped, reported as
     * HANDLE_NONE, and its object loses the message's reference. */
    KObject filler[CAP - 1];
    for (int i = 0; i < CAP - 1; i++) {
        kobject_init(&filler[i], KOBJ_CHANNEL, NULL);
        Handle h;
        assert_int_equal(handle_alloc(&dst, &filler[i], RIGHT_SEND, &h), E_OK);
    }
    IpcExtras x = {0};
    AnosIpcHandle list[2] = {entry(a, RIGHT_SEND, false), entry(b, RIGHT_SEND, true)};
    assert_int_equal(ipc_handles_take(&src, list, 2, &x), E_OK);
    AnosIpcHandle got[IPC_MAX_HANDLES];
    assert_int_equal(ipc_handles_install(&dst, &x, got), 1);
    assert_int_not_equal(got[0].handle, HANDLE_NONE);
    assert_int_equal(got[1].handle, HANDLE_NONE);
    assert_int_equal(got[1].rights, 0);
    /* B was moved out of src and could not go in: it is gone for good. */
    assert_int_equal(destroyed[1], 1);

    /* A message that is never delivered gives every reference back: the
     * copied A keeps only its handles. */
    AnosIpcHandle again = entry(a, RIGHT_SEND, false);
    assert_int_equal(ipc_handles_take(&src, &again, 1, &x), E_OK);
    assert_int_equal(kobject_refcount(&objs[0]), 3);
    ipc_handles_drop(&x);
    assert_int_equal(x.handle_count, 0);
    assert_int_equal(kobject_refcount(&objs[0]), 2);
    assert_int_equal(destroyed[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_move_and_copy, setup),
        cmocka_unit_test_setup(test_bad_entry_changes_nothing, setup),
        cmocka_unit_test_setup(test_full_receiver_and_undelivered, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
