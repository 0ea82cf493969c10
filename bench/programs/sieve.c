// Memory-bound loops: the sieve of Eratosthenes up to 8 million, 6 times.
#include <stdio.h>
#include <string.h>
#define N 8000000
static unsigned char composite[N + 1];
int main(void) {
    int count = 0;
    for (int round = 0; round < 6; round++) {
        memset(composite, 0, sizeof composite);
        count = 0;
        for (int i = 2; i <= N; i++) {
            if (composite[i]) continue;
            count++;
            for (long j = (long)i * i; j <= N; j += i) composite[j] = 1;
        }
    }
    printf("primes below %d: %d\n", N, count);
    return 0;
}
