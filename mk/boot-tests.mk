# Boot tests: boot the real image headless under a time limit and check the
# serial log (tools/boot-test). Per architecture: the in-kernel self-tests at
# 4 (SMP), 1 and 16 CPUs, and two boots taking deliberate faults (a page
# fault in the kernel, and a direct call to panic) to test the trap and
# panic paths.

BOOT_TEST_TIMEOUT ?= 180
BOOT_TESTS := selftest selftest-smp1 selftest-smp16 pagefault panic usertest usertest2

BOOT_TEST_KIND_selftest := selftest
BOOT_TEST_CMDLINE_selftest := selftest qemu_exit
BOOT_TEST_STATUS_selftest := 0
# The self-tests again at 1 and 16 CPUs (the default boot uses SMP, 4).
BOOT_TEST_KIND_selftest-smp1 := selftest
BOOT_TEST_CMDLINE_selftest-smp1 := selftest qemu_exit
BOOT_TEST_STATUS_selftest-smp1 := 0
BOOT_TEST_SMP_selftest-smp1 := 1
BOOT_TEST_KIND_selftest-smp16 := selftest
BOOT_TEST_CMDLINE_selftest-smp16 := selftest qemu_exit
BOOT_TEST_STATUS_selftest-smp16 := 0
BOOT_TEST_SMP_selftest-smp16 := 16
# SYSTEM runs the user test programs of ramfs/system-test.conf, then exits
# with the number that failed, which powers the machine off.
BOOT_TEST_KIND_usertest := usertest
BOOT_TEST_CMDLINE_usertest := usertest qemu_exit
BOOT_TEST_STATUS_usertest := 0
# The user tests again on a second machine shape: 2 CPUs, and on x86_64 a
# CPU with SMAP (Broadwell), so the user copies run with SMAP in force.
BOOT_TEST_KIND_usertest2 := usertest
BOOT_TEST_CMDLINE_usertest2 := usertest qemu_exit
BOOT_TEST_STATUS_usertest2 := 0
BOOT_TEST_SMP_usertest2 := 2
BOOT_TEST_CPU_usertest2 := Broadwell-v4
BOOT_TEST_EXPECT_x86_64_usertest2 := ^cpu: SMEP on, SMAP on$$
BOOT_TEST_KIND_pagefault := panic
BOOT_TEST_CMDLINE_pagefault := fault=pagefault qemu_exit
BOOT_TEST_STATUS_pagefault := 1
BOOT_TEST_KIND_panic := panic
BOOT_TEST_CMDLINE_panic := fault=panic qemu_exit
BOOT_TEST_STATUS_panic := 1

# Every result file make test must see, on both architectures; a missing one
# (a build that failed, a harness that never ran) counts as a failure.
EXPECTED_RESULTS := $(foreach a,x86_64 riscv64,$(foreach t,$(BOOT_TESTS),boot-$(a)-$(t)))

# A test's CPU count replaces SMP in the QEMU command line.
boot_test_smp = $(if $(BOOT_TEST_SMP_$(1)),$(subst -smp $(SMP) ,-smp $(BOOT_TEST_SMP_$(1)) ,$(2)),$(2))

ifeq ($(ARCH),x86_64)
# QEMU's isa-debug-exit turns status s into exit code (s << 1) | 1.
boot_test_exit = $(shell echo $$(( ($(BOOT_TEST_STATUS_$(1)) << 1) | 1 )))
BOOT_TEST_REGS_pagefault := ^RIP=
# x86_64 keeps the command line in the image: one image per boot test.
$(BUILD)/boot-test-%.img: $(UEFI_EFI) $(KERNEL_ELF) tools/mkimage mk/boot-tests.mk
	tools/mkimage $@ $(UEFI_EFI) $(KERNEL_ELF) "$(BOOT_TEST_CMDLINE_$*)"
# A test's CPU model (BOOT_TEST_CPU_<name>) replaces Haswell-v4.
boot_test_cpu = $(if $(BOOT_TEST_CPU_$(1)),$(subst -cpu Haswell-v4 ,-cpu $(BOOT_TEST_CPU_$(1)) ,$(2)),$(2))
boot_test_qemu = $(QEMU) $(call boot_test_cpu,$(1),$(call boot_test_smp,$(1),$(subst $(ARCH_IMAGE),$(BUILD)/boot-test-$(1).img,$(QEMU_BASE))))
boot_test_deps = $(BUILD)/boot-test-$(1).img $(OVMF_VARS)
else
# riscv64: a non-zero status leaves through QEMU's sifive,test0 device (exit
# code = status); status 0 through SBI system reset (exit code 0).
boot_test_exit = $(BOOT_TEST_STATUS_$(1))
BOOT_TEST_REGS_pagefault := ^sepc
boot_test_qemu = $(QEMU) $(call boot_test_smp,$(1),$(subst -append "$(CMDLINE)",-append "$(BOOT_TEST_CMDLINE_$(1))",$(QEMU_BASE)))
boot_test_deps = $(KERNEL_ELF)
endif

define BOOT_TEST_RUN
	-@tools/boot-test --name $(ARCH)/$(1) --kind $(BOOT_TEST_KIND_$(1)) \
	    --timeout $(BOOT_TEST_TIMEOUT) --exit-code $(call boot_test_exit,$(1)) \
	    --regs '$(BOOT_TEST_REGS_$(1))' --expect '$(BOOT_TEST_EXPECT_$(ARCH)_$(1))' --cpus $(or $(BOOT_TEST_SMP_$(1)),$(SMP)) --tap $(RESULTS)/boot-$(ARCH)-$(1).tap \
	    --log $(BUILD)/boot-$(1).log -- $(call boot_test_qemu,$(1))

endef

boot-test: deps $(foreach t,$(BOOT_TESTS),$(call boot_test_deps,$(t)))
	@mkdir -p $(RESULTS)
	@rm -f $(RESULTS)/boot-$(ARCH)-*.tap
	$(foreach t,$(BOOT_TESTS),$(call BOOT_TEST_RUN,$(t)))
	@tools/test-summary --brief $(RESULTS) boot-$(ARCH)-
