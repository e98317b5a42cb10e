# The initial RAMFS: everything under ramfs/ packed by the host tool mkramfs,
# then wrapped as an object (section .ramfs) and linked into the kernel ELF.

RAMFS_FILES := $(shell find ramfs -type f | sort)
RAMFS_IMG := $(BUILD)/ramfs.img
RAMFS_OBJ := $(BUILD)/obj/ramfs.o

$(HOST_BUILD)/mkramfs: tools/mkramfs/mkramfs.c kernel/lib/ramfs.c kernel/include/ramfs.h include/anos/ramfs_format.h
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu17 -O2 -Wall -Wextra -Werror -Iinclude -Ikernel/include -o $@ tools/mkramfs/mkramfs.c kernel/lib/ramfs.c

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
