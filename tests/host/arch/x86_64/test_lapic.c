// Host tests of the LAPIC register interface (lapic.c) over fake MSRs and a
// fake MMIO page: register addressing, ICR shapes, ids, EOI and enabling in
// both xAPIC and x2APIC mode; the ICR words of INIT, STARTUP, each IPI
// kind and the "all excluding self" shorthand.
// TEST_SOURCES: kernel/arch/x86_64/lapic.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include -Iinclude -Ikernel/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipi_x86.h"
#include "lapic.h"

/* The fake hardware: an MSR log, a register page and a delivery-status
 * bit that clears after busy_reads reads (or never: -1). */
#define MAX_LOG 32

typedef struct Access {
    uint32_t where; /* MSR number, or MMIO offset */
    uint64_t value;
} Access;

static struct {
    uint32_t page[1024];
    uint64_t apic_base;
    uint64_t msr_value; /* what any other rdmsr returns */
    uint32_t last_rdmsr;
    Access msr_writes[MAX_LOG];
    int msr_count;
    Access mmio_writes[MAX_LOG];
    int mmio_count;
    int busy_reads;
    int relax_calls;
    int fences;
} hw;

static uintptr_t page_base(void)
{
    return (uintptr_t)hw.page;
}

uint32_t lapic_hw_mmio_read(uintptr_t addr)
{
    uint32_t offset = (uint32_t)(addr - page_base());
    assert_true(offset < sizeof(hw.page) && offset % 16 == 0);
    uint32_t v = hw.page[offset / 4];
    if (offset == LAPIC_ICR_LOW && hw.busy_reads != 0) {
        if (hw.busy_reads > 0) {
            hw.busy_reads--;
        }
        v |= LAPIC_ICR_DELIVERY_STATUS;
    }
    return v;
}

void lapic_hw_mmio_write(uintptr_t addr, uint32_t value)
{
    uint32_t offset = (uint32_t)(addr - page_base());
    assert_true(offset < sizeof(hw.page) && offset % 16 == 0);
    hw.page[offset / 4] = value;
    assert_true(hw.mmio_count < MAX_LOG);
    hw.mmio_writes[hw.mmio_count++] = (Access){offset, value};
}

uint64_t lapic_hw_rdmsr(uint32_t msr)
{
    hw.last_rdmsr = msr;
    return msr == MSR_APIC_BASE ? hw.apic_base : hw.msr_value;
}

void lapic_hw_wrmsr(uint32_t msr, uint64_t value)
{
    if (msr == MSR_APIC_BASE) {
        hw.apic_base = value;
    }
    assert_true(hw.msr_count < MAX_LOG);
    hw.msr_writes[hw.msr_count++] = (Access){msr, value};
}

void lapic_hw_relax(void)
{
    hw.relax_calls++;
}

void lapic_hw_fence(void)
{
    hw.fences++;
}

static int reset(void **state)
{
    memset(&hw, 0, sizeof(hw));
    return 0;
}

static void test_x2apic_register_msrs(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    assert_int_equal(lapic_mode(), LAPIC_X2APIC);
    static const struct {
        uint32_t reg, msr;
    } map[] = {
        {LAPIC_TPR, 0x808},        {LAPIC_EOI, 0x80B},       {LAPIC_SVR, 0x80F},
        {LAPIC_ESR, 0x828},        {LAPIC_LVT_TIMER, 0x832}, {LAPIC_LVT_ERROR, 0x837},
        {LAPIC_TIMER_INIT, 0x838}, {LAPIC_TIMER_DIV, 0x83E},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        hw.msr_count = 0;
        lapic_write(map[i].reg, 0x1234 + (uint32_t)i);
        assert_int_equal(hw.msr_count, 1);
        assert_int_equal(hw.msr_writes[0].where, map[i].msr);
        assert_int_equal(hw.msr_writes[0].value, 0x1234 + i);
    }
    hw.msr_value = 0xABCD;
    assert_int_equal(lapic_read(LAPIC_TIMER_COUNT), 0xABCD);
    assert_int_equal(hw.last_rdmsr, 0x839);
    assert_int_equal(hw.mmio_count, 0); /* never touches MMIO */
}

static void test_ids(void **state)
{
    /* x2APIC: the whole 32-bit register is the id. */
    lapic_setup(LAPIC_X2APIC, 0);
    hw.msr_value = 0x12345;
    assert_int_equal(lapic_id(), 0x12345);
    assert_int_equal(hw.last_rdmsr, 0x802);
    /* xAPIC: the id is ID[31:24]. */
    lapic_setup(LAPIC_XAPIC, page_base());
    hw.page[LAPIC_ID / 4] = 0x07000000 | 0x00ABCDEF;
    assert_int_equal(lapic_id(), 7);
}

