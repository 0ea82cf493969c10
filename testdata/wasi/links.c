// Names: rename (files, directories, over existing entries), hard links and their counts,
// symlinks (readlink, following, not following, loops), unlink, and the errors of each.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    CHECK_OK(close(fd));
}

static void expect_contents(const char *path, const char *expected) {
    char buffer[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) FAIL("open %s: %s", path, strerror(errno));
    CHECK(read(fd, buffer, sizeof buffer - 1) == (ssize_t)strlen(expected));
    if (strcmp(buffer, expected) != 0) FAIL("%s holds '%s', expected '%s'", path, buffer, expected);
    CHECK_OK(close(fd));
}

int main(void) {
    struct stat st;
    write_file("/sandbox/a", "A");
    write_file("/sandbox/b", "B");
    CHECK_OK(mkdir("/sandbox/dir", 0755));
    CHECK_OK(mkdir("/sandbox/dir2", 0755));
    write_file("/sandbox/dir2/inside", "I");

    // rename: a file to a new name, over another file, into a directory; directories too.
    CHECK_OK(rename("/sandbox/a", "/sandbox/a2"));
    CHECK_ERRNO(stat("/sandbox/a", &st), ENOENT);
    expect_contents("/sandbox/a2", "A");
    CHECK_OK(rename("/sandbox/a2", "/sandbox/b"));   // replaces b
    expect_contents("/sandbox/b", "A");
    CHECK_OK(rename("/sandbox/b", "/sandbox/dir/b"));
    expect_contents("/sandbox/dir/b", "A");
    CHECK_OK(rename("/sandbox/dir", "/sandbox/dir3"));
    expect_contents("/sandbox/dir3/b", "A");
    CHECK_ERRNO(rename("/sandbox/missing", "/sandbox/x"), ENOENT);
    CHECK_ERRNO(rename("/sandbox/dir3", "/sandbox/dir2"), ENOTEMPTY);
    CHECK_ERRNO(rename("/sandbox/dir3/b", "/sandbox/dir2"), EISDIR);
    CHECK_ERRNO(rename("/sandbox/dir2", "/sandbox/dir3/b"), ENOTDIR);
    CHECK_ERRNO(rename("/sandbox/dir3", "/sandbox/dir3/sub"), EINVAL);  // into itself

    // Hard links share the file and count its names.
    write_file("/sandbox/f", "F");
    CHECK_OK(link("/sandbox/f", "/sandbox/f2"));
    CHECK_OK(stat("/sandbox/f", &st));
    CHECK(st.st_nlink == 2);
    struct stat st2;
    CHECK_OK(stat("/sandbox/f2", &st2));
    CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    write_file("/sandbox/f2", "G");
    expect_contents("/sandbox/f", "G");
    CHECK_ERRNO(link("/sandbox/f", "/sandbox/f2"), EEXIST);
    CHECK_ERRNO(link("/sandbox/missing", "/sandbox/f3"), ENOENT);
    CHECK_ERRNO(link("/sandbox/dir2", "/sandbox/dir2-link"), EPERM);  // no hard links to directories
    CHECK_OK(unlink("/sandbox/f2"));
    CHECK_OK(stat("/sandbox/f", &st));
    CHECK(st.st_nlink == 1);

    // Symlinks: contents, following, not following.
    CHECK_OK(symlink("f", "/sandbox/sl"));
    CHECK_OK(symlink("dir2/inside", "/sandbox/sl-deep"));
    CHECK_OK(symlink("dir2", "/sandbox/sl-dir"));
    CHECK_OK(symlink("nowhere", "/sandbox/dangling"));
    char target[64] = {0};
    CHECK(readlink("/sandbox/sl", target, sizeof target) == 1 && target[0] == 'f');
    memset(target, 0, sizeof target);
    CHECK(readlink("/sandbox/sl-deep", target, 4) == 4 && memcmp(target, "dir2", 4) == 0);  // truncated
    CHECK_ERRNO(readlink("/sandbox/f", target, sizeof target), EINVAL);
    CHECK_ERRNO(readlink("/sandbox/missing", target, sizeof target), ENOENT);
    expect_contents("/sandbox/sl", "G");
    expect_contents("/sandbox/sl-deep", "I");
    expect_contents("/sandbox/sl-dir/inside", "I");
    CHECK_OK(lstat("/sandbox/sl", &st));
    CHECK(S_ISLNK(st.st_mode) && st.st_size == 1);
    CHECK_OK(stat("/sandbox/sl", &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_OK(stat("/sandbox/sl-dir", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_ERRNO(stat("/sandbox/dangling", &st), ENOENT);
    CHECK_OK(lstat("/sandbox/dangling", &st));
    CHECK_ERRNO(open("/sandbox/sl", O_RDONLY | O_NOFOLLOW), ELOOP);
    CHECK_ERRNO(symlink("f", "/sandbox/sl"), EEXIST);
    // Creating through a dangling symlink creates its target.
    int fd = open("/sandbox/dangling", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK_OK(close(fd));
    CHECK_OK(stat("/sandbox/nowhere", &st));

    // Loops.
    CHECK_OK(symlink("loop2", "/sandbox/loop1"));
    CHECK_OK(symlink("loop1", "/sandbox/loop2"));
    CHECK_ERRNO(open("/sandbox/loop1", O_RDONLY), ELOOP);
    CHECK_ERRNO(stat("/sandbox/loop1", &st), ELOOP);

    // unlink removes the link, not its target; renaming a symlink moves the link.
    CHECK_OK(rename("/sandbox/sl", "/sandbox/sl2"));
    expect_contents("/sandbox/sl2", "G");
    CHECK_OK(unlink("/sandbox/sl2"));
    expect_contents("/sandbox/f", "G");
    CHECK_OK(unlink("/sandbox/sl-dir"));
    CHECK_OK(stat("/sandbox/dir2", &st));
    CHECK_ERRNO(unlink("/sandbox/missing"), ENOENT);
    CHECK_ERRNO(unlink("/sandbox/f/x"), ENOTDIR);

    puts("ok");
    return 0;
}
