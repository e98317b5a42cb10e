/*
 * test_syscalls: every syscall's success path and documented errors, bad
 * pointers of every class (null, kernel, unmapped, misaligned, wrapping),
 * handle checks (stale, forged, wrong type, reduced rights), lazy
 * zero-filled mappings, threads, and (x86_64) the int 0x69 channel giving
 * the same answers as SYSCALL. Runs with every right (`all`).
 */
#include <anos/elf64.h>
#include <libanos.h>
#include <string.h>

#include "tap.h"

#define PROG "test_syscalls"
#define PAGE 4096ull

/* Addresses that must be refused. */
#define KERNEL_ADDR   0xFFFFFFFF80200000ull
#define DIRECT_MAP    0xFFFF800000001000ull
#define NONCANONICAL  0x0000900000000000ull
#define UNMAPPED_ADDR 0x0000200000000000ull /* in the user half, in no region */
#define NEAR_TOP      (ANOS_USER_TOP - 8)

static int64_t raw(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return anos_syscall(nr, a0, a1, a2, 0, 0, 0);
}

static void test_numbers(void)
{
    tap_eq(anos_nop(), 0, "nop");
    static const uint64_t unknown[] = {SYS_COUNT, 64, 127, 128, 1000, ~0ull};
    bool ok = true;
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        ok &= raw(unknown[i], 0, 0, 0) == E_NOSYS;
    }
    tap_check(ok, "unknown_numbers_enosys", "an unknown number was accepted");
    static const uint64_t reserved[] = {23, 27, 31, 40,
                                        59}; /* unassigned numbers below SYS_COUNT */
    ok = true;
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        ok &= raw(reserved[i], 0, 0, 0) == E_NOSYS;
    }
    tap_check(ok, "reserved_numbers_enosys", "a reserved number did something");
}

static void test_debug_write(void)
{
    tap_eq(anos_debug_write("# test_syscalls: hello\n", 23), 23, "debug_write");
    bool ok = anos_debug_write(NULL, 5) == E_FAULT &&
              anos_debug_write((const char *)KERNEL_ADDR, 5) == E_FAULT &&
              anos_debug_write((const char *)DIRECT_MAP, 5) == E_FAULT &&
              anos_debug_write((const char *)NONCANONICAL, 5) == E_FAULT &&
              anos_debug_write((const char *)UNMAPPED_ADDR, 5) == E_FAULT &&
              anos_debug_write((const char *)NEAR_TOP, 16) == E_FAULT &&
              anos_debug_write("x", ~0ull) == E_FAULT;
    tap_check(ok, "debug_write_bad_pointers", "a bad buffer was accepted");
}

