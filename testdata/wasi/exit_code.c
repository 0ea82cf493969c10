// Exit statuses: `exit_code.wasm N` exits with N through exit(); `exit_code.wasm return N`
// returns N from main; `exit_code.wasm raw N` calls proc_exit directly, skipping atexit.
#include <wasi/api.h>
#include "check.h"

static void on_exit_handler(void) { fputs("atexit ran\n", stderr); }

int main(int argc, char **argv) {
    CHECK(argc >= 2);
    atexit(on_exit_handler);
    if (strcmp(argv[1], "return") == 0 && argc == 3) return atoi(argv[2]);
    if (strcmp(argv[1], "raw") == 0 && argc == 3) __wasi_proc_exit((__wasi_exitcode_t)atoi(argv[2]));
    exit(atoi(argv[1]));
}
