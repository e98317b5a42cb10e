# x86_64: kernel flags, NASM sources, the UEFI loader and the GPT/FAT32 image.

ARCH_CFLAGS := --target=x86_64-unknown-elf -mcmodel=kernel -mno-red-zone \
    -mgeneral-regs-only -mno-sse -mno-mmx -mno-avx
ARCH_LDFLAGS := -nostdlib -static -z max-page-size=4096 --no-dynamic-linker
ARCH_OBJ_FORMAT := elf64-x86-64
KERNEL_LDS := kernel/arch/x86_64/kernel.ld

ARCH_ASM_SRCS := $(sort $(wildcard kernel/arch/x86_64/*.asm))
ARCH_ASM_OBJS := $(patsubst %.asm,$(BUILD)/obj/%.o,$(ARCH_ASM_SRCS))

$(BUILD)/obj/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -F dwarf -Ikernel/arch/x86_64/ -MD $(@:.o=.d) -o $@ $<

-include $(ARCH_ASM_OBJS:.o=.d)

include mk/uefi.mk
