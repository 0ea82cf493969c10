// A real program: an LZ77 (LZSS-style) compressor and decompressor over files.
//   lz77 c INPUT OUTPUT     compress
//   lz77 d INPUT OUTPUT     decompress
//   lz77 roundtrip INPUT    compress to INPUT.lz, decompress to INPUT.out, compare, report
// Format: "LZ77" magic, 8-byte original size, then groups of a flag byte and 8 items; each
// item is a literal byte (flag bit 0) or a 3-byte (offset 12 bits, length 4+8 bits) match.
// Matches are found with a hash chain over a 4 KiB window.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 4096
#define MIN_MATCH 3
#define MAX_MATCH (MIN_MATCH + 4095)
#define HASH_BITS 13
#define MAX_CHAIN 64

static unsigned char *read_all(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    size_t capacity = 1 << 16, n = 0;
    unsigned char *data = malloc(capacity);
    for (;;) {
        if (n == capacity) data = realloc(data, capacity *= 2);
        size_t got = fread(data + n, 1, capacity - n, f);
        if (got == 0) break;
        n += got;
    }
    if (ferror(f)) { perror(path); exit(2); }
    fclose(f);
    *size = n;
    return data;
}

static void write_all(const char *path, const unsigned char *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) { perror(path); exit(2); }
}

static uint32_t hash3(const unsigned char *p) {
    return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HASH_BITS);
}

static unsigned char *compress(const unsigned char *in, size_t size, size_t *out_size) {
    size_t capacity = 12 + size + size / 8 + 16;
    unsigned char *out = malloc(capacity);
    memcpy(out, "LZ77", 4);
    for (int i = 0; i < 8; i++) out[4 + i] = (unsigned char)(size >> (8 * i));
    size_t o = 12;
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t *prev = malloc(sizeof(int32_t) * WINDOW);
    for (int i = 0; i < 1 << HASH_BITS; i++) head[i] = -1;
    size_t flag_at = 0;
    int item = 8;
    size_t i = 0;
    while (i < size) {
        if (item == 8) { flag_at = o++; out[flag_at] = 0; item = 0; }
        size_t best_len = 0, best_off = 0;
        if (i + MIN_MATCH <= size) {
            uint32_t h = hash3(in + i);
            int32_t candidate = head[h];
            for (int chain = 0; candidate >= 0 && chain < MAX_CHAIN; chain++) {
                size_t off = i - (size_t)candidate;
                if (off > WINDOW - 1 || off == 0) break;
                size_t len = 0, limit = size - i < MAX_MATCH ? size - i : MAX_MATCH;
                while (len < limit && in[candidate + len] == in[i + len]) len++;
                if (len > best_len) { best_len = len; best_off = off; if (len == limit) break; }
                int32_t next = prev[candidate % WINDOW];
                if (next >= candidate) break;
                candidate = next;
            }
        }
        size_t advance = best_len >= MIN_MATCH ? best_len : 1;
        if (best_len >= MIN_MATCH) {
            size_t l = best_len - MIN_MATCH;
            out[flag_at] |= (unsigned char)(1 << item);
            out[o++] = (unsigned char)(best_off >> 4);
            out[o++] = (unsigned char)((best_off & 15) << 4 | (l >> 8));
            out[o++] = (unsigned char)(l & 255);
        } else {
            out[o++] = in[i];
        }
        for (size_t k = 0; k < advance; k++, i++) {
            if (i + MIN_MATCH <= size) {
                uint32_t h = hash3(in + i);
                prev[i % WINDOW] = head[h];
                head[h] = (int32_t)i;
            }
        }
        item++;
    }
    free(head);
    free(prev);
    *out_size = o;
    return out;
}

static unsigned char *decompress(const unsigned char *in, size_t size, size_t *out_size) {
    if (size < 12 || memcmp(in, "LZ77", 4) != 0) { fputs("not an LZ77 stream\n", stderr); exit(3); }
    uint64_t n = 0;
    for (int i = 0; i < 8; i++) n |= (uint64_t)in[4 + i] << (8 * i);
    unsigned char *out = malloc(n ? n : 1);
    size_t i = 12, o = 0;
    while (o < n) {
        if (i >= size) { fputs("truncated stream\n", stderr); exit(3); }
        unsigned flags = in[i++];
        for (int item = 0; item < 8 && o < n; item++) {
            if (flags & (1u << item)) {
                if (i + 3 > size) { fputs("truncated match\n", stderr); exit(3); }
                size_t off = (size_t)in[i] << 4 | in[i + 1] >> 4;
                size_t len = ((size_t)(in[i + 1] & 15) << 8 | in[i + 2]) + MIN_MATCH;
                i += 3;
                if (off == 0 || off > o || o + len > n) { fputs("corrupt match\n", stderr); exit(3); }
                for (size_t k = 0; k < len; k++, o++) out[o] = out[o - off];
            } else {
                if (i >= size) { fputs("truncated literal\n", stderr); exit(3); }
                out[o++] = in[i++];
            }
        }
    }
    *out_size = o;
    return out;
}

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

int main(int argc, char **argv) {
    if (argc == 4 && (strcmp(argv[1], "c") == 0 || strcmp(argv[1], "d") == 0)) {
        size_t size, out_size;
        unsigned char *in = read_all(argv[2], &size);
        unsigned char *out = argv[1][0] == 'c' ? compress(in, size, &out_size) : decompress(in, size, &out_size);
        write_all(argv[3], out, out_size);
        printf("%s: %zu -> %zu bytes, crc32 %08x\n", argv[1][0] == 'c' ? "compressed" : "decompressed",
               size, out_size, crc32(out, out_size));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "roundtrip") == 0) {
        char packed[512], unpacked[512];
        snprintf(packed, sizeof packed, "%s.lz", argv[2]);
        snprintf(unpacked, sizeof unpacked, "%s.out", argv[2]);
        size_t size, c_size, d_size, back_size;
        unsigned char *in = read_all(argv[2], &size);
        unsigned char *c = compress(in, size, &c_size);
        write_all(packed, c, c_size);
        unsigned char *stored = read_all(packed, &back_size);
        unsigned char *d = decompress(stored, back_size, &d_size);
        write_all(unpacked, d, d_size);
        int same = d_size == size && memcmp(d, in, size) == 0;
        printf("%s: %zu bytes, compressed %zu (%.1f%%), crc32 %08x, round trip %s\n", argv[2], size, c_size,
               size ? 100.0 * (double)c_size / (double)size : 0.0, crc32(in, size), same ? "ok" : "MISMATCH");
        return same ? 0 : 1;
    }
    fprintf(stderr, "usage: %s c|d INPUT OUTPUT | roundtrip INPUT\n", argv[0]);
    return 2;
}
