/*
 * CPU queries and the final jump: the only inline assembly in the loader.
 * Everything here is x86_64 and safe both before and after ExitBootServices.
 */
#include "loader.h"

#define MSR_EFER      0xC0000080u
#define EFER_NXE      (1u << 11)
#define CR4_LA57      (1ULL << 12)
#define COM1          0x3F8
#define COM1_LSR      (COM1 + 5)
#define LSR_THR_EMPTY 0x20

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static uint32_t cpuid_max_ext(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000000u, &a, &b, &c, &d);
    return a;
}

int cpu_has_1g_pages(void)
{
    uint32_t a, b, c, d;
    if (cpuid_max_ext() < 0x80000001u)
        return 0;
    cpuid(0x80000001u, &a, &b, &c, &d);
    return (d >> 26) & 1; /* Page1GB */
}

unsigned cpu_phys_bits(void)
{
    uint32_t a, b, c, d;
    if (cpuid_max_ext() < 0x80000008u)
        return 36;
    cpuid(0x80000008u, &a, &b, &c, &d);
    return a & 0xFF;
}

uint32_t cpu_apic_id(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    return b >> 24; /* initial APIC ID */
}

int cpu_nx_enabled(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
    return (lo & EFER_NXE) != 0;
}

int cpu_la57_enabled(void)
{
    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    return (cr4 & CR4_LA57) != 0;
}

/* Last-resort report after ExitBootServices, when ConOut is gone. Polls
 * with a bound so a machine without COM1 does not hang here. */
void cpu_serial_puts(const char *s)
{
    for (; *s; s++) {
        for (int spin = 0; spin < 100000; spin++) {
            uint8_t lsr;
            __asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)COM1_LSR));
            if (lsr & LSR_THR_EMPTY)
                break;
        }
        __asm__ volatile("outb %0, %1" : : "a"((uint8_t)*s), "Nd"((uint16_t)COM1));
    }
}

_Noreturn void cpu_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

/*
 * Register contract at the kernel entry: interrupts off, CR3 = cr3, rdi =
 * arg, rsp = the loader's stack (identity mapped; the kernel switches away
 * at once). The CR3 load and the jump are one asm block so nothing touches
 * memory in between; the code running it is identity mapped by the new
 * tables, so the instruction after the CR3 write is still there.
 */
_Noreturn void cpu_enter_kernel(uint64_t cr3, uint64_t entry, uint64_t arg)
{
    __asm__ volatile("cli\n\t"
                     "mov %0, %%cr3\n\t"
                     "jmp *%1"
                     :
                     : "r"(cr3), "r"(entry), "D"(arg)
                     : "memory");
    __builtin_unreachable();
}
