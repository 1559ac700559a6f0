//===- CpuGemm.h - The CPU backend's reference gemm -------------*- C++ -*-===//
//
// The gemm library call on the CPU until oneDNN arrives: f32 only, rows of C
// spread over the thread pool, each element summed over k in order (so the
// result does not depend on the thread count).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CPUGEMM_H
#define DLCC_RUNTIME_CPUGEMM_H

#include "Backend.h"
#include "ThreadPool.h"

#include <string>

namespace dlcc::runtime {

/// Whether cpuGemm handles `g` (all types f32); else `why` says what not.
bool cpuSupportsGemm(const GemmParams &g, std::string &why);

/// C = alpha * op(A) * op(B) + beta * C (C is not read when beta is 0). The
/// loader checked that every element touched lies within the operands.
void cpuGemm(const ThreadPool &pool, const GemmParams &g, const float *a,
             const float *b, float *c);

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUGEMM_H
