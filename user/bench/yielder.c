/*
 * yielder: bench_user's partner for yield_user. Yields forever; bench_user
 * kills it when the measurement is done.
 */
#include <libanos.h>

int main(void)
{
    for (;;) {
        anos_yield();
    }
}
