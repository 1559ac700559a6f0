//===- Backend.h - The device interface the executor runs on ----*- C++ -*-===//
//
// The executor (Executor.cpp) is shared by all devices; everything that
// touches a device goes through this interface: memory (allocate, free,
// copies in, out and within the device, memset), code (loading the
// program's kernels) and kernel launches. The CPU backend (CpuBackend.cpp)
// implements it in-process; the CUDA backend is a separately loaded plugin
// (libdlcc_cuda.so, runtime/cuda/) reached through the C table of
// BackendPlugin.h, which CudaBackend.cpp wraps in this interface.
//
// Every function that can fail returns a dlcc_status_t and, on failure, has
// stored the thread-local message (setError) already.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_BACKEND_H
#define DLCC_RUNTIME_BACKEND_H

#include "dlcc-c/dlcc.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct dlcc_program;

namespace dlcc::runtime {

/// A device address: a host pointer on the CPU, a CUdeviceptr on CUDA.
/// Offsets are added to it as bytes.
using DevicePtr = void *;

/// Alignment of every buffer a backend allocates (the arena's, too).
inline constexpr uint64_t kBufferAlignment = 256;

/// The launch geometry of one LaunchKernel command.
struct LaunchDims {
  uint32_t grid[3] = {1, 1, 1};
  uint32_t block[3] = {1, 1, 1};
  /// grid[0] * grid[1] * grid[2], checked to fit in int64 when planning.
  int64_t blocks = 1;
  uint32_t sharedMemBytes = 0;
};

/// A gemm library call (schema GemmDescriptor, validated by the loader):
/// row-major C = alpha * op(A) * op(B) + beta * C, `batch` times; leading
/// dimensions and batch strides in elements.
struct GemmParams {
  bool transA = false, transB = false;
  int64_t m = 0, n = 0, k = 0, batch = 1;
  int64_t lda = 0, ldb = 0, ldc = 0;
  int64_t strideA = 0, strideB = 0, strideC = 0;
  double alpha = 1.0, beta = 0.0;
  dlcc_dtype_t aType = DLCC_DTYPE_F32, bType = DLCC_DTYPE_F32,
               cType = DLCC_DTYPE_F32, computeType = DLCC_DTYPE_F32;
  /// The alignment (bytes, a power of two <= kBufferAlignment) of the
  /// operand addresses: buffer bases are aligned, BufferRef offsets may not
  /// be (cuBLASLt picks algorithms by it).
  uint32_t alignA = 256, alignB = 256, alignC = 256;
};

/// A convolution library call (schema ConvDescriptor, validated by the
/// loader): dense row-major input [N, C, D...], filter [O, C/groups, K...],
/// output [N, O, E...] of the forward convolution, with `spatial` (1 to 3)
/// spatial dims; entries past 2 + spatial are 0. Explicit begin/end
/// padding; ONNX dilations. `direction`: the convolution itself, the
/// input's gradient from the output's (a transposed convolution), or the
/// filter's gradient from the input and the output's gradient.
enum class ConvDirection { Forward, BackwardData, BackwardFilter };
struct ConvParams {
  ConvDirection direction = ConvDirection::Forward;
  int32_t spatial = 2;
  int64_t input[5] = {}, filter[5] = {}, output[5] = {};
  int64_t strides[3] = {}, padBegin[3] = {}, padEnd[3] = {},
          dilations[3] = {};
  int64_t groups = 1;
  dlcc_dtype_t dtype = DLCC_DTYPE_F32, computeType = DLCC_DTYPE_F32;
};

/// The buffers one run binds (arguments, results, arena, in that order):
/// what a recorded run (a CUDA graph) depends on.
struct RunKey {
  uint32_t entryPoint = 0;
  const DevicePtr *buffers = nullptr;
  size_t count = 0;
};

class Backend {
public:
  virtual ~Backend() = default;

  /// DLCC_DEVICE_CPU or DLCC_DEVICE_CUDA.
  virtual dlcc_device_kind_t kind() const = 0;
  /// Threads of the CPU thread pool; 0 for other devices.
  virtual uint32_t cpuThreads() const { return 0; }
  /// Whether device addresses are host pointers. The executor then binds
  /// constant slots to the program's initial data instead of copying it.
  virtual bool hostAddressable() const = 0;
  /// Prepares a gemm library call once, when the session is planned (a
  /// oneDNN primitive, a cuBLASLt plan). DLCC_STATUS_OK: `handle` names it
  /// for gemm(). DLCC_STATUS_UNSUPPORTED: this backend cannot run it, `why`
  /// says why in one phrase and no message is set (the executor writes it,
  /// naming the command). Any other status (DLCC_STATUS_OUT_OF_MEMORY when
  /// host or device memory ran out while preparing, whatever the library
  /// reported it as) has set its message already.
  virtual dlcc_status_t prepareGemm(const GemmParams &g, uint32_t &handle,
                                    std::string &why) = 0;

  /// As prepareGemm, for a convolution (a oneDNN primitive, cuDNN
  /// descriptors and algorithm); `handle` names it for conv().
  virtual dlcc_status_t prepareConv(const ConvParams & /*c*/,
                                    uint32_t & /*handle*/, std::string &why) {
    why = "no convolution library on this device";
    return DLCC_STATUS_UNSUPPORTED;
  }

