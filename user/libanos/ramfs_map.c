/*
 * anos_ramfs_open: the RAMFS start handle, mapped and opened.
 */
#include <libanos.h>
#include <libanos_ramfs.h>
#include <string.h>

Error anos_ramfs_open(Ramfs *fs)
{
    Handle range = anos_start_handle(ANOS_START_RAMFS);
    if (range == HANDLE_NONE) {
        return E_NOENT;
    }
    int64_t addr = anos_map_phys(range, 0, 0, 0, ANOS_PROT_READ);
    if (addr < 0) {
        return (Error)addr;
    }
    /* No syscall tells a range's size, so the image's own header does: the
     * kernel hands over a range holding the whole image, and ramfs_open
     * checks the CRC over exactly image_size bytes. */
    RamfsHeader header;
    memcpy(&header, (const void *)(uintptr_t)addr, sizeof(header));
    if (header.magic != RAMFS_MAGIC) {
        return E_CORRUPT;
    }
    return ramfs_open(fs, (const void *)(uintptr_t)addr, (size_t)header.image_size);
}

int64_t anos_spawn_ramfs(const Ramfs *fs, const char *path, const AnosProcessSpec *spec)
{
    static const char *const no_env[] = {NULL};
    const void *elf;
    size_t size;
    Error err = ramfs_find(fs, path, &elf, &size);
    if (err != E_OK) {
        return err;
    }
    /* The kernel copies everything during the call, so locals will do. */
    const char *argv0[] = {path, NULL};
    AnosProcessSpec s = *spec;
    s.elf = elf;
    s.elf_size = size;
    s.name = path;
    if (s.argv == NULL) {
        s.argv = argv0;
        s.argc = 1;
    }
    if (s.envp == NULL) {
        s.envp = no_env;
    }
    return anos_process_create(&s);
}
