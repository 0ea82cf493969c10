// argv and environ: the harness runs this as `args_env.wasm one "two words" ""` with
// GREETING="hello world" and EMPTY= in the environment, and nothing else.
#include <unistd.h>
#include "check.h"

extern char **environ;

int main(int argc, char **argv) {
    CHECK(argc == 4);
    CHECK(strcmp(argv[0], "args_env.wasm") == 0);
    CHECK(strcmp(argv[1], "one") == 0);
    CHECK(strcmp(argv[2], "two words") == 0);
    CHECK(strcmp(argv[3], "") == 0);
    CHECK(argv[4] == NULL);

    const char *greeting = getenv("GREETING");
    CHECK(greeting != NULL && strcmp(greeting, "hello world") == 0);
    const char *empty = getenv("EMPTY");
    CHECK(empty != NULL && strcmp(empty, "") == 0);
    CHECK(getenv("HOME") == NULL);
    CHECK(getenv("PATH") == NULL);
    int count = 0;
    for (char **e = environ; *e; e++) count++;
    CHECK(count == 2);

    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; *e; e++) printf("env %s\n", *e);
    puts("ok");
    return 0;
}
