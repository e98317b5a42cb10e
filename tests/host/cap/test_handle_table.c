// Host tests of per-process handle tables: allocation to exhaustion, close
// and reuse with a new generation, stale and forged handles, type and rights
// checks, duplicate and transfer with rights reduction, reference counts,
// generation exhaustion, and lock-free lookup against concurrent reuse.
// TEST_SOURCES: kernel/cap/handle_table.c kernel/cap/object.c
// TEST_CFLAGS: -Itests/host/fake -pthread
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <cap/handle_table.h>
#include <panic_fails_test.h>

bool fake_irq_enabled;

typedef struct TestObj {
    KObject hdr;
    int destroyed;
} TestObj;

static void test_obj_destroy(KObject *obj)
{
    ((TestObj *)obj)->destroyed++;
}

static void obj_init(TestObj *o, KObjectType type)
{
    o->destroyed = 0;
    kobject_init(&o->hdr, type, test_obj_destroy);
}

#define CAP 8

typedef struct Fixture {
    HandleEntry storage[CAP];
    HandleTable t;
    HandleEntry storage2[CAP];
    HandleTable t2;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    assert_int_equal(handle_table_init(&f->t, f->storage, CAP), E_OK);
    assert_int_equal(handle_table_init(&f->t2, f->storage2, CAP), E_OK);
    fake_irq_enabled = true;
    *state = f;
    return 0;
}

/* Every call must leave the lock free and interrupts as they were. */
static int teardown(void **state)
{
    Fixture *f = *state;
    assert_false(spin_is_locked(&f->t.lock));
    assert_false(spin_is_locked(&f->t2.lock));
    assert_true(fake_irq_enabled);
    free(f);
    return 0;
}

static KObject *lookup(HandleTable *t, Handle h, KObjectType type, Rights rights, Error want)
{
    KObject *obj = (KObject *)0x1; /* must stay untouched on error */
    assert_int_equal(handle_lookup(t, h, type, rights, &obj), want);
    if (want != E_OK) {
        assert_ptr_equal(obj, (KObject *)0x1);
        return NULL;
    }
    return obj;
}

static void test_init_rejects_bad_arguments(void **state)
{
    HandleTable t;
    HandleEntry one;
    assert_int_equal(handle_table_init(&t, NULL, 4), E_INVAL);
    assert_int_equal(handle_table_init(&t, &one, 0), E_INVAL);
    assert_int_equal(handle_table_init(&t, &one, HANDLE_TABLE_MAX_CAPACITY + 1), E_INVAL);

    HandleEntry *big = calloc(HANDLE_TABLE_MAX_CAPACITY, sizeof(*big));
    assert_int_equal(handle_table_init(&t, big, HANDLE_TABLE_MAX_CAPACITY), E_OK);
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h = HANDLE_NONE;
    for (uint32_t i = 0; i < HANDLE_TABLE_MAX_CAPACITY; i++) {
        assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &h), E_OK);
    }
    assert_int_equal(handle_index(h), HANDLE_TABLE_MAX_CAPACITY - 1);
    assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &h), E_NOMEM);
    handle_table_destroy(&t);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
    free(big);
}

static void test_alloc_until_exhaustion(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h[CAP];
    for (int i = 0; i < CAP; i++) {
        assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_READ, &h[i]), E_OK);
        assert_int_not_equal(h[i], HANDLE_NONE);
        assert_int_equal(handle_gen(h[i]), 1);
        assert_int_equal(h[i] & HANDLE_RESERVED, 0);
        for (int j = 0; j < i; j++) {
            assert_int_not_equal(handle_index(h[i]), handle_index(h[j]));
        }
    }
    assert_int_equal(handle_table_count(&f->t), CAP);
    assert_int_equal(kobject_refcount(&o.hdr), 1 + CAP);

    Handle extra = 0x1234;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_READ, &extra), E_NOMEM);
    assert_int_equal(extra, 0x1234);
    assert_int_equal(kobject_refcount(&o.hdr), 1 + CAP); /* no reference taken */
    for (int i = 0; i < CAP; i++) {
        assert_ptr_equal(lookup(&f->t, h[i], KOBJ_TEST, RIGHT_READ, E_OK), &o.hdr);
    }
    assert_int_equal(handle_alloc(&f->t, NULL, RIGHT_READ, &extra), E_INVAL);
    handle_table_destroy(&f->t);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

