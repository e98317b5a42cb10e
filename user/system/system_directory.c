/*
 * SYSTEM's service directory at run time (system_directory.h). One thread
 * per program serves that program's directory channel, so the channel a
 * request arrives on says who asks. The threads never use stdio (newlib's
 * is not thread-safe here, and the main thread prints); a thread that
 * stops for another reason than its channel's end says so with one
 * debug_write.
 */
#include "system_directory.h"

#include <anos/directory.h>
#include <libanos.h>
#include <string.h>

#include "system_lookup.h"

/* A serving thread needs little: anos_serve's frame, the handler's, a
 * message or two. */
#define DIRECTORY_STACK 8192

/* Set before its thread starts, then the thread's alone. */
typedef struct DirectoryServer {
    uint32_t program;
    Handle channel;   /* SYSTEM's handle to the program's directory channel */
    AnosIpcArea area; /* this thread's: handles in and out of its messages */
} DirectoryServer;

/* Set by system_directory_init before any thread starts, then only read
 * by the threads (system_directory_end_service destroys channels but
 * never closes these handles). */
static const SystemConfig *directory_cfg;
static Handle directory_services[SYSTEM_CONFIG_MAX_PROGRAMS];

/* One per program; program i's server and stack are used by its thread
 * alone, and only once (each program starts once). */
static DirectoryServer directory_servers[SYSTEM_CONFIG_MAX_PROGRAMS];
static _Alignas(16) uint8_t directory_stacks[SYSTEM_CONFIG_MAX_PROGRAMS][DIRECTORY_STACK];

/* The main thread's record of the open directory channels. */
static Handle directory_open[SYSTEM_CONFIG_MAX_PROGRAMS];

Error system_directory_init(const SystemConfig *cfg)
{
    directory_cfg = cfg;
    for (uint32_t i = 0; i < cfg->count; i++) {
        if (cfg->programs[i].service == NULL) {
            continue;
        }
        int64_t ch = anos_channel_create();
        if (ch < 0) {
            return (Error)ch;
        }
        directory_services[i] = (Handle)ch;
    }
    return E_OK;
}

Handle system_directory_service(uint32_t i)
{
    return i < SYSTEM_CONFIG_MAX_PROGRAMS ? directory_services[i] : HANDLE_NONE;
}

void system_directory_end_service(uint32_t i)
{
    if (i < SYSTEM_CONFIG_MAX_PROGRAMS && directory_services[i] != HANDLE_NONE) {
        anos_channel_destroy(directory_services[i]);
    }
}

/* A request may not bring handles (SYSTEM's table is not the asker's to
 * fill): close whatever came. */
static void directory_drop_handles(DirectoryServer *s)
{
    uint32_t n = s->area.recv_handle_count;
    for (uint32_t i = 0; i < n && i < ANOS_IPC_MAX_HANDLES; i++) {
        if (s->area.recv_handles[i].handle != HANDLE_NONE) {
            anos_handle_close(s->area.recv_handles[i].handle);
        }
    }
}

/* anos_serve's handler: one lookup, answered with a send-only copy of
 * the service's channel, or an error tag. */
static void directory_answer(void *ctx, const AnosIpcMsg *request, AnosIpcMsg *reply)
{
    DirectoryServer *s = ctx;
    if ((request->tag & ANOS_IPC_TAG_HANDLES) != 0) {
        directory_drop_handles(s);
    }
    uint32_t provider = 0;
    Error err = system_lookup_decide(directory_cfg, s->program, request, &provider);
    if (err == E_OK && directory_services[provider] == HANDLE_NONE) {
        err = E_NOENT; /* not reached: every provider's channel exists */
    }
    if (err != E_OK) {
        reply->tag = ANOS_DIR_ERROR_TAG(err);
        return;
    }
    s->area.send_handle_count = 1;
    s->area.send_handles[0] = (AnosIpcHandle){
        .handle = directory_services[provider],
        .rights = RIGHT_SEND, /* copied: SYSTEM keeps its own */
    };
    reply->tag = ANOS_DIR_OK | ANOS_IPC_TAG_HANDLES;
}

/* Says why a serving thread stopped early, without stdio. */
static void directory_complain(const DirectoryServer *s, int64_t err)
{
    char line[160] = "SYSTEM: the directory of ";
    const char *parts[] = {directory_cfg->programs[s->program].path,
                           " stopped: ", error_name((int)err), "\n"};
    size_t len = strlen(line);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t n = strlen(parts[i]);
        if (n > sizeof(line) - len) {
            n = sizeof(line) - len;
        }
        memcpy(line + len, parts[i], n);
        len += n;
    }
    anos_debug_write(line, len);
}

static void directory_thread(void *arg)
{
    DirectoryServer *s = arg;
    int64_t r = anos_serve(s->channel, &s->area, directory_answer, s);
    if (r != 0) {
        directory_complain(s, r);
    }
}

Error system_directory_open(uint32_t i, Handle *dir)
{
    if (i >= SYSTEM_CONFIG_MAX_PROGRAMS || dir == NULL) {
        return E_INVAL;
    }
    int64_t ch = anos_channel_create();
    if (ch < 0) {
        return (Error)ch;
    }
    DirectoryServer *s = &directory_servers[i];
    *s = (DirectoryServer){.program = i, .channel = (Handle)ch};
    int64_t t = anos_thread_start(directory_thread, s, directory_stacks[i], DIRECTORY_STACK);
    if (t < 0) {
        anos_channel_destroy((Handle)ch);
        anos_handle_close((Handle)ch);
        return (Error)t;
    }
    directory_open[i] = (Handle)ch;
    *dir = (Handle)ch;
    return E_OK;
}

void system_directory_close(uint32_t i)
{
    if (i >= SYSTEM_CONFIG_MAX_PROGRAMS || directory_open[i] == HANDLE_NONE) {
        return;
    }
    /* Destroyed first: the thread's receive fails with E_NOENT and it
     * ends; the handle value it holds is stale from then on. */
    anos_channel_destroy(directory_open[i]);
    anos_handle_close(directory_open[i]);
    directory_open[i] = HANDLE_NONE;
}
