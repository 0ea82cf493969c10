// Indirect calls: a table of small functions called through pointers, 40 million times.
#include <stdio.h>
typedef unsigned (*op)(unsigned, unsigned);
static unsigned add(unsigned a, unsigned b) { return a + b; }
static unsigned sub(unsigned a, unsigned b) { return a - b; }
static unsigned mul(unsigned a, unsigned b) { return a * b + 1; }
static unsigned mix(unsigned a, unsigned b) { return (a ^ b) * 2654435761u; }
static unsigned rot(unsigned a, unsigned b) { return (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)); }
static unsigned xo(unsigned a, unsigned b) { return a ^ (b >> 3); }
static unsigned an(unsigned a, unsigned b) { return (a & b) + 7; }
static unsigned nd(unsigned a, unsigned b) { return a + (b | 1); }
int main(int argc, char **argv) {
    volatile op table[8] = {add, sub, mul, mix, rot, xo, an, nd};
    unsigned x = 12345 + (unsigned)argc;
    for (int i = 0; i < 40000000; i++) x = table[(x >> 7) & 7](x, (unsigned)i);
    printf("%u\n", x);
    return 0;
}