static void test_close_and_reuse_with_new_generation(void **state)
{
    Fixture *f = *state;
    TestObj a, b;
    obj_init(&a, KOBJ_TEST);
    obj_init(&b, KOBJ_TEST);
    Handle h[CAP];
    for (int i = 0; i < CAP; i++) {
        assert_int_equal(handle_alloc(&f->t, &a.hdr, RIGHT_READ, &h[i]), E_OK);
    }
    assert_int_equal(handle_close(&f->t, h[3]), E_OK);
    assert_int_equal(handle_table_count(&f->t), CAP - 1);
    assert_int_equal(kobject_refcount(&a.hdr), CAP);

    /* Stale before reuse: every use is refused. */
    lookup(&f->t, h[3], KOBJ_ANY, 0, E_NOENT);
    assert_int_equal(handle_close(&f->t, h[3]), E_NOENT);
    Handle d;
    assert_int_equal(handle_duplicate(&f->t, h[3], 0, &d), E_NOENT);
    KObject *got;
    assert_int_equal(handle_get(&f->t, h[3], KOBJ_ANY, 0, &got), E_NOENT);

    /* The freed slot comes back with the next generation and a new object. */
    Handle n;
    assert_int_equal(handle_alloc(&f->t, &b.hdr, RIGHT_WRITE, &n), E_OK);
    assert_int_equal(handle_index(n), handle_index(h[3]));
    assert_int_equal(handle_gen(n), 2);
    assert_int_not_equal(n, h[3]);

    /* Stale after reuse: the old value does not reach the new object. */
    lookup(&f->t, h[3], KOBJ_ANY, 0, E_NOENT);
    assert_int_equal(handle_close(&f->t, h[3]), E_NOENT);
    assert_ptr_equal(lookup(&f->t, n, KOBJ_TEST, RIGHT_WRITE, E_OK), &b.hdr);
    assert_int_equal(kobject_refcount(&b.hdr), 2);

    /* Many more reuses of one slot: generations only grow. */
    uint64_t gen = handle_gen(n);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(handle_close(&f->t, n), E_OK);
        assert_int_equal(handle_alloc(&f->t, &b.hdr, RIGHT_WRITE, &n), E_OK);
        assert_int_equal(handle_gen(n), gen + 1);
        gen = handle_gen(n);
    }
    handle_table_destroy(&f->t);
    assert_int_equal(kobject_refcount(&a.hdr), 1);
    assert_int_equal(kobject_refcount(&b.hdr), 1);
}

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_forged_handles_refused(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle live[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHTS_ALL, &live[i]), E_OK);
    }
    uint32_t idx = handle_index(live[1]);
    const Handle forged[] = {
        HANDLE_NONE,
        handle_make(idx, 0),               /* generation 0 */
        handle_make(idx, 2),               /* a future generation */
        handle_make(idx, HANDLE_GEN_MAX),  /* far generation */
        live[1] | HANDLE_RESERVED,         /* reserved bit */
        handle_make(CAP, 1),               /* just out of range */
        handle_make(HANDLE_INDEX_MASK, 1), /* far out of range */
        handle_make(5, 1),                 /* a free slot's next handle */
        f->t.entries[5].handle,            /* a free slot's raw marker */
        f->t.entries[6].handle & ~HANDLE_RESERVED,
        ~(Handle)0,
    };
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        lookup(&f->t, forged[i], KOBJ_ANY, 0, E_NOENT);
        KObject *got;
        Handle d;
        HandleInFlight fl;
        assert_int_equal(handle_get(&f->t, forged[i], KOBJ_ANY, 0, &got), E_NOENT);
        assert_int_equal(handle_duplicate(&f->t, forged[i], 0, &d), E_NOENT);
        assert_int_equal(handle_transfer_out(&f->t, forged[i], 0, true, &fl), E_NOENT);
        assert_int_equal(handle_transfer(&f->t, forged[i], &f->t2, 0, false, &d), E_NOENT);
        assert_int_equal(handle_close(&f->t, forged[i]), E_NOENT);
    }
    /* Random values: only the live handles themselves are accepted. */
    for (int i = 0; i < 200000; i++) {
        Handle h = next_random();
        if (i % 2) {
            h &= 0xFFFFF; /* small index, small generation: near the live ones */
        }
        bool is_live = h == live[0] || h == live[1] || h == live[2] || h == live[3];
        lookup(&f->t, h, KOBJ_ANY, 0, is_live ? E_OK : E_NOENT);
    }
    assert_int_equal(handle_table_count(&f->t), 4);
    assert_int_equal(kobject_refcount(&o.hdr), 5);
    handle_table_destroy(&f->t);
}

