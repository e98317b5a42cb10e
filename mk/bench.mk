# make bench: boots a benchmark build of each architecture under QEMU with
# -icount (the guest's cycle counter then counts guest instructions) and
# prints its `BENCH <arch> <name> <value> <unit>` lines (tools/bench). Fails
# only when a boot fails or prints no BENCH line, never on a figure. See
# docs/Benchmarks.md.

# OVMF alone takes one to two minutes under icount; riscv64 boots take
# about a second, so a hung one should not hold make bench for long.
BENCH_TIMEOUT_x86_64 ?= 300
BENCH_TIMEOUT_riscv64 ?= 60
BENCH_CMDLINE := bench qemu_exit

# One boot per entry: <label>:<CPUs>:<icount shift>:<figures to print, or
# all>[:<figures not to print>] (lists comma-separated); BENCH_APPEND_<label>
# adds words to that boot's command line (riscv64 only: x86_64 keeps its
# command line in the image).
# sleep=off: when every CPU idles the virtual clock jumps to the next timer
# instead of following the host's clock, which spares firmware waits and
# changes no figure (they count instructions).
BENCH_RUNS_x86_64 := main:2:0:all
# riscv64: everything but ipi_rtt and ipc_rtt_xcpu from one hart; those two
# from a second boot with two harts and relax=wfi. Under -icount QEMU 7.2 runs the harts in
# turn and gives each the instructions up to the next timer event: a hart
# spinning for the other (a remote call) uses them all and the other never
# runs; relax=wfi makes the spin hint end the hart's turn (arch/cpu.h,
# docs/Benchmarks.md). The two-hart boot would change thread_create_join
# (its stack unmap shoots down the other hart's TLB) and ctx_switch.
BENCH_RUNS_riscv64 := up:1:0:all:ipi_rtt,ipc_rtt_xcpu smp:2:0:ipi_rtt,ipc_rtt_xcpu
BENCH_APPEND_smp := relax=wfi

bench_field = $(word $(2),$(subst :, ,$(1)))

ifeq ($(ARCH),x86_64)
# isa-debug-exit: status 0 leaves QEMU with exit code 1.
BENCH_EXIT := 1
BENCH_IMG := $(BUILD)/bench.img
$(BENCH_IMG): $(UEFI_EFI) $(KERNEL_ELF) tools/mkimage mk/bench.mk
	tools/mkimage $@ $(UEFI_EFI) $(KERNEL_ELF) "$(BENCH_CMDLINE)"
bench_qemu = $(QEMU) $(subst -smp $(SMP) ,-smp $(1) ,$(subst $(ARCH_IMAGE),$(BENCH_IMG),$(QEMU_BASE)))
BENCH_DEPS := $(BENCH_IMG) $(OVMF_VARS)
else
BENCH_EXIT := 0
bench_qemu = $(QEMU) $(subst -smp $(SMP) ,-smp $(1) ,$(subst -append "$(CMDLINE)",-append "$(strip $(BENCH_CMDLINE) $(BENCH_APPEND_$(2)))",$(QEMU_BASE)))
BENCH_DEPS := $(KERNEL_ELF)
endif

# One boot as a shell command ending in `;`: records a failure in $$status.
define BENCH_RUN
tools/bench --name $(ARCH)/$(call bench_field,$(1),1) --timeout $(BENCH_TIMEOUT_$(ARCH)) \
    --exit-code $(BENCH_EXIT) --log $(BUILD)/bench-$(call bench_field,$(1),1).log \
    $(if $(filter-out all,$(call bench_field,$(1),4)),--only "$(subst $(comma), ,$(call bench_field,$(1),4))") \
    $(if $(call bench_field,$(1),5),--skip "$(subst $(comma), ,$(call bench_field,$(1),5))") \
    -- $(call bench_qemu,$(call bench_field,$(1),2),$(call bench_field,$(1),1)) \
    -icount shift=$(call bench_field,$(1),3),sleep=off || status=1;
endef
comma := ,

# This ARCH's boots, one after another (each prints as it ends).
bench-arch: deps $(BENCH_DEPS)
	@status=0; $(foreach r,$(BENCH_RUNS_$(ARCH)),$(call BENCH_RUN,$(r))) exit $$status

# Both architectures; fails if either does, after running both.
bench: deps
	@status=0; \
	$(MAKE) --no-print-directory ARCH=x86_64 bench-arch || status=1; \
	$(MAKE) --no-print-directory ARCH=riscv64 bench-arch || status=1; \
	exit $$status

.PHONY: bench-arch