static void test_meminfo_and_lazy(void)
{
    AnosMemInfo before, after;
    tap_check(anos_meminfo(&before) == 0 && before.page_size == PAGE &&
                  before.free_pages <= before.total_pages && before.process_pages > 0,
              "meminfo", "page %llu free %llu total %llu", (unsigned long long)before.page_size,
              (unsigned long long)before.free_pages, (unsigned long long)before.total_pages);
    static uint64_t words[3];
    bool ok = anos_meminfo(NULL) == E_FAULT &&
              anos_meminfo((AnosMemInfo *)KERNEL_ADDR) == E_FAULT &&
              anos_meminfo((AnosMemInfo *)((char *)words + 4)) == E_ALIGN &&
              anos_meminfo((AnosMemInfo *)UNMAPPED_ADDR) == E_FAULT;
    tap_check(ok, "meminfo_bad_pointers", "a bad pointer was accepted");

    const uint64_t pages = 16;
    int64_t addr = anos_map_anon(0, pages * PAGE, ANOS_PROT_READ | ANOS_PROT_WRITE);
    tap_check(addr >= (int64_t)ANOS_MAP_BASE, "map_anon", "got %lld", (long long)addr);
    if (addr < 0) {
        return;
    }
    anos_meminfo(&before);
    bool zero = true;
    volatile uint64_t *p = (volatile uint64_t *)addr;
    for (uint64_t i = 0; i < pages; i++) {
        for (uint64_t w = 0; w < PAGE / 8; w += 64) {
            zero &= p[i * PAGE / 8 + w] == 0;
        }
        p[i * PAGE / 8] = i + 1;
    }
    anos_meminfo(&after);
    tap_check(zero && p[3 * PAGE / 8] == 4, "lazy_pages_zeroed", "a fresh page was not zero");
    tap_eq((int64_t)(after.process_pages - before.process_pages), pages, "lazy_pages_counted");
    /* The kernel copies into a page nobody touched yet: the copy faults it in. */
    int64_t fresh = anos_map_anon(0, PAGE, ANOS_PROT_READ | ANOS_PROT_WRITE);
    tap_check(fresh > 0 && anos_meminfo((AnosMemInfo *)fresh) == 0 &&
                  ((AnosMemInfo *)fresh)->page_size == PAGE,
              "copy_to_lazy_page", "copy into an untouched page failed");
    anos_meminfo(&before);
    tap_check(anos_unmap((uintptr_t)addr, pages * PAGE) == 0, "unmap", "failed");
    anos_meminfo(&after);
    tap_eq((int64_t)(before.process_pages - after.process_pages), pages, "unmap_frees_pages");
    tap_eq(anos_map_anon((uintptr_t)addr, PAGE, ANOS_PROT_READ), addr, "map_anon_fixed_address");
    tap_eq(anos_map_anon((uintptr_t)addr, PAGE, ANOS_PROT_READ), E_EXIST, "map_anon_overlap");
}

static void test_map_anon_errors(void)
{
    const uint64_t rw = ANOS_PROT_READ | ANOS_PROT_WRITE;
    tap_eq(anos_map_anon(0, 0, rw), E_INVAL, "map_anon_size_zero");
    tap_eq(anos_map_anon(0, PAGE - 1, rw), E_ALIGN, "map_anon_size_unaligned");
    tap_eq(anos_map_anon(UNMAPPED_ADDR + 8, PAGE, rw), E_ALIGN, "map_anon_addr_unaligned");
    tap_eq(anos_map_anon(0, PAGE, 8), E_INVAL, "map_anon_unknown_prot");
    tap_eq(anos_map_anon(0, PAGE, ANOS_PROT_WRITE | ANOS_PROT_EXEC), E_PERM, "map_anon_w_and_x");
    bool ok = anos_map_anon(KERNEL_ADDR, PAGE, rw) == E_FAULT &&
              anos_map_anon(PAGE, PAGE, rw) == E_FAULT &&
              anos_map_anon(ANOS_USER_TOP - PAGE, 2 * PAGE, rw) == E_FAULT &&
              anos_map_anon(ANOS_USER_TOP - PAGE, ~0ull & ~(PAGE - 1), rw) == E_FAULT;
    tap_check(ok, "map_anon_bad_ranges", "a bad range was accepted");
    tap_eq(anos_unmap(0, PAGE), E_FAULT, "unmap_null");
    tap_eq(anos_unmap(UNMAPPED_ADDR, PAGE), E_NOENT, "unmap_nothing_there");
    tap_eq(anos_unmap(UNMAPPED_ADDR, 0), E_INVAL, "unmap_size_zero");
}

/* The program's first segment (from its own ELF header at 0x400000) is an
 * image region: the program cannot unmap itself. */
static void test_unmap_image(void)
{
    const Elf64Header *eh = (const Elf64Header *)0x400000;
    const Elf64Phdr *ph = (const Elf64Phdr *)(0x400000 + eh->e_phoff);
    uint64_t size = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == ELF_PT_LOAD && ph[i].p_vaddr == 0x400000) {
            size = (ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1);
        }
    }
    tap_eq(size != 0 ? anos_unmap(0x400000, size) : -1, E_PERM, "unmap_image_refused");
}

