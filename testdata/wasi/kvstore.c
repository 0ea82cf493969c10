// A real program: a small key-value store kept in a directory, as an append-only log that is
// replayed at start and compacted by rewriting it to a temporary file and renaming it over.
//   kvstore DIR put KEY VALUE | get KEY | del KEY | list | stats | compact
//   kvstore DIR export OUTDIR     one file per key (mkdir, create, write)
//   kvstore DIR import INDIR      every regular file of INDIR (readdir, stat, read) becomes a key
//   kvstore DIR batch             commands from stdin, one per line ("put k v", "del k", "get k")
// Exit status: 0, or 1 for a missing key, 2 for usage and I/O errors.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct { char *key, *value; } Entry;
static Entry *table;
static size_t capacity, live, records;
static char log_path[512];

static void die(const char *what) { fprintf(stderr, "kvstore: %s: %s\n", what, strerror(errno)); exit(2); }

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static Entry *slot(const char *key) {
    size_t i = hash(key) & (capacity - 1);
    while (table[i].key && strcmp(table[i].key, key) != 0) i = (i + 1) & (capacity - 1);
    return &table[i];
}

static void grow(void) {
    Entry *old = table;
    size_t old_capacity = capacity;
    capacity = capacity ? capacity * 2 : 64;
    table = calloc(capacity, sizeof *table);
    for (size_t i = 0; i < old_capacity; i++) if (old[i].key) *slot(old[i].key) = old[i];
    free(old);
}

static void set(const char *key, const char *value) {
    if ((live + 1) * 2 > capacity) grow();
    Entry *e = slot(key);
    if (!e->key) { e->key = strdup(key); live++; } else free(e->value);
    e->value = strdup(value);
}

// Deletion with backward-shift, so that probing stays correct without tombstones.
static int removal(const char *key) {
    if (!capacity) return 0;
    Entry *e = slot(key);
    if (!e->key) return 0;
    free(e->key);
    free(e->value);
    size_t i = (size_t)(e - table), j = i;
    table[i].key = NULL;
    for (;;) {
        j = (j + 1) & (capacity - 1);
        if (!table[j].key) break;
        size_t home = hash(table[j].key) & (capacity - 1);
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            table[i] = table[j];
            table[j].key = NULL;
            i = j;
        }
    }
    live--;
    return 1;
}

static void replay(void) {
    FILE *f = fopen(log_path, "r");
    if (!f) { if (errno == ENOENT) return; die(log_path); }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        records++;
        if (line[0] == 'P' && line[1] == ' ') {
            char *space = strchr(line + 2, ' ');
            if (!space) continue;
            *space = 0;
            set(line + 2, space + 1);
        } else if (line[0] == 'D' && line[1] == ' ') {
            removal(line + 2);
        }
    }
    fclose(f);
}

static void append(const char *record) {
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) die(log_path);
    size_t n = strlen(record);
    if (write(fd, record, n) != (ssize_t)n || fsync(fd) != 0 || close(fd) != 0) die(log_path);
    records++;
}

static int by_key(const void *a, const void *b) { return strcmp(((const Entry *)a)->key, ((const Entry *)b)->key); }

static Entry *sorted(void) {
    Entry *list = malloc((live ? live : 1) * sizeof *list);
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++) if (table[i].key) list[n++] = table[i];
    qsort(list, n, sizeof *list, by_key);
    return list;
}

static int command(int argc, char **argv) {
    char record[8400];
    if (argc == 3 && strcmp(argv[0], "put") == 0) {
        if (strchr(argv[1], ' ') || strchr(argv[1], '\n') || strchr(argv[2], '\n')) { fputs("bad key or value\n", stderr); return 2; }
        snprintf(record, sizeof record, "P %s %s\n", argv[1], argv[2]);
        append(record);
        set(argv[1], argv[2]);
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "get") == 0) {
        Entry *e = capacity ? slot(argv[1]) : NULL;
        if (!e || !e->key) { printf("%s: not found\n", argv[1]); return 1; }
        printf("%s\n", e->value);
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "del") == 0) {
        if (!removal(argv[1])) { printf("%s: not found\n", argv[1]); return 1; }
        snprintf(record, sizeof record, "D %s\n", argv[1]);
        append(record);
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        Entry *list = sorted();
        for (size_t i = 0; i < live; i++) printf("%s=%s\n", list[i].key, list[i].value);
        free(list);
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "stats") == 0) {
        struct stat st;
        long long bytes = stat(log_path, &st) == 0 ? (long long)st.st_size : 0;
        printf("keys %zu, log records %zu, log bytes %lld\n", live, records, bytes);
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "compact") == 0) {
        char temporary[600];
        snprintf(temporary, sizeof temporary, "%s.tmp", log_path);
        FILE *f = fopen(temporary, "w");
        if (!f) die(temporary);
        Entry *list = sorted();
        for (size_t i = 0; i < live; i++) fprintf(f, "P %s %s\n", list[i].key, list[i].value);
        free(list);
        if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) die(temporary);
        if (rename(temporary, log_path) != 0) die("rename");
        printf("compacted %zu records into %zu\n", records, live);
        records = live;
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "export") == 0) {
        if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) die(argv[1]);
        Entry *list = sorted();
        for (size_t i = 0; i < live; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", argv[1], list[i].key);
            FILE *f = fopen(path, "w");
            if (!f || fputs(list[i].value, f) < 0 || fclose(f) != 0) die(path);
        }
        printf("exported %zu keys\n", live);
        free(list);
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "import") == 0) {
        DIR *dir = opendir(argv[1]);
        if (!dir) die(argv[1]);
        struct dirent *e;
        size_t imported = 0;
        while ((e = readdir(dir)) != NULL) {
            char path[1024], value[4096];
            snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
            int fd = open(path, O_RDONLY);
            if (fd < 0) die(path);
            ssize_t n = read(fd, value, sizeof value - 1);
            if (n < 0) die(path);
            close(fd);
            value[n] = 0;
            value[strcspn(value, "\n")] = 0;
            char *args[3] = {"put", e->d_name, value};
            if (command(3, args) == 0) imported++;
        }
        closedir(dir);
        printf("imported %zu keys\n", imported);
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "batch") == 0) {
        char line[8192];
        int failures = 0;
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            char *args[3] = {0};
            int n = 0;
            char *p = line;
            while (n < 3 && p && *p) {
                args[n++] = p;
                p = n < 3 ? strchr(p, ' ') : NULL;
                if (p) *p++ = 0;
            }
            if (n > 0 && command(n, args) != 0) failures++;
        }
        printf("batch done, %d failures\n", failures);
        return 0;
    }
    fputs("usage: kvstore DIR put K V | get K | del K | list | stats | compact | export OUT | import IN | batch\n", stderr);
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 3) return command(0, argv);
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) die(argv[1]);
    snprintf(log_path, sizeof log_path, "%s/log", argv[1]);
    replay();
    return command(argc - 2, argv + 2);
}
