// Recursive calls: fib(32), about 7 million calls.
#include <stdio.h>
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) {
    printf("fib(32) = %d\n", fib(32));
    return 0;
}
