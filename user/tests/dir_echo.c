/*
 * dir_echo: test_directory's service. SYSTEM starts it with service=NAME
 * and argv[1] = NAME (two run: `echo`, which test_directory may look up,
 * and `secret`, which it may not). It serves the channel SYSTEM gave it
 * (start tag ANOS_START_SERVICE) with anos_serve, answering each call with
 * tag + 1 and the words in reverse order, and exits once SYSTEM destroys
 * the channel at the end of the run; its TAP says that happened.
 */
#include <libanos.h>
#include <stdio.h>

#include "tap.h"

static void echo(void *ctx, const AnosIpcMsg *request, AnosIpcMsg *reply)
{
    uint64_t *served = ctx;
    (*served)++;
    reply->tag = (request->tag & ~ANOS_IPC_TAG_KERNEL) + 1;
    for (int i = 0; i < 4; i++) {
        reply->words[i] = request->words[3 - i];
    }
}

int main(int argc, char **argv)
{
    static char prog[64];
    snprintf(prog, sizeof(prog), "dir_echo.%s", argc > 1 ? argv[1] : "unnamed");
    tap_plan(prog, 3);
    Handle ch = anos_start_handle(ANOS_START_SERVICE);
    Handle dir = anos_start_handle(ANOS_START_SYSTEM);
    tap_check(ch != HANDLE_NONE && dir != HANDLE_NONE, "start_handles",
              "service %llx, directory %llx", (unsigned long long)ch, (unsigned long long)dir);

    /* Its handle receives and nothing else: it cannot call its own
     * service, nor destroy the channel SYSTEM owns. */
    AnosIpcMsg m = {0};
    int64_t called = anos_call(ch, &m);
    int64_t destroyed = anos_channel_destroy(ch);
    tap_check(called == E_PERM && destroyed == E_PERM, "service_handle_receive_only",
              "call %lld, destroy %lld", (long long)called, (long long)destroyed);

    uint64_t served = 0;
    int64_t r = anos_serve(ch, NULL, echo, &served);
    tap_check(r == 0, "served_until_channel_destroyed", "anos_serve %lld after %llu calls",
              (long long)r, (unsigned long long)served);
    printf("# %s: served %llu calls\n", prog, (unsigned long long)served);
    return tap_done();
}