static void test_xapic_register_mmio(void **state)
{
    lapic_setup(LAPIC_XAPIC, page_base());
    lapic_write(LAPIC_TIMER_INIT, 99);
    assert_int_equal(hw.page[LAPIC_TIMER_INIT / 4], 99);
    hw.page[LAPIC_TIMER_COUNT / 4] = 42;
    assert_int_equal(lapic_read(LAPIC_TIMER_COUNT), 42);
    lapic_eoi();
    assert_int_equal(hw.mmio_writes[hw.mmio_count - 1].where, LAPIC_EOI);
    assert_int_equal(hw.mmio_writes[hw.mmio_count - 1].value, 0);
    assert_int_equal(hw.msr_count, 0);
}

static void test_x2apic_eoi(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    lapic_eoi();
    assert_int_equal(hw.msr_count, 1);
    assert_int_equal(hw.msr_writes[0].where, 0x80B);
    assert_int_equal(hw.msr_writes[0].value, 0);
}

static void test_x2apic_icr(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    uint32_t low = LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | 0x22;
    assert_int_equal(lapic_send_icr(300, low), E_OK);
    assert_int_equal(hw.msr_count, 1);
    assert_int_equal(hw.msr_writes[0].where, MSR_X2APIC_ICR);
    assert_int_equal(hw.msr_writes[0].value, (300ULL << 32) | low);
    assert_int_equal(hw.fences, 1);
}

static void test_xapic_icr(void **state)
{
    lapic_setup(LAPIC_XAPIC, page_base());
    hw.busy_reads = 3; /* a previous IPI still going out */
    uint32_t low = LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | 0x08;
    assert_int_equal(lapic_send_icr(5, low), E_OK);
    /* Destination first (the low write sends), in ICR[63:56]. */
    assert_int_equal(hw.mmio_count, 2);
    assert_int_equal(hw.mmio_writes[0].where, LAPIC_ICR_HIGH);
    assert_int_equal(hw.mmio_writes[0].value, 5U << 24);
    assert_int_equal(hw.mmio_writes[1].where, LAPIC_ICR_LOW);
    assert_int_equal(hw.mmio_writes[1].value, low);
    assert_int_equal(hw.relax_calls, 3);
    assert_int_equal(hw.msr_count, 0);
}

static void test_xapic_icr_errors(void **state)
{
    lapic_setup(LAPIC_XAPIC, page_base());
    /* 0xFF is broadcast and wider ids need x2APIC. */
    assert_int_equal(lapic_send_icr(0xFF, 0x20), E_RANGE);
    assert_int_equal(lapic_send_icr(300, 0x20), E_RANGE);
    assert_int_equal(hw.mmio_count, 0);
    /* Delivery status never clears: nothing is sent. */
    hw.busy_reads = -1;
    assert_int_equal(lapic_send_icr(1, 0x20), E_BUSY);
    assert_int_equal(hw.mmio_count, 0);
    assert_int_equal(hw.relax_calls, LAPIC_ICR_SPIN);
}