static void test_phys_and_handles(void)
{
    uint64_t pa = 0;
    static uint64_t words[2];
    tap_eq(anos_alloc_phys(0, &pa), E_INVAL, "alloc_phys_zero");
    tap_eq(anos_alloc_phys(100000, &pa), E_RANGE, "alloc_phys_too_many");
    tap_eq(anos_alloc_phys(1, (uint64_t *)((char *)words + 4)), E_ALIGN, "alloc_phys_misaligned");
    tap_eq(anos_alloc_phys(1, (uint64_t *)KERNEL_ADDR), E_FAULT, "alloc_phys_kernel_pointer");
    int64_t h = anos_alloc_phys(2, &pa);
    tap_check(h > 0 && pa != 0 && (pa & (PAGE - 1)) == 0, "alloc_phys", "h %lld pa %llx",
              (long long)h, (unsigned long long)pa);
    if (h <= 0) {
        return;
    }
    const uint64_t rw = ANOS_PROT_READ | ANOS_PROT_WRITE;
    int64_t va = anos_map_phys((Handle)h, 0, 0, 0, rw);
    bool ok = va > 0;
    if (ok) {
        volatile uint32_t *m = (volatile uint32_t *)va;
        ok = m[0] == 0 && m[2047] == 0;
        m[1500] = 0xC0FFEE;
        ok &= m[1500] == 0xC0FFEE;
    }
    tap_check(ok, "map_phys_rw", "va %lld", (long long)va);
    tap_eq(anos_map_phys((Handle)h, 0, 100, 0, rw), E_ALIGN, "map_phys_offset_unaligned");
    tap_eq(anos_map_phys((Handle)h, 0, 2 * PAGE, 0, rw), E_RANGE, "map_phys_offset_beyond");
    tap_eq(anos_map_phys((Handle)h, 0, PAGE, 2 * PAGE, rw), E_RANGE, "map_phys_size_beyond");
    tap_eq(anos_map_phys((Handle)h, 0, 0, 0, 8), E_INVAL, "map_phys_unknown_prot");
    /* A stale handle (another generation of the same slot) and forged ones. */
    Handle stale = (Handle)h + (1ull << HANDLE_INDEX_BITS);
    tap_eq(anos_map_phys(stale, 0, 0, 0, rw), E_NOENT, "stale_generation_refused");
    ok = anos_map_phys(12345, 0, 0, 0, rw) == E_NOENT &&
         anos_map_phys(HANDLE_NONE, 0, 0, 0, rw) == E_NOENT &&
         anos_map_phys((Handle)h | HANDLE_RESERVED, 0, 0, 0, rw) == E_NOENT;
    tap_check(ok, "forged_handles_refused", "a forged handle was accepted");
    tap_eq(anos_process_wait((Handle)h), E_INVAL, "wrong_type_refused");
    /* Reduced rights: read-only map handle, and a handle without RIGHT_MAP. */
    int64_t ro = anos_handle_dup((Handle)h, RIGHT_READ | RIGHT_MAP);
    tap_check(ro > 0 && anos_map_phys((Handle)ro, 0, 0, 0, rw) == E_PERM &&
                  anos_map_phys((Handle)ro, 0, 0, PAGE, ANOS_PROT_READ) > 0,
              "reduced_rights_read_only", "ro %lld", (long long)ro);
    int64_t nomap = anos_handle_dup((Handle)h, RIGHT_READ);
    tap_check(nomap > 0 && anos_map_phys((Handle)nomap, 0, 0, 0, ANOS_PROT_READ) == E_PERM &&
                  anos_handle_dup((Handle)nomap, RIGHT_READ) == E_PERM,
              "reduced_rights_no_map_no_dup", "nomap %lld", (long long)nomap);
    tap_eq(ro > 0 ? anos_handle_dup((Handle)ro, RIGHT_READ | RIGHT_WRITE) : -1, E_PERM,
           "dup_cannot_add_rights");
    tap_eq(anos_syscall(SYS_HANDLE_DUP, (Handle)h, 1ull << 40, 0, 0, 0, 0), E_INVAL,
           "dup_rights_above_32_bits");
    tap_eq(anos_handle_close((Handle)h), 0, "handle_close");
    tap_eq(anos_handle_close((Handle)h), E_NOENT, "handle_close_twice");
    tap_eq(anos_map_phys((Handle)h, 0, 0, 0, ANOS_PROT_READ), E_NOENT, "closed_handle_refused");
    /* The mapping made before the close still works: it holds the range. */
    tap_check(va > 0 && ((volatile uint32_t *)va)[1500] == 0xC0FFEE, "mapping_outlives_handle",
              "data lost");
}

