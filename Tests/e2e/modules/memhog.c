// Allocates and touches memory 1 MiB at a time until malloc fails (or CAP MiB, default 1024),
// then prints how far it got and exits 0. Under a container memory limit the engine must make
// memory.grow fail before the cgroup's OOM killer acts: the harness expects exit 0, not 137.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1 << 20)

int main(int argc, char **argv) {
    long cap = argc > 1 ? atol(argv[1]) : 1024;
    long mib = 0;
    // The blocks are chained and read back at the end, so the compiler cannot drop them.
    char *head = NULL;
    while (mib < cap) {
        char *block = malloc(BLOCK);
        if (block == NULL) break;
        memset(block, 0x5a, BLOCK);
        *(char **)block = head;
        head = block;
        mib++;
    }
    unsigned long check = 0;
    for (char *block = head; block != NULL; block = *(char **)block) check += (unsigned char)block[BLOCK - 1];
    printf("allocated %ld MiB (check %lu)\n", mib, check);
    return check == (unsigned long)mib * 0x5a ? 0 : 1;
}
