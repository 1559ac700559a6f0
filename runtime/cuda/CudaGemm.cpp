//===- CudaGemm.cpp - gemm library calls on cuBLASLt ----------------------===//
//
// cuBLASLt is column-major; the descriptor is row-major. A row-major X
// [rows, cols] with leading dimension ld is the column-major X^T [cols, rows]
// with the same ld, so the row-major C = op(A) op(B) is computed as the
// column-major C^T = op(B)^T op(A)^T: cuBLASLt's A is our B (op trans_b),
// its B is our A (op trans_a), and m and n swap.
//
//   Lt A = B: stored [n, k] col-major (ld ldb) if !trans_b, else [k, n]
//   Lt B = A: stored [k, m] col-major (ld lda) if !trans_a, else [m, k]
//   Lt C = D = C: [n, m] col-major (ld ldc)
//
// A batch stride of 0 is a broadcast operand (cuBLASLt reads the same
// matrix for every batch).
//
//===----------------------------------------------------------------------===//

#include "CudaGemm.h"

#include <cstring>

namespace dlcc::cuda {

std::string cublasText(cublasStatus_t s) {
  const char *name = cublasLtGetStatusName(s);
  const char *text = cublasLtGetStatusString(s);
  std::string r = name ? name : "cuBLAS status " + std::to_string(int(s));
  if (text && (!name || std::strcmp(name, text) != 0))
    r += std::string(" (") + text + ")";
  return r;
}

CudaGemm::~CudaGemm() {
  if (la)
    cublasLtMatrixLayoutDestroy(la);
  if (lb)
    cublasLtMatrixLayoutDestroy(lb);
  if (lc)
    cublasLtMatrixLayoutDestroy(lc);
  if (op)
    cublasLtMatmulDescDestroy(op);
}

namespace {

/// A column-major layout [rows, cols] with `ld`, strided over `batch`.
cublasStatus_t layout(cublasLtMatrixLayout_t &out, int64_t rows, int64_t cols,
                      int64_t ld, int64_t batch, int64_t stride) {
  if (cublasStatus_t s = cublasLtMatrixLayoutCreate(
          &out, CUDA_R_32F, uint64_t(rows), uint64_t(cols), ld))
    return s;
  if (batch > 1) {
    int32_t count = int32_t(batch);
    if (cublasStatus_t s = cublasLtMatrixLayoutSetAttribute(
            out, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &count, sizeof count))
      return s;
    if (cublasStatus_t s = cublasLtMatrixLayoutSetAttribute(
            out, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &stride,
            sizeof stride))
      return s;
  }
  return CUBLAS_STATUS_SUCCESS;
}

/// RAII for the preference object used only while planning.
struct Preference {
  cublasLtMatmulPreference_t p = nullptr;
  ~Preference() {
    if (p)
      cublasLtMatmulPreferenceDestroy(p);
  }
};

} // namespace

dlcc_status_t CudaGemm::create(cublasLtHandle_t handle,
                               const dlcc_plugin_gemm_t &g,
                               size_t workspaceBytes, bool tf32,
                               std::unique_ptr<CudaGemm> &out,
                               std::string &why) {
  if (g.a_dtype != DLCC_DTYPE_F32 || g.b_dtype != DLCC_DTYPE_F32 ||
      g.c_dtype != DLCC_DTYPE_F32 || g.compute_dtype != DLCC_DTYPE_F32) {
    why = "the CUDA gemm (cuBLASLt) takes f32 operands only here; compile "
          "with --generated-gemm";
    return DLCC_STATUS_UNSUPPORTED;
  }
  if (g.batch > INT32_MAX || g.m > INT32_MAX || g.n > INT32_MAX ||
      g.k > INT32_MAX) {
    why = "a gemm dimension or batch count exceeds 2^31-1";
    return DLCC_STATUS_UNSUPPORTED;
  }
  if (g.batch > 1 && g.stride_c == 0 && g.m > 0 && g.n > 0) {
    why = "a batched gemm whose C has batch stride 0 (every batch would "
          "write the same C)";
    return DLCC_STATUS_UNSUPPORTED;
  }
  std::unique_ptr<CudaGemm> p(new CudaGemm());
  p->g = g;
  p->alpha = float(g.alpha);
  p->beta = float(g.beta);
  if (g.m == 0 || g.n == 0 || g.batch == 0) {
    p->zero = true; // nothing to write
    out = std::move(p);
    return DLCC_STATUS_OK;
  }
  if (g.k == 0) {
    if (g.beta != 0.0) {
      why = "a gemm with k = 0 and beta != 0";
      return DLCC_STATUS_UNSUPPORTED;
    }
    p->zero = true; // an empty sum: C = 0
    out = std::move(p);
    return DLCC_STATUS_OK;
  }
  std::string shape = "m=" + std::to_string(g.m) + " n=" +
                      std::to_string(g.n) + " k=" + std::to_string(g.k) +
                      " batch=" + std::to_string(g.batch);
  // cuBLASLt's allocation failures are out of memory, not "cannot run".
  auto fail = [&](const char *what, cublasStatus_t s) {
    if (s == CUBLAS_STATUS_ALLOC_FAILED) {
      why = std::string("out of memory preparing the gemm (") + shape +
            "): cuBLASLt " + what + " failed: " + cublasText(s);
      return DLCC_STATUS_OUT_OF_MEMORY;
    }
    why = std::string("cuBLASLt ") + what + " failed (" + shape +
          "): " + cublasText(s);
    return DLCC_STATUS_UNSUPPORTED;
  };
  cublasComputeType_t compute =
      tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  if (cublasStatus_t s = cublasLtMatmulDescCreate(&p->op, compute, CUDA_R_32F))
    return fail("cublasLtMatmulDescCreate", s);
  cublasOperation_t opA = g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t opB = g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  if (cublasStatus_t s = cublasLtMatmulDescSetAttribute(
          p->op, CUBLASLT_MATMUL_DESC_TRANSA, &opA, sizeof opA))
    return fail("setting TRANSA", s);
  if (cublasStatus_t s = cublasLtMatmulDescSetAttribute(
          p->op, CUBLASLT_MATMUL_DESC_TRANSB, &opB, sizeof opB))
    return fail("setting TRANSB", s);
  if (cublasStatus_t s =
          g.trans_b ? layout(p->la, g.k, g.n, g.ldb, g.batch, g.stride_b)
                    : layout(p->la, g.n, g.k, g.ldb, g.batch, g.stride_b))
    return fail("the layout of B", s);
  if (cublasStatus_t s =
          g.trans_a ? layout(p->lb, g.m, g.k, g.lda, g.batch, g.stride_a)
                    : layout(p->lb, g.k, g.m, g.lda, g.batch, g.stride_a))
    return fail("the layout of A", s);
  if (cublasStatus_t s = layout(p->lc, g.n, g.m, g.ldc, g.batch, g.stride_c))
    return fail("the layout of C", s);

  Preference pref;
  if (cublasStatus_t s = cublasLtMatmulPreferenceCreate(&pref.p))
    return fail("cublasLtMatmulPreferenceCreate", s);
  uint64_t ws = workspaceBytes;
  // Lt's A is our B and vice versa; C and D are the same buffer.
  uint32_t alignLtA = g.align_b, alignLtB = g.align_a, alignC = g.align_c;
  struct {
    cublasLtMatmulPreferenceAttributes_t attr;
    const void *value;
    size_t size;
  } prefs[] = {
      {CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &alignLtA, sizeof alignLtA},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &alignLtB, sizeof alignLtB},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &alignC, sizeof alignC},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &alignC, sizeof alignC},
  };
  for (const auto &a : prefs)
    if (cublasStatus_t s =
            cublasLtMatmulPreferenceSetAttribute(pref.p, a.attr, a.value,
                                                 a.size))
      return fail("setting a matmul preference", s);
  cublasLtMatmulHeuristicResult_t result{};
  int found = 0;
  if (cublasStatus_t s = cublasLtMatmulAlgoGetHeuristic(
          handle, p->op, p->la, p->lb, p->lc, p->lc, pref.p, 1, &result,
          &found))
    return fail("cublasLtMatmulAlgoGetHeuristic", s);
  if (found >= 1 && result.state == CUBLAS_STATUS_ALLOC_FAILED)
    return fail("cublasLtMatmulAlgoGetHeuristic", result.state);
  if (found < 1 || result.state != CUBLAS_STATUS_SUCCESS) {
    why = "cuBLASLt has no algorithm for this gemm (" + shape +
          ", alignments A/B/C " + std::to_string(g.align_a) + "/" +
          std::to_string(g.align_b) + "/" + std::to_string(g.align_c) +
          " bytes, workspace " + std::to_string(workspaceBytes) + " bytes)";
    return DLCC_STATUS_UNSUPPORTED;
  }
  p->algo = result.algo;
  p->workspace = result.workspaceSize;
  out = std::move(p);
  return DLCC_STATUS_OK;
}

