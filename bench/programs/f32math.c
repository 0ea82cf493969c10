// f32 math: a Mandelbrot set in single precision, and 4x4 float matrices rotating points
// with sine and cosine from polynomials; checked against properties that must hold (escape
// counts summed, rotations keeping lengths). Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>

static float sin_poly(float x) { // Taylor to x^7, for |x| <= 1.5
    float x2 = x * x;
    return x * (1.0f + x2 * (-0.16666667f + x2 * (0.0083333310f + x2 * -0.00019840874f)));
}
static float cos_poly(float x) {
    float x2 = x * x;
    return 1.0f + x2 * (-0.5f + x2 * (0.041666638f + x2 * (-0.0013888378f + x2 * 0.000024760495f)));
}

static uint32_t mandelbrot(int size, int limit) {
    uint32_t total = 0;
    for (int py = 0; py < size; py++) {
        float ci = (float)py / (float)size * 2.4f - 1.2f;
        for (int px = 0; px < size; px++) {
            float cr = (float)px / (float)size * 3.0f - 2.1f;
            float zr = 0, zi = 0;
            int n = 0;
            while (n < limit && zr * zr + zi * zi < 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                n++;
            }
            total += (uint32_t)n;
        }
    }
    return total;
}

typedef struct { float m[4][4]; } Mat;

static Mat multiply(const Mat *a, const Mat *b) {
    Mat r;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            float s = 0;
            for (int k = 0; k < 4; k++) s += a->m[i][k] * b->m[k][j];
            r.m[i][j] = s;
        }
    return r;
}

static Mat rotation(float angle, int axis) {
    float s = sin_poly(angle), c = cos_poly(angle);
    Mat r = {{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}};
    int a = (axis + 1) % 3, b = (axis + 2) % 3;
    r.m[a][a] = c; r.m[a][b] = -s; r.m[b][a] = s; r.m[b][b] = c;
    return r;
}

int main(void) {
    uint32_t escape = 0;
    for (int round = 0; round < 2; round++) escape += mandelbrot(500, 200);

    enum { POINTS = 4096 };
    static float points[POINTS][4];
    for (int i = 0; i < POINTS; i++) {
        points[i][0] = (float)(i % 17) - 8.0f;
        points[i][1] = (float)(i % 23) - 11.0f;
        points[i][2] = (float)(i % 29) - 14.0f;
        points[i][3] = 1.0f;
    }
    float worst = 0;
    for (int step = 0; step < 400; step++) {
        float angle = -1.5f + 3.0f * (float)step / 400.0f;
        Mat x = rotation(angle, 0), y = rotation(angle * 0.5f, 1), z = rotation(-angle, 2);
        Mat xy = multiply(&x, &y), m = multiply(&xy, &z);
        for (int i = 0; i < POINTS; i++) {
            float in[4], out[4];
            for (int k = 0; k < 4; k++) in[k] = points[i][k];
            for (int r = 0; r < 4; r++)
                out[r] = m.m[r][0] * in[0] + m.m[r][1] * in[1] + m.m[r][2] * in[2] + m.m[r][3] * in[3];
            float before = in[0] * in[0] + in[1] * in[1] + in[2] * in[2];
            float after = out[0] * out[0] + out[1] * out[1] + out[2] * out[2];
            float error = (after - before) / (before + 1.0f);
            if (error < 0) error = -error;
            if (error > worst) worst = error;
        }
    }
    // The polynomials are good to about 1e-4 on [-1.5, 1.5]: lengths must hold to 1e-3.
    if (worst > 1e-3f) { printf("FAIL: rotation error %g\n", (double)worst); return 1; }
    // The set's escape counts: the same on every IEEE single-precision machine.
    printf("escape %u, rotation error %.2e\n", escape, (double)worst);
    return 0;
}
