# x86_64 UEFI loader (BOOTX64.EFI) and the bootable GPT disk image.
# Included from mk/arch-x86_64.mk. CMDLINE goes into \EFI\anos\cmdline.txt.
#   make ARCH=x86_64 image CMDLINE="log=debug"

CMDLINE ?=

UEFI_SRCS := $(sort $(wildcard boot/uefi/*.c))
UEFI_OBJS := $(patsubst %.c,$(BUILD)/uefi/obj/%.o,$(UEFI_SRCS))
UEFI_EFI := $(BUILD)/uefi/BOOTX64.EFI

# gnu-efi's headers only (no gnu-efi libraries); PE/COFF through clang's
# Windows target, MS calling convention by default.
UEFI_CFLAGS := --target=x86_64-unknown-windows -std=c17 -ffreestanding -nostdlibinc \
    -fshort-wchar -mno-red-zone -mno-stack-arg-probe -fno-stack-protector \
    -mgeneral-regs-only -fno-builtin $(OPT_FLAGS) $(WARN_FLAGS) \
    -Iinclude -I/usr/include/efi -I/usr/include/efi/x86_64
UEFI_LDFLAGS := -subsystem:efi_application -entry:efi_main -nodefaultlib -Brepro

$(BUILD)/uefi/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UEFI_CFLAGS) -MMD -MP -c -o $@ $<

-include $(UEFI_OBJS:.o=.d)

$(UEFI_EFI): $(UEFI_OBJS)
	$(LLD_LINK) $(UEFI_LDFLAGS) -out:$@ $^

# The image is rebuilt when the command line changes: the stamp holds it.
UEFI_CMDLINE_STAMP := $(BUILD)/uefi/cmdline.txt
$(UEFI_CMDLINE_STAMP): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' "$(CMDLINE)" | cmp -s - $@ || printf '%s\n' "$(CMDLINE)" > $@

ARCH_IMAGE := $(BUILD)/anos-uefi.img

$(ARCH_IMAGE): $(UEFI_EFI) $(KERNEL_ELF) $(UEFI_CMDLINE_STAMP) tools/mkimage
	tools/mkimage $@ $(UEFI_EFI) $(KERNEL_ELF) "$(CMDLINE)"

.PHONY: FORCE uefi
FORCE:
uefi: $(UEFI_EFI)
