/*
 * The ELF64 structures and constants the loader needs (System V gABI and the
 * x86_64 psABI). Written from the spec; only the fields we read.
 */
#ifndef BOOT_UEFI_ELF64_H
#define BOOT_UEFI_ELF64_H

#include <stdint.h>

#define ELF_MAG0       0x7F
#define ELF_MAG1       'E'
#define ELF_MAG2       'L'
#define ELF_MAG3       'F'
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_EV_CURRENT 1
#define ELF_ET_EXEC    2
#define ELF_EM_X86_64  62
#define ELF_PT_LOAD    1
#define ELF_PF_X       1
#define ELF_PF_W       2
#define ELF_PF_R       4

enum {
    ELF_EI_MAG0 = 0,
    ELF_EI_CLASS = 4,
    ELF_EI_DATA = 5,
    ELF_EI_VERSION = 6,
    ELF_EI_NIDENT = 16,
};

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
