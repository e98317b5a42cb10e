/*
 * mkramfs: packs files into a RAMFS image (format: include/anos/ramfs_format.h)
 * and lists images. Checks what it wrote with the kernel's own reader.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ramfs.h>

#define PROG "mkramfs"

typedef struct InputFile {
    const char *name; /* as given: the name stored in the image */
    uint8_t *data;
    size_t size;
    uint64_t offset; /* in the image */
} InputFile;

static void usage(FILE *out)
{
    fprintf(out, "usage: " PROG " -o OUT [-C DIR] FILE...\n"
                 "       " PROG " -l IMAGE\n"
                 "Packs FILEs (relative paths, stored under those names; read from DIR\n"
                 "when -C is given) into the RAMFS image OUT, or lists IMAGE.\n");
}

/* Reads a whole regular file; prints the reason and returns false on failure. */
static bool read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, PROG ": %s: not a regular file\n", path);
        fclose(f);
        return false;
    }
    size_t len = (size_t)st.st_size;
    uint8_t *buf = malloc(len > 0 ? len : 1);
    if (buf == NULL) {
        fprintf(stderr, PROG ": %s: out of memory\n", path);
        fclose(f);
        return false;
    }
    size_t got = fread(buf, 1, len, f);
    bool ok = got == len && !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, PROG ": %s: short read (file changed while packing?)\n", path);
        free(buf);
        return false;
    }
    *data = buf;
    *size = len;
    return true;
}

static uint64_t align_up(uint64_t v)
{
    return (v + RAMFS_ALIGN - 1) / RAMFS_ALIGN * RAMFS_ALIGN;
}

