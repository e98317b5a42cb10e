/*
 * test_ipc_leaks: IPC gives back every page. Runs alone (SYSTEM's `alone`)
 * so the machine's free-page count means something: after one warm-up
 * round (caches the kernel keeps), each further round of lent-buffer
 * calls, handle transfers (moved and copied, closed by the receiver), a
 * client killed while the server holds its call and buffer, and a server
 * process's whole life must leave the count exactly where it was.
 */
#include <libanos.h>
#include <libanos_ramfs.h>

#include "settled_memory.h"
#include "tap.h"

#define PROG        "test_ipc_leaks"
#define ROUNDS      3
#define CALLS       50
#define ECHO_BUFFER 0x42554646ull
#define ECHO_CLOSE  0x434C4F53ull

static AnosIpcArea area;

static int64_t spawn(const Ramfs *fs, const char *path, Handle ch, Rights rights,
                     const uint32_t *nrs, size_t count)
{
    AnosGiveHandle give = {.handle = ch, .rights = rights, .tag = ANOS_START_USER};
    AnosProcessSpec spec = {.handles = &give, .handle_count = 1, .cpu = ANOS_CPU_ANY};
    for (size_t i = 0; i < count; i++) {
        anos_rights_add(spec.syscall_rights, nrs[i]);
    }
    return anos_spawn_ramfs(fs, path, &spec);
}

/* One round; 0, or the number of the step that misbehaved. */
static int round_trip_everything(const Ramfs *fs, uint8_t *page)
{
    static const uint32_t echo_rights[] = {SYS_PROCESS_EXIT, SYS_MAP_ANON, SYS_RECV,
                                           SYS_REPLY_RECV,   SYS_CALL,     SYS_IPC_AREA,
                                           SYS_UNMAP,        SYS_SLEEP,    SYS_HANDLE_CLOSE};
    static const uint32_t caller_rights[] = {SYS_PROCESS_EXIT, SYS_MAP_ANON, SYS_CALL,
                                             SYS_IPC_AREA};
    int64_t ch = anos_channel_create();
    int64_t server = ch > 0 ? spawn(fs, "bin/ipc_echo", (Handle)ch, RIGHT_RECEIVE, echo_rights,
                                    sizeof(echo_rights) / sizeof(echo_rights[0]))
                            : ch;
    if (server <= 0) {
        return 1;
    }
    bool ok = true;
    for (int i = 0; ok && i < CALLS; i++) {
        area.send_buffer = (uintptr_t)page;
        area.send_length = 4096;
        AnosIpcMsg m = {.tag = ECHO_BUFFER | ANOS_IPC_TAG_BUFFER};
        ok = anos_call((Handle)ch, &m) == 0 && m.words[0] == 4096;
    }
    if (!ok) {
        return 2;
    }
    for (int i = 0; ok && i < CALLS; i++) {
        int64_t spare = anos_channel_create();
        area.send_handle_count = 2;
        area.send_handles[0] = (AnosIpcHandle){
            .handle = (Handle)spare, .rights = RIGHT_SEND, .flags = ANOS_IPC_HANDLE_MOVE};
        area.send_handles[1] = (AnosIpcHandle){.handle = (Handle)ch, .rights = RIGHT_SEND};
        AnosIpcMsg m = {.tag = ECHO_CLOSE | ANOS_IPC_TAG_HANDLES};
        ok = spare > 0 && anos_call((Handle)ch, &m) == 0 && m.words[0] == 2;
    }
    if (!ok) {
        return 3;
    }
    int64_t client = spawn(fs, "bin/ipc_caller", (Handle)ch, RIGHT_SEND, caller_rights,
                           sizeof(caller_rights) / sizeof(caller_rights[0]));
    anos_sleep_ns(30000000);
    int step = 0;
    if (client <= 0 || anos_process_kill((Handle)client) != 0 ||
        anos_process_wait((Handle)client) != ANOS_EXIT_KILLED) {
        step = 4;
    }
    anos_channel_destroy((Handle)ch);
    if (anos_process_wait((Handle)server) != 0 && step == 0) {
        step = 5;
    }
    anos_handle_close((Handle)client);
    anos_handle_close((Handle)server);
    anos_handle_close((Handle)ch);
    return step;
}

int main(void)
{
    tap_plan(PROG, 2);
    Ramfs fs;
    int64_t page = anos_map_anon(0, 4096, ANOS_PROT_READ | ANOS_PROT_WRITE);
    int step = anos_ramfs_open(&fs) == E_OK && page > 0 && anos_ipc_area(&area) == 0 ? 0 : -1;
    if (step == 0) {
        step = round_trip_everything(&fs, (uint8_t *)(uintptr_t)page);
    }
    uint64_t before = settled_free_pages();
    for (int r = 0; step == 0 && r < ROUNDS; r++) {
        step = round_trip_everything(&fs, (uint8_t *)(uintptr_t)page);
    }
    uint64_t after = settled_free_pages();
    tap_check(step == 0, "rounds_ran",
              "step %d misbehaved (1 spawn, 2 buffer, 3 handles, 4 kill, 5 server exit)", step);
    tap_check(after == before, "free_pages_come_back", "%llu free before, %llu after",
              (unsigned long long)before, (unsigned long long)after);
    return tap_done();
}
