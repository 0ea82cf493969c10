// poll_oneoff: relative and absolute clock subscriptions, the earliest of several clocks,
// descriptors that are ready at once (a regular file, stdout), a stdin with data (the harness
// pipes "ping\n" in), results in subscription order with userdata, and the errors.
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

static __wasi_timestamp_t now(void) {
    __wasi_timestamp_t t;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t), __WASI_ERRNO_SUCCESS);
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int absolute) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

int main(void) {
    __wasi_event_t events[4];
    __wasi_size_t n = 0;

    // One relative clock: sleeps at least that long.
    __wasi_timestamp_t start = now();
    __wasi_subscription_t subs[4];
    subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 30000000, 0);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 42 && events[0].type == __WASI_EVENTTYPE_CLOCK);
    CHECK(events[0].error == __WASI_ERRNO_SUCCESS);
    CHECK(now() - start >= 30000000);

    // An absolute monotonic deadline, and an absolute realtime one.
    start = now();
    subs[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, start + 20000000, 1);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 7);
    CHECK(now() >= start + 20000000);
    __wasi_timestamp_t real;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &real), __WASI_ERRNO_SUCCESS);
    start = now();
    subs[0] = clock_sub(8, __WASI_CLOCKID_REALTIME, real + 20000000, 1);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 8);
    CHECK(now() - start >= 15000000);
    // A deadline in the past fires at once.
    subs[0] = clock_sub(9, __WASI_CLOCKID_MONOTONIC, 1, 1);
    start = now();
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 9);
    CHECK(now() - start < 500000000);

    // Two clocks: only the earlier one fires.
    start = now();
    subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000000000ULL, 0);
    subs[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10000000, 0);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 2, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 2);
    CHECK(now() - start < 2000000000ULL);

    // A regular file is always ready, before a long clock; so is stdout for writing.
    int fd = open("/sandbox/p.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "12345", 5) == 5);
    CHECK(lseek(fd, 1, SEEK_SET) == 1);
    subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000000000ULL, 0);
    subs[1] = fd_sub(2, __WASI_EVENTTYPE_FD_READ, (__wasi_fd_t)fd);
    subs[2] = fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, 1);
    start = now();
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 3, &n), __WASI_ERRNO_SUCCESS);
    CHECK(now() - start < 2000000000ULL);
    CHECK(n == 2);
    CHECK(events[0].userdata == 2 && events[0].type == __WASI_EVENTTYPE_FD_READ);
    CHECK(events[0].error == __WASI_ERRNO_SUCCESS);
    CHECK(events[0].fd_readwrite.nbytes >= 1);
    CHECK(events[1].userdata == 3 && events[1].type == __WASI_EVENTTYPE_FD_WRITE);

    // Stdin with data waiting.
    subs[0] = fd_sub(5, __WASI_EVENTTYPE_FD_READ, 0);
    subs[1] = clock_sub(6, __WASI_CLOCKID_MONOTONIC, 5000000000ULL, 0);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 2, &n), __WASI_ERRNO_SUCCESS);
    CHECK(n == 1 && events[0].userdata == 5 && events[0].type == __WASI_EVENTTYPE_FD_READ);
    char line[16] = {0};
    CHECK(read(0, line, sizeof line - 1) == 5 && strcmp(line, "ping\n") == 0);

    // Errors: nothing to wait for; a closed descriptor; an unknown clock; an unknown type.
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 0, &n), __WASI_ERRNO_INVAL);
    subs[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, 99);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_BADF);
    subs[0] = clock_sub(1, 9, 1000, 0);
    CHECK_WASI(__wasi_poll_oneoff(subs, events, 1, &n), __WASI_ERRNO_INVAL);

    // sleep() itself.
    start = now();
    CHECK(sleep(1) == 0);
    CHECK(now() - start >= 1000000000ULL);

    CHECK_OK(close(fd));
    puts("ok");
    return 0;
}
