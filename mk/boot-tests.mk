# Boot tests: boot the real image headless under a time limit and check the
# serial log (tools/boot-test). Two boots per architecture: one running the
# in-kernel self-tests, one taking a deliberate fault to test the panic path.

BOOT_TEST_TIMEOUT ?= 120
BOOT_TESTS := selftest panic
BOOT_TEST_CMDLINE_selftest := selftest qemu_exit
BOOT_TEST_CMDLINE_panic := fault=pagefault qemu_exit

# Every result file make test must see, on both architectures; a missing one
# (a build that failed, a harness that never ran) counts as a failure.
EXPECTED_RESULTS := $(foreach a,x86_64 riscv64,$(foreach t,$(BOOT_TESTS),boot-$(a)-$(t)))

ifeq ($(ARCH),x86_64)
# QEMU's isa-debug-exit turns status s into exit code (s << 1) | 1.
BOOT_TEST_EXIT_selftest := 1
BOOT_TEST_EXIT_panic := 3
BOOT_TEST_REGS := RIP.*RFLAGS|RIP=|rip
# x86_64 keeps the command line in the image: one image per boot test.
$(BUILD)/boot-test-%.img: $(UEFI_EFI) $(KERNEL_ELF) tools/mkimage
	tools/mkimage $@ $(UEFI_EFI) $(KERNEL_ELF) "$(BOOT_TEST_CMDLINE_$*)"
boot_test_qemu = $(QEMU) $(subst $(ARCH_IMAGE),$(BUILD)/boot-test-$(1).img,$(QEMU_BASE))
boot_test_deps = $(BUILD)/boot-test-$(1).img $(OVMF_VARS)
else
# SBI system reset under QEMU virt: shutdown exits 0 (see docs/Testing.md).
BOOT_TEST_EXIT_selftest := 0
BOOT_TEST_EXIT_panic := 1
BOOT_TEST_REGS := sepc|SEPC
boot_test_qemu = $(QEMU) $(subst -append "$(CMDLINE)",-append "$(BOOT_TEST_CMDLINE_$(1))",$(QEMU_BASE))
boot_test_deps = $(KERNEL_ELF)
endif

boot-test: deps $(foreach t,$(BOOT_TESTS),$(call boot_test_deps,$(t)))
	@mkdir -p $(RESULTS)
	-@tools/boot-test --name $(ARCH)/selftest --kind selftest --timeout $(BOOT_TEST_TIMEOUT) \
	    --exit-code $(BOOT_TEST_EXIT_selftest) --tap $(RESULTS)/boot-$(ARCH)-selftest.tap \
	    --log $(BUILD)/boot-selftest.log -- $(call boot_test_qemu,selftest)
	-@tools/boot-test --name $(ARCH)/panic --kind panic --timeout $(BOOT_TEST_TIMEOUT) \
	    --exit-code $(BOOT_TEST_EXIT_panic) --regs '$(BOOT_TEST_REGS)' \
	    --tap $(RESULTS)/boot-$(ARCH)-panic.tap \
	    --log $(BUILD)/boot-panic.log -- $(call boot_test_qemu,panic)
	@tools/test-summary --brief $(RESULTS) boot-$(ARCH)-
