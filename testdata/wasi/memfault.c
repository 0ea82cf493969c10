// Guest pointers outside linear memory: every WASI function checks them and answers EFAULT
// (wasmtime traps instead; Swim's contract is an errno, never a crash). Also lengths that
// overflow, buffers straddling the end of memory, and results that can't be written.
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

#define FAULT __WASI_ERRNO_FAULT
#define NOWHERE ((void *)0xfffffff0u)

// The imports themselves: wasi-libc's wrappers take C strings and would run strlen (and trap)
// on a bad pointer before WASI sees it.
#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
RAW(path_open) int raw_path_open(int fd, int flags, const void *path, int len, int oflags,
                                 uint64_t base, uint64_t inheriting, int fdflags, void *result);
RAW(path_create_directory) int raw_path_create_directory(int fd, const void *path, int len);
RAW(path_unlink_file) int raw_path_unlink_file(int fd, const void *path, int len);
RAW(path_symlink) int raw_path_symlink(const void *old, int old_len, int fd, const void *path, int len);
RAW(path_filestat_get) int raw_path_filestat_get(int fd, int flags, const void *path, int len, void *result);

int main(void) {
    // Where memory ends: the first address past it faults, the last byte doesn't.
    uintptr_t end = __builtin_wasm_memory_size(0) * 65536u;
    uint8_t *last = (uint8_t *)(end - 1);
    uint8_t *past = (uint8_t *)end;
    __wasi_size_t n = 0;

    CHECK_WASI(__wasi_args_sizes_get(NOWHERE, &n), FAULT);
    CHECK_WASI(__wasi_args_sizes_get(&n, NOWHERE), FAULT);
    CHECK_WASI(__wasi_args_get(NOWHERE, NOWHERE), FAULT);
    CHECK_WASI(__wasi_environ_sizes_get(NOWHERE, &n), FAULT);
    CHECK_WASI(__wasi_environ_get(NOWHERE, NOWHERE), 0);     // no variables: nothing to write
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, NOWHERE), FAULT);
    CHECK_WASI(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, NOWHERE), FAULT);
    CHECK_WASI(__wasi_random_get(past, 1), FAULT);
    CHECK_WASI(__wasi_random_get(last, 1), 0);
    CHECK_WASI(__wasi_random_get(last, 2), FAULT);          // straddles the end
    CHECK_WASI(__wasi_random_get(past, 0), 0);              // empty, at the very end
    CHECK_WASI(__wasi_fd_fdstat_get(1, NOWHERE), FAULT);
    CHECK_WASI(__wasi_fd_filestat_get(3, NOWHERE), FAULT);
    CHECK_WASI(__wasi_fd_prestat_get(3, NOWHERE), FAULT);
    CHECK_WASI(__wasi_fd_prestat_dir_name(3, past, 8), FAULT);

    // I/O vectors: the array itself, a buffer in it, and the result pointer.
    __wasi_ciovec_t good = {(const uint8_t *)"x", 1};
    __wasi_ciovec_t bad = {(const uint8_t *)NOWHERE, 100};
    __wasi_ciovec_t wrapping = {(const uint8_t *)last, 0xffffffffu};
    CHECK_WASI(__wasi_fd_write(1, NOWHERE, 1, &n), FAULT);
    CHECK_WASI(__wasi_fd_write(1, &bad, 1, &n), FAULT);
    CHECK_WASI(__wasi_fd_write(1, &wrapping, 1, &n), FAULT);
    CHECK_WASI(__wasi_fd_write(1, (const __wasi_ciovec_t *)&good, 0x20000000, &n), FAULT);  // array too long
    CHECK_WASI(__wasi_fd_write(1, &good, 0, NOWHERE), FAULT);
    __wasi_iovec_t in = {(uint8_t *)NOWHERE, 16};
    CHECK_WASI(__wasi_fd_read(0, &in, 1, &n), FAULT);
    CHECK_WASI(__wasi_fd_pread(3, &in, 1, 0, &n) == FAULT || __wasi_fd_pread(3, &in, 1, 0, &n) == __WASI_ERRNO_BADF, 1);

    // Paths and names.
    __wasi_fd_t fd;
    CHECK_WASI(raw_path_open(3, 0, NOWHERE, 4, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), FAULT);
    CHECK_WASI(raw_path_open(3, 0, last, 2, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), FAULT);
    CHECK_WASI(raw_path_create_directory(3, NOWHERE, 1), FAULT);
    CHECK_WASI(raw_path_unlink_file(3, NOWHERE, 1), FAULT);
    CHECK_WASI(raw_path_symlink(NOWHERE, 1, 3, "x", 1), FAULT);
    __wasi_filestat_t st;
    CHECK_WASI(raw_path_filestat_get(3, 0, ".", 1, NOWHERE), FAULT);
    CHECK_WASI(raw_path_filestat_get(3, 0, NOWHERE, 1, &st), FAULT);
    // Not UTF-8, or with a NUL inside: refused before the host sees it.
    CHECK_WASI(raw_path_filestat_get(3, 0, "\xff", 1, &st), __WASI_ERRNO_ILSEQ);
    CHECK_WASI(raw_path_filestat_get(3, 0, "a\0b", 3, &st), __WASI_ERRNO_INVAL);
    // A bad result pointer must not leave a new file behind.
    CHECK_WASI(__wasi_path_open(3, 0, "never.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, NOWHERE), FAULT);
    CHECK_WASI(__wasi_path_filestat_get(3, 0, "never.txt", &st), __WASI_ERRNO_NOENT);
    CHECK_WASI(__wasi_fd_readdir(3, NOWHERE, 64, 0, &n), FAULT);
    CHECK_WASI(__wasi_path_readlink(3, "x", NOWHERE, 8, &n) != 0, 1);

    // poll_oneoff: subscriptions, events and the count.
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    __wasi_event_t event;
    CHECK_WASI(__wasi_poll_oneoff(NOWHERE, &event, 1, &n), FAULT);
    CHECK_WASI(__wasi_poll_oneoff(&sub, NOWHERE, 1, &n), FAULT);
    CHECK_WASI(__wasi_poll_oneoff(&sub, &event, 1, NOWHERE), FAULT);

    // Still alive, and the memory around is intact.
    CHECK_WASI(__wasi_poll_oneoff(&sub, &event, 1, &n), 0);
    CHECK(n == 1);
    puts("ok");
    return 0;
}
