// Standard input: reads it all, then prints its size, line count and a checksum, and echoes
// it upper-cased on stdout. The harness compares the output with what it fed in.
#include <ctype.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    size_t capacity = 1 << 16, size = 0;
    unsigned char *data = malloc(capacity);
    CHECK(data != NULL);
    for (;;) {
        if (size == capacity) {
            capacity *= 2;
            data = realloc(data, capacity);
            CHECK(data != NULL);
        }
        ssize_t n = read(0, data + size, capacity - size);
        CHECK(n >= 0);
        if (n == 0) break;
        size += (size_t)n;
    }
    CHECK(read(0, data, 1) == 0);  // still at the end
    unsigned long lines = 0, sum = 0;
    for (size_t i = 0; i < size; i++) {
        lines += data[i] == '\n';
        sum = (sum * 31 + data[i]) % 1000000007UL;
    }
    for (size_t i = 0; i < size; i++) data[i] = (unsigned char)toupper(data[i]);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(1, data + done, size - done);
        CHECK(n > 0);
        done += (size_t)n;
    }
    fprintf(stderr, "bytes=%zu lines=%lu sum=%lu\n", size, lines, sum);
    return 0;
}
