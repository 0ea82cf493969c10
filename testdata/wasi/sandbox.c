// The sandbox: the preopened directory (fd 3, /sandbox) is the only way to the host's files,
// and no path leaves it through `..`, an absolute path or a symlink, whatever the operation.
// The harness puts a file `outside.txt` next to the preopened directory and checks afterwards
// that it is unchanged and that nothing was created next to it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

#define DIR_FD 3
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE_RIGHTS (READ_RIGHTS | __WASI_RIGHTS_FD_WRITE)

static int open_at(const char *path, int follow, int oflags, __wasi_rights_t rights) {
    __wasi_fd_t fd = 0;
    int error = __wasi_path_open(DIR_FD, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
                                 (__wasi_oflags_t)oflags, rights, rights, 0, &fd);
    if (error == 0) CHECK_WASI(__wasi_fd_close(fd), 0);
    return error;
}

static int stat_at(const char *path, int follow) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(DIR_FD, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
}

// Every way of reaching `path` must be refused with `expected`.
static void refused(const char *path, int expected) {
    for (int follow = 0; follow <= 1; follow++) {
        int e = open_at(path, follow, 0, READ_RIGHTS);
        if (e != expected) FAIL("open %s (follow %d): %d, expected %d", path, follow, e, expected);
        e = stat_at(path, follow);
        if (e != expected) FAIL("stat %s (follow %d): %d, expected %d", path, follow, e, expected);
    }
}