static void test_enable_x2apic_from_disabled(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    hw.apic_base = 0xFEE00000 | (1 << 8); /* BSP flag, globally disabled */
    lapic_enable(0xFF);
    /* Disabled -> xAPIC -> x2APIC, never straight to EXTD. */
    assert_int_equal(hw.msr_writes[0].where, MSR_APIC_BASE);
    assert_int_equal(hw.msr_writes[0].value, 0xFEE00000 | (1 << 8) | APIC_BASE_ENABLE);
    assert_int_equal(hw.msr_writes[1].where, MSR_APIC_BASE);
    assert_int_equal(hw.msr_writes[1].value,
                     0xFEE00000 | (1 << 8) | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
    int svr = -1, tpr = -1;
    for (int i = 2; i < hw.msr_count; i++) {
        if (hw.msr_writes[i].where == 0x80F) {
            svr = (int)hw.msr_writes[i].value;
        }
        if (hw.msr_writes[i].where == 0x808) {
            tpr = (int)hw.msr_writes[i].value;
        }
    }
    assert_int_equal(svr, LAPIC_SVR_ENABLE | 0xFF);
    assert_int_equal(tpr, 0);
}

static void test_enable_already_x2apic(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    hw.apic_base = 0xFEE00000 | APIC_BASE_ENABLE | APIC_BASE_X2APIC;
    lapic_enable(0xFF);
    for (int i = 0; i < hw.msr_count; i++) {
        assert_int_not_equal(hw.msr_writes[i].where, MSR_APIC_BASE);
    }
}

static void test_enable_xapic(void **state)
{
    lapic_setup(LAPIC_XAPIC, page_base());
    hw.apic_base = 0xFEE00000;
    lapic_enable(0xFF);
    assert_int_equal(hw.msr_count, 1);
    assert_int_equal(hw.apic_base, 0xFEE00000 | APIC_BASE_ENABLE);
    assert_int_equal(hw.page[LAPIC_SVR / 4], LAPIC_SVR_ENABLE | 0xFF);
    assert_int_equal(hw.page[LAPIC_TPR / 4], 0);
    assert_true(hw.page[LAPIC_LVT_TIMER / 4] & LAPIC_LVT_MASKED);
    assert_true(hw.page[LAPIC_LVT_ERROR / 4] & LAPIC_LVT_MASKED);
}

/* The ICR low words of the start-up sequence and of each IPI kind, with
 * the known values from SDM vol. 3A figure 11-12. */
static void test_icr_encodings(void **state)
{
    assert_int_equal(LAPIC_ICR_INIT | LAPIC_ICR_ASSERT, 0x4500);
    assert_int_equal(LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | 0x08, 0x4608);
    assert_int_equal(ipi_icr_low(IPI_WORK), 0x4021);
    assert_int_equal(ipi_icr_low(IPI_RESCHEDULE), 0x4022);
    /* NMI delivery (100b), vector 0: gets through a CPU's cli. */
    assert_int_equal(ipi_icr_low(IPI_HALT), 0x4400);
    assert_int_equal(ipi_icr_low(IPI_KIND_COUNT), 0);
    assert_int_equal(LAPIC_ICR_DEST_SELF, 0x40000);
    assert_int_equal(LAPIC_ICR_DEST_ALL, 0x80000);
    assert_int_equal(LAPIC_ICR_DEST_ALL_BUT_SELF, 0xC0000);
}

/* "All excluding self" in both modes: destination 0, shorthand in the low
 * word; an NMI halt broadcast is one ICR write. */
static void test_shorthand_all_but_self(void **state)
{
    uint32_t low = ipi_icr_low(IPI_HALT) | LAPIC_ICR_DEST_ALL_BUT_SELF;
    assert_int_equal(low, 0xC4400);
    lapic_setup(LAPIC_X2APIC, 0);
    assert_int_equal(lapic_send_icr(0, low), E_OK);
    assert_int_equal(hw.msr_count, 1);
    assert_int_equal(hw.msr_writes[0].where, MSR_X2APIC_ICR);
    assert_int_equal(hw.msr_writes[0].value, 0xC4400);

    lapic_setup(LAPIC_XAPIC, page_base());
    low = ipi_icr_low(IPI_WORK) | LAPIC_ICR_DEST_ALL_BUT_SELF;
    assert_int_equal(lapic_send_icr(0, low), E_OK);
    assert_int_equal(hw.mmio_count, 2);
    assert_int_equal(hw.mmio_writes[0].where, LAPIC_ICR_HIGH);
    assert_int_equal(hw.mmio_writes[0].value, 0);
    assert_int_equal(hw.mmio_writes[1].where, LAPIC_ICR_LOW);
    assert_int_equal(hw.mmio_writes[1].value, 0xC4021);
}

/* x2APIC addresses ids above 254 (xAPIC refuses them, test above). */
static void test_x2apic_wide_id_nmi(void **state)
{
    lapic_setup(LAPIC_X2APIC, 0);
    assert_int_equal(lapic_send_icr(0x1234, ipi_icr_low(IPI_HALT)), E_OK);
    assert_int_equal(hw.msr_writes[0].value, (0x1234ULL << 32) | 0x4400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_x2apic_register_msrs, reset),
        cmocka_unit_test_setup(test_ids, reset),
        cmocka_unit_test_setup(test_xapic_register_mmio, reset),
        cmocka_unit_test_setup(test_x2apic_eoi, reset),
        cmocka_unit_test_setup(test_x2apic_icr, reset),
        cmocka_unit_test_setup(test_xapic_icr, reset),
        cmocka_unit_test_setup(test_xapic_icr_errors, reset),
        cmocka_unit_test_setup(test_enable_x2apic_from_disabled, reset),
        cmocka_unit_test_setup(test_enable_already_x2apic, reset),
        cmocka_unit_test_setup(test_enable_xapic, reset),
        cmocka_unit_test_setup(test_icr_encodings, reset),
        cmocka_unit_test_setup(test_shorthand_all_but_self, reset),
        cmocka_unit_test_setup(test_x2apic_wide_id_nmi, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
