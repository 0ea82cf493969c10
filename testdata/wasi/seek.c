// Positions: lseek with each whence, tell, seeking past the end (a hole), invalid seeks,
// pread/pwrite leaving the position alone, and descriptors that cannot seek.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    int fd = open("/sandbox/s.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 0, SEEK_CUR) == 10);             // tell
    CHECK(lseek(fd, 2, SEEK_SET) == 2);
    CHECK(lseek(fd, 3, SEEK_CUR) == 5);
    CHECK(lseek(fd, -1, SEEK_END) == 9);
    char c;
    CHECK(read(fd, &c, 1) == 1 && c == '9');
    CHECK(lseek(fd, -3, SEEK_CUR) == 7);
    CHECK(read(fd, &c, 1) == 1 && c == '7');

    // Before the start is invalid and leaves the position alone.
    CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
    CHECK_ERRNO(lseek(fd, -100, SEEK_CUR), EINVAL);
    CHECK_ERRNO(lseek(fd, -11, SEEK_END), EINVAL);
    CHECK(lseek(fd, 0, SEEK_CUR) == 8);

    // Past the end: reads see the end, a write leaves a hole of zeros.
    CHECK(lseek(fd, 20, SEEK_SET) == 20);
    CHECK(read(fd, &c, 1) == 0);
    CHECK(write(fd, "X", 1) == 1);
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 21);
    char buffer[21];
    CHECK(pread(fd, buffer, 21, 0) == 21);
    CHECK(memcmp(buffer, "0123456789", 10) == 0);
    for (int i = 10; i < 20; i++) CHECK(buffer[i] == 0);
    CHECK(buffer[20] == 'X');

    // pread and pwrite use their own offset and keep the position.
    CHECK(lseek(fd, 4, SEEK_SET) == 4);
    CHECK(pwrite(fd, "ab", 2, 1) == 2);
    CHECK(pread(fd, buffer, 4, 0) == 4 && memcmp(buffer, "0ab3", 4) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 4);
    CHECK(pread(fd, buffer, 5, 19) == 2);            // short read at the end
    CHECK(pread(fd, buffer, 5, 100) == 0);           // nothing past it
    CHECK(pwrite(fd, "Z", 1, 30) == 1);              // pwrite past the end extends
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 31);
    CHECK(lseek(fd, 0, SEEK_CUR) == 4);
    CHECK_OK(close(fd));

    // With O_APPEND, Linux ignores pwrite's offset: the data goes to the end.
    fd = open("/sandbox/s.bin", O_RDWR | O_APPEND);
    CHECK(fd >= 0);
    CHECK(pwrite(fd, "E", 1, 0) == 1);
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_size == 32);
    CHECK(pread(fd, buffer, 1, 0) == 1 && buffer[0] == '0');
    CHECK_OK(close(fd));

    // Streams and directories have no position.
    CHECK_ERRNO(lseek(1, 0, SEEK_CUR), ESPIPE);
    CHECK_ERRNO(lseek(0, 5, SEEK_SET), ESPIPE);
    CHECK_ERRNO(pwrite(1, "x", 1, 0), ESPIPE);
    CHECK_ERRNO(pread(0, buffer, 1, 0), ESPIPE);
    int dir = open("/sandbox", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    CHECK_ERRNO(lseek(dir, 0, SEEK_SET), EBADF);
    CHECK_ERRNO(read(dir, buffer, 1), EBADF);
    CHECK_OK(close(dir));
    CHECK_ERRNO(lseek(99, 0, SEEK_SET), EBADF);

    puts("ok");
    return 0;
}
