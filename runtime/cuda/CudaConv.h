//===- CudaConv.h - Convolution library calls on cuDNN ----------*- C++ -*-===//
//
// The convolutions of one backend: cuDNN's handle (created at the first
// plan), one plan per convolution call site, made when the session is
// planned (the tensor, filter and convolution descriptors, the algorithm and
// its workspace; never chosen per step), and one workspace shared by the
// plans, allocated with the driver at planning and grown to the largest
// need. Running a plan allocates nothing, so it can be captured into a CUDA
// graph.
//
// cuDNN is never linked: libcudnn.so.9 is dlopen'ed at the first plan and
// only the functions used are dlsym'ed (CudaConv.cpp), so the plugin loads
// and runs gemm-only programs on a machine without cuDNN. cuDNN's types stay
// in CudaConv.cpp; the plugin builds (with every convolution UNSUPPORTED)
// where cudnn.h is absent.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CUDA_CUDACONV_H
#define DLCC_RUNTIME_CUDA_CUDACONV_H

#include "BackendPlugin.h"
#include "Driver.h"

#include <cstddef>
#include <memory>
#include <string>

namespace dlcc::cuda {

/// The most workspace one convolution may use (the algorithm is chosen to
/// fit it).
constexpr size_t kConvWorkspaceLimit = size_t(256) << 20;

class CudaConvs {
public:
  /// `tf32` (DLCC_CUDA_TF32) allows cuDNN's default math, TF32 tensor cores
  /// included; otherwise every convolution uses CUDNN_FMA_MATH (true f32).
  CudaConvs(const Driver &driver, bool tf32);
  /// Destroys the plans, the handle and the workspace: the backend's context
  /// must be current and nothing may still run on them.
  ~CudaConvs();
  CudaConvs(const CudaConvs &) = delete;
  CudaConvs &operator=(const CudaConvs &) = delete;

  /// Plans `c`: DLCC_STATUS_OK with `handle`; DLCC_STATUS_UNSUPPORTED with
  /// `why` (one phrase) when cuDNN cannot run it here: cuDNN not available
  /// ("cuDNN not available: ..."), an element type other than f32, a shape
  /// cuDNN cannot express (asymmetric padding that changes the output
  /// size), no deterministic algorithm within kConvWorkspaceLimit. Any other
  /// status (the workspace allocation failed) comes with `why` as the
  /// message to report. The backend's context must be current.
  dlcc_status_t prepare(const dlcc_plugin_conv_t &c, uint32_t &handle,
                        std::string &why);

  /// Queues plan `handle` on `stream` (cuDNN's handle is bound to `stream`
  /// first) on its operands in the artifact's order, the last one written:
  /// (X, W, Y), (dY, W, dX) or (X, dY, dW); false with `why`.
  bool run(uint32_t handle, CUstream stream, CUdeviceptr x, CUdeviceptr w,
           CUdeviceptr y, std::string &why);

private:
  struct State; // cuDNN's handle, the plans, the workspace (CudaConv.cpp)
  std::unique_ptr<State> state;
};

} // namespace dlcc::cuda

#endif // DLCC_RUNTIME_CUDA_CUDACONV_H
