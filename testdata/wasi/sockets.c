// Sockets: the embedder hands a listening TCP socket over as fd 3 (swim run --tcplisten);
// a client has already connected and sent "hello\n". The program accepts it, peeks and
// receives the line, answers "HELLO\n" (half with sock_send, half with fd_write), shuts down
// its side, and checks the errors of each call.
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

#define LISTENER 3

int main(void) {
    __wasi_fdstat_t st;
    CHECK_WASI(__wasi_fd_fdstat_get(LISTENER, &st), 0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT);
    __wasi_prestat_t prestat;
    CHECK_WASI(__wasi_fd_prestat_get(LISTENER, &prestat), __WASI_ERRNO_BADF);  // not a directory

    __wasi_fd_t connection;
    CHECK_WASI(__wasi_sock_accept(LISTENER, 3, &connection), __WASI_ERRNO_INVAL);  // unknown flags
    CHECK_WASI(__wasi_sock_accept(LISTENER, 0, &connection), 0);
    CHECK_WASI(__wasi_fd_fdstat_get(connection, &st), 0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_SHUTDOWN);

    // Peek, then read for real (waiting for all six bytes).
    char buffer[16] = {0};
    __wasi_iovec_t in = {(uint8_t *)buffer, 6};
    __wasi_size_t n = 0;
    __wasi_roflags_t flags = 99;
    CHECK_WASI(__wasi_sock_recv(connection, &in, 1, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL, &n, &flags), 0);
    CHECK(n == 6 && memcmp(buffer, "hello\n", 6) == 0 && flags == 0);
    memset(buffer, 0, sizeof buffer);
    CHECK_WASI(__wasi_sock_recv(connection, &in, 1, 0, &n, &flags), 0);
    CHECK(n == 6 && memcmp(buffer, "hello\n", 6) == 0);

    // Answer in two halves, through both calls.
    __wasi_ciovec_t first = {(const uint8_t *)"HEL", 3};
    CHECK_WASI(__wasi_sock_send(connection, &first, 1, 0, &n), 0);
    CHECK(n == 3);
    CHECK(write((int)connection, "LO\n", 3) == 3);
    CHECK_WASI(__wasi_sock_shutdown(connection, __WASI_SDFLAGS_WR), 0);
    CHECK_WASI(__wasi_sock_send(connection, &first, 1, 0, &n), __WASI_ERRNO_PIPE);

    // Errors.
    CHECK_WASI(__wasi_sock_accept(1, 0, &connection) , __WASI_ERRNO_NOTSOCK);
    CHECK_WASI(__wasi_sock_recv(99, &in, 1, 0, &n, &flags), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_sock_recv(connection, &in, 1, 8, &n, &flags), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_sock_send(connection, &first, 1, 1, &n), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_sock_shutdown(connection, 0), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_sock_shutdown(LISTENER, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTCAPABLE);
    __wasi_filesize_t position;
    CHECK_WASI(__wasi_fd_seek(connection, 0, __WASI_WHENCE_CUR, &position), __WASI_ERRNO_SPIPE);

    CHECK_WASI(__wasi_fd_close(connection), 0);
    fputs("ok\n", stderr);
    return 0;
}
