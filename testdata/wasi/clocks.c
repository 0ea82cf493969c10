// Clocks: realtime is today, monotonic never goes back, CPU-time clocks advance with work,
// resolutions are sane, sleeps (poll_oneoff underneath) last as long as asked, and an
// unknown clock is an error.
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    struct timespec t, u, res;
    CHECK_OK(clock_gettime(CLOCK_REALTIME, &t));
    CHECK(t.tv_sec > 1700000000);                     // after November 2023
    CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
    CHECK(time(NULL) >= t.tv_sec);

    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t));
    for (int i = 0; i < 1000; i++) {
        CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &u));
        CHECK(ns(u) >= ns(t));
        t = u;
    }

    // CPU time advances when the program computes.
    CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t));
    volatile unsigned x = 1;
    for (unsigned i = 0; i < 20000000; i++) x = x * 1664525u + 1013904223u;
    CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &u));
    CHECK(ns(u) > ns(t));
    CHECK_OK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &u));
    CHECK(ns(u) > 0);

    CHECK_OK(clock_getres(CLOCK_REALTIME, &res));
    CHECK(ns(res) > 0 && ns(res) <= 1000000);
    CHECK_OK(clock_getres(CLOCK_MONOTONIC, &res));
    CHECK(ns(res) > 0 && ns(res) <= 1000000);
    CHECK_OK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res));

    // Sleeping: nanosleep, usleep and clock_nanosleep with an absolute deadline.
    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t));
    struct timespec request = {0, 50 * 1000000};
    CHECK_OK(nanosleep(&request, NULL));
    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &u));
    CHECK(ns(u) - ns(t) >= 50000000LL);
    CHECK(ns(u) - ns(t) < 2000000000LL);
    CHECK_OK(usleep(20000));
    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t));
    CHECK(ns(t) - ns(u) >= 20000000LL);
    struct timespec deadline = t;
    deadline.tv_nsec += 30000000;
    if (deadline.tv_nsec >= 1000000000) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000; }
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == 0);
    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &u));
    CHECK(ns(u) >= ns(deadline));

    // Raw calls: an unknown clock is invalid; precision is only a hint.
    __wasi_timestamp_t stamp;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &stamp), __WASI_ERRNO_SUCCESS);
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1000000000, &stamp), __WASI_ERRNO_SUCCESS);
    CHECK(stamp / 1000000000ULL > 1700000000ULL);
    CHECK_WASI(__wasi_clock_time_get(7, 0, &stamp), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_clock_res_get(7, &stamp), __WASI_ERRNO_INVAL);

    puts("ok");
    return 0;
}
