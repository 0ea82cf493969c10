// A CoreMark-style mix (written from scratch, not CoreMark's code): linked-list search,
// reversal and merge sort, integer matrix multiply-accumulate, a state machine scanning
// numbers in text, all folded into a CRC-16; the CRC of known data is checked first.
// Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t crc16(uint16_t crc, uint8_t byte) {
    crc ^= byte;
    for (int i = 0; i < 8; i++) crc = crc & 1 ? (uint16_t)(crc >> 1 ^ 0xA001) : (uint16_t)(crc >> 1);
    return crc;
}
static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
    for (int i = 0; i < 4; i++) crc = crc16(crc, (uint8_t)(v >> (8 * i)));
    return crc;
}

typedef struct Item { struct Item *next; int16_t key, value; } Item;

static Item *reverse(Item *list) {
    Item *previous = NULL;
    while (list) { Item *next = list->next; list->next = previous; previous = list; list = next; }
    return previous;
}

static Item *find(Item *list, int16_t key) {
    while (list && list->key != key) list = list->next;
    return list;
}

static int compare_value(const Item *a, const Item *b) { return a->value - b->value; }
static int compare_key(const Item *a, const Item *b) { return a->key - b->key; }

// Merge sort of a list (bottom-up, as CoreMark does), with a comparison function.
static Item *sort(Item *list, int (*compare)(const Item *, const Item *)) {
    for (int size = 1;; size *= 2) {
        Item *p = list, *tail = NULL;
        list = NULL;
        int merges = 0;
        while (p) {
            merges++;
            Item *q = p;
            int psize = 0;
            for (int i = 0; i < size && q; i++) { psize++; q = q->next; }
            int qsize = size;
            while (psize > 0 || (qsize > 0 && q)) {
                Item *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q || compare(p, q) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
    }
}

static uint16_t list_work(Item *items, int count, uint16_t crc, uint32_t seed) {
    Item *list = NULL;
    for (int i = 0; i < count; i++) {
        items[i].key = (int16_t)i;
        items[i].value = (int16_t)((seed * (uint32_t)(i + 1) * 2654435761u) >> 20);
        items[i].next = list;
        list = &items[i];
    }
    for (int i = 0; i < 64; i++) {
        Item *found = find(list, (int16_t)((i * 37 + (int)seed) % (count + 8)));
        crc = crc16_u32(crc, found ? (uint32_t)found->value : 0xffffu);
        list = reverse(list);
    }
    list = sort(list, compare_value);
    for (Item *p = list; p->next; p = p->next)
        if (p->value > p->next->value) { printf("FAIL: list order\n"); exit(1); }
    crc = crc16_u32(crc, (uint32_t)list->value);
    list = sort(list, compare_key);
    for (Item *p = list; p; p = p->next) crc = crc16(crc, (uint8_t)p->value);
    return crc;
}

static uint16_t matrix_work(int n, int16_t *a, int16_t *b, int32_t *c, uint16_t crc, int16_t k) {
    for (int i = 0; i < n * n; i++) { a[i] = (int16_t)((i * 7 + k) % 41 - 20); b[i] = (int16_t)((i * 13 - k) % 37 - 18); }
    for (int i = 0; i < n * n; i++) a[i] = (int16_t)(a[i] + k);          // add a constant
    for (int i = 0; i < n; i++)                                          // matrix times matrix
        for (int j = 0; j < n; j++) {
            int32_t s = 0;
            for (int x = 0; x < n; x++) s += a[i * n + x] * b[x * n + j];
            c[i * n + j] = s;
        }
    for (int i = 0; i < n; i++) {                                        // matrix times vector, bit extraction
        int32_t s = 0;
        for (int j = 0; j < n; j++) s += (c[i * n + j] >> 2 & 0xf) * a[j];
        crc = crc16_u32(crc, (uint32_t)s);
    }
    return crc;
}

enum State { START, INTEGER, FRACTION, EXPONENT, SIGNED_EXPONENT, SCIENTIFIC, INVALID, STATES };

// Classifies comma-separated tokens: integers, decimals, scientific numbers, invalid ones.
static uint16_t state_work(const char *text, uint16_t crc, uint32_t counts[STATES]) {
    enum State state = START;
    for (const char *p = text;; p++) {
        char c = *p;
        if (c == ',' || c == 0) {
            counts[state]++;
            crc = crc16(crc, (uint8_t)state);
            state = START;
            if (c == 0) break;
            continue;
        }
        int digit = c >= '0' && c <= '9';
        switch (state) {
        case START: state = digit || c == '-' || c == '+' ? INTEGER : c == '.' ? FRACTION : INVALID; break;
        case INTEGER: state = digit ? INTEGER : c == '.' ? FRACTION : c == 'e' || c == 'E' ? EXPONENT : INVALID; break;
        case FRACTION: state = digit ? FRACTION : c == 'e' || c == 'E' ? EXPONENT : INVALID; break;
        case EXPONENT: state = c == '-' || c == '+' ? SIGNED_EXPONENT : digit ? SCIENTIFIC : INVALID; break;
        case SIGNED_EXPONENT: case SCIENTIFIC: state = digit ? SCIENTIFIC : INVALID; break;
        default: break;
        }
    }
    return crc;
}

int main(void) {
    // CRC-16/ARC of "123456789" is 0xBB3D.
    uint16_t check = 0;
    for (const char *p = "123456789"; *p; p++) check = crc16(check, (uint8_t)*p);
    if (check != 0xBB3D) { printf("FAIL: crc16 %04x\n", check); return 1; }

    enum { COUNT = 2000, N = 48 };
    Item *items = malloc(sizeof(Item) * COUNT);
    int16_t *a = malloc(sizeof(int16_t) * N * N), *b = malloc(sizeof(int16_t) * N * N);
    int32_t *c = malloc(sizeof(int32_t) * N * N);
    static const char *tokens[] = {"5012", "1.234", "-874", "+122", "3.5e10", "-2.5E-3", ".5", "x7", "12a", "0e+1", "98.6"};
    char text[4096];
    size_t length = 0;
    for (int i = 0; length < sizeof text - 16; i++) {
        length += (size_t)sprintf(text + length, "%s%s", i ? "," : "", tokens[(i * 7) % 11]);
    }
    uint32_t counts[STATES] = {0};
    uint16_t crc = 0;
    for (uint32_t iteration = 0; iteration < 300; iteration++) {
        crc = list_work(items, COUNT, crc, iteration + 1);
        crc = matrix_work(N, a, b, c, crc, (int16_t)iteration);
        crc = state_work(text, crc, counts);
    }
    printf("crc %04x, tokens: %u integer, %u decimal, %u scientific, %u invalid\n", crc, counts[INTEGER],
           counts[FRACTION], counts[SCIENTIFIC], counts[INVALID] + counts[EXPONENT] + counts[SIGNED_EXPONENT]);
    return 0;
}
