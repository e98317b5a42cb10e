/*
 * Reading files from the volume BOOTX64.EFI itself was loaded from
 * (LoadedImage -> DeviceHandle -> SimpleFileSystem).
 */
#include "loader.h"

/* A file larger than this is not one of ours (the kernel span is <= 1 GiB). */
#define FS_MAX_FILE (1ULL << 30)

Error fs_open_boot_volume(EFI_FILE_HANDLE *root)
{
    EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
    EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
    EFI_BOOT_SERVICES *bs = loader_st->BootServices;
    EFI_LOADED_IMAGE *li;
    EFI_FILE_IO_INTERFACE *fs;

    EFI_STATUS st = bs->HandleProtocol(loader_image, &li_guid, (void **)&li);
    if (EFI_ERROR(st)) {
        con_printf("anos: no LoadedImage protocol (status %lx)\n", (uint64_t)st);
        return E_NOENT;
    }
    st = bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
    if (EFI_ERROR(st)) {
        con_printf("anos: boot device has no file system (status %lx)\n", (uint64_t)st);
        return E_NOENT;
    }
    st = fs->OpenVolume(fs, root);
    if (EFI_ERROR(st)) {
        con_printf("anos: cannot open boot volume (status %lx)\n", (uint64_t)st);
        return E_FAULT;
    }
    return E_OK;
}

static Error file_size(EFI_FILE_HANDLE f, uint64_t *size)
{
    EFI_GUID info_guid = EFI_FILE_INFO_ID;
    /* EFI_FILE_INFO ends in the file name; room for a long one. */
    union {
        EFI_FILE_INFO info;
        uint8_t bytes[sizeof(EFI_FILE_INFO) + 512];
    } buf;
    UINTN len = sizeof(buf);
    EFI_STATUS st = f->GetInfo(f, &info_guid, &len, &buf);
    if (EFI_ERROR(st))
        return E_FAULT;
    *size = buf.info.FileSize;
    return E_OK;
}

static Error read_all(EFI_FILE_HANDLE f, uint8_t *dst, uint64_t size)
{
    uint64_t done = 0;
    while (done < size) {
        UINTN n = size - done;
        EFI_STATUS st = f->Read(f, &n, dst + done);
        if (EFI_ERROR(st) || n == 0)
            return E_FAULT;
        done += n;
    }
    return E_OK;
}

Error fs_read_file(EFI_FILE_HANDLE root, CHAR16 *path, void **data, uint64_t *size)
{
    EFI_FILE_HANDLE f;
    EFI_STATUS st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
    if (st == EFI_NOT_FOUND)
        return E_NOENT;
    if (EFI_ERROR(st))
        return E_FAULT;

    Error err = file_size(f, size);
    if (err == E_OK && *size > FS_MAX_FILE)
        err = E_RANGE;
    void *buf = NULL;
    if (err == E_OK) {
        /* At least one byte so that an empty file still gets a buffer. */
        st = loader_st->BootServices->AllocatePool(EfiLoaderData, *size ? *size : 1, &buf);
        if (EFI_ERROR(st))
            err = E_NOMEM;
    }
    if (err == E_OK)
        err = read_all(f, buf, *size);
    f->Close(f);
    if (err != E_OK && buf)
        fs_free(buf);
    if (err == E_OK)
        *data = buf;
    return err;
}

void fs_free(void *data)
{
    loader_st->BootServices->FreePool(data);
}