static void test_handles_are_local_to_their_table(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHTS_ALL, &h), E_OK);
    lookup(&f->t2, h, KOBJ_ANY, 0, E_NOENT); /* same value, other process */
    assert_int_equal(handle_close(&f->t2, h), E_NOENT);
    handle_table_destroy(&f->t);
}

static void test_type_and_rights_checks(void **state)
{
    Fixture *f = *state;
    TestObj chan;
    obj_init(&chan, KOBJ_CHANNEL);
    Handle h;
    assert_int_equal(handle_alloc(&f->t, &chan.hdr, RIGHT_SEND | RIGHT_READ, &h), E_OK);
    assert_ptr_equal(lookup(&f->t, h, KOBJ_CHANNEL, RIGHT_SEND, E_OK), &chan.hdr);
    assert_ptr_equal(lookup(&f->t, h, KOBJ_CHANNEL, RIGHT_SEND | RIGHT_READ, E_OK), &chan.hdr);
    assert_ptr_equal(lookup(&f->t, h, KOBJ_ANY, 0, E_OK), &chan.hdr);
    lookup(&f->t, h, KOBJ_MEMORY, 0, E_INVAL);
    lookup(&f->t, h, KOBJ_PROCESS, RIGHT_SEND, E_INVAL);
    lookup(&f->t, h, KOBJ_CHANNEL, RIGHT_RECEIVE, E_PERM);
    lookup(&f->t, h, KOBJ_CHANNEL, RIGHT_SEND | RIGHT_WRITE, E_PERM);

    /* handle_get: same answers, and a reference on success only. */
    KObject *got = NULL;
    assert_int_equal(handle_get(&f->t, h, KOBJ_MEMORY, 0, &got), E_INVAL);
    assert_int_equal(handle_get(&f->t, h, KOBJ_CHANNEL, RIGHT_RECEIVE, &got), E_PERM);
    assert_null(got);
    assert_int_equal(kobject_refcount(&chan.hdr), 2);
    assert_int_equal(handle_get(&f->t, h, KOBJ_CHANNEL, RIGHT_SEND, &got), E_OK);
    assert_ptr_equal(got, &chan.hdr);
    assert_int_equal(kobject_refcount(&chan.hdr), 3);

    /* The reference outlives the handle. */
    assert_int_equal(handle_close(&f->t, h), E_OK);
    kobject_unref(&chan.hdr); /* the creator's */
    assert_int_equal(chan.destroyed, 0);
    kobject_unref(got);
    assert_int_equal(chan.destroyed, 1);
}

