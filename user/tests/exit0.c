/*
 * exit0: the smallest program, for spawn_exit benchmarks and process tests:
 * start-up code, an empty main and exit, no stdio.
 */
int main(void)
{
    return 0;
}
