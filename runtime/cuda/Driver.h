//===- Driver.h - The CUDA driver API, resolved at run time -----*- C++ -*-===//
//
// The plugin never links libcuda: cuda.h is included for its types and
// prototypes only (decltype), and every entry point is dlsym'ed from
// libcuda.so.1 by its versioned ABI name (the name cuda.h's #defines map the
// plain name to, e.g. cuMemAlloc -> cuMemAlloc_v2), so that the pointer's
// type is exactly the prototype of that name. The legacy default-stream
// variants are the right ones: every call names an explicit stream.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CUDA_DRIVER_H
#define DLCC_RUNTIME_CUDA_DRIVER_H

#include <cuda.h>

#include <string>

namespace dlcc::cuda {

// X(member, ABI symbol). Checked against CUDA 13.0's cuda.h.
#define DLCC_CUDA_DRIVER_FUNCTIONS(X)                                          \
  X(init, cuInit)                                                              \
  X(driverGetVersion, cuDriverGetVersion)                                      \
  X(getErrorName, cuGetErrorName)                                              \
  X(getErrorString, cuGetErrorString)                                          \
  X(deviceGetCount, cuDeviceGetCount)                                          \
  X(deviceGet, cuDeviceGet)                                                    \
  X(deviceGetName, cuDeviceGetName)                                            \
  X(deviceGetAttribute, cuDeviceGetAttribute)                                  \
  X(primaryCtxRetain, cuDevicePrimaryCtxRetain)                                \
  X(primaryCtxRelease, cuDevicePrimaryCtxRelease_v2)                           \
  X(ctxPushCurrent, cuCtxPushCurrent_v2)                                       \
  X(ctxPopCurrent, cuCtxPopCurrent_v2)                                         \
  X(streamCreate, cuStreamCreate)                                              \
  X(streamDestroy, cuStreamDestroy_v2)                                         \
  X(streamSynchronize, cuStreamSynchronize)                                    \
  X(streamWaitEvent, cuStreamWaitEvent)                                        \
  X(streamBeginCapture, cuStreamBeginCapture_v2)                               \
  X(streamEndCapture, cuStreamEndCapture)                                      \
  X(eventCreate, cuEventCreate)                                                \
  X(eventDestroy, cuEventDestroy_v2)                                           \
  X(eventRecord, cuEventRecord)                                                \
  X(memAlloc, cuMemAlloc_v2)                                                   \
  X(memFree, cuMemFree_v2)                                                     \
  X(memcpyHtoDAsync, cuMemcpyHtoDAsync_v2)                                     \
  X(memcpyDtoHAsync, cuMemcpyDtoHAsync_v2)                                     \
  X(memcpyDtoDAsync, cuMemcpyDtoDAsync_v2)                                     \
  X(memsetD8Async, cuMemsetD8Async)                                            \
  X(memsetD2D8Async, cuMemsetD2D8Async)                                        \
  X(moduleLoadData, cuModuleLoadData)                                          \
  X(moduleLoadDataEx, cuModuleLoadDataEx)                                      \
  X(moduleUnload, cuModuleUnload)                                              \
  X(moduleGetFunction, cuModuleGetFunction)                                    \
  X(funcGetAttribute, cuFuncGetAttribute)                                      \
  X(funcSetAttribute, cuFuncSetAttribute)                                      \
  X(launchKernel, cuLaunchKernel)                                              \
  X(graphInstantiate, cuGraphInstantiateWithFlags)                             \
  X(graphLaunch, cuGraphLaunch)                                                \
  X(graphDestroy, cuGraphDestroy)                                              \
  X(graphExecDestroy, cuGraphExecDestroy)

struct Driver {
#define DLCC_CUDA_DECLARE(member, symbol) decltype(&::symbol) member = nullptr;
  DLCC_CUDA_DRIVER_FUNCTIONS(DLCC_CUDA_DECLARE)
#undef DLCC_CUDA_DECLARE
  int version = 0; // cuDriverGetVersion, e.g. 13000
  int deviceCount = 0;

  /// "CUDA_ERROR_OUT_OF_MEMORY (out of memory)", or the number when the
  /// driver cannot name it.
  std::string errorText(CUresult r) const;
};

/// The driver, loaded and initialised (cuInit(0), cuDeviceGetCount) once per
/// process; null with `why` when libcuda.so.1 is missing, lacks a symbol or
/// cuInit fails. Thread-safe; never reports anything itself.
const Driver *loadDriver(std::string &why);

} // namespace dlcc::cuda

#endif // DLCC_RUNTIME_CUDA_DRIVER_H