static void test_duplicate_reduces_rights(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_MEMORY);
    Handle h, d, dd;
    assert_int_equal(
        handle_alloc(&f->t, &o.hdr, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_DUPLICATE, &h),
        E_OK);
    assert_int_equal(handle_duplicate(&f->t, h, RIGHT_READ | RIGHT_DUPLICATE, &d), E_OK);
    assert_int_not_equal(d, h);
    assert_int_equal(kobject_refcount(&o.hdr), 3);
    assert_ptr_equal(lookup(&f->t, d, KOBJ_MEMORY, RIGHT_READ, E_OK), &o.hdr);
    lookup(&f->t, d, KOBJ_MEMORY, RIGHT_WRITE, E_PERM);
    lookup(&f->t, d, KOBJ_MEMORY, RIGHT_MAP, E_PERM);

    /* No widening, even through a chain of duplicates. */
    assert_int_equal(handle_duplicate(&f->t, d, RIGHT_READ | RIGHT_WRITE, &dd), E_PERM);
    assert_int_equal(handle_duplicate(&f->t, h, RIGHT_TRANSFER, &dd), E_PERM);
    assert_int_equal(handle_duplicate(&f->t, d, RIGHT_READ, &dd), E_OK);
    assert_int_equal(kobject_refcount(&o.hdr), 4);

    /* dd lacks DUPLICATE: refused, nothing allocated. */
    Handle x = 0x55;
    assert_int_equal(handle_duplicate(&f->t, dd, RIGHT_READ, &x), E_PERM);
    assert_int_equal(handle_duplicate(&f->t, dd, 0, &x), E_PERM);
    assert_int_equal(x, 0x55);
    assert_int_equal(handle_table_count(&f->t), 3);
    assert_int_equal(kobject_refcount(&o.hdr), 4);

    /* Closing the original leaves the duplicates working. */
    assert_int_equal(handle_close(&f->t, h), E_OK);
    assert_ptr_equal(lookup(&f->t, d, KOBJ_MEMORY, RIGHT_READ, E_OK), &o.hdr);
    assert_int_equal(kobject_refcount(&o.hdr), 3);
    handle_table_destroy(&f->t);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

static void test_duplicate_into_full_table(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h, d;
    for (int i = 0; i < CAP; i++) {
        assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_DUPLICATE, &h), E_OK);
    }
    assert_int_equal(handle_duplicate(&f->t, h, RIGHT_DUPLICATE, &d), E_NOMEM);
    assert_int_equal(kobject_refcount(&o.hdr), 1 + CAP);
    handle_table_destroy(&f->t);
}

static void test_transfer_needs_transfer_right(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_CHANNEL);
    Handle h, out = 0x77;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_SEND | RIGHT_DUPLICATE, &h), E_OK);
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, RIGHT_SEND, true, &out), E_PERM);
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, RIGHT_SEND, false, &out), E_PERM);
    HandleInFlight fl = {0};
    assert_int_equal(handle_transfer_out(&f->t, h, RIGHT_SEND, true, &fl), E_PERM);
    assert_null(fl.obj);
    assert_int_equal(out, 0x77);
    /* Nothing changed on either side. */
    assert_ptr_equal(lookup(&f->t, h, KOBJ_CHANNEL, RIGHT_SEND, E_OK), &o.hdr);
    assert_int_equal(handle_table_count(&f->t2), 0);
    assert_int_equal(kobject_refcount(&o.hdr), 2);
    handle_table_destroy(&f->t);
}

static void test_transfer_move_reduces_rights(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_CHANNEL);
    Handle h, out;
    Rights r = RIGHT_SEND | RIGHT_RECEIVE | RIGHT_TRANSFER;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, r, &h), E_OK);
    /* Widening is refused. */
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, r | RIGHT_WRITE, true, &out), E_PERM);
    /* A move with fewer rights: gone from src, present in dst. */
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, RIGHT_SEND, true, &out), E_OK);
    lookup(&f->t, h, KOBJ_ANY, 0, E_NOENT);
    assert_ptr_equal(lookup(&f->t2, out, KOBJ_CHANNEL, RIGHT_SEND, E_OK), &o.hdr);
    lookup(&f->t2, out, KOBJ_CHANNEL, RIGHT_RECEIVE, E_PERM);
    lookup(&f->t2, out, KOBJ_CHANNEL, RIGHT_TRANSFER, E_PERM); /* cannot pass it on */
    assert_int_equal(handle_table_count(&f->t), 0);
    assert_int_equal(handle_table_count(&f->t2), 1);
    assert_int_equal(kobject_refcount(&o.hdr), 2);
    assert_int_equal(handle_transfer(&f->t2, out, &f->t, RIGHT_SEND, true, &h), E_PERM);
    handle_table_destroy(&f->t2);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

