# newlib 3.3.0 for user space, built once per ARCH with clang-19 from
# Debian's newlib-source tarball and installed under build/newlib/$(ARCH)
# (outside $(BUILD)'s objects, and kept until `make clean`). See DESIGN.md
# section 2 and docs/Userspace.md. To rebuild: rm -rf build/newlib/$(ARCH).
#
# Also defines the user-space target flags (USER_TARGET_CFLAGS) and the
# compiler builtins library (USER_BUILTINS) that mk/user.mk links with, so
# that newlib and the programs are compiled for exactly the same target.

NEWLIB_VERSION := 3.3.0
NEWLIB_TARBALL := /usr/src/newlib/newlib-$(NEWLIB_VERSION).tar.xz
NEWLIB_ROOT := build/newlib/$(ARCH)
NEWLIB_STAMP := $(NEWLIB_ROOT)/.built

# x86_64: newlib's libc.a is not position-independent, so programs are
# linked non-PIE below 2 GiB (small code model). riscv64: the ABI with
# hardware floating point that DESIGN.md fixes for user space.
NEWLIB_TRIPLE_x86_64 := x86_64-unknown-elf
NEWLIB_TRIPLE_riscv64 := riscv64-unknown-elf
NEWLIB_TRIPLE := $(NEWLIB_TRIPLE_$(ARCH))
USER_TARGET_CFLAGS_x86_64 := --target=x86_64-unknown-elf -mcmodel=small
USER_TARGET_CFLAGS_riscv64 := --target=riscv64-unknown-elf -march=rv64gc -mabi=lp64d \
    -mcmodel=medany
# -nostdlibinc: clang's bare-metal targets would still search the host's
# /usr/include. Clang's own headers (stddef.h, stdarg.h, ...) stay visible.
USER_TARGET_CFLAGS := $(USER_TARGET_CFLAGS_$(ARCH)) -nostdlibinc -fno-pic -fno-pie \
    -ffunction-sections -fdata-sections

NEWLIB_INCLUDE := $(NEWLIB_ROOT)/$(NEWLIB_TRIPLE)/include
NEWLIB_LIBDIR := $(NEWLIB_ROOT)/$(NEWLIB_TRIPLE)/lib

# Compiler builtins (128-bit long double on riscv64, ...). Debian ships no
# riscv64 compiler-rt; the cross libgcc.a links fine with lld.
USER_BUILTINS_x86_64 := $(LLVM_BIN)/../lib/clang/19/lib/linux/libclang_rt.builtins-x86_64.a
USER_BUILTINS_riscv64 := /usr/lib/gcc-cross/riscv64-linux-gnu/12/libgcc.a
USER_BUILTINS := $(USER_BUILTINS_$(ARCH))

# newlib 3.3 has implicit declarations and int/pointer mix-ups that clang
# >= 16 rejects by default.
NEWLIB_WNO := -Wno-error=implicit-function-declaration -Wno-error=implicit-int \
    -Wno-error=int-conversion -Wno-error=incompatible-function-pointer-types \
    -Wno-unknown-warning-option
NEWLIB_CFLAGS := -O2 -g

# Wrappers named like a cross toolchain: without *_FOR_TARGET pointing at
# them, configure quietly falls back to the host's gcc.
NEWLIB_BIN := $(abspath $(NEWLIB_ROOT)/bin)
NEWLIB_TOOLS := cc ar ranlib as ld nm objdump objcopy readelf strip
NEWLIB_WRAP_cc := $(LLVM_BIN)/clang $(USER_TARGET_CFLAGS) $(NEWLIB_WNO)
NEWLIB_WRAP_as := $(LLVM_BIN)/clang $(USER_TARGET_CFLAGS) -c
NEWLIB_WRAP_ld := $(LLVM_BIN)/ld.lld
NEWLIB_WRAP_ar := $(LLVM_BIN)/llvm-ar
NEWLIB_WRAP_ranlib := $(LLVM_BIN)/llvm-ranlib
NEWLIB_WRAP_nm := $(LLVM_BIN)/llvm-nm
NEWLIB_WRAP_objdump := $(LLVM_BIN)/llvm-objdump
NEWLIB_WRAP_objcopy := $(LLVM_BIN)/llvm-objcopy
NEWLIB_WRAP_readelf := $(LLVM_BIN)/llvm-readelf
NEWLIB_WRAP_strip := $(LLVM_BIN)/llvm-strip
newlib_for_target = $(shell echo $(1) | tr a-z A-Z)_FOR_TARGET=$(NEWLIB_BIN)/$(NEWLIB_TRIPLE)-$(1)

