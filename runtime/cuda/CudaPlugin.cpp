//===- CudaPlugin.cpp - The CUDA backend plugin (libdlcc_cuda.so) ---------===//
//
// Implements the table of runtime/src/BackendPlugin.h over the driver API
// (Driver.h, resolved at run time), cuBLASLt (CudaGemm.h) and cuDNN
// (CudaConv.h, libcudnn.so.9 loaded at run time):
//
// - the device's primary context, made current (push/pop) around every call
//   that touches the device, so that a caller's own context is left alone;
// - one non-blocking stream per artifact stream id, one event per event id
//   (timing disabled), plus fork/join events that order every stream after
//   stream 0 at the start of a run and join them back at its end;
// - memory from cuMemAlloc (256-byte aligned by the driver); copies in and
//   out are queued on stream 0 and waited for;
// - kernels from the image for the device's architecture: the cubin for
//   sm_<major><minor> (else a cubin of the same major and a lower minor,
//   binary compatible), else the PTX (JIT, with its logs), else an
//   UNSUPPORTED error naming the device and the targets present;
// - CUDA graphs: a run with a set of buffers it has run with before is
//   captured (stream capture) and launched as a graph; later runs with the
//   same buffers replay it (DLCC_CUDA_GRAPHS=0 disables this);
// - library calls planned once per call site: gemms on cuBLASLt (a 32 MiB
//   workspace per stream), convolutions and their gradients on cuDNN's
//   legacy API (its handle made at the first convolution and bound to the
//   current stream at every call; a workspace per stream, grown at
//   planning). A call uses the workspace of the stream it runs on, so calls
//   on different streams, which may overlap on the device, never share
//   scratch memory. Neither allocates while running, so both can be
//   captured. Without libcudnn.so.9 only convolutions are UNSUPPORTED. Out
//   of memory while planning (device memory for a workspace, or cuBLASLt's
//   or cuDNN's own allocations) is DLCC_STATUS_OUT_OF_MEMORY.
//
// Nothing here throws across the C boundary: every table function catches.
//
//===----------------------------------------------------------------------===//

#include "BackendPlugin.h"
#include "CudaConv.h"
#include "CudaGemm.h"
#include "Driver.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#define DLCC_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))
#define DLCC_STRINGIFY2(x) #x
#define DLCC_STRINGIFY(x) DLCC_STRINGIFY2(x)

namespace dlcc::cuda {
namespace {

constexpr size_t kWorkspaceBytes = size_t(32) << 20; // cuBLASLt, per stream
constexpr size_t kMaxGraphsPerEntryPoint = 4;
constexpr const char *kUnavailable = "CUDA backend not available: ";

/// An error carrying its status; thrown inside the plugin only and turned
/// into host->report at the boundary.
struct Failure {
  dlcc_status_t status;
  std::string message;
};

[[noreturn]] void fail(dlcc_status_t status, std::string message) {
  throw Failure{status, std::move(message)};
}

bool envFlag(const char *name, bool fallback) {
  const char *v = std::getenv(name);
  if (!v || !*v)
    return fallback;
  return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "off") == 0 ||
           std::strcmp(v, "false") == 0 || std::strcmp(v, "no") == 0);
}

struct Graph {
  std::vector<uint64_t> buffers; // the RunKey
  CUgraph graph = nullptr;
  CUgraphExec exec = nullptr;
};

struct EntryGraphs {
  std::vector<std::vector<uint64_t>> seen; // keys run once, eagerly
  std::vector<Graph> graphs;
  bool disabled = false; // a capture failed: never again for this entry point
};

class CudaBackend {
public:
  CudaBackend(const dlcc_plugin_host_t &host, const Driver &d, int32_t ordinal)
      : host(host), d(d), ordinal(ordinal) {}
  ~CudaBackend();

  void create();
  const dlcc_plugin_host_t &host;

  // Table operations (throw Failure).
  dlcc_status_t prepareGemm(const dlcc_plugin_gemm_t &g, uint32_t &handle,
                            std::string &why);
  dlcc_status_t prepareConv(const dlcc_plugin_conv_t &c, uint32_t &handle,
                            std::string &why);
  void loadKernels(const dlcc_plugin_kernels_t &k);
  void prepareStreams(uint32_t streams, uint32_t events);
  uint64_t allocate(uint64_t bytes);
  void freeBuffer(uint64_t ptr) noexcept;
  void copyIn(uint64_t dst, const void *src, uint64_t bytes);
  void copyOut(void *dst, uint64_t src, uint64_t bytes);
  void copy(uint64_t dst, uint64_t src, uint64_t bytes);
  void fill(uint64_t dst, uint8_t value, uint64_t bytes);
  void launch(uint32_t kernel, const uint32_t grid[3], const uint32_t block[3],
              uint32_t sharedMem, void **params);
  void gemm(uint32_t handle, uint64_t a, uint64_t b, uint64_t c);
  void conv(uint32_t handle, uint64_t x, uint64_t w, uint64_t y);
  void setStream(uint32_t stream);
  void recordEvent(uint32_t event, uint32_t stream);
  void waitEvent(uint32_t event, uint32_t stream);
  bool beginRun(uint32_t entry, const uint64_t *buffers, size_t count);
  bool endRun(bool issued);
  void synchronize();

