/*
 * ipc_echo: test_ipc's server. Serves the channel it was given (start tag
 * ANOS_START_USER) until the channel is destroyed: each reply carries tag +
 * 1 and the words in reverse order. Tag 0xDEAD makes it exit without
 * replying (a server that dies mid-call). Exits 0 when the channel goes.
 */
#include <libanos.h>

#define ECHO_DIE 0xDEADull

int main(void)
{
    Handle ch = anos_start_handle(ANOS_START_USER);
    AnosIpcMsg msg;
    int64_t r = anos_recv(ch, &msg);
    while (r == 0) {
        if (msg.tag == ECHO_DIE) {
            return 3;
        }
        AnosIpcMsg reply = {.tag = msg.tag + 1,
                            .words = {msg.words[3], msg.words[2], msg.words[1], msg.words[0]}};
        msg = reply;
        r = anos_reply_recv(ch, &msg);
    }
    return r == E_NOENT ? 0 : 1;
}
