# The initial RAMFS: everything under ramfs/ (configuration, data) plus the
# user programs (mk/user.mk: SYSTEM as "system", the others under "bin/"),
# staged in $(RAMFS_ROOT), packed by the host tool mkramfs, then wrapped as
# an object (section .ramfs) and linked into the kernel ELF.

RAMFS_FILES := $(shell find ramfs -type f | sort)
RAMFS_ROOT := $(BUILD)/ramfs-root
RAMFS_NAMES := $(patsubst ramfs/%,%,$(RAMFS_FILES)) $(USER_PROGRAMS)
RAMFS_IMG := $(BUILD)/ramfs.img
RAMFS_OBJ := $(BUILD)/obj/ramfs.o

# mkramfs links the kernel's reader (kernel/lib/ramfs.c) to check its output.
# Under `make coverage` it is instrumented too, since the tests run it.
MKRAMFS_SRCS := tools/mkramfs/mkramfs.c kernel/lib/ramfs.c
MKRAMFS_DEPS := $(MKRAMFS_SRCS) kernel/include/ramfs.h kernel/include/kstring.h \
    include/anos/ramfs_format.h include/anos/errors.h

$(HOST_BUILD)/mkramfs: $(MKRAMFS_DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu17 -O2 -Wall -Wextra -Werror -Iinclude -Ikernel/include \
	    $(if $(filter 1,$(COVERAGE)),--coverage) -o $@ $(MKRAMFS_SRCS)

# The staging tree is rebuilt whole each time, so a file removed from
# ramfs/ or a program that no longer exists never lingers in the image.
$(RAMFS_IMG): $(RAMFS_FILES) $(USER_RAMFS_FILES) $(HOST_BUILD)/mkramfs mk/ramfs.mk
	@rm -rf $(RAMFS_ROOT) && mkdir -p $(RAMFS_ROOT)
	@cp -R ramfs/. $(RAMFS_ROOT)/
	@$(foreach p,$(USER_PROGRAMS),mkdir -p $(dir $(RAMFS_ROOT)/$(p)) && \
	    cp $(USER_BUILD)/$(p) $(RAMFS_ROOT)/$(p) &&) true
	$(HOST_BUILD)/mkramfs -o $@ -C $(RAMFS_ROOT) $(RAMFS_NAMES)

$(RAMFS_OBJ): $(RAMFS_IMG)
	@mkdir -p $(dir $@)
	$(OBJCOPY) -I binary -O $(ARCH_OBJ_FORMAT) \
	    --rename-section .data=.ramfs,alloc,load,readonly,data,contents \
	    --redefine-sym _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_start=__ramfs_start \
	    --redefine-sym _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_end=__ramfs_end \
	    --strip-symbol _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_size \
	    $< $@
