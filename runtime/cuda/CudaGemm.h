//===- CudaGemm.h - gemm library calls on cuBLASLt --------------*- C++ -*-===//
//
// One plan per gemm call site, made when the session is planned: the
// matmul descriptor, the four matrix layouts and the algorithm the
// heuristic picks for the backend's workspace (never chosen per step).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CUDA_CUDAGEMM_H
#define DLCC_RUNTIME_CUDA_CUDAGEMM_H

#include "BackendPlugin.h"
#include "Driver.h"

#include <cublasLt.h>

#include <memory>
#include <string>

namespace dlcc::cuda {

/// "CUBLAS_STATUS_NOT_SUPPORTED (...)".
std::string cublasText(cublasStatus_t s);

class CudaGemm {
public:
  ~CudaGemm();
  CudaGemm(const CudaGemm &) = delete;
  CudaGemm &operator=(const CudaGemm &) = delete;

  /// The plan for `g` in `out`: DLCC_STATUS_OK; DLCC_STATUS_UNSUPPORTED
  /// with `why` (one phrase) when cuBLASLt cannot run it here: element
  /// types other than f32, a strided C with batch > 1 and stride 0, no
  /// algorithm for the shapes and alignments within `workspaceBytes`;
  /// DLCC_STATUS_OUT_OF_MEMORY with `why` as the message to report when
  /// cuBLASLt could not allocate (CUBLAS_STATUS_ALLOC_FAILED). `tf32` allows
  /// CUBLAS_COMPUTE_32F_FAST_TF32.
  static dlcc_status_t create(cublasLtHandle_t handle,
                              const dlcc_plugin_gemm_t &g,
                              size_t workspaceBytes, bool tf32,
                              std::unique_ptr<CudaGemm> &out,
                              std::string &why);

  /// Queues C = alpha op(A) op(B) + beta C on `stream`; false with `why`.
  bool run(const Driver &driver, cublasLtHandle_t handle, CUstream stream,
           CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, CUdeviceptr workspace,
           size_t workspaceBytes, std::string &why) const;

private:
  CudaGemm() = default;
  dlcc_plugin_gemm_t g{};
  bool zero = false; // k == 0 (C = beta C with beta 0: zeros) or empty C
  float alpha = 1, beta = 0;
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t la = nullptr, lb = nullptr, lc = nullptr;
  cublasLtMatmulAlgo_t algo{};
  size_t workspace = 0; // what the algorithm needs
};

} // namespace dlcc::cuda

#endif // DLCC_RUNTIME_CUDA_CUDAGEMM_H
