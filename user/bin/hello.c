/*
 * hello: the program the default configuration (ramfs/system.conf) runs.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello from %s, user mode on %s!\n", argc > 0 ? argv[0] : "?", ANOS_ARCH);
    return 0;
}
