// Bulk memory: memcpy and memset of blocks of many sizes (build with -mbulk-memory).
#include <stdio.h>
#include <string.h>
static unsigned char src[1 << 20], dst[1 << 20];
int main(void) {
    unsigned sum = 0;
    for (int i = 0; i < (int)sizeof src; i++) src[i] = (unsigned char)i;
    for (int r = 0; r < 400; r++) {
        for (int size = 16; size <= (1 << 16); size <<= 1) {
            for (int off = 0; off + size <= (1 << 18); off += size * 3 + 17) {
                memcpy(dst + off, src + ((off * 7 + r) & 0x3FFFF), size);
                memset(dst + off + size / 2, r & 0xFF, size / 4);
                sum += dst[off + size - 1];
            }
        }
    }
    printf("%u\n", sum);
    return 0;
}