static void test_transfer_copy_needs_duplicate(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_MEMORY);
    Handle h1, h2, out;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_READ | RIGHT_TRANSFER, &h1), E_OK);
    assert_int_equal(handle_transfer(&f->t, h1, &f->t2, RIGHT_READ, false, &out), E_PERM);
    assert_int_equal(
        handle_alloc(&f->t, &o.hdr, RIGHT_READ | RIGHT_TRANSFER | RIGHT_DUPLICATE, &h2), E_OK);
    assert_int_equal(handle_transfer(&f->t, h2, &f->t2, RIGHT_READ, false, &out), E_OK);
    assert_ptr_equal(lookup(&f->t, h2, KOBJ_MEMORY, RIGHT_DUPLICATE, E_OK), &o.hdr);
    assert_ptr_equal(lookup(&f->t2, out, KOBJ_MEMORY, RIGHT_READ, E_OK), &o.hdr);
    assert_int_equal(kobject_refcount(&o.hdr), 4);
    handle_table_destroy(&f->t);
    handle_table_destroy(&f->t2);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

static void test_transfer_into_full_table_changes_nothing(void **state)
{
    Fixture *f = *state;
    TestObj o, filler;
    obj_init(&o, KOBJ_TEST);
    obj_init(&filler, KOBJ_TEST);
    Handle h, x, out = 0x99;
    for (int i = 0; i < CAP; i++) {
        assert_int_equal(handle_alloc(&f->t2, &filler.hdr, 0, &x), E_OK);
    }
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_TRANSFER | RIGHT_DUPLICATE, &h), E_OK);
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, 0, true, &out), E_NOMEM);
    assert_int_equal(handle_transfer(&f->t, h, &f->t2, 0, false, &out), E_NOMEM);
    assert_int_equal(out, 0x99);
    assert_ptr_equal(lookup(&f->t, h, KOBJ_TEST, RIGHT_TRANSFER, E_OK), &o.hdr);
    assert_int_equal(kobject_refcount(&o.hdr), 2);

    /* The two-step form: the in-flight handle keeps the object alive even
     * after its source closed, until it is installed or dropped. */
    HandleInFlight fl;
    assert_int_equal(handle_transfer_out(&f->t, h, RIGHT_TRANSFER, true, &fl), E_OK);
    lookup(&f->t, h, KOBJ_ANY, 0, E_NOENT);
    assert_int_equal(kobject_refcount(&o.hdr), 2);
    assert_int_equal(handle_transfer_in(&f->t2, &fl, &out), E_NOMEM);
    assert_ptr_equal(fl.obj, &o.hdr);
    kobject_unref(&o.hdr); /* the creator lets go */
    assert_int_equal(o.destroyed, 0);
    handle_in_flight_drop(&fl);
    assert_null(fl.obj);
    assert_int_equal(o.destroyed, 1);
    handle_in_flight_drop(&fl); /* harmless twice */
    handle_table_destroy(&f->t2);
    assert_int_equal(kobject_refcount(&filler.hdr), 1);
}

