// Floating point: 160x160 double matrix products, 12 times.
#include <stdio.h>
#define N 160
static double a[N][N], b[N][N], c[N][N];
int main(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i][j] = (i * 7 + j) % 13 * 0.5; b[i][j] = (i + j * 3) % 11 * 0.25; }
    double sum = 0;
    for (int r = 0; r < 12; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        sum += c[r][r];
        a[r][0] += 1.0;
    }
    printf("checksum %.3f\n", sum);
    return 0;
}
