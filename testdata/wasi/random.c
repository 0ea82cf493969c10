// random_get: buffers are filled, differ from call to call, and look random (every byte
// value appears in a large sample); large requests work; a buffer outside memory is EFAULT.
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

int main(void) {
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK_OK(getentropy(a, sizeof a));
    CHECK_OK(getentropy(b, sizeof b));
    CHECK(memcmp(a, b, sizeof a) != 0);
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++) zeros += a[i] == 0;
    CHECK(zeros < 16);

    size_t size = 1 << 20;
    unsigned char *big = calloc(size, 1);
    CHECK(big != NULL);
    CHECK_WASI(__wasi_random_get(big, size), __WASI_ERRNO_SUCCESS);
    int counts[256] = {0};
    for (size_t i = 0; i < size; i++) counts[big[i]]++;
    for (int v = 0; v < 256; v++) CHECK(counts[v] > 3000 && counts[v] < 5300);

    CHECK(arc4random() != arc4random() || arc4random() != arc4random());
    CHECK_WASI(__wasi_random_get(big, 0), __WASI_ERRNO_SUCCESS);
    CHECK_WASI(__wasi_random_get((uint8_t *)0xfffffff0, 64), __WASI_ERRNO_FAULT);

    puts("ok");
    return 0;
}
