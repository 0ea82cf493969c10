// 64-bit integer arithmetic: xorshift and multiply-mix, 60 million rounds.
#include <stdint.h>
#include <stdio.h>
int main(void) {
    uint64_t x = 88172645463325252ull, acc = 0;
    for (int i = 0; i < 60000000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        acc += (x * 0x9E3779B97F4A7C15ull) >> (i & 31);
    }
    printf("%llu\n", (unsigned long long)acc);
    return 0;
}
