// A C port of runwasi's wasi-demo-app (crates/wasi-demo-app/src/main.rs), the guest the
// containerd shim tests run:
//   echo ARGS...     prints ARGS joined by spaces
//   sleep SECS       sleeps SECS seconds (fractions allowed)
//   exit CODE        exits with CODE
//   write FILE TEXT  writes TEXT (the remaining arguments joined by spaces) to FILE
//   daemon           (the default) prints a verse of "the song that never ends" every second, forever
// After each command but exit and daemon it prints "exiting" on stderr. A bad number is a
// panic in the original (Rust's unwrap): here too it ends in a trap.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void panic(const char *what, const char *value) {
    fprintf(stderr, "panicked: cannot parse %s from \"%s\"\n", what, value ? value : "");
    abort();
}

static const char *argument(int argc, char **argv, int i) {
    if (i >= argc) {
        fprintf(stderr, "panicked: index out of bounds: the len is %d but the index is %d\n", argc, i);
        abort();
    }
    return argv[i];
}

static double parse_f64(const char *text) {
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 0) panic("f64", text);
    return value;
}

static int parse_i32(const char *text) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < -2147483647L - 1 || value > 2147483647L) panic("i32", text);
    return (int)value;
}

static void sleep_seconds(double seconds) {
    struct timespec request;
    request.tv_sec = (time_t)seconds;
    request.tv_nsec = (long)((seconds - (double)request.tv_sec) * 1e9);
    while (nanosleep(&request, &request) != 0 && errno == EINTR) {}
}

// The arguments from `first` on, joined by single spaces, written to `out`.
static void join(FILE *out, int argc, char **argv, int first) {
    for (int i = first; i < argc; i++) {
        if (i > first) fputc(' ', out);
        fputs(argv[i], out);
    }
}

int main(int argc, char **argv) {
    const char *command = argc >= 2 ? argv[1] : "daemon";

    if (strcmp(command, "echo") == 0) {
        join(stdout, argc, argv, 2);
        fputc('\n', stdout);
        fflush(stdout);
    } else if (strcmp(command, "sleep") == 0) {
        sleep_seconds(parse_f64(argument(argc, argv, 2)));
    } else if (strcmp(command, "exit") == 0) {
        exit(parse_i32(argument(argc, argv, 2)));
    } else if (strcmp(command, "write") == 0) {
        const char *path = argument(argc, argv, 2);
        FILE *file = fopen(path, "w");
        if (file == NULL) {
            fprintf(stderr, "panicked: cannot create %s: %s\n", path, strerror(errno));
            abort();
        }
        join(file, argc, argv, 3);
        if (fclose(file) != 0) {
            fprintf(stderr, "panicked: cannot write %s: %s\n", path, strerror(errno));
            abort();
        }
    } else if (strcmp(command, "daemon") == 0) {
        for (;;) {
            fputs("This is a song that never ends.\nYes, it goes on and on my friends.\n"
                  "Some people started singing it not knowing what it was,\n"
                  "So they'll continue singing it forever just because...\n\n", stdout);
            fflush(stdout);
            sleep_seconds(1);
        }
    } else {
        fprintf(stderr, "unknown command: %s\n", argv[1]);
        exit(1);
    }

    fputs("exiting\n", stderr);
    return 0;
}
