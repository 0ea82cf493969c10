// Copies standard input to standard output until end of file, then reports on stderr how
// many bytes it copied. The harness pipes data through `ctr run` and checks that it all
// arrives and that closing the input ends the container.
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buffer[4096];
    size_t total = 0;
    for (;;) {
        ssize_t n = read(0, buffer, sizeof buffer);
        if (n < 0) {
            perror("read");
            return 1;
        }
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t written = write(1, buffer + done, (size_t)(n - done));
            if (written <= 0) {
                perror("write");
                return 1;
            }
            done += written;
        }
        total += (size_t)n;
    }
    fprintf(stderr, "eof after %zu bytes\n", total);
    return 0;
}
