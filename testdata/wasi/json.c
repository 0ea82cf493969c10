// A real program: a JSON parser and pretty-printer (RFC 8259). Reads a document on stdin,
// prints it indented by two spaces on stdout, and a summary (counts of each kind of value,
// the maximum depth) on stderr. Invalid input: a message with line and column, exit 2.
//   json [--compact]   (--compact prints without whitespace)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } Kind;

typedef struct Value {
    Kind kind;
    char *text;               // number literal, or decoded string (UTF-8)
    size_t length;            // string length in bytes
    struct Value **items;     // array elements or object values
    char **keys;              // object keys (decoded)
    size_t *key_lengths;
    size_t count;
} Value;

static const char *src;
static size_t pos, size;
static size_t counts[7];
static int max_depth;

static void fail(const char *message) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos && i < size; i++) {
        if (src[i] == '\n') { line++; column = 1; } else column++;
    }
    fprintf(stderr, "error: %s at line %zu, column %zu\n", message, line, column);
    exit(2);
}

static void skip_space(void) {
    while (pos < size && (src[pos] == ' ' || src[pos] == '\t' || src[pos] == '\n' || src[pos] == '\r')) pos++;
}

static void expect_word(const char *word) {
    size_t n = strlen(word);
    if (size - pos < n || memcmp(src + pos, word, n) != 0) fail("invalid literal");
    pos += n;
}

static int hex4(void) {
    if (size - pos < 4) fail("truncated \\u escape");
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = src[pos++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else fail("invalid \\u escape");
    }
    return v;
}

static void put_utf8(char *out, size_t *n, uint32_t cp) {
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) { out[(*n)++] = (char)(0xC0 | cp >> 6); out[(*n)++] = (char)(0x80 | (cp & 63)); }
    else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | cp >> 12); out[(*n)++] = (char)(0x80 | (cp >> 6 & 63));
        out[(*n)++] = (char)(0x80 | (cp & 63));
    } else {
        out[(*n)++] = (char)(0xF0 | cp >> 18); out[(*n)++] = (char)(0x80 | (cp >> 12 & 63));
        out[(*n)++] = (char)(0x80 | (cp >> 6 & 63)); out[(*n)++] = (char)(0x80 | (cp & 63));
    }
}

static void *allocate(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) { fputs("error: out of memory\n", stderr); exit(3); }
    return p;
}

static char *parse_string(size_t *length) {
    pos++;  // the opening quote
    // The decoded string is never longer than its source: find where that ends.
    size_t end = pos;
    while (end < size && src[end] != '"') end += src[end] == '\\' ? 2 : 1;
    char *out = allocate(end - pos + 1);
    size_t n = 0;
    for (;;) {
        if (pos >= size) fail("unterminated string");
        unsigned char c = (unsigned char)src[pos++];
        if (c == '"') break;
        if (c < 0x20) fail("control character in string");
        if (c != '\\') { out[n++] = (char)c; continue; }
        if (pos >= size) fail("unterminated escape");
        char e = src[pos++];
        switch (e) {
        case '"': case '\\': case '/': out[n++] = e; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            uint32_t cp = (uint32_t)hex4();
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (size - pos < 2 || src[pos] != '\\' || src[pos + 1] != 'u') fail("lone surrogate");
                pos += 2;
                uint32_t low = (uint32_t)hex4();
                if (low < 0xDC00 || low >= 0xE000) fail("invalid surrogate pair");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) fail("lone surrogate");
            put_utf8(out, &n, cp);
            break;
        }
        default: fail("invalid escape");
        }
    }
    out[n] = 0;
    *length = n;
    return out;
}

static Value *parse_value(int depth);

static Value *new_value(Kind kind) {
    Value *v = allocate(sizeof *v);
    memset(v, 0, sizeof *v);
    v->kind = kind;
    counts[kind]++;
    return v;
}

static Value *parse_number(void) {
    size_t start = pos;
    if (src[pos] == '-') pos++;
    if (pos < size && src[pos] == '0') pos++;
    else if (pos < size && src[pos] >= '1' && src[pos] <= '9') while (pos < size && src[pos] >= '0' && src[pos] <= '9') pos++;
    else fail("invalid number");
    if (pos < size && src[pos] == '.') {
        pos++;
        if (pos >= size || src[pos] < '0' || src[pos] > '9') fail("digit expected after '.'");
        while (pos < size && src[pos] >= '0' && src[pos] <= '9') pos++;
    }
    if (pos < size && (src[pos] == 'e' || src[pos] == 'E')) {
        pos++;
        if (pos < size && (src[pos] == '+' || src[pos] == '-')) pos++;
        if (pos >= size || src[pos] < '0' || src[pos] > '9') fail("digit expected in exponent");
        while (pos < size && src[pos] >= '0' && src[pos] <= '9') pos++;
    }
    Value *v = new_value(J_NUMBER);
    v->length = pos - start;
    v->text = allocate(v->length + 1);
    memcpy(v->text, src + start, v->length);
    v->text[v->length] = 0;
    return v;
}

