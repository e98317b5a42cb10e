/*
 * anos_serve: the receive / handle / reply loop every server writes, in
 * one place, so that no server forgets the two ways out of it: the
 * channel's destruction (the normal end) and a reply the kernel refuses
 * (its caller must still get an answer, or it would wait forever).
 */
#include <libanos.h>

int64_t anos_serve(Handle ch, AnosIpcArea *area, AnosServeFn fn, void *ctx)
{
    if (fn == NULL) {
        return E_INVAL;
    }
    if (area != NULL) {
        int64_t r = anos_ipc_area(area);
        if (r < 0) {
            return r;
        }
    }
    AnosIpcMsg msg;
    int64_t r = anos_recv(ch, &msg);
    while (r == 0) {
        AnosIpcMsg reply = {0};
        fn(ctx, &msg, &reply);
        msg = reply;
        r = anos_reply_recv(ch, &msg);
        if (r < 0) {
            /* Either the reply half failed (its handles were refused: the
             * call is still ours to answer) or the receive half did (the
             * reply went out; this reply then fails with E_INVAL). A plain
             * error reply covers the first case; the receive tells which
             * way the channel stands. */
            AnosIpcMsg refused = {.tag = (uint64_t)-r};
            (void)anos_reply(ch, &refused);
            r = anos_recv(ch, &msg);
        }
    }
    return r == E_NOENT ? 0 : r;
}
