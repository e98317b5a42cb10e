# The initial RAMFS: everything under ramfs/ packed by the host tool mkramfs,
# then wrapped as an object (section .ramfs) and linked into the kernel ELF.

RAMFS_FILES := $(shell find ramfs -type f | sort)
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

$(RAMFS_IMG): $(RAMFS_FILES) $(HOST_BUILD)/mkramfs
	@mkdir -p $(dir $@)
	$(HOST_BUILD)/mkramfs -o $@ -C ramfs $(patsubst ramfs/%,%,$(RAMFS_FILES))

$(RAMFS_OBJ): $(RAMFS_IMG)
	@mkdir -p $(dir $@)
	$(OBJCOPY) -I binary -O $(ARCH_OBJ_FORMAT) \
	    --rename-section .data=.ramfs,alloc,load,readonly,data,contents \
	    --redefine-sym _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_start=__ramfs_start \
	    --redefine-sym _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_end=__ramfs_end \
	    --strip-symbol _binary_$(subst /,_,$(subst .,_,$(RAMFS_IMG)))_size \
	    $< $@
