# riscv64: kernel flags and .S sources. OpenSBI enters the kernel ELF directly
# (QEMU -kernel), so the "image" is the kernel ELF itself for now.

# The kernel uses no FPU registers: integer-only ISA and ABI.
ARCH_CFLAGS := --target=riscv64-unknown-elf -march=rv64imac_zicsr_zifencei \
    -mabi=lp64 -mcmodel=medany -mno-relax
ARCH_LDFLAGS := -nostdlib -static -z max-page-size=4096 --no-dynamic-linker \
    --no-relax
ARCH_OBJ_FORMAT := elf64-littleriscv
KERNEL_LDS := kernel/arch/riscv64/kernel.ld

ARCH_ASM_SRCS := $(sort $(wildcard kernel/arch/riscv64/*.S))
ARCH_ASM_OBJS := $(patsubst %.S,$(BUILD)/obj/%.o,$(ARCH_ASM_SRCS))

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS_COMMON) $(ARCH_CFLAGS) -MMD -MP -c -o $@ $<

-include $(ARCH_ASM_OBJS:.o=.d)

ARCH_IMAGE := $(KERNEL_ELF)
