/* Test kernels for `dlcc-artifact-tool write-cpu-sample`, in the packed CPU
 * ABI of docs/runtime.md:
 *   void sym(int64_t block_begin, int64_t block_end, void **params)
 * params[i] points to a `void *` for buffer parameters and to the value for
 * scalar parameters. Compiled by the tests with
 *   cc -O2 -shared -fPIC -ffp-contract=off
 * (no contraction, so that the results equal NumPy's float32 arithmetic). */
#include <stdint.h>

#define BLOCK 256

/* y = a * c * x + w over blocks of 256 elements. */
void dlcc_test_affine(int64_t begin, int64_t end, void **params) {
  const float *x = *(const float **)params[0];
  const float *w = *(const float **)params[1];
  const float *c = *(const float **)params[2];
  float *y = *(float **)params[3];
  float a = *(const float *)params[4];
  int64_t n = *(const int64_t *)params[5];
  for (int64_t b = begin; b < end; ++b)
    for (int64_t i = b * BLOCK; i < (b + 1) * BLOCK && i < n; ++i)
      y[i] = a * c[i] * x[i] + w[i];
}

/* out = w + lr * x (lr a rank-0 buffer). */
void dlcc_test_accumulate(int64_t begin, int64_t end, void **params) {
  const float *w = *(const float **)params[0];
  const float *x = *(const float **)params[1];
  const float *lr = *(const float **)params[2];
  float *out = *(float **)params[3];
  int64_t n = *(const int64_t *)params[4];
  for (int64_t b = begin; b < end; ++b)
    for (int64_t i = b * BLOCK; i < (b + 1) * BLOCK && i < n; ++i)
      out[i] = w[i] + lr[0] * x[i];
}

/* out = s + 1 (one block). */
void dlcc_test_increment(int64_t begin, int64_t end, void **params) {
  const int64_t *s = *(const int64_t **)params[0];
  int64_t *out = *(int64_t **)params[1];
  if (begin == 0 && end >= 1)
    out[0] = s[0] + 1;
}

/* out[b] += b + 1 for every block b: after a zeroing Memset, a block run
 * twice or never shows. */
void dlcc_test_mark(int64_t begin, int64_t end, void **params) {
  int64_t *out = *(int64_t **)params[0];
  for (int64_t b = begin; b < end; ++b)
    out[b] += b + 1;
}
