//===- CudaConv.h - Convolution library calls on cuDNN ----------*- C++ -*-===//
//
// The convolutions of one backend: cuDNN's handles (one per stream, created
// at the first plan), one plan per convolution call site, made when the
// session is planned (the tensor, filter and convolution descriptors, the
// algorithm and its workspace; never chosen per step), and one workspace
// per stream shared by the plans, allocated with the driver at planning and
// grown to the largest need. A call runs with the handle and workspace of
// its stream, so calls on concurrent streams share neither. Running a plan
// allocates nothing, so it can be captured into a CUDA graph.
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

  /// The backend has `streams` streams (it only grows): once cuDNN is in
  /// use, creates the handles and workspaces of the new ones. A status and
  /// `why` (the message to report) on failure, DLCC_STATUS_OUT_OF_MEMORY
  /// when memory ran out. The backend's context must be current.
  dlcc_status_t prepareStreams(size_t streams, std::string &why);

  /// Plans `c`: DLCC_STATUS_OK with `handle`; DLCC_STATUS_UNSUPPORTED with
  /// `why` (one phrase) when cuDNN cannot run it here: cuDNN not available
  /// ("cuDNN not available: ..."), an element type other than f32, a shape
  /// cuDNN cannot express (asymmetric padding that changes the output
  /// size), no deterministic algorithm within kConvWorkspaceLimit. Any other
  /// status comes with `why` as the message to report:
  /// DLCC_STATUS_OUT_OF_MEMORY when the workspaces cannot be allocated or
  /// cuDNN reports an allocation failure. The backend's context must be
  /// current.
  dlcc_status_t prepare(const dlcc_plugin_conv_t &c, uint32_t &handle,
                        std::string &why);

  /// Queues plan `handle` on `stream`, the backend's stream number
  /// `streamIndex` (whose cuDNN handle is bound to `stream` first and
  /// whose workspace it uses) on its operands in the artifact's order, the
  /// last one written: (X, W, Y), (dY, W, dX) or (X, dY, dW); false with
  /// `why`.
  bool run(uint32_t handle, uint32_t streamIndex, CUstream stream,
           CUdeviceptr x, CUdeviceptr w, CUdeviceptr y, std::string &why);

private:
  struct State; // cuDNN's handle, the plans, the workspace (CudaConv.cpp)
  std::unique_ptr<State> state;
};

} // namespace dlcc::cuda

#endif // DLCC_RUNTIME_CUDA_CUDACONV_H
