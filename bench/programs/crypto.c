// A hash and a block cipher: SipHash-2-4 over 4 MiB and AES-128 in CTR mode over 4 MiB
// (round trip), each checked against its published test vector first. Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32); \
    v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2; v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0; \
    v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32); } while (0)

static uint64_t load64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static uint64_t siphash(const uint8_t key[16], const uint8_t *m, size_t n) {
    uint64_t k0 = load64(key), k1 = load64(key + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    size_t end = n - n % 8;
    for (size_t i = 0; i < end; i += 8) {
        uint64_t w = load64(m + i);
        v3 ^= w; SIPROUND; SIPROUND; v0 ^= w;
    }
    uint64_t b = (uint64_t)n << 56;
    for (size_t i = 0; i < n % 8; i++) b |= (uint64_t)m[end + i] << (8 * i);
    v3 ^= b; SIPROUND; SIPROUND; v0 ^= b;
    v2 ^= 0xff; SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

// AES-128 with the S-box computed at start (no tables in the binary).
static uint8_t sbox[256];
static uint32_t te[4][256];

static uint8_t xtime(uint8_t x) { return (uint8_t)(x << 1 ^ ((x >> 7) * 0x1b)); }

static void aes_tables(void) {
    uint8_t p = 1, q = 1;
    do {
        p = p ^ (uint8_t)(p << 1) ^ (p & 0x80 ? 0x1b : 0);
        q ^= q << 1; q ^= q << 2; q ^= q << 4;
        if (q & 0x80) q ^= 0x09;
        uint8_t x = q ^ (uint8_t)(q << 1 | q >> 7) ^ (uint8_t)(q << 2 | q >> 6) ^ (uint8_t)(q << 3 | q >> 5)
            ^ (uint8_t)(q << 4 | q >> 4);
        sbox[p] = x ^ 0x63;
    } while (p != 1);
    sbox[0] = 0x63;
    for (int i = 0; i < 256; i++) {
        uint8_t s = sbox[i], s2 = xtime(s), s3 = s2 ^ s;
        uint32_t t = (uint32_t)s2 | (uint32_t)s << 8 | (uint32_t)s << 16 | (uint32_t)s3 << 24;
        for (int j = 0; j < 4; j++) te[j][i] = t << (8 * j) | t >> (32 - 8 * j) * (j != 0);
    }
}

static void aes_key(const uint8_t key[16], uint32_t rk[44]) {
    for (int i = 0; i < 4; i++) rk[i] = (uint32_t)key[4*i] | key[4*i+1] << 8 | key[4*i+2] << 16 | (uint32_t)key[4*i+3] << 24;
    uint8_t rcon = 1;
    for (int i = 4; i < 44; i++) {
        uint32_t t = rk[i - 1];
        if (i % 4 == 0) {
            t = (uint32_t)sbox[t >> 8 & 255] | sbox[t >> 16 & 255] << 8 | sbox[t >> 24] << 16 | (uint32_t)sbox[t & 255] << 24;
            t ^= rcon;
            rcon = xtime(rcon);
        }
        rk[i] = rk[i - 4] ^ t;
    }
}

static void aes_block(const uint32_t rk[44], const uint8_t in[16], uint8_t out[16]) {
    uint32_t s[4], t[4];
    for (int i = 0; i < 4; i++)
        s[i] = ((uint32_t)in[4*i] | in[4*i+1] << 8 | in[4*i+2] << 16 | (uint32_t)in[4*i+3] << 24) ^ rk[i];
    for (int r = 1; r < 10; r++) {
        for (int i = 0; i < 4; i++)
            t[i] = te[0][s[i] & 255] ^ te[1][s[(i+1)%4] >> 8 & 255] ^ te[2][s[(i+2)%4] >> 16 & 255]
                ^ te[3][s[(i+3)%4] >> 24] ^ rk[4*r + i];
        memcpy(s, t, sizeof s);
    }
    for (int i = 0; i < 4; i++) {
        uint32_t v = (uint32_t)sbox[s[i] & 255] | sbox[s[(i+1)%4] >> 8 & 255] << 8
            | sbox[s[(i+2)%4] >> 16 & 255] << 16 | (uint32_t)sbox[s[(i+3)%4] >> 24] << 24;
        v ^= rk[40 + i];
        for (int j = 0; j < 4; j++) out[4*i + j] = (uint8_t)(v >> (8 * j));
    }
}

static void aes_ctr(const uint32_t rk[44], uint8_t *data, size_t n, uint64_t nonce) {
    uint8_t counter[16] = {0}, stream[16];
    for (size_t off = 0; off < n; off += 16) {
        uint64_t c = nonce + off / 16;
        for (int j = 0; j < 8; j++) counter[8 + j] = (uint8_t)(c >> (56 - 8 * j));
        aes_block(rk, counter, stream);
        for (size_t j = 0; j < 16 && off + j < n; j++) data[off + j] ^= stream[j];
    }
}

int main(void) {
    uint8_t key[16], message[15];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 15; i++) message[i] = (uint8_t)i;
    if (siphash(key, message, 15) != 0xa129ca6149be45e5ULL) { printf("FAIL: siphash vector\n"); return 1; }

    aes_tables();
    uint32_t rk[44];
    uint8_t plain[16], cipher[16];
    const uint8_t expected[16] = {0x69,0xc4,0xe0,0xd8,0x6a,0x7b,0x04,0x30,0xd8,0xcd,0xb7,0x80,0x70,0xb4,0xc5,0x5a};
    for (int i = 0; i < 16; i++) plain[i] = (uint8_t)(i * 0x11);
    aes_key(key, rk);
    aes_block(rk, plain, cipher);
    if (memcmp(cipher, expected, 16) != 0) { printf("FAIL: aes vector\n"); return 1; }

    size_t n = 4 << 20;
    uint8_t *data = malloc(n), *copy = malloc(n);
    for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 167 + (i >> 9));
    memcpy(copy, data, n);
    uint64_t h = 0;
    for (int r = 0; r < 4; r++) {
        key[0] = (uint8_t)r;
        h ^= siphash(key, data, n - r);
    }
    aes_key(key, rk);
    aes_ctr(rk, data, n, 42);
    uint64_t hc = siphash(key, data, n);
    aes_ctr(rk, data, n, 42);
    if (memcmp(data, copy, n) != 0) { printf("FAIL: ctr round trip\n"); return 1; }
    printf("siphash %016llx ctr %016llx\n", (unsigned long long)h, (unsigned long long)hc);
    return 0;
}
