//===- CudaBackend.cpp - The CUDA backend's entry point -------------------===//
//
// The CUDA backend will be a separately loaded plugin (driver API through
// dlopen, primary context, cuBLASLt/cuDNN/NCCL) implementing Backend.h, so
// that libdlcc_runtime itself never links CUDA. Until it exists, asking for
// CUDA fails clearly and DLCC_DEVICE_AUTO falls back to the CPU.
//
//===----------------------------------------------------------------------===//

#include "Backend.h"
#include "Status.h"
#include "Support.h"

namespace dlcc::runtime {

bool cudaBackendAvailable() { return false; }

dlcc_status_t createCudaBackend(const dlcc_program &, int32_t device,
                                std::unique_ptr<Backend> &) {
  return setError(DLCC_STATUS_UNSUPPORTED,
                  strCat("CUDA backend not available: this runtime has no "
                         "CUDA plugin yet (requested CUDA device ",
                         device, "); use the CPU device"));
}

} // namespace dlcc::runtime
