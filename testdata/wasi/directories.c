// Directories: mkdir and rmdir with their errors, and listing with readdir: `.` and `..`
// first, entry types, every entry exactly once over many fd_readdir calls, and positions
// (telldir/seekdir/rewinddir ride on fd_readdir's cookies).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

#define MANY 300

static void touch(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK_OK(close(fd));
}

int main(void) {
    CHECK_OK(mkdir("/sandbox/d", 0755));
    CHECK_ERRNO(mkdir("/sandbox/d", 0755), EEXIST);
    CHECK_ERRNO(mkdir("/sandbox/missing/d", 0755), ENOENT);
    CHECK_OK(mkdir("/sandbox/d/sub", 0755));
    CHECK_OK(mkdir("/sandbox/d/trailing/", 0755));
    touch("/sandbox/d/file");
    CHECK_OK(symlink("file", "/sandbox/d/link"));
    CHECK_ERRNO(mkdir("/sandbox/d/file", 0755), EEXIST);
    CHECK_ERRNO(mkdir("/sandbox/d/file/x", 0755), ENOTDIR);

    // rmdir: not a file, not a non-empty directory, not a symlink.
    CHECK_ERRNO(rmdir("/sandbox/d"), ENOTEMPTY);
    CHECK_ERRNO(rmdir("/sandbox/d/file"), ENOTDIR);
    CHECK_ERRNO(rmdir("/sandbox/d/link"), ENOTDIR);
    CHECK_ERRNO(rmdir("/sandbox/d/missing"), ENOENT);
    CHECK_ERRNO(unlink("/sandbox/d/sub"), EISDIR);
    CHECK_OK(rmdir("/sandbox/d/trailing/"));

    // A listing with the types of entries.
    DIR *dir = opendir("/sandbox/d");
    CHECK(dir != NULL);
    int seen_dot = 0, seen_dotdot = 0, seen_sub = 0, seen_file = 0, seen_link = 0, count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        count++;
        if (strcmp(e->d_name, ".") == 0) { seen_dot++; CHECK(e->d_type == DT_DIR); CHECK(count == 1); }
        else if (strcmp(e->d_name, "..") == 0) { seen_dotdot++; CHECK(e->d_type == DT_DIR); CHECK(count == 2); }
        else if (strcmp(e->d_name, "sub") == 0) { seen_sub++; CHECK(e->d_type == DT_DIR); }
        else if (strcmp(e->d_name, "file") == 0) { seen_file++; CHECK(e->d_type == DT_REG); }
        else if (strcmp(e->d_name, "link") == 0) { seen_link++; CHECK(e->d_type == DT_LNK); }
        else FAIL("unexpected entry %s", e->d_name);
    }
    CHECK(seen_dot == 1 && seen_dotdot == 1 && seen_sub == 1 && seen_file == 1 && seen_link == 1 && count == 5);
    CHECK_OK(closedir(dir));

    // A directory opens for reading (opendir does that), never for writing or truncation.
    int dfd = open("/sandbox/d", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    CHECK_OK(close(dfd));
    dfd = open("/sandbox/d", O_RDONLY);
    CHECK(dfd >= 0);
    CHECK_OK(close(dfd));
    CHECK_ERRNO(open("/sandbox/d", O_RDWR | O_DIRECTORY), EISDIR);
    CHECK_ERRNO(open("/sandbox/d", O_WRONLY | O_DIRECTORY), EISDIR);
    CHECK_ERRNO(open("/sandbox/d", O_RDWR), EISDIR);
    CHECK_ERRNO(open("/sandbox/d", O_RDONLY | O_TRUNC), EISDIR);

    // Many entries with long names: wasi-libc reads them in several fd_readdir calls.
    CHECK_OK(mkdir("/sandbox/many", 0755));
    char path[128];
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "/sandbox/many/entry-with-a-rather-long-name-%04d", i);
        touch(path);
    }
    static char seen[MANY];
    dir = opendir("/sandbox/many");
    CHECK(dir != NULL);
    count = 0;
    long position_of_100 = -1;
    char name_at_100[64] = {0};
    for (;;) {
        long position = telldir(dir);
        if ((e = readdir(dir)) == NULL) break;
        if (count == 100) {
            position_of_100 = position;
            snprintf(name_at_100, sizeof name_at_100, "%s", e->d_name);
        }
        count++;
        if (e->d_name[0] == '.') continue;
        int index = -1;
        CHECK(sscanf(e->d_name, "entry-with-a-rather-long-name-%d", &index) == 1);
        CHECK(index >= 0 && index < MANY);
        if (seen[index]) FAIL("entry %d listed twice", index);
        seen[index] = 1;
    }
    CHECK(count == MANY + 2);
    for (int i = 0; i < MANY; i++) if (!seen[i]) FAIL("entry %d missing", i);

    // Back to a remembered position, and back to the start.
    seekdir(dir, position_of_100);
    e = readdir(dir);
    CHECK(e != NULL && strcmp(e->d_name, name_at_100) == 0);
    rewinddir(dir);
    e = readdir(dir);
    CHECK(e != NULL && strcmp(e->d_name, ".") == 0);
    CHECK_OK(closedir(dir));

    // Removing entries while the directory is open, then the directory itself.
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "/sandbox/many/entry-with-a-rather-long-name-%04d", i);
        CHECK_OK(unlink(path));
    }
    dir = opendir("/sandbox/many");
    CHECK(dir != NULL);
    count = 0;
    while ((e = readdir(dir)) != NULL) count++;
    CHECK(count == 2);
    CHECK_OK(closedir(dir));
    CHECK_OK(rmdir("/sandbox/many"));
    CHECK_ERRNO(opendir("/sandbox/many"), ENOENT);
    CHECK_ERRNO(opendir("/sandbox/d/file"), ENOTDIR);

    puts("ok");
    return 0;
}
