// Metadata: stat/fstat/lstat fields, setting times (values, now, omit) through paths and
// descriptors, following symlinks or not, and the standard streams' stat.
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

int main(void) {
    struct stat st;
    int fd = open("/sandbox/t.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "12345", 5) == 5);
    CHECK_OK(fstat(fd, &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size == 5);
    CHECK(st.st_nlink == 1);
    CHECK(st.st_ino != 0);
    struct stat by_path;
    CHECK_OK(stat("/sandbox/t.txt", &by_path));
    CHECK(by_path.st_ino == st.st_ino && by_path.st_dev == st.st_dev && by_path.st_size == 5);

    // Times the file was just made at are recent (within a day of the realtime clock).
    struct timespec now;
    CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
    CHECK(st.st_mtim.tv_sec > now.tv_sec - 86400 && st.st_mtim.tv_sec <= now.tv_sec + 1);

    // Explicit times through a path.
    struct timespec times[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
    CHECK_OK(utimensat(AT_FDCWD, "/sandbox/t.txt", times, 0));
    CHECK_OK(stat("/sandbox/t.txt", &st));
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
    CHECK(st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 987654321);

    // Leave one alone, set the other to now, through the descriptor. (The raw call: this
    // wasi-libc's <sys/stat.h> gives UTIME_NOW/UTIME_OMIT values its futimens doesn't know.)
    CHECK_WASI(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_SUCCESS);
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_atim.tv_sec == 1000000000);
    CHECK(st.st_mtim.tv_sec >= now.tv_sec - 1);
    CHECK_OK(close(fd));

    // A time set both to a value and to now is invalid (the raw call: libc can't express it).
    CHECK_WASI(__wasi_path_filestat_set_times(3, 0, "t.txt", 5, 5,
               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);

    // Symlinks: lstat sees the link, stat and utimensat follow unless told not to.
    CHECK_OK(symlink("t.txt", "/sandbox/t-link"));
    CHECK_OK(lstat("/sandbox/t-link", &st));
    CHECK(S_ISLNK(st.st_mode));
    struct timespec old[2] = {{50, 0}, {60, 0}};
    CHECK_OK(utimensat(AT_FDCWD, "/sandbox/t-link", old, AT_SYMLINK_NOFOLLOW));
    CHECK_OK(lstat("/sandbox/t-link", &st));
    CHECK(st.st_mtim.tv_sec == 60);
    CHECK_OK(stat("/sandbox/t-link", &st));
    CHECK(st.st_mtim.tv_sec != 60);
    CHECK_OK(utimensat(AT_FDCWD, "/sandbox/t-link", old, 0));
    CHECK_OK(stat("/sandbox/t.txt", &st));
    CHECK(st.st_mtim.tv_sec == 60 && st.st_atim.tv_sec == 50);

    // Directories.
    CHECK_OK(mkdir("/sandbox/d", 0755));
    CHECK_OK(stat("/sandbox/d", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_OK(stat("/sandbox", &st));
    CHECK(S_ISDIR(st.st_mode));
    int dir = open("/sandbox/d", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    CHECK_OK(futimens(dir, old));
    CHECK_OK(fstat(dir, &st));
    CHECK(S_ISDIR(st.st_mode) && st.st_mtim.tv_sec == 60);
    CHECK_OK(close(dir));

    // Errors.
    CHECK_ERRNO(stat("/sandbox/missing", &st), ENOENT);
    CHECK_ERRNO(stat("/sandbox/t.txt/x", &st), ENOTDIR);
    CHECK_ERRNO(utimensat(AT_FDCWD, "/sandbox/missing", times, 0), ENOENT);
    CHECK_ERRNO(fstat(99, &st), EBADF);

    // fd_allocate makes room without changing contents.
    fd = open("/sandbox/alloc.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "ab", 2) == 2);
    CHECK(posix_fallocate(fd, 0, 4096) == 0);
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 4096);
    char buffer[2];
    CHECK(pread(fd, buffer, 2, 0) == 2 && buffer[0] == 'a' && buffer[1] == 'b');
    CHECK_OK(close(fd));

    puts("ok");
    return 0;
}
