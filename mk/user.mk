# User space: libanos, SYSTEM and the programs SYSTEM runs, built per ARCH
# into $(BUILD)/user/ (what goes into the RAMFS: `system`, `bin/<name>`;
# the same with symbols: `<name>.debug`). Hosted C over newlib
# (mk/newlib.mk), static, non-PIE, linked at 0x400000. docs/Userspace.md.
#
# Programs: user/system/*.c is SYSTEM; every other user/{bin,tests,bench}/X.c
# is one program bin/X (adding a program needs no change here).

USER_BUILD := $(BUILD)/user
USER_OBJ := $(USER_BUILD)/obj

# Below 2 GiB (newlib is not position-independent) and above
# ANOS_USER_MIN, so that page 0 and its neighbours stay unmapped.
USER_BASE := 0x400000

# kernel/include comes after the C library's headers (-idirafter), so that
# only names newlib lacks (ramfs.h, kstring.h) resolve there.
USER_CFLAGS := -std=gnu17 $(USER_TARGET_CFLAGS) -O2 -g $(WARN_FLAGS) -fno-stack-protector \
    -fno-omit-frame-pointer -Iinclude -Iuser/libanos/include \
    -Iuser/libanos/arch/$(ARCH)/include -isystem $(NEWLIB_INCLUDE) -idirafter kernel/include \
    -DANOS_VERSION=\"$(VERSION)\" -DANOS_ARCH=\"$(ARCH)\"
USER_LDFLAGS := -static --no-dynamic-linker -z max-page-size=4096 --image-base=$(USER_BASE) \
    --gc-sections -e _start --build-id=none

LIBANOS_SRCS := $(sort $(wildcard user/libanos/*.c)) kernel/lib/ramfs.c
LIBANOS_OBJS := $(patsubst %.c,$(USER_OBJ)/%.o,$(LIBANOS_SRCS))
LIBANOS_A := $(USER_OBJ)/libanos.a
USER_CRT0 := $(USER_OBJ)/user/libanos/arch/$(ARCH)/crt0.o
USER_LIBS := $(LIBANOS_A) $(NEWLIB_LIBDIR)/libc.a $(NEWLIB_LIBDIR)/libm.a $(USER_BUILTINS)

SYSTEM_SRCS := $(sort $(wildcard user/system/*.c))
USER_BIN_SRCS := $(sort $(wildcard user/bin/*.c user/tests/*.c user/bench/*.c))
USER_PROGRAMS := system $(patsubst %.c,bin/%,$(notdir $(USER_BIN_SRCS)))
# What mk/ramfs.mk packs: RAMFS name = path under $(USER_BUILD).
USER_RAMFS_FILES := $(addprefix $(USER_BUILD)/,$(USER_PROGRAMS))

USER_ALL_OBJS := $(LIBANOS_OBJS) $(USER_CRT0) \
    $(patsubst %.c,$(USER_OBJ)/%.o,$(SYSTEM_SRCS) $(USER_BIN_SRCS))

# Every object needs newlib's headers, hence the order-only stamp.
$(USER_OBJ)/%.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

-include $(USER_ALL_OBJS:.o=.d)

$(LIBANOS_A): $(LIBANOS_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# $(1): program (RAMFS name), $(2): its sources. Linked with symbols as
# <name>.debug (for GDB), stripped for the RAMFS.
define USER_PROGRAM_RULE
$(USER_BUILD)/$(1).debug: $(USER_CRT0) $(patsubst %.c,$(USER_OBJ)/%.o,$(2)) $(LIBANOS_A) \
    $(NEWLIB_STAMP) $(USER_BUILTINS)
	@mkdir -p $$(dir $$@)
	$(LD) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(patsubst %.c,$(USER_OBJ)/%.o,$(2)) \
	    --start-group $(USER_LIBS) --end-group

$(USER_BUILD)/$(1): $(USER_BUILD)/$(1).debug
	$(OBJCOPY) --strip-all $$< $$@
endef

$(eval $(call USER_PROGRAM_RULE,system,$(SYSTEM_SRCS)))
$(foreach s,$(USER_BIN_SRCS),$(eval $(call USER_PROGRAM_RULE,bin/$(basename $(notdir $(s))),$(s))))

user: $(USER_RAMFS_FILES)

.PHONY: user