static Value *parse_container(int depth, int object) {
    Value *v = new_value(object ? J_OBJECT : J_ARRAY);
    size_t capacity = 4;
    v->items = allocate(capacity * sizeof *v->items);
    if (object) { v->keys = allocate(capacity * sizeof *v->keys); v->key_lengths = allocate(capacity * sizeof(size_t)); }
    pos++;
    skip_space();
    if (pos < size && src[pos] == (object ? '}' : ']')) { pos++; return v; }
    for (;;) {
        if (v->count == capacity) {
            capacity *= 2;
            v->items = realloc(v->items, capacity * sizeof *v->items);
            if (object) { v->keys = realloc(v->keys, capacity * sizeof *v->keys); v->key_lengths = realloc(v->key_lengths, capacity * sizeof(size_t)); }
        }
        skip_space();
        if (object) {
            if (pos >= size || src[pos] != '"') fail("object key expected");
            v->keys[v->count] = parse_string(&v->key_lengths[v->count]);
            skip_space();
            if (pos >= size || src[pos] != ':') fail("':' expected");
            pos++;
        }
        v->items[v->count++] = parse_value(depth + 1);
        skip_space();
        if (pos < size && src[pos] == ',') { pos++; continue; }
        if (pos < size && src[pos] == (object ? '}' : ']')) { pos++; return v; }
        fail(object ? "',' or '}' expected" : "',' or ']' expected");
    }
}

static Value *parse_value(int depth) {
    if (depth > 512) fail("nesting too deep");
    if (depth > max_depth) max_depth = depth;
    skip_space();
    if (pos >= size) fail("value expected");
    switch (src[pos]) {
    case 'n': expect_word("null"); return new_value(J_NULL);
    case 't': expect_word("true"); return new_value(J_TRUE);
    case 'f': expect_word("false"); return new_value(J_FALSE);
    case '"': { Value *v = new_value(J_STRING); v->text = parse_string(&v->length); return v; }
    case '[': return parse_container(depth, 0);
    case '{': return parse_container(depth, 1);
    default:
        if (src[pos] == '-' || (src[pos] >= '0' && src[pos] <= '9')) return parse_number();
        fail("unexpected character");
    }
    return NULL;
}

static int compact;

static void print_string(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\b': fputs("\\b", stdout); break;
        case '\f': fputs("\\f", stdout); break;
        default:
            if (c < 0x20) printf("\\u%04x", c); else putchar(c);
        }
    }
    putchar('"');
}

static void indent(int depth) {
    if (compact) return;
    putchar('\n');
    for (int i = 0; i < depth; i++) fputs("  ", stdout);
}

static void print_value(const Value *v, int depth) {
    switch (v->kind) {
    case J_NULL: fputs("null", stdout); break;
    case J_TRUE: fputs("true", stdout); break;
    case J_FALSE: fputs("false", stdout); break;
    case J_NUMBER: fputs(v->text, stdout); break;
    case J_STRING: print_string(v->text, v->length); break;
    case J_ARRAY: case J_OBJECT: {
        int object = v->kind == J_OBJECT;
        putchar(object ? '{' : '[');
        for (size_t i = 0; i < v->count; i++) {
            indent(depth + 1);
            if (object) { print_string(v->keys[i], v->key_lengths[i]); fputs(compact ? ":" : ": ", stdout); }
            print_value(v->items[i], depth + 1);
            if (i + 1 < v->count) putchar(',');
        }
        if (v->count) indent(depth);
        putchar(object ? '}' : ']');
        break;
    }
    }
}

int main(int argc, char **argv) {
    compact = argc > 1 && strcmp(argv[1], "--compact") == 0;
    size_t capacity = 1 << 16;
    char *buffer = allocate(capacity);
    size = 0;
    for (;;) {
        if (size == capacity) buffer = realloc(buffer, capacity *= 2);
        size_t n = fread(buffer + size, 1, capacity - size, stdin);
        if (n == 0) break;
        size += n;
    }
    src = buffer;
    pos = 0;
    Value *root = parse_value(0);
    skip_space();
    if (pos != size) fail("trailing characters");
    print_value(root, 0);
    putchar('\n');
    fprintf(stderr, "objects %zu, arrays %zu, strings %zu, numbers %zu, booleans %zu, nulls %zu, depth %d\n",
            counts[J_OBJECT], counts[J_ARRAY], counts[J_STRING], counts[J_NUMBER], counts[J_TRUE] + counts[J_FALSE],
            counts[J_NULL], max_depth);
    return 0;
}