  /// Loads the code of the program's kernels; afterwards launch() takes a
  /// kernel index of Program.kernels. `launched[k]` says whether some entry
  /// point launches kernel k (such kernels must be loadable).
  virtual dlcc_status_t loadKernels(const dlcc_program &program,
                                    const std::vector<bool> &launched) = 0;

  /// At least `bytes` bytes (a valid, distinct address also for 0 bytes),
  /// aligned to kBufferAlignment.
  virtual dlcc_status_t allocate(uint64_t bytes, DevicePtr &out) = 0;
  virtual void free(DevicePtr ptr) noexcept = 0;
  /// Host -> device, device -> host, device -> device (ranges may overlap).
  virtual dlcc_status_t copyIn(DevicePtr dst, const void *src,
                               uint64_t bytes) = 0;
  virtual dlcc_status_t copyOut(void *dst, DevicePtr src, uint64_t bytes) = 0;
  virtual dlcc_status_t copy(DevicePtr dst, DevicePtr src, uint64_t bytes) = 0;
  virtual dlcc_status_t memset(DevicePtr dst, uint8_t value,
                               uint64_t bytes) = 0;
  /// Launches kernel `kernel` over dims.blocks blocks. `params` has one
  /// entry per kernel parameter, in cuLaunchKernel's kernelParams convention:
  /// a pointer to a DevicePtr for buffers, a pointer to the value for
  /// scalars. The array and what it points to are valid during the call only
  /// (cuLaunchKernel copies the values when the launch is queued).
  virtual dlcc_status_t launch(uint32_t kernel, const LaunchDims &dims,
                               void **params) = 0;
  /// Runs the prepared gemm `handle` on operands A, B, C.
  virtual dlcc_status_t gemm(uint32_t handle, DevicePtr a, DevicePtr b,
                             DevicePtr c) = 0;
  /// Runs the prepared convolution `handle` on its three operands in the
  /// artifact's order, the last one written: (X, W, Y) forward, (dY, W, dX)
  /// for the data gradient, (X, dY, dW) for the filter gradient.
  virtual dlcc_status_t conv(uint32_t /*handle*/, DevicePtr /*x*/,
                             DevicePtr /*w*/, DevicePtr /*y*/) {
    return DLCC_STATUS_INTERNAL;
  }
  /// Waits until every command issued so far has completed.
  virtual dlcc_status_t synchronize() = 0;

  // --- Streams, events and recorded runs (devices with queues; the CPU
  // runs everything in list order and keeps these defaults). ---

  /// Called once when planning, with the largest stream_count and
  /// event_count of the program's entry points.
  virtual dlcc_status_t prepareStreams(uint32_t /*streams*/,
                                       uint32_t /*events*/) {
    return DLCC_STATUS_OK;
  }
  /// The stream later copy/memset/launch/gemm calls of this run go to. A
  /// run starts on stream 0; outside runs everything goes to stream 0.
  virtual dlcc_status_t setStream(uint32_t /*stream*/) {
    return DLCC_STATUS_OK;
  }
  virtual dlcc_status_t recordEvent(uint32_t /*event*/, uint32_t /*stream*/) {
    return DLCC_STATUS_OK;
  }
  virtual dlcc_status_t waitEvent(uint32_t /*event*/, uint32_t /*stream*/) {
    return DLCC_STATUS_OK;
  }
  /// Brackets the commands of one run. beginRun may replay a recording of
  /// an earlier run with the same key (`replayed`: the executor then issues
  /// nothing and only synchronizes) or start recording. endRun(issued) is
  /// called after the commands were issued (issued: all succeeded) and
  /// before synchronize(); `again` asks the executor to issue the run once
  /// more because a recording failed and nothing ran.
  virtual dlcc_status_t beginRun(const RunKey & /*key*/, bool &replayed) {
    replayed = false;
    return DLCC_STATUS_OK;
  }
  virtual dlcc_status_t endRun(bool /*issued*/, bool &again) {
    again = false;
    return DLCC_STATUS_OK;
  }
};

/// The CPU backend with a pool of `threads` threads (already resolved, >= 1).
/// Checks the program's cpu_baseline against the host.
dlcc_status_t createCpuBackend(const dlcc_program &program, uint32_t threads,
                               std::unique_ptr<Backend> &out);

/// Whether createCudaBackend could succeed (the plugin loads, the driver
/// libcuda.so.1 loads, cuInit succeeds and there is a GPU); sets no error
/// message. DLCC_DEVICE_AUTO uses CUDA only then.
bool cudaBackendAvailable();

/// The CUDA backend from the plugin libdlcc_cuda.so (next to the runtime,
/// or $DLCC_CUDA_PLUGIN); DLCC_STATUS_UNSUPPORTED with a "CUDA backend not
/// available: ..." message when the plugin, the driver or the device is
/// missing.
dlcc_status_t createCudaBackend(const dlcc_program &program, int32_t device,
                                std::unique_ptr<Backend> &out);

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_BACKEND_H
