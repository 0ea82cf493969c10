// Tries to reach outside the container's root file system through WASI, in each way a guest
// might: host paths, "..", symlinks planted in the rootfs, /proc. Prints one line per
// attempt ("blocked" or "ESCAPED") and exits with the number of attempts that got through.
// usage: escape.wasm HOST_FILE
//   HOST_FILE is a file on the host, outside the container (the harness writes a secret in it).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int escaped = 0;
static const char *up = "/../../../../../../../../../../../..";

static void report(const char *what, const char *path, int fd) {
    if (fd >= 0) {
        char buffer[64] = {0};
        ssize_t n = read(fd, buffer, sizeof buffer - 1);
        printf("ESCAPED %s %s (read %zd bytes)\n", what, path, n);
        close(fd);
        escaped++;
    } else {
        printf("blocked %s %s: %s\n", what, path, strerror(errno));
    }
}

static void try_read(const char *path) { report("read", path, open(path, O_RDONLY)); }

static void try_create(const char *path) {
    report("create", path, open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: escape.wasm HOST_FILE\n");
        return 100;
    }
    const char *host_file = argv[1];
    char path[1024];

    try_read("/etc/shadow");
    try_read("../../etc/passwd");
    snprintf(path, sizeof path, "%s/etc/passwd", up);
    try_read(path);
    try_read(host_file);
    snprintf(path, sizeof path, "%s%s", up, host_file);
    try_read(path);
    snprintf(path, sizeof path, "/proc/self/root%s%s", up, host_file);
    try_read(path);
    snprintf(path, sizeof path, "/proc/1/root%s%s", up, host_file);
    try_read(path);

    // Symlinks written into the (writable) rootfs, absolute and relative, pointing up and out.
    if (symlink(up, "/escape-absolute") != 0) printf("note: symlink /escape-absolute: %s\n", strerror(errno));
    snprintf(path, sizeof path, "/escape-absolute%s", host_file);
    try_read(path);
    if (symlink(up + 1, "/escape-relative") != 0) printf("note: symlink /escape-relative: %s\n", strerror(errno));
    snprintf(path, sizeof path, "/escape-relative%s", host_file);
    try_read(path);

    snprintf(path, sizeof path, "%s%s.created", up, host_file);
    try_create(path);
    snprintf(path, sizeof path, "%s.created", host_file);
    try_create(path);

    printf("%d escaped\n", escaped);
    return escaped;
}
