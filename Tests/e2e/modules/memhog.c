// Allocates and touches memory 1 MiB at a time until malloc fails (or CAP MiB, default 1024),
// then prints how far it got and exits 0. Under a container memory limit the engine must make
// memory.grow fail before the cgroup's OOM killer acts: the harness expects exit 0, not 137.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long cap = argc > 1 ? atol(argv[1]) : 1024;
    long mib = 0;
    while (mib < cap) {
        char *block = malloc(1 << 20);
        if (block == NULL) break;
        memset(block, 0x5a, 1 << 20);
        mib++;
    }
    printf("allocated %ld MiB\n", mib);
    return 0;
}