/* Checks every name before any file is read, so mistakes are reported early. */
static bool check_names(char **names, int count)
{
    bool ok = true;
    for (int i = 0; i < count; i++) {
        size_t len = strlen(names[i]);
        if (len >= RAMFS_NAME_MAX) {
            fprintf(stderr, PROG ": %s: name longer than %d bytes\n", names[i], RAMFS_NAME_MAX - 1);
            ok = false;
        } else if (!ramfs_name_valid(names[i], len)) {
            fprintf(stderr,
                    PROG ": %s: not a valid name (a relative path without empty, '.' or "
                         "'..' components or control characters)\n",
                    names[i]);
            ok = false;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(names[i], names[j]) == 0) {
                fprintf(stderr, PROG ": %s: listed more than once\n", names[i]);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

static bool load_files(const char *dir, char **names, int count, InputFile *files)
{
    for (int i = 0; i < count; i++) {
        char *path = NULL;
        if (dir != NULL) {
            size_t len = strlen(dir) + 1 + strlen(names[i]) + 1;
            path = malloc(len);
            if (path == NULL) {
                fprintf(stderr, PROG ": out of memory\n");
                return false;
            }
            snprintf(path, len, "%s/%s", dir, names[i]);
        }
        files[i].name = names[i];
        bool ok = read_file(path != NULL ? path : names[i], &files[i].data, &files[i].size);
        free(path);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Lays the files out and builds the image in memory. */
static uint8_t *build_image(InputFile *files, int count, size_t *image_size)
{
    uint64_t data_offset = align_up(sizeof(RamfsHeader) + (uint64_t)count * sizeof(RamfsEntry));
    uint64_t end = data_offset;
    for (int i = 0; i < count; i++) {
        files[i].offset = end;
        end = align_up(end + files[i].size);
    }
    uint8_t *image = calloc(1, (size_t)end);
    if (image == NULL) {
        fprintf(stderr, PROG ": out of memory for a %llu-byte image\n", (unsigned long long)end);
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        RamfsEntry e = {.offset = files[i].offset, .size = files[i].size};
        memcpy(e.name, files[i].name, strlen(files[i].name)); /* rest stays NUL */
        memcpy(image + sizeof(RamfsHeader) + (size_t)i * sizeof(RamfsEntry), &e, sizeof(e));
        memcpy(image + files[i].offset, files[i].data, files[i].size);
    }
    RamfsHeader h = {
        .magic = RAMFS_MAGIC,
        .version = RAMFS_VERSION,
        .header_size = sizeof(RamfsHeader),
        .entry_size = sizeof(RamfsEntry),
        .file_count = (uint32_t)count,
        .image_size = end,
        .data_offset = data_offset,
    };
    memcpy(image, &h, sizeof(h)); /* crc32 is still 0, as the CRC requires */
    h.crc32 = ramfs_crc32(0, image, (size_t)end);
    memcpy(image, &h, sizeof(h));
    *image_size = (size_t)end;
    return image;
}

static bool write_image(const char *out, const uint8_t *image, size_t size)
{
    FILE *f = fopen(out, "wb");
    if (f == NULL) {
        fprintf(stderr, PROG ": %s: %s\n", out, strerror(errno));
        return false;
    }
    bool ok = fwrite(image, 1, size, f) == size;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, PROG ": %s: write failed\n", out);
        unlink(out);
    }
    return ok;
}

/* Reads the written image back and checks it with the kernel reader, file by file. */
static bool verify_output(const char *out, const InputFile *files, int count)
{
    uint8_t *image;
    size_t size;
    if (!read_file(out, &image, &size)) {
        return false;
    }
    Ramfs fs;
    Error err = ramfs_open(&fs, image, size);
    bool ok = err == E_OK && ramfs_file_count(&fs) == (uint32_t)count;
    for (int i = 0; ok && i < count; i++) {
        const void *data;
        size_t len;
        ok = ramfs_find(&fs, files[i].name, &data, &len) == E_OK && len == files[i].size &&
             memcmp(data, files[i].data, len) == 0;
    }
    free(image);
    if (!ok) {
        fprintf(stderr, PROG ": %s: the written image does not read back correctly (%s)\n", out,
                error_name(err));
        unlink(out);
    }
    return ok;
}

static int pack(const char *out, const char *dir, char **names, int count)
{
    if (!check_names(names, count)) {
        return 1;
    }
    InputFile *files = calloc((size_t)count + 1, sizeof(*files));
    if (files == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    int status = 1;
    size_t image_size = 0;
    uint8_t *image = NULL;
    if (load_files(dir, names, count, files) &&
        (image = build_image(files, count, &image_size)) != NULL &&
        write_image(out, image, image_size) && verify_output(out, files, count)) {
        status = 0;
    }
    free(image);
    for (int i = 0; i < count; i++) {
        free(files[i].data);
    }
    free(files);
    return status;
}

static int list(const char *path)
{
    uint8_t *image;
    size_t size;
    if (!read_file(path, &image, &size)) {
        return 1;
    }
    Ramfs fs;
    Error err = ramfs_open(&fs, image, size);
    if (err != E_OK) {
        fprintf(stderr, PROG ": %s: not a valid RAMFS image (%s)\n", path, error_name(err));
        free(image);
        return 1;
    }
    for (uint32_t i = 0; i < ramfs_file_count(&fs); i++) {
        RamfsFile f;
        ramfs_file_at(&fs, i, &f);
        printf("%10zu  %s\n", f.size, f.name);
    }
    printf("%u files, %zu bytes\n", ramfs_file_count(&fs), fs.size);
    free(image);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    const char *dir = NULL;
    const char *list_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "o:C:l:h")) != -1) {
        switch (opt) {
        case 'o': out = optarg; break;
        case 'C': dir = optarg; break;
        case 'l': list_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (list_path != NULL && out == NULL && dir == NULL && optind == argc) {
        return list(list_path);
    }
    if (list_path != NULL || out == NULL) {
        fprintf(stderr, PROG ": give either -o OUT [-C DIR] FILE... or -l IMAGE alone\n");
        usage(stderr);
        return 2;
    }
    return pack(out, dir, argv + optind, argc - optind);
}
