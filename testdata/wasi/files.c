// Files: create, write, read, append, truncate, exclusive creation, access modes, vectored
// I/O, large transfers, and the errors of each. Run with a scratch directory at /sandbox.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    CHECK(fputs(text, f) >= 0);
    CHECK(fclose(f) == 0);
}

static void expect_contents(const char *path, const char *expected) {
    char buffer[256] = {0};
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    CHECK(n == (ssize_t)strlen(expected));
    if (memcmp(buffer, expected, (size_t)n) != 0) FAIL("%s holds '%s', expected '%s'", path, buffer, expected);
    CHECK(read(fd, buffer, sizeof buffer) == 0);  // end of file
    CHECK_OK(close(fd));
}

int main(void) {
    // Create, write, read back.
    write_file("/sandbox/a.txt", "hello\n");
    expect_contents("/sandbox/a.txt", "hello\n");

    // Append mode writes at the end whatever the position.
    FILE *f = fopen("/sandbox/a.txt", "a");
    CHECK(f != NULL);
    CHECK(fputs("world\n", f) >= 0);
    CHECK(fclose(f) == 0);
    expect_contents("/sandbox/a.txt", "hello\nworld\n");
    int fd = open("/sandbox/a.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "!\n", 2) == 2);
    CHECK_OK(close(fd));
    expect_contents("/sandbox/a.txt", "hello\nworld\n!\n");

    // O_TRUNC empties; O_CREAT|O_EXCL refuses an existing file.
    fd = open("/sandbox/a.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0);
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 0);
    CHECK_OK(close(fd));
    CHECK_ERRNO(open("/sandbox/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    fd = open("/sandbox/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK_OK(close(fd));

    // Missing files and directories, and files that are not directories.
    CHECK_ERRNO(open("/sandbox/missing.txt", O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/sandbox/missing-dir/f.txt", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(open("/sandbox/a.txt/x", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(open("/sandbox/a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_OK(mkdir("/sandbox/dir", 0755));
    CHECK_ERRNO(open("/sandbox/dir", O_WRONLY), EISDIR);
    CHECK_ERRNO(open("/sandbox/dir", O_RDWR), EISDIR);

    // Access modes: no writing through a read-only descriptor, no reading a write-only one.
    write_file("/sandbox/b.txt", "data");
    fd = open("/sandbox/b.txt", O_RDONLY);
    CHECK(fd >= 0);
    errno = 0;
    CHECK(write(fd, "x", 1) == -1);
    CHECK(errno == EBADF || errno == ENOTCAPABLE);
    CHECK_OK(close(fd));
    fd = open("/sandbox/b.txt", O_WRONLY);
    CHECK(fd >= 0);
    char c;
    errno = 0;
    CHECK(read(fd, &c, 1) == -1);
    CHECK(errno == EBADF || errno == ENOTCAPABLE);
    CHECK_OK(close(fd));
    expect_contents("/sandbox/b.txt", "data");

    // Vectored I/O.
    fd = open("/sandbox/v.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    struct iovec out[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
    CHECK(writev(fd, out, 3) == 6);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    char x[3] = {0}, y[4] = {0};
    struct iovec in[2] = {{x, 2}, {y, 3}};
    CHECK(readv(fd, in, 2) == 5);
    CHECK(memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0);
    CHECK_OK(close(fd));

    // A large transfer (4 MiB), written and read back in one call each.
    size_t size = 4 << 20;
    unsigned char *big = malloc(size), *back = malloc(size);
    CHECK(big != NULL && back != NULL);
    for (size_t i = 0; i < size; i++) big[i] = (unsigned char)(i * 131 + (i >> 9));
    fd = open("/sandbox/big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, big + done, size - done);
        CHECK(n > 0);
        done += (size_t)n;
    }
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    done = 0;
    while (done < size) {
        ssize_t n = read(fd, back + done, size - done);
        CHECK(n > 0);
        done += (size_t)n;
    }
    CHECK(memcmp(big, back, size) == 0);
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == (off_t)size);

    // ftruncate shrinks and grows (with zeros).
    CHECK_OK(ftruncate(fd, 10));
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 10);
    CHECK_OK(ftruncate(fd, 20));
    CHECK(pread(fd, back, 20, 0) == 20);
    CHECK(memcmp(back, big, 10) == 0);
    for (int i = 10; i < 20; i++) CHECK(back[i] == 0);
    CHECK_OK(close(fd));

    // A descriptor stays usable after its file is unlinked; a closed one is gone.
    write_file("/sandbox/gone.txt", "still here");
    fd = open("/sandbox/gone.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_OK(unlink("/sandbox/gone.txt"));
    char buffer[16] = {0};
    CHECK(read(fd, buffer, sizeof buffer) == 10);
    CHECK(strcmp(buffer, "still here") == 0);
    CHECK_OK(close(fd));
    CHECK_ERRNO(close(fd), EBADF);
    CHECK_ERRNO(read(fd, buffer, 1), EBADF);
    CHECK_ERRNO(open("/sandbox/gone.txt", O_RDONLY), ENOENT);

    puts("ok");
    return 0;
}
