// Assertions for the WASI test programs: on failure, print what and where on stderr and
// exit with status 1. Each program tests one area; it prints "ok" when everything passed.
#ifndef WASI_TEST_CHECK_H
#define WASI_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...)                                                            \
    do {                                                                     \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                 \
        fprintf(stderr, __VA_ARGS__);                                        \
        fprintf(stderr, "\n");                                               \
        exit(1);                                                             \
    } while (0)

// CHECK(condition): the condition must hold.
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) FAIL("%s (errno %d: %s)", #cond, errno, strerror(errno)); \
    } while (0)

// CHECK_OK(call): a libc call returning -1 on failure must succeed.
#define CHECK_OK(call)                                                       \
    do {                                                                     \
        errno = 0;                                                           \
        if ((call) == -1) FAIL("%s failed: errno %d (%s)", #call, errno, strerror(errno)); \
    } while (0)

// CHECK_ERRNO(call, expected): a libc call must fail (-1, or NULL) with errno `expected`.
#define CHECK_ERRNO(call, expected)                                          \
    do {                                                                     \
        errno = 0;                                                           \
        long check_result_ = (long)(call);                                   \
        if (check_result_ != -1 && check_result_ != 0)                       \
            FAIL("%s succeeded (%ld), expected errno %d (%s)", #call, check_result_, expected, strerror(expected)); \
        if (errno != (expected))                                             \
            FAIL("%s: errno %d (%s), expected %d (%s)", #call, errno, strerror(errno), expected, strerror(expected)); \
    } while (0)

// CHECK_WASI(call, expected): a raw __wasi_* call must return the errno `expected`.
#define CHECK_WASI(call, expected)                                           \
    do {                                                                     \
        int check_wasi_ = (int)(call);                                       \
        if (check_wasi_ != (expected))                                       \
            FAIL("%s returned %d (%s), expected %d (%s)", #call, check_wasi_, strerror(check_wasi_), expected, strerror(expected)); \
    } while (0)

#endif