NEWLIB_CONFIGURE_FLAGS := --target=$(NEWLIB_TRIPLE) --prefix=$(abspath $(NEWLIB_ROOT)) \
    --disable-multilib --disable-newlib-supplied-syscalls --disable-libgloss \
    --enable-newlib-io-long-long --enable-newlib-io-c99-formats --disable-nls

# The recipe's make runs with none of ours: our command-line variables
# (ARCH, CC, ...) must not leak into newlib's makefiles.
NEWLIB_ENV := env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u ARCH -u CC \
    -u CFLAGS -u LDFLAGS

# Everything happens in one recipe, so an interrupted build leaves no
# stamp and starts again from the tarball next time.
$(NEWLIB_STAMP): | $(NEWLIB_TARBALL) $(USER_BUILTINS)
	@echo "NEWLIB $(ARCH): building newlib $(NEWLIB_VERSION) (about a minute; log in $(NEWLIB_ROOT)/obj/build.log)"
	@rm -rf $(NEWLIB_ROOT) && mkdir -p $(NEWLIB_ROOT)/src $(NEWLIB_ROOT)/obj $(NEWLIB_BIN)
	@tar -xJf $(NEWLIB_TARBALL) -C $(NEWLIB_ROOT)/src --strip-components=1
	@$(foreach t,$(NEWLIB_TOOLS),printf '#!/bin/sh\nexec %s "$$@"\n' '$(NEWLIB_WRAP_$(t))' \
	    > $(NEWLIB_BIN)/$(NEWLIB_TRIPLE)-$(t) && chmod +x $(NEWLIB_BIN)/$(NEWLIB_TRIPLE)-$(t) &&) true
	@cd $(NEWLIB_ROOT)/obj && $(NEWLIB_ENV) ../src/configure $(NEWLIB_CONFIGURE_FLAGS) \
	    $(foreach t,$(NEWLIB_TOOLS),$(call newlib_for_target,$(t))) \
	    GCC_FOR_TARGET=$(NEWLIB_BIN)/$(NEWLIB_TRIPLE)-cc \
	    CFLAGS_FOR_TARGET='$(NEWLIB_CFLAGS)' > configure.log 2>&1 \
	    || { tail -30 configure.log; echo "newlib configure failed: $(NEWLIB_ROOT)/obj/configure.log"; false; }
	@cd $(NEWLIB_ROOT)/obj && $(NEWLIB_ENV) make -j2 all-target-newlib > build.log 2>&1 \
	    && $(NEWLIB_ENV) make install-target-newlib > install.log 2>&1 \
	    || { tail -30 build.log install.log 2>/dev/null; echo "newlib build failed: $(NEWLIB_ROOT)/obj/build.log"; false; }
	@test -f $(NEWLIB_LIBDIR)/libc.a && test -f $(NEWLIB_LIBDIR)/libm.a
	@touch $@
	@echo "NEWLIB $(ARCH): installed in $(NEWLIB_ROOT)/$(NEWLIB_TRIPLE)"

# The tarball and builtins come from Debian packages (tools/install-deps).
$(NEWLIB_TARBALL) $(USER_BUILTINS):
	tools/install-deps
	@test -f $@ || { echo "missing $@ after tools/install-deps"; false; }

newlib: $(NEWLIB_STAMP)

.PHONY: newlib
