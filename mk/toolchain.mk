# Compilers and flags. One compiler (LLVM 19) for every target; NASM for
# x86_64 assembly. See DESIGN.md section 2.

LLVM_BIN := /usr/lib/llvm-19/bin
CC := $(LLVM_BIN)/clang
LD := $(LLVM_BIN)/ld.lld
LLD_LINK := $(LLVM_BIN)/lld-link
OBJCOPY := $(LLVM_BIN)/llvm-objcopy
OBJDUMP := $(LLVM_BIN)/llvm-objdump
AR := $(LLVM_BIN)/llvm-ar
NASM := nasm
CLANG_FORMAT := $(LLVM_BIN)/clang-format
HOST_CC := gcc

# Call tools/install-deps once when a tool the build needs is missing, so a
# fresh Debian machine needs nothing but `make run` / `make test`.
NEEDED_TOOLS := $(CC) $(LD) $(LLD_LINK) /usr/bin/nasm /usr/bin/qemu-system-x86_64 \
    /usr/bin/qemu-system-riscv64 /usr/include/cmocka.h /usr/bin/mcopy \
    /usr/bin/sgdisk /usr/include/efi/efi.h /usr/share/OVMF/OVMF_CODE_4M.fd \
    /usr/bin/lcov /usr/bin/gcc
ifneq ($(MAKECMDGOALS),clean)
ifneq ($(words $(wildcard $(NEEDED_TOOLS))),$(words $(NEEDED_TOOLS)))
$(shell tools/install-deps >&2)
endif
endif

ifeq ($(OPTIMIZE),n)
OPT_FLAGS := -O0
else ifeq ($(OPTIMIZE),0)
OPT_FLAGS := -O0
else
OPT_FLAGS := -O2
endif

WARN_FLAGS := -Wall -Wextra -Werror -Wno-unused-parameter

# Freestanding kernel flags common to both architectures.
KERNEL_CFLAGS_COMMON := -std=c17 -ffreestanding -nostdlibinc -fno-builtin \
    -fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
    -fno-strict-aliasing -g $(OPT_FLAGS) $(WARN_FLAGS) \
    -Iinclude -Ikernel/include -Ikernel/arch/$(ARCH)/include \
    -DANOS_VERSION=\"$(VERSION)\" -DANOS_GIT_REV=\"$(GIT_REV)\" \
    -DANOS_ARCH=\"$(ARCH)\"

# Host unit tests: gcc (for lcov/gcov), sanitizers on.
HOST_CFLAGS := -std=gnu17 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
    -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    -fno-omit-frame-pointer -Iinclude -Ikernel/include -Itests/host/include \
    -DHOST_TEST
HOST_LDFLAGS := -fsanitize=address,undefined -lcmocka
ifeq ($(COVERAGE),1)
HOST_CFLAGS += --coverage
HOST_LDFLAGS += --coverage
HOST_BUILD := build/host-coverage
endif