static void test_transfer_in_consumes_reference(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h, out;
    assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_READ, &h),
                     E_OK);
    HandleInFlight fl;
    assert_int_equal(handle_transfer_out(&f->t, h, RIGHT_READ, false, &fl), E_OK);
    assert_int_equal(kobject_refcount(&o.hdr), 3);
    assert_int_equal(handle_transfer_in(&f->t2, &fl, &out), E_OK);
    assert_null(fl.obj);
    assert_int_equal(kobject_refcount(&o.hdr), 3);
    assert_ptr_equal(lookup(&f->t2, out, KOBJ_TEST, RIGHT_READ, E_OK), &o.hdr);
    handle_table_destroy(&f->t);
    handle_table_destroy(&f->t2);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

static void test_destroy_called_exactly_once(void **state)
{
    Fixture *f = *state;
    TestObj o;
    obj_init(&o, KOBJ_TEST);
    Handle h[3], d;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(handle_alloc(&f->t, &o.hdr, RIGHT_DUPLICATE, &h[i]), E_OK);
    }
    assert_int_equal(handle_duplicate(&f->t, h[0], 0, &d), E_OK);
    assert_int_equal(kobject_refcount(&o.hdr), 5);
    kobject_unref(&o.hdr); /* the creator hands the object to the table */
    assert_int_equal(handle_close(&f->t, h[0]), E_OK);
    assert_int_equal(handle_close(&f->t, h[1]), E_OK);
    assert_int_equal(handle_close(&f->t, d), E_OK);
    assert_int_equal(o.destroyed, 0);
    assert_int_equal(handle_close(&f->t, h[2]), E_OK);
    assert_int_equal(o.destroyed, 1);
    assert_int_equal(handle_close(&f->t, h[2]), E_NOENT);
    assert_int_equal(o.destroyed, 1);
}

static void test_table_destroy_drops_every_reference(void **state)
{
    Fixture *f = *state;
    TestObj o[3];
    Handle h[6];
    for (int i = 0; i < 3; i++) {
        obj_init(&o[i], (KObjectType)(KOBJ_CHANNEL + i));
        assert_int_equal(handle_alloc(&f->t, &o[i].hdr, RIGHTS_ALL, &h[2 * i]), E_OK);
        assert_int_equal(handle_alloc(&f->t, &o[i].hdr, RIGHTS_ALL, &h[2 * i + 1]), E_OK);
        kobject_unref(&o[i].hdr);
    }
    assert_int_equal(handle_close(&f->t, h[0]), E_OK);
    handle_table_destroy(&f->t);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(o[i].destroyed, 1);
    }
    assert_int_equal(handle_table_count(&f->t), 0);
    for (int i = 0; i < 6; i++) {
        lookup(&f->t, h[i], KOBJ_ANY, 0, E_NOENT);
    }
    TestObj late;
    obj_init(&late, KOBJ_TEST);
    Handle x;
    assert_int_equal(handle_alloc(&f->t, &late.hdr, 0, &x), E_NOMEM);
    assert_int_equal(kobject_refcount(&late.hdr), 1);
    handle_table_destroy(&f->t); /* twice is harmless */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(o[i].destroyed, 1);
    }
}

/* A slot whose generation reaches HANDLE_GEN_MAX is retired at its next
 * close instead of wrapping: the generation is never 0 and no old value
 * ever names a new object. (White-box: the test moves slot 0 close to the
 * end rather than reusing it 2^47 times.) */
