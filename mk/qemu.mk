# Running Anos in QEMU. SMP and MEM apply to every target; CMDLINE is the
# kernel command line (riscv64: -append; x86_64: written into the image).
#   make run            headless, serial on the terminal, returns at power-off
#   make qemu-uefi      the same with a display window (when one exists)
#   make debug-qemu-uefi        QEMU waiting for GDB, and GDB attached
#   make debug-qemu-uefi-start  QEMU waiting for GDB on localhost:9666 only

GDB_PORT := 9666

ifeq ($(ARCH),x86_64)
OVMF_CODE := /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS_TEMPLATE := /usr/share/OVMF/OVMF_VARS_4M.fd
OVMF_VARS := $(BUILD)/OVMF_VARS.fd
QEMU := qemu-system-x86_64
QEMU_BASE = -machine q35 -cpu Haswell-v4 -smp $(SMP) -m $(MEM) \
    -drive if=pflash,format=raw,unit=0,readonly=on,file=$(OVMF_CODE) \
    -drive if=pflash,format=raw,unit=1,file=$(OVMF_VARS) \
    -drive format=raw,file=$(ARCH_IMAGE) -net none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_DEPS = $(ARCH_IMAGE) $(OVMF_VARS)
$(OVMF_VARS): $(OVMF_VARS_TEMPLATE)
	@mkdir -p $(dir $@)
	cp $< $@
else
QEMU := qemu-system-riscv64
QEMU_BASE = -machine virt -smp $(SMP) -m $(MEM) -bios default \
    -kernel $(KERNEL_ELF) -append "$(CMDLINE)" -no-reboot
QEMU_DEPS = $(KERNEL_ELF)
endif

QEMU_HEADLESS = -display none -serial mon:stdio
QEMU_WINDOW = -serial mon:stdio

run: deps $(QEMU_DEPS)
	$(QEMU) $(QEMU_BASE) $(QEMU_HEADLESS) $(QEMU_EXTRA)

qemu-uefi: deps $(QEMU_DEPS)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	    echo $(QEMU) $(QEMU_BASE) $(QEMU_WINDOW) $(QEMU_EXTRA); \
	    $(QEMU) $(QEMU_BASE) $(QEMU_WINDOW) $(QEMU_EXTRA); \
	else \
	    echo "qemu-uefi: no display, running headless"; \
	    $(QEMU) $(QEMU_BASE) $(QEMU_HEADLESS) $(QEMU_EXTRA); \
	fi

debug-qemu-uefi-start: deps $(QEMU_DEPS) $(BUILD)/gdbinit
	$(QEMU) $(QEMU_BASE) $(QEMU_HEADLESS) -gdb tcp:localhost:$(GDB_PORT) -S $(QEMU_EXTRA)

debug-qemu-uefi: deps $(QEMU_DEPS) $(BUILD)/gdbinit
	$(QEMU) $(QEMU_BASE) -display none -serial file:$(BUILD)/serial.log \
	    -gdb tcp:localhost:$(GDB_PORT) -S $(QEMU_EXTRA) & \
	gdb-multiarch -x $(BUILD)/gdbinit; kill %1 2>/dev/null || true

# .gdbinit for this ARCH: loads the kernel's symbols and connects.
# The root .gdbinit sources build/$(ARCH)/gdbinit through `make gdbinit`.
$(BUILD)/gdbinit: $(KERNEL_ELF)
	@mkdir -p $(dir $@)
	@printf 'set architecture %s\nfile %s\ntarget remote localhost:%s\n' \
	    $(if $(filter x86_64,$(ARCH)),i386:x86-64,riscv:rv64) \
	    $(KERNEL_ELF) $(GDB_PORT) > $@
