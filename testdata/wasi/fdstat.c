// Descriptors: fdstat (types, flags, rights) of stdio, the preopen, files and directories;
// changing flags (append) and dropping rights, which are then enforced; prestat; renumbering
// and closing. Run with stdio not on a terminal and a scratch directory at /sandbox.
#include <fcntl.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

static __wasi_fdstat_t fdstat(int fd) {
    __wasi_fdstat_t st;
    CHECK_WASI(__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st), 0);
    return st;
}

int main(void) {
    // New numbers follow the preopen; closed ones are reused, the highest first (as in wasmtime).
    int x = open("/sandbox", O_RDONLY | O_DIRECTORY), y = open("/sandbox", O_RDONLY | O_DIRECTORY);
    CHECK(x == 4 && y == 5);
    CHECK_OK(close(x));
    CHECK_OK(close(y));
    CHECK(open("/sandbox", O_RDONLY | O_DIRECTORY) == 5);
    CHECK(open("/sandbox", O_RDONLY | O_DIRECTORY) == 4);
    CHECK_OK(close(4));
    CHECK_OK(close(5));

    // Standard streams (pipes or files here, not terminals): type unknown, one right each.
    __wasi_fdstat_t st = fdstat(0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_UNKNOWN);
    CHECK(st.fs_rights_base == __WASI_RIGHTS_FD_READ);
    st = fdstat(1);
    CHECK(st.fs_rights_base == __WASI_RIGHTS_FD_WRITE);
    CHECK(fdstat(2).fs_rights_base == __WASI_RIGHTS_FD_WRITE);
    CHECK(!isatty(0) && !isatty(1));
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_fd_filestat_get(1, &fs), 0);
    CHECK(fs.filetype == __WASI_FILETYPE_UNKNOWN && fs.size == 0);

    // The preopened directory: wasmtime's rights, no flags.
    st = fdstat(3);
    CHECK(st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_flags == 0);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READDIR);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
    CHECK(st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE);
    CHECK_WASI(__wasi_fd_fdstat_get(6, &st), __WASI_ERRNO_BADF);

    // A file opened read-only has no write right; one opened with O_APPEND reports it.
    int fd = open("/sandbox/f.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK(fd >= 0);
    st = fdstat(fd);
    CHECK(st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    CHECK(st.fs_flags == __WASI_FDFLAGS_APPEND);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY);
    CHECK(fcntl(fd, F_GETFL) & O_APPEND);
    CHECK(write(fd, "abc", 3) == 3);
    // Clearing append, then writing at the start.
    CHECK_OK(fcntl(fd, F_SETFL, 0));
    CHECK(fdstat(fd).fs_flags == 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "X", 1) == 1);
    CHECK_WASI(__wasi_fd_fdstat_set_flags((__wasi_fd_t)fd, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_BADF);
    CHECK_OK(close(fd));
    fd = open("/sandbox/f.txt", O_RDONLY);
    CHECK(fd >= 0);
    char buffer[8] = {0};
    CHECK(read(fd, buffer, sizeof buffer) == 3 && strcmp(buffer, "Xbc") == 0);
    st = fdstat(fd);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);

    // Rights can be dropped, not regained, and are enforced.
    CHECK_WASI(__wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, __WASI_RIGHTS_FD_READ, 0), 0);
    CHECK(fdstat(fd).fs_rights_base == __WASI_RIGHTS_FD_READ);
    CHECK_WASI(__wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0),
               __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(lseek(fd, 0, SEEK_SET), ESPIPE);  // wasi-libc reports ENOTCAPABLE as ESPIPE
    CHECK(read(fd, buffer, 1) == 0);
    CHECK_WASI(__wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, 0, 0), 0);
    __wasi_iovec_t iov = {(uint8_t *)buffer, 1};
    __wasi_size_t n;
    CHECK_WASI(__wasi_fd_read((__wasi_fd_t)fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(read(fd, buffer, 1), EBADF);  // wasi-libc reports ENOTCAPABLE as EBADF
    CHECK_OK(close(fd));

    // A directory opened with path_open: type directory, no seek, readdir allowed.
    int dir = open("/sandbox", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    st = fdstat(dir);
    CHECK(st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READDIR);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
    CHECK_WASI(__wasi_fd_prestat_get((__wasi_fd_t)dir, &(__wasi_prestat_t){0}), __WASI_ERRNO_BADF);

    // prestat names and their errors.
    __wasi_prestat_t prestat;
    CHECK_WASI(__wasi_fd_prestat_get(3, &prestat), 0);
    CHECK(prestat.tag == __WASI_PREOPENTYPE_DIR && prestat.u.dir.pr_name_len == 8);
    char name[16] = {0};
    CHECK_WASI(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 7), __WASI_ERRNO_NAMETOOLONG);
    CHECK_WASI(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 8), 0);
    CHECK(memcmp(name, "/sandbox", 8) == 0);
    CHECK_WASI(__wasi_fd_prestat_dir_name((__wasi_fd_t)dir, (uint8_t *)name, 16), __WASI_ERRNO_NOTDIR);

    // Renumbering: the target must be open; it is closed and replaced.
    int a = open("/sandbox/a.txt", O_WRONLY | O_CREAT, 0644);
    int b = open("/sandbox/b.txt", O_WRONLY | O_CREAT, 0644);
    CHECK(a >= 0 && b >= 0);
    CHECK_WASI(__wasi_fd_renumber((__wasi_fd_t)a, 99), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_renumber(99, (__wasi_fd_t)a), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_renumber((__wasi_fd_t)a, (__wasi_fd_t)b), 0);
    CHECK(write(b, "to a", 4) == 4);           // b now refers to a.txt
    CHECK_ERRNO(write(a, "x", 1), EBADF);      // a is gone
    CHECK_WASI(__wasi_fd_renumber((__wasi_fd_t)b, (__wasi_fd_t)b), 0);
    CHECK_OK(close(b));
    int check = open("/sandbox/a.txt", O_RDONLY);
    CHECK(read(check, buffer, sizeof buffer) == 4 && memcmp(buffer, "to a", 4) == 0);
    CHECK_OK(close(check));

    CHECK_OK(close(dir));
    CHECK_ERRNO(close(dir), EBADF);
    CHECK_WASI(__wasi_fd_close(1000), __WASI_ERRNO_BADF);
    puts("ok");
    return 0;
}