static void test_process_create_errors(void)
{
    static uint64_t words[32];
    static char garbage[4096];
    memset(garbage, 'x', sizeof(garbage));
    AnosProcessSpec spec = {.elf = garbage, .elf_size = sizeof(garbage), .cpu = ANOS_CPU_ANY};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    tap_eq(anos_process_create(NULL), E_FAULT, "create_null_spec");
    tap_eq(anos_process_create((const AnosProcessSpec *)((char *)words + 4)), E_ALIGN,
           "create_misaligned_spec");
    tap_eq(anos_process_create((const AnosProcessSpec *)KERNEL_ADDR), E_FAULT,
           "create_kernel_spec");
    tap_eq(anos_process_create(&spec), E_CORRUPT, "create_garbage_elf");
    AnosProcessSpec s = spec;
    s.elf_size = 0;
    tap_eq(anos_process_create(&s), E_INVAL, "create_empty_elf");
    s = spec;
    s.elf = (const void *)KERNEL_ADDR;
    tap_eq(anos_process_create(&s), E_FAULT, "create_kernel_elf_pointer");
    s = spec;
    s.argc = 1000;
    tap_eq(anos_process_create(&s), E_INVAL, "create_too_many_args");
    s = spec;
    s.argc = 1;
    s.argv = (const char *const *)UNMAPPED_ADDR;
    tap_eq(anos_process_create(&s), E_FAULT, "create_unmapped_argv");
    s = spec;
    s.cpu = 1000;
    tap_eq(anos_process_create(&s), E_INVAL, "create_bad_cpu");
    s = spec;
    s.elf_size = 1ull << 40;
    tap_eq(anos_process_create(&s), E_RANGE, "create_huge_elf");
}

static volatile int thread_ran;
static _Alignas(16) uint8_t thread_stack[16384];

static void thread_body(void *arg)
{
    thread_ran = (int)(uintptr_t)arg;
}

static void test_threads_and_time(void)
{
    tap_eq(anos_thread_create(KERNEL_ADDR, (uintptr_t)(thread_stack + sizeof(thread_stack)), 0),
           E_FAULT, "thread_kernel_entry");
    tap_eq(anos_thread_create((uintptr_t)thread_body, 0, 0), E_FAULT, "thread_null_stack");
    int64_t tid = anos_thread_start(thread_body, (void *)1, thread_stack, sizeof(thread_stack));
    int64_t start = anos_clock_ns();
    while (!thread_ran && anos_clock_ns() - start < 2000000000) {
        anos_yield();
    }
    tap_check(tid > 0 && thread_ran, "thread_create_runs", "tid %lld ran %d", (long long)tid,
              thread_ran);
    int64_t t0 = anos_clock_ns();
    tap_eq(anos_sleep_ns(2000000), 0, "sleep");
    int64_t t1 = anos_clock_ns();
    tap_check(t1 - t0 >= 2000000, "sleep_at_least_asked", "slept %lld ns", (long long)(t1 - t0));
    tap_eq(anos_yield(), 0, "yield");
}

__attribute__((unused)) static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The firmware root, one table it points to, and refusals of memory that
 * is not firmware tables. */
