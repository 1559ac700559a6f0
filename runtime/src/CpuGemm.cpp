//===- CpuGemm.cpp - The CPU backend's reference gemm ---------------------===//
//
// Row-major with leading dimensions: A(i, p) is a[i*lda + p], or a[p*lda + i]
// when trans_a; B(p, j) is b[p*ldb + j], or b[j*ldb + p] when trans_b;
// C(i, j) is c[i*ldc + j]; batch q adds q*stride_* to each. Every C(i, j) is
// ((0 + A(i,0)B(0,j)) + A(i,1)B(1,j)) + ... in float, in both loop orders,
// and a row of C is computed by one thread.
//
//===----------------------------------------------------------------------===//

#include "CpuGemm.h"
#include "Support.h"

#include <algorithm>

namespace dlcc::runtime {

namespace {

struct GemmJob {
  const GemmParams *g;
  const float *a, *b;
  float *c;
};

constexpr int64_t kChunk = 256; // columns of C accumulated at once

/// Rows [begin, end) of the batch*m rows of C (packed ABI, params[0] is the
/// job).
void gemmRows(int64_t begin, int64_t end, void **params) {
  const GemmJob &job = *static_cast<const GemmJob *>(params[0]);
  const GemmParams &g = *job.g;
  const float alpha = float(g.alpha), beta = float(g.beta);
  float acc[kChunk];
  for (int64_t row = begin; row < end; ++row) {
    int64_t q = row / g.m, i = row % g.m;
    const float *a = job.a + q * g.strideA;
    const float *b = job.b + q * g.strideB;
    float *c = job.c + q * g.strideC + i * g.ldc;
    auto A = [&](int64_t p) {
      return g.transA ? a[p * g.lda + i] : a[i * g.lda + p];
    };
    for (int64_t j0 = 0; j0 < g.n; j0 += kChunk) {
      int64_t cols = std::min(kChunk, g.n - j0);
      if (!g.transB) {
        std::fill(acc, acc + cols, 0.0f);
        for (int64_t p = 0; p < g.k; ++p) {
          float ap = A(p);
          const float *bp = b + p * g.ldb + j0;
          for (int64_t j = 0; j < cols; ++j)
            acc[j] += ap * bp[j];
        }
      } else {
        for (int64_t j = 0; j < cols; ++j) {
          const float *bj = b + (j0 + j) * g.ldb;
          float s = 0.0f;
          for (int64_t p = 0; p < g.k; ++p)
            s += A(p) * bj[p];
          acc[j] = s;
        }
      }
      for (int64_t j = 0; j < cols; ++j)
        c[j0 + j] =
            beta == 0.0f ? alpha * acc[j] : alpha * acc[j] + beta * c[j0 + j];
    }
  }
}

} // namespace

bool cpuSupportsGemm(const GemmParams &g, std::string &why) {
  if (g.aType != DLCC_DTYPE_F32 || g.bType != DLCC_DTYPE_F32 ||
      g.cType != DLCC_DTYPE_F32 || g.computeType != DLCC_DTYPE_F32) {
    why = "the CPU gemm takes f32 operands and compute type only";
    return false;
  }
  // Rows of C are written by different threads: they must not overlap.
  if (g.m > 1 && g.n > 0 && g.ldc < g.n) {
    why = strCat("rows of C overlap (ldc ", g.ldc, " < n ", g.n, ")");
    return false;
  }
  if (g.batch > 1 && g.m > 0 && g.n > 0 &&
      g.strideC < (g.m - 1) * g.ldc + g.n) {
    why = strCat("batches of C overlap (stride_c ", g.strideC, ")");
    return false;
  }
  return true;
}

void cpuGemm(const ThreadPool &pool, const GemmParams &g, const float *a,
             const float *b, float *c) {
  if (g.m == 0 || g.n == 0)
    return;
  GemmJob job{&g, a, b, c};
  void *params[1] = {&job};
  int64_t rows = g.batch * g.m; // the loader bounded C's extent
  uint64_t work = 0;
  if (!checkedMul(uint64_t(rows), uint64_t(g.n), work) ||
      !checkedMul(work, uint64_t(std::max<int64_t>(g.k, 1)), work) ||
      work >= (uint64_t(1) << 16))
    pool.run(gemmRows, rows, params);
  else
    gemmRows(0, rows, params); // too small to be worth waking the pool
}

} // namespace dlcc::runtime
