// Recursion, comparisons and memory: quicksort of 2 million integers, 3 times.
#include <stdio.h>
#include <stdlib.h>
static void quicksort(int *a, long lo, long hi) {
    while (lo < hi) {
        int pivot = a[(lo + hi) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
    }
}
int main(void) {
    long n = 2000000;
    int *a = malloc(n * sizeof *a);
    unsigned seed = 1, check = 0;
    for (int r = 0; r < 3; r++) {
        for (long i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; a[i] = (int)(seed >> 1); }
        quicksort(a, 0, n - 1);
        for (long i = 1; i < n; i++) if (a[i - 1] > a[i]) { printf("not sorted\n"); return 1; }
        check += (unsigned)a[n / 2];
    }
    printf("%u\n", check);
    return 0;
}
