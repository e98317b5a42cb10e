# Anos top-level build. See README.md for the targets; mk/ holds the pieces.
#
#   make [ARCH=x86_64|riscv64] [OPTIMIZE=n] [SMP=4] [MEM=512M] <target>
#
# All output goes under build/; the source tree stays clean.

ARCH ?= x86_64
OPTIMIZE ?= y
SMP ?= 4
MEM ?= 512M

ifeq ($(filter $(ARCH),x86_64 riscv64),)
$(error ARCH must be x86_64 or riscv64, not '$(ARCH)')
endif

BUILD := build/$(ARCH)
HOST_BUILD := build/host
RESULTS := build/results

VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

.DEFAULT_GOAL := all
.PHONY: all build test run qemu-uefi debug-qemu-uefi debug-qemu-uefi-start \
        coverage clean deps host-test boot-test dis image bench

# Names every fragment may use in its rules.
KERNEL_ELF := $(BUILD)/stage3.elf
KERNEL_DIS := $(BUILD)/stage3.dis

include mk/toolchain.mk
include mk/host-tests.mk
include mk/newlib.mk mk/user.mk
include mk/ramfs.mk
include mk/arch-$(ARCH).mk
include mk/kernel.mk
include mk/qemu.mk
include mk/boot-tests.mk
include mk/bench.mk

# all: tests, then build, then the kernel disassembly, then the image.
all: host-test
	$(MAKE) build
	$(MAKE) dis

build: $(KERNEL_ELF) $(ARCH_IMAGE)

dis: $(KERNEL_DIS)

image: $(ARCH_IMAGE)

# The whole suite: host unit tests once, then boot tests on both architectures.
# Ends with one "N passed, N failed" line and fails on any failure or gap.
test: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	-@$(MAKE) --no-print-directory host-test
	-@$(MAKE) --no-print-directory ARCH=x86_64 boot-test
	-@$(MAKE) --no-print-directory ARCH=riscv64 boot-test
	@tools/test-summary $(RESULTS) $(EXPECTED_RESULTS)

deps:
	@tools/install-deps

clean:
	rm -rf build