bool CudaGemm::run(const Driver &driver, cublasLtHandle_t handle,
                   CUstream stream, CUdeviceptr a, CUdeviceptr b,
                   CUdeviceptr c, CUdeviceptr workspaceBuffer,
                   size_t workspaceBytes, std::string &why) const {
  if (zero) {
    if (g.m == 0 || g.n == 0 || g.batch == 0)
      return true;
    for (int64_t q = 0; q < g.batch; ++q) {
      CUdeviceptr row = c + CUdeviceptr(q * g.stride_c * 4);
      if (CUresult r = driver.memsetD2D8Async(row, size_t(g.ldc) * 4, 0,
                                              size_t(g.n) * 4, size_t(g.m),
                                              stream)) {
        why = "cuMemsetD2D8Async (gemm with k = 0) failed: " +
              driver.errorText(r);
        return false;
      }
    }
    return true;
  }
  if (workspace > workspaceBytes) {
    why = "the gemm's algorithm needs more workspace than was allocated";
    return false;
  }
  cublasStatus_t s = cublasLtMatmul(
      handle, op, &alpha, reinterpret_cast<const void *>(b), la,
      reinterpret_cast<const void *>(a), lb, &beta,
      reinterpret_cast<const void *>(c), lc, reinterpret_cast<void *>(c), lc,
      &algo, reinterpret_cast<void *>(workspaceBuffer), workspace,
      reinterpret_cast<cudaStream_t>(stream));
  if (s != CUBLAS_STATUS_SUCCESS) {
    why = "cublasLtMatmul failed: " + cublasText(s);
    return false;
  }
  return true;
}

} // namespace dlcc::cuda
