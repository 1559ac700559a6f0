//===- KernelImages.h - PTX to cubins, with launch-limit checks -*- C++ -*-===//
//
// The last step of the CUDA mapping: the PTX that `dlcc-map-kernels-to-gpu
// {format=isa}` left in the gpu.binary (one object per chip) is assembled by
// ptxas for each chip (in parallel, cached by content hash), ptxas's resource
// report is read, and every kernel is checked against the launch limits and
// its parameter list.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_CUDA_KERNELIMAGES_H
#define DLCC_TARGET_CUDA_KERNELIMAGES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir::dlcc {

/// What the artifact says about a kernel, checked against the PTX.
struct CudaKernelSignature {
  std::string name;
  unsigned parameterCount = 0;
  int64_t threadsPerBlock = 0;
};

/// ptxas's report for one kernel on one chip.
struct CudaKernelResources {
  uint32_t registers = 0;
  uint32_t sharedBytes = 0; // static shared memory
  uint32_t stackBytes = 0;
  uint32_t spillBytes = 0; // spill stores + loads
};

struct CudaImage {
  std::string target; // "sm_80", ..., or "ptx"
  std::vector<uint8_t> bytes;
  std::map<std::string, CudaKernelResources> kernels; // empty for PTX
};

struct CudaImageOptions {
  std::string toolkit = "/usr/local/cuda";
  std::string cacheDir; // empty: no cubin cache
  bool embedPtx = true;
};

/// One cubin per chip of the gpu.binary `binaryName` in `module` (in the
/// binary's order), then the first chip's PTX when `embedPtx`. Fails with a
/// diagnostic naming the kernel when ptxas rejects the PTX, a kernel needs
/// more registers or shared memory than one block may have, or its PTX
/// parameter count differs from its signature.
FailureOr<std::vector<CudaImage>>
buildCudaImages(ModuleOp module, StringRef binaryName,
                ArrayRef<CudaKernelSignature> kernels,
                const CudaImageOptions &options);

/// Parses `ptxas -v` output: resources per kernel name.
std::map<std::string, CudaKernelResources> parsePtxasReport(StringRef report);

/// Number of `.param`s of each `.entry` in PTX text.
std::map<std::string, unsigned> ptxEntryParameterCounts(StringRef ptx);

} // namespace mlir::dlcc

#endif // DLCC_TARGET_CUDA_KERNELIMAGES_H