  /// Makes the primary context current on this thread for a scope.
  struct Scope {
    explicit Scope(CudaBackend &b) : b(b) {
      if (b.context)
        pushed = b.d.ctxPushCurrent(b.context) == CUDA_SUCCESS;
      if (b.context && !pushed)
        fail(DLCC_STATUS_INTERNAL, "CUDA: cuCtxPushCurrent failed");
    }
    ~Scope() {
      CUcontext popped;
      if (pushed)
        b.d.ctxPopCurrent(&popped);
    }
    CudaBackend &b;
    bool pushed = false;
  };

private:
  void check(CUresult r, const char *what) const {
    if (r != CUDA_SUCCESS)
      fail(r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                         : DLCC_STATUS_INTERNAL,
           std::string("CUDA: ") + what + " failed: " + d.errorText(r));
  }
  CUstream streamAt(uint32_t stream, const char *what) const {
    if (stream >= streams.size())
      fail(DLCC_STATUS_INTERNAL, std::string("CUDA: ") + what + ": stream " +
                                     std::to_string(stream) +
                                     " was not prepared");
    return streams[stream];
  }
  CUevent eventAt(uint32_t event) const {
    if (event >= events.size())
      fail(DLCC_STATUS_INTERNAL, "CUDA: event " + std::to_string(event) +
                                     " was not prepared");
    return events[event];
  }
  void fork();
  void join();
  void allocateGemmWorkspaces();
  void abortCapture() noexcept;
  std::string deviceText() const {
    return "CUDA device " + std::to_string(ordinal) + " (" + name + ", sm_" +
           std::to_string(major) + std::to_string(minor) + ")";
  }

  const Driver &d;
  int32_t ordinal;
  CUdevice device = 0;
  CUcontext context = nullptr;
  std::string name;
  int major = 0, minor = 0;
  int maxGrid[3] = {0, 0, 0};
  int maxSharedOptin = 0;
  bool graphsEnabled = true;
  bool tf32 = false;

  std::vector<CUstream> streams; // [0] always
  std::vector<CUevent> events;   // the program's event ids
  CUevent forkEvent = nullptr;
  std::vector<CUevent> joinEvents; // per stream > 0
  CUstream current = nullptr;
  uint32_t currentIndex = 0; // of `current` in `streams`

  std::vector<CUmodule> modules;
  std::vector<CUfunction> functions; // by kernel index; null if not loaded

  cublasLtHandle_t lt = nullptr;
  /// cuBLASLt's workspace per stream (kWorkspaceBytes each), allocated for
  /// every stream once a gemm is planned.
  std::vector<CUdeviceptr> gemmWorkspaces;
  std::vector<std::unique_ptr<CudaGemm>> gemms;

  std::unique_ptr<CudaConvs> convs; // at the first prepareConv

  std::map<uint32_t, EntryGraphs> graphs;
  // The run in flight.
  enum class Mode { Idle, Eager, Capture } mode = Mode::Idle;
  uint32_t runEntry = 0;
  std::vector<uint64_t> runKey;
};

