/*
 * The service directory protocol: how a program asks SYSTEM for a channel
 * to a named service. Shared by SYSTEM (user/system/system_directory.c),
 * libanos (anos_service_lookup) and the host tests; docs/IPC.md, "Service
 * directory", explains the model.
 *
 * Every program SYSTEM starts gets a send-only handle to a directory
 * channel of its own (start tag ANOS_START_SYSTEM). SYSTEM tells askers
 * apart by the channel a request arrives on, so no kernel badge is needed.
 *
 * Request: tag ANOS_DIR_LOOKUP, the name in words[0..3] (see below).
 * Reply:   tag ANOS_DIR_OK | ANOS_IPC_TAG_HANDLES with one handle, a copy
 *          of the service's channel with RIGHT_SEND alone; or tag
 *          ANOS_DIR_ERROR_TAG(err) with no handle, where err is
 *            E_PERM   the name is not in the asker's allow= list,
 *            E_NOENT  no program provides that service,
 *            E_INVAL  a malformed request (another tag, a bad name, a
 *                     request carrying handles or a buffer).
 *
 * Errors travel as their magnitude (-err, a small positive tag) because a
 * negative tag would set bits 62 and 63, which the kernel reads as "this
 * message carries a buffer and handles" (ANOS_IPC_TAG_KERNEL).
 */
#ifndef ANOS_DIRECTORY_H
#define ANOS_DIRECTORY_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ANOS_DIR_LOOKUP 1 /* request: look a service up by name */
#define ANOS_DIR_OK     0 /* reply: success, the handle attached */

/* An error reply's tag, and back; a tag that is neither ANOS_DIR_OK nor
 * an error's magnitude decodes to E_CORRUPT. */
#define ANOS_DIR_ERROR_TAG(err) ((uint64_t)(-(int64_t)(err)))
#define ANOS_DIR_ERROR_MAX      4096 /* above every Error's magnitude */

static inline int64_t anos_dir_tag_error(uint64_t tag)
{
    return tag > 0 && tag < ANOS_DIR_ERROR_MAX ? -(int64_t)tag : E_CORRUPT;
}

/*
 * Service names: 1..ANOS_SERVICE_NAME_MAX bytes of [a-z0-9_.-]. In a
 * message the name fills 32 bytes, NUL-padded: byte i is bits
 * 8 * (i % 8) .. 8 * (i % 8) + 7 of words[i / 8] (little-endian words, so
 * on both architectures the words hold the name in memory order). Byte 31
 * is always NUL.
 */
#define ANOS_SERVICE_NAME_MAX   31
#define ANOS_SERVICE_NAME_BYTES 32

static inline bool anos_service_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* True if name[0..len) is a valid service name. */
static inline bool anos_service_name_valid(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > ANOS_SERVICE_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!anos_service_name_char(name[i])) {
            return false;
        }
    }
    return true;
}

/* Packs name[0..len) into words; false (words untouched) if it is not a
 * valid name. */
static inline bool anos_dir_name_pack(const char *name, size_t len, uint64_t words[4])
{
    if (!anos_service_name_valid(name, len)) {
        return false;
    }
    words[0] = words[1] = words[2] = words[3] = 0;
    for (size_t i = 0; i < len; i++) {
        words[i / 8] |= (uint64_t)(uint8_t)name[i] << (8 * (i % 8));
    }
    return true;
}

/* Unpacks the name in words into out (NUL-terminated); returns its
 * length, or -1 when the words do not hold exactly one valid, NUL-padded
 * name (empty, a bad character, a non-NUL byte after the first NUL). */
static inline int anos_dir_name_unpack(const uint64_t words[4], char out[ANOS_SERVICE_NAME_BYTES])
{
    int len = -1;
    for (size_t i = 0; i < ANOS_SERVICE_NAME_BYTES; i++) {
        char c = (char)(words[i / 8] >> (8 * (i % 8)));
        out[i] = c;
        if (c == '\0' && len < 0) {
            len = (int)i;
        } else if (c != '\0' && len >= 0) {
            return -1;
        }
    }
    if (len < 0 || !anos_service_name_valid(out, (size_t)len)) {
        return -1;
    }
    return len;
}

#endif