int main(void) {
    char prefix[32] = {0};
    __wasi_prestat_t prestat;
    CHECK_WASI(__wasi_fd_prestat_get(DIR_FD, &prestat), 0);
    CHECK(prestat.u.dir.pr_name_len == 8);
    CHECK_WASI(__wasi_fd_prestat_dir_name(DIR_FD, (uint8_t *)prefix, sizeof prefix), 0);
    CHECK(strcmp(prefix, "/sandbox") == 0);
    CHECK_WASI(__wasi_fd_prestat_get(DIR_FD + 1, &prestat), __WASI_ERRNO_BADF);

    // The layout inside: a file, a directory, and symlinks of every kind.
    CHECK_WASI(__wasi_path_create_directory(DIR_FD, "sub"), 0);
    CHECK_WASI(open_at("inside.txt", 0, __WASI_OFLAGS_CREAT, WRITE_RIGHTS), 0);
    CHECK_WASI(__wasi_path_symlink("..", DIR_FD, "up"), 0);
    CHECK_WASI(__wasi_path_symlink("../outside.txt", DIR_FD, "up_file"), 0);
    CHECK_WASI(__wasi_path_symlink("sub/../../outside.txt", DIR_FD, "sneaky"), 0);
    CHECK_WASI(__wasi_path_symlink("chain2", DIR_FD, "chain1"), 0);
    CHECK_WASI(__wasi_path_symlink("up/outside.txt", DIR_FD, "chain2"), 0);
    CHECK_WASI(__wasi_path_symlink("../inside.txt", DIR_FD, "sub/back_in"), 0);
    CHECK_WASI(__wasi_path_symlink("sub/back_in", DIR_FD, "inner"), 0);
    CHECK_WASI(__wasi_path_symlink("../..", DIR_FD, "sub/up2"), 0);
    // Absolute symlinks can't even be made (wasmtime refuses them too).
    CHECK_WASI(__wasi_path_symlink("/etc/passwd", DIR_FD, "abs"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_symlink("/", DIR_FD, "root"), __WASI_ERRNO_PERM);

    // Escapes by path.
    refused("..", __WASI_ERRNO_PERM);
    refused("../outside.txt", __WASI_ERRNO_PERM);
    refused("/etc/passwd", __WASI_ERRNO_PERM);
    refused("/", __WASI_ERRNO_PERM);
    refused("sub/../../outside.txt", __WASI_ERRNO_PERM);
    refused("sub/../sub/../..", __WASI_ERRNO_PERM);
    refused("./../outside.txt", __WASI_ERRNO_PERM);
    // Escapes through symlinks, direct, nested and chained (not following a final symlink
    // opens nothing: ELOOP; stat without following sees the link itself, which is inside).
    const char *links[] = {"up_file", "sneaky", "chain1"};
    for (int i = 0; i < 3; i++) {
        CHECK_WASI(open_at(links[i], 1, 0, READ_RIGHTS), __WASI_ERRNO_PERM);
        CHECK_WASI(open_at(links[i], 0, 0, READ_RIGHTS), __WASI_ERRNO_LOOP);
        CHECK_WASI(stat_at(links[i], 1), __WASI_ERRNO_PERM);
        CHECK_WASI(stat_at(links[i], 0), __WASI_ERRNO_SUCCESS);
    }
    refused("up/outside.txt", __WASI_ERRNO_PERM);
    refused("up/", __WASI_ERRNO_PERM);
    refused("sub/up2/outside.txt", __WASI_ERRNO_PERM);
    CHECK_WASI(open_at("up", 1, __WASI_OFLAGS_DIRECTORY, READ_RIGHTS), __WASI_ERRNO_PERM);

    // Legitimate paths that wander but stay inside.
    CHECK_WASI(open_at("sub/../inside.txt", 0, 0, READ_RIGHTS), 0);
    CHECK_WASI(open_at("./sub/./../inside.txt", 0, 0, READ_RIGHTS), 0);
    CHECK_WASI(open_at("inner", 1, 0, READ_RIGHTS), 0);
    CHECK_WASI(open_at("sub/back_in", 1, 0, READ_RIGHTS), 0);
    CHECK_WASI(open_at(".", 0, __WASI_OFLAGS_DIRECTORY, READ_RIGHTS), 0);
    CHECK_WASI(open_at("sub/..", 0, __WASI_OFLAGS_DIRECTORY, READ_RIGHTS), 0);
    CHECK_WASI(stat_at("sub/../sub", 1), 0);

    // Creating, removing, renaming, linking and touching outside: all refused.
    CHECK_WASI(open_at("../created.txt", 1, __WASI_OFLAGS_CREAT, WRITE_RIGHTS), __WASI_ERRNO_PERM);
    CHECK_WASI(open_at("up/created.txt", 1, __WASI_OFLAGS_CREAT, WRITE_RIGHTS), __WASI_ERRNO_PERM);
    CHECK_WASI(open_at("up_file", 1, __WASI_OFLAGS_TRUNC, WRITE_RIGHTS), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_create_directory(DIR_FD, "../made"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_create_directory(DIR_FD, "up/made"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_create_directory(DIR_FD, ".."), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_unlink_file(DIR_FD, "../outside.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_unlink_file(DIR_FD, "up/outside.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_remove_directory(DIR_FD, ".."), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_remove_directory(DIR_FD, "up/"), __WASI_ERRNO_NOTDIR);
    CHECK_WASI(__wasi_path_rename(DIR_FD, "../outside.txt", DIR_FD, "stolen.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_rename(DIR_FD, "inside.txt", DIR_FD, "../planted.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_rename(DIR_FD, "inside.txt", DIR_FD, "up/planted.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_link(DIR_FD, 0, "../outside.txt", DIR_FD, "hard.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_link(DIR_FD, 0, "inside.txt", DIR_FD, "../hard.txt"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_link(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "up_file", DIR_FD, "hard2.txt") != 0, 1);
    CHECK_WASI(__wasi_path_symlink("x", DIR_FD, "../planted-link"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_symlink("x", DIR_FD, "up/planted-link"), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_filestat_set_times(DIR_FD, 0, "../outside.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_PERM);
    CHECK_WASI(__wasi_path_filestat_set_times(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "up_file", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_PERM);
    uint8_t target[64];
    __wasi_size_t used = 0;
    CHECK_WASI(__wasi_path_readlink(DIR_FD, "../outside.txt", target, sizeof target, &used), __WASI_ERRNO_PERM);
    // Reading a link's contents is fine, even when they point outside.
    CHECK_WASI(__wasi_path_readlink(DIR_FD, "up_file", target, sizeof target, &used), 0);
    CHECK(used == 14 && memcmp(target, "../outside.txt", 14) == 0);

    // Through wasi-libc: the same refusals surface as errno values.
    CHECK_ERRNO(open("/sandbox/../outside.txt", O_RDONLY), EPERM);
    CHECK_ERRNO(open("/sandbox/up_file", O_RDONLY), EPERM);
    CHECK_ERRNO(open("/sandbox/up/outside.txt", O_RDONLY), EPERM);
    struct stat st;
    CHECK_ERRNO(stat("/sandbox/sneaky", &st), EPERM);
    CHECK_ERRNO(open("/etc/passwd", O_RDONLY), ENOTCAPABLE);  // no preopen holds it: libc refuses
    CHECK_OK(lstat("/sandbox/up", &st));
    CHECK(S_ISLNK(st.st_mode));

    // A file opened inside stays usable; its descriptor can't be used as a directory.
    int fd = open("/sandbox/inside.txt", O_RDWR);
    CHECK(fd >= 0);
    __wasi_fd_t child;
    CHECK_WASI(__wasi_path_open((__wasi_fd_t)fd, 0, "x", 0, READ_RIGHTS, READ_RIGHTS, 0, &child), __WASI_ERRNO_NOTDIR);
    CHECK_WASI(__wasi_path_create_directory((__wasi_fd_t)fd, "x"), __WASI_ERRNO_BADF);
    CHECK_OK(close(fd));

    puts("ok");
    return 0;
}