static void test_firmware_map(void)
{
    int64_t root = anos_firmware_map(0, 0);
    const uint8_t *r = (const uint8_t *)root;
#if defined(__x86_64__)
    bool ok = root > 0 && memcmp(r, "RSD PTR ", 8) == 0 && r[15] >= 2;
    tap_check(ok, "firmware_root_is_rsdp", "root %lld", (long long)root);
    uint64_t xsdt_phys = 0;
    if (ok) {
        memcpy(&xsdt_phys, r + 24, sizeof(xsdt_phys));
    }
    int64_t xsdt = xsdt_phys != 0 ? anos_firmware_map(xsdt_phys, 36) : -1;
    tap_check(xsdt > 0 && memcmp((const void *)xsdt, "XSDT", 4) == 0, "firmware_table_mapped",
              "xsdt at %llx: %lld", (unsigned long long)xsdt_phys, (long long)xsdt);
    const uint64_t device = 0xFEE00000ull; /* the local APIC */
#else
    bool ok = root > 0 && be32(r) == 0xD00DFEEDu && be32(r + 4) >= 40;
    tap_check(ok, "firmware_root_is_devicetree", "root %lld", (long long)root);
    /* The strings block, by the header's offset: inside the same blob. */
    tap_check(ok && be32(r + 12) < be32(r + 4), "firmware_table_mapped", "bad header");
    const uint64_t device = 0x10000000ull; /* the UART */
#endif
    uint64_t ram_pa = 0;
    int64_t h = anos_alloc_phys(1, &ram_pa);
    tap_eq(h > 0 ? anos_firmware_map(ram_pa, 64) : -1, E_PERM, "firmware_map_refuses_ram");
    tap_eq(anos_firmware_map(device, 64), E_PERM, "firmware_map_refuses_devices");
    tap_eq(anos_firmware_map(device, 0), E_INVAL, "firmware_map_size_zero");
    tap_eq(anos_firmware_map(~0ull - 8, 64), E_RANGE, "firmware_map_wraps");
    if (h > 0) {
        anos_handle_close((Handle)h);
    }
}

#if defined(__x86_64__)
#define IRQ_SOURCE 0 /* MSI: the kernel picks the vector */
#else
#define IRQ_SOURCE 11 /* QEMU virt's goldfish RTC: no kernel driver uses it */
#endif

static void test_irq(void)
{
    static AnosIrqInfo info_words[2];
    AnosIrqInfo info;
    int64_t h = anos_irq_alloc(IRQ_SOURCE, &info);
    tap_check(h > 0, "irq_alloc", "got %lld", (long long)h);
#if defined(__x86_64__)
    tap_check((info.msi_address >> 20) == 0xFEE && info.msi_data >= 0x30 && info.msi_data <= 0xEF &&
                  info.msi_data != 0x69 && info.source == info.msi_data,
              "irq_alloc_msi_info", "address %llx data %x", (unsigned long long)info.msi_address,
              info.msi_data);
    AnosIrqInfo other;
    int64_t h2 = anos_irq_alloc(0, &other);
    tap_check(h2 > 0 && other.msi_data != info.msi_data, "irq_alloc_distinct_vectors",
              "%lld: %x and %x", (long long)h2, info.msi_data, other.msi_data);
    anos_handle_close((Handle)h2);
    tap_eq(anos_syscall(SYS_IRQ_ALLOC, 0, 0, 0, 0, 0, 0), E_FAULT, "irq_alloc_null_info");
#else
    tap_check(info.source == IRQ_SOURCE && info.msi_address == 0, "irq_alloc_plic_info",
              "source %u", info.source);
    tap_eq(anos_irq_alloc(IRQ_SOURCE, &info), E_BUSY, "irq_alloc_busy");
    tap_eq(anos_irq_alloc(0, &info), E_INVAL, "irq_alloc_bad_source");
#endif
    tap_eq(anos_irq_alloc(IRQ_SOURCE, (AnosIrqInfo *)((char *)info_words + 4)), E_ALIGN,
           "irq_alloc_misaligned_info");
    tap_eq(h > 0 ? anos_irq_wait((Handle)h, 2000000) : -1, E_AGAIN, "irq_wait_times_out");
    int64_t nowait = h > 0 ? anos_handle_dup((Handle)h, RIGHT_TRANSFER) : -1;
    tap_eq(nowait > 0 ? anos_irq_wait((Handle)nowait, 1000) : -1, E_PERM, "irq_wait_needs_right");
    uint64_t pa;
    int64_t range = anos_alloc_phys(1, &pa);
    tap_eq(anos_irq_wait((Handle)range, 1000), E_INVAL, "irq_wait_wrong_type");
    anos_handle_close((Handle)range);
    anos_handle_close((Handle)nowait);
    tap_eq(anos_handle_close((Handle)h), 0, "irq_close");
    int64_t again = anos_irq_alloc(IRQ_SOURCE, &info);
    tap_check(again > 0, "irq_alloc_after_release", "got %lld", (long long)again);
    anos_handle_close((Handle)again);
}

