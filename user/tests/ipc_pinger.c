/*
 * ipc_pinger: test_ipc's client for the same-CPU fast path. SYSTEM-style
 * pinning puts it and its echo server on one CPU; it makes 1,000 calls on
 * the channel it was given (start tag ANOS_START_USER), checks every
 * reply (ipc_echo's: tag + 1, the words reversed) and exits 0 only if all
 * were right, else with the failing round's number mod 255 plus 1. With
 * argument `forever` it calls until a call fails (then exits 200), for
 * tests that kill one side in the middle of the fast path.
 */
#include <libanos.h>

#define ROUNDS 1000

int main(int argc, char **argv)
{
    Handle ch = anos_start_handle(ANOS_START_USER);
    bool forever = argc > 1 && argv[1][0] == 'f';
    for (uint64_t i = 0; forever || i < ROUNDS; i++) {
        AnosIpcMsg m = {.tag = i * 2, .words = {i, ~i, i * 3, i ^ 0x5A5A}};
        if (anos_call(ch, &m) != 0 || m.tag != i * 2 + 1 || m.words[0] != (i ^ 0x5A5A) ||
            m.words[1] != i * 3 || m.words[2] != ~i || m.words[3] != i) {
            return forever ? 200 : (int)(i % 255) + 1;
        }
    }
    return 0;
}
