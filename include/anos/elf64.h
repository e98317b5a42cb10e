/*
 * ELF64 file structures and the constants Anos's loaders use (System V gABI,
 * the x86_64 and RISC-V psABIs), written from the specifications. Shared by
 * the kernel's user-program loader, host tools and tests; no code.
 */
#ifndef ANOS_ELF64_H
#define ANOS_ELF64_H

#include <stdint.h>

/* e_ident */
#define ELF_MAG0       0x7F
#define ELF_MAG1       'E'
#define ELF_MAG2       'L'
#define ELF_MAG3       'F'
#define ELF_CLASS32    1
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_DATA2MSB   2
#define ELF_EV_CURRENT 1

enum {
    ELF_EI_MAG0 = 0,
    ELF_EI_CLASS = 4,
    ELF_EI_DATA = 5,
    ELF_EI_VERSION = 6,
    ELF_EI_OSABI = 7,
    ELF_EI_NIDENT = 16,
};

/* e_type */
#define ELF_ET_NONE 0
#define ELF_ET_REL  1
#define ELF_ET_EXEC 2
#define ELF_ET_DYN  3
#define ELF_ET_CORE 4

/* e_machine */
#define ELF_EM_X86_64 62
#define ELF_EM_RISCV  243

/* e_flags on EM_RISCV (RISC-V ELF psABI). */
#define ELF_EF_RISCV_RVC              0x0001
#define ELF_EF_RISCV_FLOAT_ABI        0x0006 /* mask */
#define ELF_EF_RISCV_FLOAT_ABI_SOFT   0x0000
#define ELF_EF_RISCV_FLOAT_ABI_SINGLE 0x0002
#define ELF_EF_RISCV_FLOAT_ABI_DOUBLE 0x0004
#define ELF_EF_RISCV_FLOAT_ABI_QUAD   0x0006
#define ELF_EF_RISCV_RVE              0x0008
#define ELF_EF_RISCV_TSO              0x0010

/* e_phnum value meaning "the real count is in section header 0". */
#define ELF_PN_XNUM 0xFFFF

/* p_type */
#define ELF_PT_NULL             0
#define ELF_PT_LOAD             1
#define ELF_PT_DYNAMIC          2
#define ELF_PT_INTERP           3
#define ELF_PT_NOTE             4
#define ELF_PT_SHLIB            5
#define ELF_PT_PHDR             6
#define ELF_PT_TLS              7
#define ELF_PT_GNU_EH_FRAME     0x6474E550
#define ELF_PT_GNU_STACK        0x6474E551
#define ELF_PT_GNU_RELRO        0x6474E552
#define ELF_PT_GNU_PROPERTY     0x6474E553
#define ELF_PT_RISCV_ATTRIBUTES 0x70000003

/* p_flags */
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

typedef struct Elf64Header {
    uint8_t e_ident[ELF_EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf64Header;

typedef struct Elf64Phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} Elf64Phdr;

_Static_assert(sizeof(Elf64Header) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(Elf64Phdr) == 56, "ELF64 program header is 56 bytes");

#endif
