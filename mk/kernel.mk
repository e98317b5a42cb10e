# STAGE3: generic kernel sources plus kernel/arch/$(ARCH). The arch fragment
# (mk/arch-$(ARCH).mk) sets ARCH_CFLAGS, ARCH_LDFLAGS, KERNEL_LDS and
# ARCH_ASM_OBJS; everything else is shared.

KERNEL_C_SRCS := $(sort $(wildcard kernel/lib/*.c kernel/mm/*.c kernel/sched/*.c kernel/smp/*.c kernel/init/*.c \
    kernel/bench/*.c kernel/cap/*.c kernel/proc/*.c kernel/syscall/*.c kernel/ipc/*.c kernel/arch/$(ARCH)/*.c))
KERNEL_C_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(KERNEL_C_SRCS))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS_COMMON) $(ARCH_CFLAGS) $(FILE_CFLAGS) -MMD -MP -c -o $@ $<

# Syscall handlers are called straight from the entry code: a leaf handler
# (the null syscall, clock) needs no frame, and a backtrace loses nothing
# through a leaf.
$(BUILD)/obj/kernel/syscall/%.o: FILE_CFLAGS := -momit-leaf-frame-pointer

-include $(KERNEL_C_OBJS:.o=.d)

$(KERNEL_ELF): $(KERNEL_C_OBJS) $(ARCH_ASM_OBJS) $(RAMFS_OBJ) $(KERNEL_LDS)
	$(LD) $(ARCH_LDFLAGS) -T $(KERNEL_LDS) -o $@ $(ARCH_ASM_OBJS) $(KERNEL_C_OBJS) $(RAMFS_OBJ)

# NASM's DWARF names its sources in a way llvm-objdump resolves against the
# wrong directory, so it warns for every .asm file while interleaving source;
# the warnings go to a file, and are shown only if objdump fails.
$(KERNEL_DIS): $(KERNEL_ELF)
	$(OBJDUMP) -d -S --no-show-raw-insn $< > $@ 2> $@.warnings || { cat $@.warnings; false; }