void CudaBackend::create() {
  check(d.deviceGet(&device, ordinal), "cuDeviceGet");
  char buffer[256] = {};
  if (d.deviceGetName(buffer, sizeof buffer - 1, device) == CUDA_SUCCESS)
    name = buffer;
  else
    name = "unnamed";
  check(d.deviceGetAttribute(&major,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                             device),
        "cuDeviceGetAttribute (compute capability)");
  check(d.deviceGetAttribute(&minor,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                             device),
        "cuDeviceGetAttribute (compute capability)");
  const CUdevice_attribute grid[3] = {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X,
                                      CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y,
                                      CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z};
  for (int i = 0; i < 3; ++i)
    check(d.deviceGetAttribute(&maxGrid[i], grid[i], device),
          "cuDeviceGetAttribute (grid size)");
  check(d.deviceGetAttribute(
            &maxSharedOptin,
            CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device),
        "cuDeviceGetAttribute (shared memory)");
  check(d.primaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  graphsEnabled = envFlag("DLCC_CUDA_GRAPHS", true);
  tf32 = envFlag("DLCC_CUDA_TF32", false);
  Scope scope(*this);
  prepareStreams(1, 0);
}

CudaBackend::~CudaBackend() {
  if (!context)
    return;
  CUcontext popped;
  bool pushed = d.ctxPushCurrent(context) == CUDA_SUCCESS;
  for (CUstream s : streams)
    if (s)
      d.streamSynchronize(s);
  for (auto &[entry, g] : graphs)
    for (Graph &graph : g.graphs) {
      if (graph.exec)
        d.graphExecDestroy(graph.exec);
      if (graph.graph)
        d.graphDestroy(graph.graph);
    }
  gemms.clear();
  if (lt)
    cublasLtDestroy(lt);
  convs.reset(); // cuDNN's plans, handle and workspaces
  for (CUdeviceptr w : gemmWorkspaces)
    if (w)
      d.memFree(w);
  for (CUmodule m : modules)
    d.moduleUnload(m);
  for (CUevent e : events)
    if (e)
      d.eventDestroy(e);
  for (CUevent e : joinEvents)
    if (e)
      d.eventDestroy(e);
  if (forkEvent)
    d.eventDestroy(forkEvent);
  for (CUstream s : streams)
    if (s)
      d.streamDestroy(s);
  if (pushed)
    d.ctxPopCurrent(&popped);
  d.primaryCtxRelease(device);
}

void CudaBackend::prepareStreams(uint32_t streamCount, uint32_t eventCount) {
  streamCount = std::max<uint32_t>(streamCount, 1);
  while (streams.size() < streamCount) {
    CUstream s = nullptr;
    check(d.streamCreate(&s, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    streams.push_back(s);
    if (streams.size() > 1) {
      CUevent e = nullptr;
      check(d.eventCreate(&e, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
      joinEvents.push_back(e);
    }
  }
  if (!forkEvent && streams.size() > 1)
    check(d.eventCreate(&forkEvent, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  while (events.size() < eventCount) {
    CUevent e = nullptr;
    check(d.eventCreate(&e, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    events.push_back(e);
  }
  current = streams[0];
  currentIndex = 0;
  // Library calls planned already get workspaces for the new streams too.
  if (!gemmWorkspaces.empty())
    allocateGemmWorkspaces();
  if (convs) {
    std::string why;
    if (dlcc_status_t s = convs->prepareStreams(streams.size(), why))
      fail(s, "CUDA: " + why);
  }
}

// One cuBLASLt workspace per stream: a gemm on stream s uses
// gemmWorkspaces[s], so gemms on streams that overlap never share one.
void CudaBackend::allocateGemmWorkspaces() {
  gemmWorkspaces.reserve(streams.size());
  while (gemmWorkspaces.size() < streams.size()) {
    CUdeviceptr w = 0;
    if (CUresult r = d.memAlloc(&w, kWorkspaceBytes))
      fail(r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                         : DLCC_STATUS_INTERNAL,
           "CUDA: cannot allocate the cuBLASLt workspace (" +
               std::to_string(kWorkspaceBytes) + " bytes) of stream " +
               std::to_string(gemmWorkspaces.size()) + " on " + deviceText() +
               ": " + d.errorText(r));
    gemmWorkspaces.push_back(w);
  }
}

dlcc_status_t CudaBackend::prepareGemm(const dlcc_plugin_gemm_t &g,
                                       uint32_t &handle, std::string &why) {
  if (!lt) {
    if (cublasStatus_t s = cublasLtCreate(&lt)) {
      lt = nullptr;
      fail(s == CUBLAS_STATUS_ALLOC_FAILED ? DLCC_STATUS_OUT_OF_MEMORY
                                           : DLCC_STATUS_INTERNAL,
           "cuBLASLt: cublasLtCreate failed: " + cublasText(s));
    }
  }
  allocateGemmWorkspaces();
  std::unique_ptr<CudaGemm> plan;
  dlcc_status_t s = CudaGemm::create(lt, g, kWorkspaceBytes, tf32, plan, why);
  if (s == DLCC_STATUS_UNSUPPORTED)
    return s;
  if (s != DLCC_STATUS_OK)
    fail(s, "CUDA: " + why); // out of memory: reported
  gemms.reserve(gemms.size() + 1);
  handle = uint32_t(gemms.size());
  gemms.push_back(std::move(plan));
  return DLCC_STATUS_OK;
}

dlcc_status_t CudaBackend::prepareConv(const dlcc_plugin_conv_t &c,
                                       uint32_t &handle, std::string &why) {
  if (!convs) {
    auto created = std::make_unique<CudaConvs>(d, tf32);
    if (dlcc_status_t s = created->prepareStreams(streams.size(), why))
      fail(s, "CUDA: " + why);
    convs = std::move(created);
  }
  dlcc_status_t s = convs->prepare(c, handle, why);
  if (s != DLCC_STATUS_OK && s != DLCC_STATUS_UNSUPPORTED)
    fail(s, "CUDA: " + why);
  return s;
}

void CudaBackend::loadKernels(const dlcc_plugin_kernels_t &k) {
  functions.assign(k.kernel_count, nullptr);
  bool anyLaunched = false;
  for (uint32_t i = 0; i < k.kernel_count; ++i)
    anyLaunched |= k.kernels[i].launched != 0;
  if (!anyLaunched)
    return;

  // The image: the exact cubin, else a binary-compatible one (same major,
  // lower minor; the highest such), else PTX.
  std::string exact = "sm_" + std::to_string(major) + std::to_string(minor);
  int chosen = -1, compatible = -1, compatibleMinor = -1, ptx = -1;
  std::string targets;
  for (uint32_t i = 0; i < k.image_count; ++i) {
    std::string t = k.images[i].target;
    targets += (targets.empty() ? "" : ", ") + ("\"" + t + "\"");
    if (t == exact)
      chosen = int(i);
    else if (t == "ptx" && ptx < 0)
      ptx = int(i);
    else if (t.size() > 4 && t.size() < 8 && t.compare(0, 3, "sm_") == 0 &&
             t.find_first_not_of("0123456789", 3) == std::string::npos) {
      int cc = std::atoi(t.c_str() + 3); // sm_86: 8.6, sm_100: 10.0
      if (cc / 10 == major && cc % 10 < minor && cc % 10 > compatibleMinor) {
        compatible = int(i);
        compatibleMinor = cc % 10;
      }
    }
  }
  if (chosen < 0)
    chosen = compatible;
  bool jit = false;
  if (chosen < 0 && ptx >= 0) {
    chosen = ptx;
    jit = true;
  }
  if (chosen < 0)
    fail(DLCC_STATUS_UNSUPPORTED,
         "the program has no CUDA kernel image for " + deviceText() +
             ": it needs target \"" + exact + "\" (or \"ptx\"), the program "
             "has " + (targets.empty() ? std::string("no kernel images")
                                       : targets));
  const dlcc_plugin_image_t &image = k.images[chosen];
  std::string imageText = "kernel image " + std::to_string(chosen) + " (" +
                          image.target + ")";

  CUmodule module = nullptr;
  if (!jit) {
    if (CUresult r = d.moduleLoadData(&module, image.data))
      fail(DLCC_STATUS_INVALID_ARTIFACT,
           "CUDA: cuModuleLoadData of " + imageText + " on " + deviceText() +
               " failed: " + d.errorText(r));
  } else {
    // The loader checked only that the image is non-empty: the JIT needs a
    // NUL-terminated string.
    const char *text = static_cast<const char *>(image.data);
    if (image.size == 0 || text[image.size - 1] != '\0')
      fail(DLCC_STATUS_INVALID_ARTIFACT,
           "CUDA: " + imageText + " is not NUL-terminated PTX text");
    std::vector<char> info(16384, 0), error(16384, 0);
    CUjit_option options[] = {
        CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
        CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {
        info.data(),
        reinterpret_cast<void *>(uintptr_t(info.size() - 1)),
        error.data(),
        reinterpret_cast<void *>(uintptr_t(error.size() - 1))};
    if (CUresult r = d.moduleLoadDataEx(&module, image.data, 4, options,
                                        values)) {
      std::string log(error.data());
      while (!log.empty() && (log.back() == '\n' || log.back() == ' '))
        log.pop_back();
      fail(r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                         : DLCC_STATUS_UNSUPPORTED,
           "CUDA: the PTX JIT (" + imageText + ", for " + deviceText() +
               ") failed: " + d.errorText(r) +
               (log.empty() ? std::string() : ": " + log));
    }
  }
  modules.push_back(module);

  for (uint32_t i = 0; i < k.kernel_count; ++i) {
    const dlcc_plugin_kernel_t &kernel = k.kernels[i];
    std::string what = std::string("kernel \"") + kernel.name + "\"";
    const dlcc_plugin_variant_t *variant = nullptr;
    for (uint32_t v = 0; v < kernel.variant_count; ++v)
      if (kernel.variants[v].image == uint32_t(chosen))
        variant = &kernel.variants[v];
    if (!variant) {
      if (!kernel.launched)
        continue;
      fail(DLCC_STATUS_UNSUPPORTED, what + " has no variant in " + imageText +
                                        " and cannot run on " + deviceText());
    }
    CUfunction fn = nullptr;
    if (CUresult r = d.moduleGetFunction(&fn, module, variant->symbol))
      fail(DLCC_STATUS_INVALID_ARTIFACT,
           "CUDA: " + what + ": symbol \"" + variant->symbol + "\" not in " +
               imageText + ": " + d.errorText(r));
    int maxThreads = 0, regs = 0, staticShared = 0;
    check(d.funcGetAttribute(&maxThreads,
                             CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, fn),
          "cuFuncGetAttribute");
    check(d.funcGetAttribute(&regs, CU_FUNC_ATTRIBUTE_NUM_REGS, fn),
          "cuFuncGetAttribute");
    check(d.funcGetAttribute(&staticShared,
                             CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, fn),
          "cuFuncGetAttribute");
    uint64_t need = std::max(variant->max_threads_per_block,
                             kernel.max_block_threads);
    if (need > uint64_t(maxThreads))
      fail(DLCC_STATUS_UNSUPPORTED,
           what + " needs " + std::to_string(need) +
               " threads per block (compiled for " +
               std::to_string(variant->max_threads_per_block) +
               " with " + std::to_string(variant->registers) +
               " registers), but " + deviceText() + " allows " +
               std::to_string(maxThreads) + " for it (" +
               std::to_string(regs) + " registers)");
    uint64_t shared = uint64_t(staticShared) + kernel.max_dynamic_shared_bytes;
    if (shared > uint64_t(maxSharedOptin))
      fail(DLCC_STATUS_UNSUPPORTED,
           what + " needs " + std::to_string(shared) +
               " bytes of shared memory per block, " + deviceText() +
               " has " + std::to_string(maxSharedOptin));
    if (kernel.max_dynamic_shared_bytes > 48 * 1024)
      check(d.funcSetAttribute(fn,
                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                               int(kernel.max_dynamic_shared_bytes)),
            "cuFuncSetAttribute (dynamic shared memory)");
    functions[i] = fn;
  }
}

uint64_t CudaBackend::allocate(uint64_t bytes) {
  CUdeviceptr p = 0;
  // cuMemAlloc rejects 0 bytes; every buffer gets a distinct address.
  uint64_t n = std::max<uint64_t>(bytes, 256);
  if (CUresult r = d.memAlloc(&p, size_t(n)))
    fail(r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                       : DLCC_STATUS_INTERNAL,
         "cannot allocate " + std::to_string(bytes) + " bytes on " +
             deviceText() + ": " + d.errorText(r));
  return p;
}

void CudaBackend::freeBuffer(uint64_t ptr) noexcept {
  if (ptr)
    d.memFree(CUdeviceptr(ptr));
}

void CudaBackend::copyIn(uint64_t dst, const void *src, uint64_t bytes) {
  if (!bytes)
    return;
  check(d.memcpyHtoDAsync(dst, src, size_t(bytes), streams[0]),
        "cuMemcpyHtoDAsync");
  check(d.streamSynchronize(streams[0]), "cuStreamSynchronize (copy in)");
}

void CudaBackend::copyOut(void *dst, uint64_t src, uint64_t bytes) {
  if (!bytes)
    return;
  check(d.memcpyDtoHAsync(dst, src, size_t(bytes), streams[0]),
        "cuMemcpyDtoHAsync");
  check(d.streamSynchronize(streams[0]), "cuStreamSynchronize (copy out)");
}

void CudaBackend::copy(uint64_t dst, uint64_t src, uint64_t bytes) {
  if (!bytes || dst == src)
    return;
  uint64_t gap = dst > src ? dst - src : src - dst;
  if (gap >= bytes) {
    check(d.memcpyDtoDAsync(dst, src, size_t(bytes), current),
          "cuMemcpyDtoDAsync");
    return;
  }
  // Overlapping ranges (memmove): chunks of `gap` bytes, each disjoint from
  // the source bytes not copied yet, in the order that reads before writing.
  if (dst < src) {
    for (uint64_t o = 0; o < bytes; o += gap)
      check(d.memcpyDtoDAsync(dst + o, src + o,
                              size_t(std::min(gap, bytes - o)), current),
            "cuMemcpyDtoDAsync");
  } else {
    for (uint64_t end = bytes; end > 0;) {
      uint64_t n = std::min(gap, end);
      end -= n;
      check(d.memcpyDtoDAsync(dst + end, src + end, size_t(n), current),
            "cuMemcpyDtoDAsync");
    }
  }
}

void CudaBackend::fill(uint64_t dst, uint8_t value, uint64_t bytes) {
  if (bytes)
    check(d.memsetD8Async(dst, value, size_t(bytes), current),
          "cuMemsetD8Async");
}

void CudaBackend::launch(uint32_t kernel, const uint32_t grid[3],
                         const uint32_t block[3], uint32_t sharedMem,
                         void **params) {
  CUfunction fn = kernel < functions.size() ? functions[kernel] : nullptr;
  if (!fn)
    fail(DLCC_STATUS_INTERNAL,
         "CUDA backend: kernel " + std::to_string(kernel) + " is not loaded");
  for (int i = 0; i < 3; ++i)
    if (grid[i] > uint32_t(maxGrid[i]))
      fail(DLCC_STATUS_UNSUPPORTED,
           "CUDA: kernel " + std::to_string(kernel) + " is launched with a "
           "grid of " + std::to_string(grid[0]) + "x" +
               std::to_string(grid[1]) + "x" + std::to_string(grid[2]) +
               " blocks; " + deviceText() + " allows at most " +
               std::to_string(maxGrid[0]) + "x" + std::to_string(maxGrid[1]) +
               "x" + std::to_string(maxGrid[2]));
  check(d.launchKernel(fn, grid[0], grid[1], grid[2], block[0], block[1],
                       block[2], sharedMem, current, params, nullptr),
        "cuLaunchKernel");
}

void CudaBackend::gemm(uint32_t handle, uint64_t a, uint64_t b, uint64_t c) {
  if (handle >= gemms.size())
    fail(DLCC_STATUS_INTERNAL, "CUDA backend: gemm " +
                                   std::to_string(handle) + " is not prepared");
  if (currentIndex >= gemmWorkspaces.size())
    fail(DLCC_STATUS_INTERNAL, "CUDA backend: stream " +
                                   std::to_string(currentIndex) +
                                   " has no cuBLASLt workspace");
  std::string why;
  if (!gemms[handle]->run(d, lt, current, a, b, c,
                          gemmWorkspaces[currentIndex], kWorkspaceBytes, why))
    fail(DLCC_STATUS_INTERNAL, "CUDA: " + why);
}

void CudaBackend::conv(uint32_t handle, uint64_t x, uint64_t w, uint64_t y) {
  std::string why;
  if (!convs)
    why = "convolution " + std::to_string(handle) + " is not prepared";
  if (!convs || !convs->run(handle, currentIndex, current, x, w, y, why))
    fail(DLCC_STATUS_INTERNAL, "CUDA: " + why);
}

void CudaBackend::setStream(uint32_t stream) {
  current = streamAt(stream, "setStream");
  currentIndex = stream;
}

void CudaBackend::recordEvent(uint32_t event, uint32_t stream) {
  check(d.eventRecord(eventAt(event), streamAt(stream, "RecordEvent")),
        "cuEventRecord");
}

void CudaBackend::waitEvent(uint32_t event, uint32_t stream) {
  check(d.streamWaitEvent(streamAt(stream, "WaitEvent"), eventAt(event), 0),
        "cuStreamWaitEvent");
}

// Every stream starts after what stream 0 did before the run (and, when
// capturing, joins the capture through this dependency).
void CudaBackend::fork() {
  if (streams.size() < 2)
    return;
  check(d.eventRecord(forkEvent, streams[0]), "cuEventRecord (fork)");
  for (size_t s = 1; s < streams.size(); ++s)
    check(d.streamWaitEvent(streams[s], forkEvent, 0),
          "cuStreamWaitEvent (fork)");
}

// Stream 0 waits for every other stream (a capture must end joined).
void CudaBackend::join() {
  for (size_t s = 1; s < streams.size(); ++s) {
    check(d.eventRecord(joinEvents[s - 1], streams[s]), "cuEventRecord (join)");
    check(d.streamWaitEvent(streams[0], joinEvents[s - 1], 0),
          "cuStreamWaitEvent (join)");
  }
}

bool CudaBackend::beginRun(uint32_t entry, const uint64_t *buffers,
                           size_t count) {
  runEntry = entry;
  runKey.assign(buffers, buffers + count);
  current = streams[0];
  currentIndex = 0;
  EntryGraphs &g = graphs[entry];
  if (graphsEnabled && !g.disabled) {
    for (Graph &graph : g.graphs)
      if (graph.buffers == runKey) {
        mode = Mode::Idle;
        check(d.graphLaunch(graph.exec, streams[0]), "cuGraphLaunch");
        return true;
      }
    bool seen = std::find(g.seen.begin(), g.seen.end(), runKey) != g.seen.end();
    if (seen && g.graphs.size() < kMaxGraphsPerEntryPoint) {
      // Thread-local mode: other threads (other sessions) may keep making
      // calls that are illegal during a global capture.
      check(d.streamBeginCapture(streams[0],
                                 CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
            "cuStreamBeginCapture");
      mode = Mode::Capture;
      try {
        fork();
      } catch (...) {
        abortCapture();
        g.disabled = true;
        mode = Mode::Eager;
        fork();
      }
      return false;
    }
  }
  mode = Mode::Eager;
  fork();
  return false;
}

void CudaBackend::abortCapture() noexcept {
  CUgraph graph = nullptr;
  if (d.streamEndCapture(streams[0], &graph) == CUDA_SUCCESS && graph)
    d.graphDestroy(graph);
}

bool CudaBackend::endRun(bool issued) {
  Mode m = mode;
  mode = Mode::Idle;
  current = streams[0]; // outside runs everything goes to stream 0
  currentIndex = 0;
  EntryGraphs &g = graphs[runEntry];
  if (m == Mode::Eager) {
    if (!issued) {
      // Let whatever was queued finish before the session goes on.
      for (CUstream s : streams)
        d.streamSynchronize(s);
      return false;
    }
    join();
    if (graphsEnabled && !g.disabled &&
        std::find(g.seen.begin(), g.seen.end(), runKey) == g.seen.end() &&
        g.seen.size() < 4 * kMaxGraphsPerEntryPoint)
      g.seen.push_back(runKey);
    return false;
  }
  if (m != Mode::Capture)
    return false;
  // Capturing: nothing has run yet.
  bool ok = issued;
  if (ok) {
    try {
      join();
    } catch (const Failure &) {
      ok = false;
    }
  }
  CUgraph graph = nullptr;
  CUresult r = d.streamEndCapture(streams[0], &graph);
  CUgraphExec exec = nullptr;
  if (ok && r == CUDA_SUCCESS && graph &&
      d.graphInstantiate(&exec, graph, 0) == CUDA_SUCCESS) {
    g.graphs.push_back(Graph{runKey, graph, exec});
    check(d.graphLaunch(exec, streams[0]), "cuGraphLaunch");
    return false;
  }
  // The capture failed: nothing ran. Never capture this entry point again,
  // and let the executor issue the run eagerly.
  if (graph)
    d.graphDestroy(graph);
  g.disabled = true;
  return true;
}

void CudaBackend::synchronize() {
  // join() made stream 0 wait for the others, but a replayed graph or a
  // failed join leaves nothing to rely on: wait for every stream.
  for (CUstream s : streams)
    check(d.streamSynchronize(s), "cuStreamSynchronize");
}

// --- The C table ------------------------------------------------------------

struct Handle {
  std::unique_ptr<CudaBackend> backend;
};

CudaBackend &backendOf(dlcc_plugin_backend_t *b) {
  return *reinterpret_cast<Handle *>(b)->backend;
}

/// Runs `body` with the context current; failures go to host->report.
template <typename Body>
dlcc_status_t guarded(const dlcc_plugin_host_t &host, CudaBackend *backend,
                      Body &&body) noexcept {
  try {
    if (backend) {
      CudaBackend::Scope scope(*backend);
      return body();
    }
    return body();
  } catch (const Failure &f) {
    return host.report(f.status, f.message.c_str());
  } catch (const std::bad_alloc &) {
    return host.report(DLCC_STATUS_OUT_OF_MEMORY,
                       "CUDA backend: out of host memory");
  } catch (const std::exception &e) {
    return host.report(DLCC_STATUS_INTERNAL,
                       (std::string("CUDA backend: internal error: ") +
                        e.what())
                           .c_str());
  } catch (...) {
    return host.report(DLCC_STATUS_INTERNAL, "CUDA backend: internal error");
  }
}

#define DLCC_GUARD(b, ...)                                                     \
  CudaBackend &self = backendOf(b);                                            \
  return guarded(self.host, &self, [&]() -> dlcc_status_t {                    \
    __VA_ARGS__;                                                               \
    return DLCC_STATUS_OK;                                                     \
  })

int available() {
  std::string why;
  return loadDriver(why) ? 1 : 0;
}

dlcc_status_t create(const dlcc_plugin_host_t *host, int32_t device,
                     dlcc_plugin_backend_t **out) {
  if (!host || !host->report)
    return DLCC_STATUS_INVALID_ARGUMENT;
  return guarded(*host, nullptr, [&]() -> dlcc_status_t {
    std::string why;
    const Driver *driver = loadDriver(why);
    if (!driver)
      fail(DLCC_STATUS_UNSUPPORTED, kUnavailable + why);
    if (device < 0 || device >= driver->deviceCount)
      fail(DLCC_STATUS_UNSUPPORTED,
           std::string(kUnavailable) + "CUDA device " +
               std::to_string(device) + " was requested, but the driver "
               "reports " + std::to_string(driver->deviceCount) +
               " device(s)");
    auto handle = std::make_unique<Handle>();
    handle->backend = std::make_unique<CudaBackend>(*host, *driver, device);
    handle->backend->create();
    *out = reinterpret_cast<dlcc_plugin_backend_t *>(handle.release());
    return DLCC_STATUS_OK;
  });
}

void destroy(dlcc_plugin_backend_t *b) {
  delete reinterpret_cast<Handle *>(b);
}

/// Copies `reason` into why[0..whySize), NUL-terminated and truncated.
void copyWhy(const std::string &reason, char *why, size_t whySize) {
  if (!why || !whySize)
    return;
  size_t n = std::min(reason.size(), whySize - 1);
  std::memcpy(why, reason.data(), n);
  why[n] = '\0';
}

dlcc_status_t prepareGemm(dlcc_plugin_backend_t *b,
                          const dlcc_plugin_gemm_t *g, uint32_t *handle,
                          char *why, size_t whySize) {
  CudaBackend &self = backendOf(b);
  return guarded(self.host, &self, [&]() -> dlcc_status_t {
    std::string reason;
    dlcc_status_t s = self.prepareGemm(*g, *handle, reason);
    if (s != DLCC_STATUS_OK)
      copyWhy(reason, why, whySize);
    return s;
  });
}
dlcc_status_t prepareConv(dlcc_plugin_backend_t *b,
                          const dlcc_plugin_conv_t *c, uint32_t *handle,
                          char *why, size_t whySize) {
  CudaBackend &self = backendOf(b);
  return guarded(self.host, &self, [&]() -> dlcc_status_t {
    std::string reason;
    dlcc_status_t s = self.prepareConv(*c, *handle, reason);
    if (s != DLCC_STATUS_OK)
      copyWhy(reason, why, whySize);
    return s;
  });
}

dlcc_status_t loadKernels(dlcc_plugin_backend_t *b,
                          const dlcc_plugin_kernels_t *k) {
  DLCC_GUARD(b, self.loadKernels(*k));
}
dlcc_status_t prepareStreams(dlcc_plugin_backend_t *b, uint32_t streams,
                             uint32_t events) {
  DLCC_GUARD(b, self.prepareStreams(streams, events));
}
dlcc_status_t allocate(dlcc_plugin_backend_t *b, uint64_t bytes,
                       uint64_t *out) {
  DLCC_GUARD(b, *out = self.allocate(bytes));
}
void freeBuffer(dlcc_plugin_backend_t *b, uint64_t ptr) {
  CudaBackend &self = backendOf(b);
  try {
    CudaBackend::Scope scope(self);
    self.freeBuffer(ptr);
  } catch (...) {
  }
}
dlcc_status_t copyIn(dlcc_plugin_backend_t *b, uint64_t dst, const void *src,
                     uint64_t bytes) {
  DLCC_GUARD(b, self.copyIn(dst, src, bytes));
}
dlcc_status_t copyOut(dlcc_plugin_backend_t *b, void *dst, uint64_t src,
                      uint64_t bytes) {
  DLCC_GUARD(b, self.copyOut(dst, src, bytes));
}
dlcc_status_t copy(dlcc_plugin_backend_t *b, uint64_t dst, uint64_t src,
                   uint64_t bytes) {
  DLCC_GUARD(b, self.copy(dst, src, bytes));
}
dlcc_status_t fill(dlcc_plugin_backend_t *b, uint64_t dst, uint8_t value,
                   uint64_t bytes) {
  DLCC_GUARD(b, self.fill(dst, value, bytes));
}
dlcc_status_t launch(dlcc_plugin_backend_t *b, uint32_t kernel,
                     const uint32_t grid[3], const uint32_t block[3],
                     uint32_t sharedMem, void **params) {
  DLCC_GUARD(b, self.launch(kernel, grid, block, sharedMem, params));
}
dlcc_status_t gemm(dlcc_plugin_backend_t *b, uint32_t handle, uint64_t a,
                   uint64_t bb, uint64_t c) {
  DLCC_GUARD(b, self.gemm(handle, a, bb, c));
}
dlcc_status_t conv(dlcc_plugin_backend_t *b, uint32_t handle, uint64_t x,
                   uint64_t w, uint64_t y) {
  DLCC_GUARD(b, self.conv(handle, x, w, y));
}
dlcc_status_t setStream(dlcc_plugin_backend_t *b, uint32_t stream) {
  DLCC_GUARD(b, self.setStream(stream));
}
dlcc_status_t recordEvent(dlcc_plugin_backend_t *b, uint32_t event,
                          uint32_t stream) {
  DLCC_GUARD(b, self.recordEvent(event, stream));
}
dlcc_status_t waitEvent(dlcc_plugin_backend_t *b, uint32_t event,
                        uint32_t stream) {
  DLCC_GUARD(b, self.waitEvent(event, stream));
}
dlcc_status_t beginRun(dlcc_plugin_backend_t *b, uint32_t entry,
                       const uint64_t *buffers, size_t count, int *replayed) {
  DLCC_GUARD(b, *replayed = self.beginRun(entry, buffers, count) ? 1 : 0);
}
dlcc_status_t endRun(dlcc_plugin_backend_t *b, int issued, int *again) {
  DLCC_GUARD(b, *again = self.endRun(issued != 0) ? 1 : 0);
}
dlcc_status_t synchronize(dlcc_plugin_backend_t *b) {
  DLCC_GUARD(b, self.synchronize());
}

const dlcc_backend_plugin_t kTable = {
    DLCC_BACKEND_PLUGIN_ABI_VERSION,
    uint32_t(sizeof(dlcc_backend_plugin_t)),
    "dlcc CUDA backend (cuda.h CUDA_VERSION " DLCC_STRINGIFY(CUDA_VERSION) ", "
    "driver API at run time, cuBLASLt, cuDNN at run time)",
    available,
    create,
    destroy,
    prepareGemm,
    loadKernels,
    prepareStreams,
    allocate,
    freeBuffer,
    copyIn,
    copyOut,
    copy,
    fill,
    launch,
    gemm,
    setStream,
    recordEvent,
    waitEvent,
    beginRun,
    endRun,
    synchronize,
    prepareConv,
    conv,
};

} // namespace
} // namespace dlcc::cuda

DLCC_PLUGIN_EXPORT const dlcc_backend_plugin_t *
dlcc_cuda_backend_plugin_v3(uint32_t runtime_abi_version) {
  (void)runtime_abi_version; // the runtime compares the table's version
  return &dlcc::cuda::kTable;
}
