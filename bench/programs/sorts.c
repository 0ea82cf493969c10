// Sorting: strings with libc's qsort (a comparison through a function pointer), records by a
// key with a hand-written merge sort, integers with heap sort and with LSD radix sort; every
// result is checked to be ordered and a permutation of the input. Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 2463534242u;
static uint32_t next(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

typedef struct { uint32_t key; uint32_t payload[3]; } Record;

static void merge_sort(Record *a, Record *scratch, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(a, scratch, h);
    merge_sort(a + h, scratch, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) scratch[k++] = a[j].key < a[i].key ? a[j++] : a[i++];
    while (i < h) scratch[k++] = a[i++];
    while (j < n) scratch[k++] = a[j++];
    memcpy(a, scratch, n * sizeof *a);
}

static void sift(uint32_t *a, size_t root, size_t n) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        uint32_t t = a[root]; a[root] = a[child]; a[child] = t;
        root = child;
    }
}

static void heap_sort(uint32_t *a, size_t n) {
    for (size_t i = n / 2; i-- > 0;) sift(a, i, n);
    for (size_t end = n; end-- > 1;) {
        uint32_t t = a[0]; a[0] = a[end]; a[end] = t;
        sift(a, 0, end);
    }
}

static void radix_sort(uint32_t *a, uint32_t *scratch, size_t n) {
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[(a[i] >> shift & 255) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) scratch[count[a[i] >> shift & 255]++] = a[i];
        memcpy(a, scratch, n * sizeof *a);
    }
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static uint64_t fingerprint(const uint32_t *a, size_t n) { // order-independent
    uint64_t s = 0, x = 0;
    for (size_t i = 0; i < n; i++) { s += a[i]; x ^= (uint64_t)a[i] * 0x9E3779B97F4A7C15ULL; }
    return s ^ x;
}

static void fail(const char *what) { printf("FAIL: %s\n", what); exit(1); }

int main(void) {
    enum { N = 200000, STRINGS = 40000 };
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *scratch = malloc(N * sizeof *scratch);
    Record *records = malloc(N * sizeof *records), *recordScratch = malloc(N * sizeof *recordScratch);
    uint64_t checksum = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < N; i++) a[i] = b[i] = next();
        uint64_t before = fingerprint(a, N);
        heap_sort(a, N);
        radix_sort(b, scratch, N);
        for (size_t i = 0; i < N; i++) if (a[i] != b[i]) fail("heap and radix disagree");
        for (size_t i = 1; i < N; i++) if (a[i - 1] > a[i]) fail("heap order");
        if (fingerprint(a, N) != before) fail("heap permutation");

        for (size_t i = 0; i < N; i++) {
            records[i].key = next() % 5000;
            records[i].payload[0] = (uint32_t)i;
            records[i].payload[1] = records[i].key * 3;
        }
        merge_sort(records, recordScratch, N);
        for (size_t i = 1; i < N; i++) {
            if (records[i - 1].key > records[i].key) fail("merge order");
            if (records[i - 1].key == records[i].key && records[i - 1].payload[0] > records[i].payload[0]) fail("merge stability");
            if (records[i].payload[1] != records[i].key * 3) fail("merge payload");
        }
        checksum += a[N / 2] + records[N / 3].payload[0];
    }
    char **strings = malloc(STRINGS * sizeof *strings);
    for (size_t i = 0; i < STRINGS; i++) {
        strings[i] = malloc(16);
        uint32_t v = next();
        for (int k = 0; k < 12; k++) strings[i][k] = (char)('a' + (v >> (k * 2) & 3) + (k % 3));
        strings[i][12] = 0;
    }
    qsort(strings, STRINGS, sizeof *strings, compare_strings);
    for (size_t i = 1; i < STRINGS; i++) if (strcmp(strings[i - 1], strings[i]) > 0) fail("string order");
    printf("checksum %llu, first %s, last %s\n", (unsigned long long)checksum, strings[0], strings[STRINGS - 1]);
    return 0;
}
