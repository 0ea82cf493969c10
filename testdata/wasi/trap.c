// A program that traps after writing to stdout: the runner must report the trap on stderr and
// exit with 134 (as wasmtime does), and what was written before must have been delivered.
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    write(1, "before the trap\n", 16);
    if (argc > 1) {
        volatile int zero = 0;
        return 10 / zero;  // integer divide by zero
    }
    __builtin_trap();
}
