/*
 * The machine's fp32 FMA peak, measured: each thread runs 12 independent chains of vector fused multiply-adds
 * (enough to keep two FMA units busy through their latency), nothing else, for about a second per pass; the best
 * of 5 passes is printed per thread and in total. This is the ceiling the benchmarks' "% of peak" figures are
 * taken against: it counts the clock the cores really run at under vector load, which lscpu does not show.
 *
 * Build and run (from the project root):
 *   gcc -O2 -march=native -pthread benchmarks-native/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak [THREADS]
 * Check that the loop is what it claims: objdump -d /tmp/fma_peak | grep -c vfmadd   (12 or more)
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define STORE _mm512_storeu_ps
#define ISA "AVX-512"
#elif defined(__FMA__)
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define STORE _mm256_storeu_ps
#define ISA "AVX2 FMA"
#else
#error "needs FMA instructions: build with -march=native on a CPU that has them"
#endif

#define CHAINS 12
#define PASSES 5

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

struct job {
  long iterations;
  double best; /* GFLOP/s */
  float sink;  /* keeps the results alive */
};

static void *run(void *argument) {
  struct job *job = argument;
  vec acc[CHAINS];
  vec scale = SET1(0.9999999f), shift = SET1(1e-7f);
  for (int c = 0; c < CHAINS; c++) acc[c] = SET1((float)c);
  for (int pass = 0; pass < PASSES; pass++) {
    double start = now();
    for (long k = 0; k < job->iterations; k++) {
#pragma GCC unroll 12
      for (int c = 0; c < CHAINS; c++) acc[c] = FMA(acc[c], scale, shift);
    }
    double gflops = (double)job->iterations * CHAINS * LANES * 2 / (now() - start) / 1e9;
    if (gflops > job->best) job->best = gflops;
  }
  float out[LANES];
  for (int c = 0; c < CHAINS; c++) {
    STORE(out, acc[c]);
    job->sink += out[0];
  }
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1) {
    fprintf(stderr, "usage: fma_peak [THREADS]  (THREADS >= 1)\n");
    return 2;
  }
  pthread_t ids[threads];
  struct job jobs[threads];
  for (int t = 0; t < threads; t++) {
    jobs[t] = (struct job){.iterations = 250000000L / CHAINS};
    pthread_create(&ids[t], NULL, run, &jobs[t]);
  }
  double total = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    printf("thread %d: %.1f GFLOP/s (%s, %d fp32 lanes)\n", t, jobs[t].best, ISA, LANES);
    total += jobs[t].best;
  }
  printf("total, %d thread(s) at once: %.1f GFLOP/s\n", threads, total);
  return jobs[0].sink == 12345.0f; /* never true; uses the sink */
}
