// The smallest WASI program: prints a line (the start-up benchmark's guest).
#include <stdio.h>

int main(void) {
    puts("hello, world");
    return 0;
}
