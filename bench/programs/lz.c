// Compression: an LZ77 coder with hash chains (greedy, 64 KiB window) and its decoder, on
// 2 MiB of generated text; the round trip must give the input back. Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 65536
#define MIN_MATCH 4
#define MAX_MATCH 258
#define HASH_BITS 15
#define MAX_CHAIN 32

static uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

// Output: a tag byte per 8 items (bit set: a match of 3 bytes: length-4, then 16-bit distance).
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t *prev = malloc(sizeof(int32_t) * WINDOW);
    for (size_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    size_t o = 0, i = 0, tagAt = 0;
    int items = 8;
    while (i < n) {
        if (items == 8) { tagAt = o++; out[tagAt] = 0; items = 0; }
        size_t bestLength = 0, bestDistance = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = hash4(in + i);
            int32_t candidate = head[h];
            size_t limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            for (int chain = 0; candidate >= 0 && i - (size_t)candidate < WINDOW && chain < MAX_CHAIN; chain++) {
                size_t length = 0;
                while (length < limit && in[candidate + length] == in[i + length]) length++;
                if (length > bestLength) { bestLength = length; bestDistance = i - (size_t)candidate; }
                if (length == limit) break;
                candidate = prev[candidate % WINDOW];
            }
            prev[i % WINDOW] = head[h];
            head[h] = (int32_t)i;
        }
        if (bestLength >= MIN_MATCH) {
            out[tagAt] |= (uint8_t)(1 << items);
            out[o++] = (uint8_t)(bestLength - MIN_MATCH);
            out[o++] = (uint8_t)(bestDistance - 1);
            out[o++] = (uint8_t)((bestDistance - 1) >> 8);
            for (size_t k = 1; k < bestLength; k++) {
                size_t j = i + k;
                if (j + MIN_MATCH <= n) {
                    uint32_t h = hash4(in + j);
                    prev[j % WINDOW] = head[h];
                    head[h] = (int32_t)j;
                }
            }
            i += bestLength;
        } else {
            out[o++] = in[i++];
        }
        items++;
    }
    free(head);
    free(prev);
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t tag = in[i++];
        for (int k = 0; k < 8 && i < n; k++) {
            if (tag & (1 << k)) {
                size_t length = (size_t)in[i] + MIN_MATCH, distance = ((size_t)in[i + 1] | (size_t)in[i + 2] << 8) + 1;
                i += 3;
                for (size_t j = 0; j < length; j++, o++) out[o] = out[o - distance];
            } else {
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

// Text from a small grammar, so that it has the repetitions of real text.
static size_t generate(uint8_t *out, size_t n) {
    static const char *words[] = {"the", "container", "runtime", "module", "memory", "instance", "shim",
        "function", "table", "export", "import", "value", "stack", "frame", "handler", "trap", "store",
        "engine", "linker", "global", "section", "custom", "decoder", "validator", "interpreter"};
    uint32_t seed = 12345;
    size_t o = 0;
    while (o + 16 < n) {
        seed = seed * 1103515245 + 12345;
        const char *w = words[(seed >> 16) % 25];
        size_t l = strlen(w);
        memcpy(out + o, w, l);
        o += l;
        out[o++] = (seed >> 8) % 13 == 0 ? '\n' : ' ';
        if ((seed >> 4) % 29 == 0) o += (size_t)sprintf((char *)out + o, "%u ", seed % 1000);
    }
    return o;
}

int main(void) {
    size_t capacity = 2 << 20;
    uint8_t *text = malloc(capacity), *packed = malloc(capacity * 2), *unpacked = malloc(capacity);
    size_t n = generate(text, capacity);
    size_t total = 0;
    for (int round = 0; round < 3; round++) {
        text[round * 1000] ^= 0x20;
        size_t m = compress(text, n, packed);
        size_t back = decompress(packed, m, unpacked);
        if (back != n || memcmp(text, unpacked, n) != 0) { printf("FAIL: round trip %d\n", round); return 1; }
        total += m;
    }
    printf("%zu bytes -> %zu (3 rounds)\n", n, total);
    return 0;
}