static void test_klog(void)
{
    static char buf[256];
    static uint64_t seq_words[2];
    uint64_t seq = 0;
    int64_t n = anos_klog_read(buf, sizeof(buf), &seq);
    tap_check(n > 0 && seq >= (uint64_t)n, "klog_read", "n %lld seq %llu", (long long)n,
              (unsigned long long)seq);
    tap_eq(anos_klog_read(NULL, 16, &seq), E_FAULT, "klog_read_null_buffer");
    tap_eq(anos_klog_read(buf, 16, (uint64_t *)((char *)seq_words + 4)), E_ALIGN,
           "klog_read_misaligned_seq");
}

/* IPC arguments: the area pointer, the priority level, and a failed
 * message call, which must hand back zeroed message registers rather
 * than whatever they held. */
static void test_ipc_arguments(void)
{
    static AnosIpcArea area;
    bool ok = anos_ipc_area((AnosIpcArea *)KERNEL_ADDR) == E_FAULT &&
              anos_ipc_area((AnosIpcArea *)((uintptr_t)&area + 4)) == E_ALIGN &&
              anos_ipc_area((AnosIpcArea *)0x1000) == E_FAULT && anos_ipc_area(&area) == 0 &&
              anos_ipc_area(NULL) == 0;
    tap_check(ok, "ipc_area_checked", "a bad IPC area was accepted");
    tap_check(anos_thread_priority(255) == E_INVAL && anos_thread_priority(1000) == E_INVAL &&
                  anos_thread_priority(128) == 0,
              "thread_priority_checked", "a bad level was accepted");
    AnosIpcMsg m = {.tag = 0x1234, .words = {1, 2, 3, 4}};
    int64_t r = anos_call(HANDLE_NONE, &m);
    tap_check(r == E_NOENT && m.tag == 0 && m.words[0] == 0 && m.words[3] == 0,
              "failed_call_zeroes_message", "result %lld, tag %llx", (long long)r,
              (unsigned long long)m.tag);
}

#if defined(__x86_64__)
/* The deprecated channel: the same registers, the same answers. */
static int64_t int69(uint64_t nr, uint64_t a0, uint64_t a1)
{
    int64_t ret;
    __asm__ volatile("int $0x69"
                     : "=a"(ret), "+D"(a0), "+S"(a1)
                     : "a"(nr)
                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory");
    return ret;
}
#define SLOW_TESTS 1
static void test_slow_channel(void)
{
    bool ok = int69(SYS_NOP, 0, 0) == 0 && int69(SYS_COUNT, 0, 0) == E_NOSYS &&
              int69(SYS_DEBUG_WRITE, (uint64_t)"# int 0x69 works\n", 17) == 17 &&
              int69(SYS_DEBUG_WRITE, 0, 5) == E_FAULT;
    tap_check(ok, "int_0x69_same_results", "a result differed from SYSCALL's");
}
#else
#define SLOW_TESTS 0
#endif

int main(void)
{
    tap_plan(PROG, 84 + SLOW_TESTS);
    test_numbers();
    test_debug_write();
    test_meminfo_and_lazy();
    test_map_anon_errors();
    test_unmap_image();
    test_phys_and_handles();
    test_process_create_errors();
    test_threads_and_time();
    test_klog();
    test_firmware_map();
    test_irq();
    test_ipc_arguments();
#if SLOW_TESTS
    test_slow_channel();
#endif
    return tap_done();
}
