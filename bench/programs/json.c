// JSON: generates a document of nested objects, arrays, strings (with escapes) and numbers,
// parses it into a tree, serializes the tree and checks that the text comes back identical;
// 50 rounds over 290 KB. Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum Kind { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT };
typedef struct Node {
    enum Kind kind;
    int64_t number;           // integers only: the generator writes integers
    char *string;             // STRING, and an OBJECT member's key
    size_t length;
    struct Node *child, *next; // ARRAY/OBJECT children, siblings
    char *key;
    size_t keyLength;
} Node;

// An arena, reset every round.
static uint8_t *arena;
static size_t arenaUsed, arenaSize;
static void *allocate(size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (arenaUsed + n > arenaSize) { printf("FAIL: arena\n"); exit(1); }
    void *p = arena + arenaUsed;
    arenaUsed += n;
    return p;
}

typedef struct { char *data; size_t length, capacity; } Buffer;
static void put(Buffer *b, const char *s, size_t n) {
    if (b->length + n > b->capacity) {
        b->capacity = (b->length + n) * 2;
        b->data = realloc(b->data, b->capacity);
    }
    memcpy(b->data + b->length, s, n);
    b->length += n;
}
static void putc_(Buffer *b, char c) { put(b, &c, 1); }

static uint32_t seed = 7;
static uint32_t rnd(void) { seed = seed * 1664525 + 1013904223; return seed >> 8; }

static void generate(Buffer *b, int depth) {
    uint32_t r = rnd() % 10;
    if (depth > 5 || (depth > 1 && r < 4)) {
        char text[32];
        switch (rnd() % 5) {
        case 0: put(b, "null", 4); break;
        case 1: if (rnd() % 2) put(b, "true", 4); else put(b, "false", 5); break;
        case 2: put(b, text, (size_t)sprintf(text, "%d", (int)(rnd() % 2000000) - 1000000)); break;
        default:
            putc_(b, '"');
            for (uint32_t i = 0, n = rnd() % 24; i < n; i++) {
                uint32_t c = rnd() % 64;
                if (c == 0) put(b, "\\\"", 2);
                else if (c == 1) put(b, "\\n", 2);
                else if (c == 2) put(b, "\\\\", 2);
                else putc_(b, (char)('a' + c % 26));
            }
            putc_(b, '"');
        }
    } else if (r < 7) {
        putc_(b, '[');
        for (uint32_t i = 0, n = rnd() % 8; i < n; i++) {
            if (i) putc_(b, ',');
            generate(b, depth + 1);
        }
        putc_(b, ']');
    } else {
        putc_(b, '{');
        for (uint32_t i = 0, n = rnd() % 8; i < n; i++) {
            char key[16];
            if (i) putc_(b, ',');
            put(b, key, (size_t)sprintf(key, "\"k%u\":", rnd() % 1000));
            generate(b, depth + 1);
        }
        putc_(b, '}');
    }
}

static const char *p;
static Node *parse_value(void);

static char *parse_string(size_t *length) {
    const char *start = ++p;
    while (*p != '"') p += *p == '\\' ? 2 : 1;
    *length = (size_t)(p - start);
    char *s = allocate(*length + 1);
    memcpy(s, start, *length);   // kept escaped: serialization writes it back as it was
    p++;
    return s;
}

static Node *parse_value(void) {
    Node *node = allocate(sizeof(Node));
    memset(node, 0, sizeof *node);
    switch (*p) {
    case 'n': node->kind = NUL; p += 4; break;
    case 't': node->kind = BOOL; node->number = 1; p += 4; break;
    case 'f': node->kind = BOOL; p += 5; break;
    case '"': node->kind = STRING; node->string = parse_string(&node->length); break;
    case '[': case '{': {
        int object = *p == '{';
        node->kind = object ? OBJECT : ARRAY;
        p++;
        Node **link = &node->child;
        while (*p != ']' && *p != '}') {
            char *key = NULL;
            size_t keyLength = 0;
            if (object) {
                key = parse_string(&keyLength);
                p++; // ':'
            }
            Node *child = parse_value();
            child->key = key;
            child->keyLength = keyLength;
            *link = child;
            link = &child->next;
            if (*p == ',') p++;
        }
        p++;
        break;
    }
    default: {
        int negative = *p == '-';
        if (negative) p++;
        int64_t v = 0;
        while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
        node->kind = NUMBER;
        node->number = negative ? -v : v;
    }
    }
    return node;
}

static void serialize(Buffer *b, const Node *node) {
    char text[32];
    switch (node->kind) {
    case NUL: put(b, "null", 4); break;
    case BOOL: node->number ? put(b, "true", 4) : put(b, "false", 5); break;
    case NUMBER: put(b, text, (size_t)sprintf(text, "%lld", (long long)node->number)); break;
    case STRING: putc_(b, '"'); put(b, node->string, node->length); putc_(b, '"'); break;
    case ARRAY: case OBJECT:
        putc_(b, node->kind == OBJECT ? '{' : '[');
        for (const Node *c = node->child; c; c = c->next) {
            if (c != node->child) putc_(b, ',');
            if (node->kind == OBJECT) { putc_(b, '"'); put(b, c->key, c->keyLength); put(b, "\":", 2); }
            serialize(b, c);
        }
        putc_(b, node->kind == OBJECT ? '}' : ']');
    }
}

static int64_t sum(const Node *node) {
    int64_t s = node->kind == NUMBER ? node->number : (int64_t)node->length;
    for (const Node *c = node->child; c; c = c->next) s += sum(c);
    return s;
}

int main(void) {
    arenaSize = 16 << 20;
    arena = malloc(arenaSize);
    Buffer document = {0}, out = {0};
    putc_(&document, '[');
    for (int i = 0; i < 64; i++) {
        if (i) putc_(&document, ',');
        generate(&document, 0);
    }
    putc_(&document, ']');
    putc_(&document, 0);
    int64_t total = 0;
    for (int round = 0; round < 50; round++) {
        arenaUsed = 0;
        p = document.data;
        Node *root = parse_value();
        out.length = 0;
        serialize(&out, root);
        if (out.length != document.length - 1 || memcmp(out.data, document.data, out.length) != 0) {
            printf("FAIL: round %d\n", round);
            return 1;
        }
        total += sum(root);
    }
    printf("%zu bytes, checksum %lld\n", document.length - 1, (long long)total);
    return 0;
}