static void test_generation_exhaustion_retires_slot(void **state)
{
    HandleEntry storage[2];
    HandleTable t;
    assert_int_equal(handle_table_init(&t, storage, 2), E_OK);
    t.entries[0].handle = handle_make(0, HANDLE_GEN_MAX - 1) | HANDLE_RESERVED;
    TestObj o;
    obj_init(&o, KOBJ_TEST);

    Handle a, b, c, d;
    assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &a), E_OK);
    assert_int_equal(handle_index(a), 0);
    assert_int_equal(handle_gen(a), HANDLE_GEN_MAX - 1);
    assert_int_equal(handle_close(&t, a), E_OK);
    assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &b), E_OK);
    assert_int_equal(handle_index(b), 0);
    assert_int_equal(handle_gen(b), HANDLE_GEN_MAX);
    assert_int_equal(b & HANDLE_RESERVED, 0);
    lookup(&t, a, KOBJ_ANY, 0, E_NOENT);
    assert_int_equal(handle_close(&t, b), E_OK);

    /* Slot 0 is retired: the next handles come from slot 1, then none. */
    assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &c), E_OK);
    assert_int_equal(handle_index(c), 1);
    assert_int_equal(handle_gen(c), 1);
    assert_int_equal(handle_alloc(&t, &o.hdr, RIGHT_READ, &d), E_NOMEM);
    const Handle old[] = {a, b, handle_make(0, 0), handle_make(0, 1), HANDLE_NONE};
    for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
        lookup(&t, old[i], KOBJ_ANY, 0, E_NOENT);
        assert_int_equal(handle_close(&t, old[i]), E_NOENT);
    }
    assert_int_equal(kobject_refcount(&o.hdr), 2);
    handle_table_destroy(&t);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
}

/*
 * Lock-free lookup against a writer that keeps closing and reallocating one
 * slot, alternating two objects with different rights: a lookup that
 * succeeds must return the object and rights of exactly the handle it was
 * given, never a mix of two incarnations.
 */
typedef struct Race {
    HandleTable t;
    HandleEntry storage[1];
    TestObj obj[2];
    Handle current;
    bool stop;
    long hits, misses, mismatches;
} Race;

static Rights race_rights(uint64_t gen)
{
    return gen % 2 ? RIGHT_READ : RIGHT_WRITE;
}

static void *race_reader(void *arg)
{
    Race *r = arg;
    while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
        Handle h = __atomic_load_n(&r->current, __ATOMIC_ACQUIRE);
        uint64_t gen = handle_gen(h);
        KObject *obj;
        Error err = handle_lookup(&r->t, h, KOBJ_TEST, race_rights(gen), &obj);
        if (err == E_OK) {
            r->hits++;
            if (obj != &r->obj[gen % 2].hdr) {
                r->mismatches++;
            }
        } else if (err == E_NOENT) {
            r->misses++;
        } else {
            r->mismatches++; /* E_PERM would mean rights from another incarnation */
        }
    }
    return NULL;
}

static void test_lockfree_lookup_sees_consistent_entries(void **state)
{
    Race *r = calloc(1, sizeof(*r));
    assert_int_equal(handle_table_init(&r->t, r->storage, 1), E_OK);
    obj_init(&r->obj[0], KOBJ_TEST);
    obj_init(&r->obj[1], KOBJ_TEST);
    pthread_t reader;
    assert_int_equal(pthread_create(&reader, NULL, race_reader, r), 0);
    for (uint64_t gen = 1; gen <= 200000; gen++) {
        Handle h;
        assert_int_equal(handle_alloc(&r->t, &r->obj[gen % 2].hdr, race_rights(gen), &h), E_OK);
        assert_int_equal(handle_gen(h), gen);
        __atomic_store_n(&r->current, h, __ATOMIC_RELEASE);
        assert_int_equal(handle_close(&r->t, h), E_OK);
    }
    __atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
    assert_int_equal(pthread_join(reader, NULL), 0);
    assert_int_equal(r->mismatches, 0);
    assert_true(r->hits + r->misses > 0);
    assert_int_equal(kobject_refcount(&r->obj[0].hdr), 1);
    assert_int_equal(kobject_refcount(&r->obj[1].hdr), 1);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects_bad_arguments),
        cmocka_unit_test_setup_teardown(test_alloc_until_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_and_reuse_with_new_generation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_handles_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handles_are_local_to_their_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_and_rights_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_reduces_rights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_into_full_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_needs_transfer_right, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_move_reduces_rights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_copy_needs_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_into_full_table_changes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_transfer_in_consumes_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_called_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_destroy_drops_every_reference, setup, teardown),
        cmocka_unit_test(test_generation_exhaustion_retires_slot),
        cmocka_unit_test(test_lockfree_lookup_sees_consistent_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
