//===- CudaConv.cpp - Convolution library calls on cuDNN ------------------===//
//
// cuDNN's legacy convolution API, which cuDNN 9 still exports from
// libcudnn.so.9: tensor, filter and convolution descriptors,
// cudnnGetConvolutionForwardAlgorithm_v7, cudnnConvolutionForward, and for
// the gradients (conv_backward_data: the transposed convolution of dY;
// conv_backward_filter) cudnnGetConvolutionBackward{Data,Filter}Algorithm_v7
// and cudnnConvolutionBackward{Data,Filter} with the same descriptors
// (those of the forward convolution). cudnn.h is
// included for types and prototypes only (decltype); every function is
// dlsym'ed by name from libcudnn.so.9, loaded once per process
// (RTLD_NOW | RTLD_LOCAL) at the first convolution planned.
//
// Layouts are dense and NCHW-like, as the descriptor: input [N, C, D...],
// filter [O, C/groups, K...] (CUDNN_TENSOR_NCHW), output [N, O, E...]. cuDNN
// wants at least four dimensions, so a 1-D convolution is a 2-D one with a
// unit height (stride 1, no padding, dilation 1 on it).
//
// Padding: cuDNN pads symmetrically. A descriptor whose end padding differs
// from its begin padding runs with the begin padding when that gives the same
// output size (geometry::symmetricPaddingExpresses, the rule the compiler
// selects library calls by). Otherwise it is UNSUPPORTED.
//
// Algorithm: the descriptor's math type is CUDNN_FMA_MATH (true f32), or
// CUDNN_DEFAULT_MATH (TF32 tensor cores allowed) with DLCC_CUDA_TF32. Of
// cudnnGetConvolution{Forward,BackwardData,BackwardFilter}Algorithm_v7's
// candidates, in its
// order, the first whose status is CUDNN_STATUS_SUCCESS, that is
// CUDNN_DETERMINISTIC, and whose workspace (the matching *WorkspaceSize, with
// the math type it will run with) fits kConvWorkspaceLimit.
//
// Workspace and handle: one cuDNN handle and one workspace buffer per stream
// of the backend (cuMemAlloc at planning), so that convolutions on streams
// that run concurrently never share scratch memory or a handle; a call uses
// those of the stream it runs on. Every stream's buffer has the same size,
// shared by every convolution and grown to the largest need (at least
// doubling, up to the limit). A replaced buffer is kept until the backend
// goes, since a captured CUDA graph may name it. If growing runs out of
// memory, the first candidate that fits the buffers there are. Runs
// allocate nothing: they are capture-safe. Out of memory (device memory for
// the buffers, or cuDNN's own host or device allocations) is
// DLCC_STATUS_OUT_OF_MEMORY, never UNSUPPORTED.
//
// Descriptors come from the loader, which has checked their geometry (every
// dim >= 1, channels and groups agree, each output extent follows from the
// rest, spatial values below 2^31); what is checked here is only what cuDNN
// cannot express.
//
//===----------------------------------------------------------------------===//

#include "CudaConv.h"
#include "dlcc/Target/Support/ConvolutionGeometry.h"

#if __has_include(<cudnn.h>) && !defined(DLCC_CUDA_NO_CUDNN)
#define DLCC_CUDA_HAVE_CUDNN 1
#include <cudnn.h>
#include <dlfcn.h>
#else
#define DLCC_CUDA_HAVE_CUDNN 0
#endif

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

namespace dlcc::cuda {

namespace {

/// "[1, 3, 224, 224]"
std::string listText(const int64_t *values, int count) {
  std::string s = "[";
  for (int i = 0; i < count; ++i)
    s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "]";
}

/// The convolution, for messages.
std::string convText(const dlcc_plugin_conv_t &c) {
  int rank = 2 + c.spatial;
  return "input " + listText(c.input, rank) + ", filter " +
         listText(c.filter, rank) + ", output " + listText(c.output, rank) +
         ", strides " + listText(c.strides, c.spatial) + ", pads " +
         listText(c.pad_begin, c.spatial) + "/" +
         listText(c.pad_end, c.spatial) + ", dilations " +
         listText(c.dilations, c.spatial) + ", groups " +
         std::to_string(c.groups);
}

/// Whether `dims` has fewer than 2^31 elements (every dim is >= 1 and below
/// 2^31, so the running product cannot overflow before it is checked).
bool fitsInt32(const int64_t *dims, int rank) {
  int64_t n = 1;
  for (int i = 0; i < rank; ++i) {
    n *= dims[i];
    if (n > INT32_MAX)
      return false;
  }
  return true;
}

/// What cuDNN's legacy API cannot express, on top of what the loader has
/// checked (geometry, every dim >= 1, spatial values below 2^31): false
/// with an UNSUPPORTED phrase in `why`.
bool checkConv(const dlcc_plugin_conv_t &c, std::string &why) {
  if (c.direction < 0 || c.direction > 2) {
    why = "a convolution library call of unknown direction " +
          std::to_string(c.direction);
    return false;
  }
  if (c.dtype != DLCC_DTYPE_F32 || c.compute_dtype != DLCC_DTYPE_F32) {
    why = "the CUDA convolution (cuDNN) takes f32 tensors with f32 "
          "accumulation only here";
    return false;
  }
  int rank = 2 + c.spatial;
  if (!fitsInt32(c.input, rank) || !fitsInt32(c.filter, rank) ||
      !fitsInt32(c.output, rank)) {
    why = "a convolution tensor with 2^31 or more elements (cuDNN's "
          "descriptors take 32-bit strides; " +
          convText(c) + ")";
    return false;
  }
  return true;
}

/// Whether cuDNN's symmetric padding (the begin padding at both ends) gives
/// the program's output size; false with an UNSUPPORTED phrase in `why`.
bool checkPadding(const dlcc_plugin_conv_t &c, std::string &why) {
  for (int i = 0; i < c.spatial; ++i) {
    if (!dlcc::geometry::symmetricPaddingExpresses(
            c.input[2 + i], c.filter[2 + i], c.strides[i], c.dilations[i],
            c.pad_begin[i], c.output[2 + i])) {
      why = "a convolution with asymmetric padding (begin " +
            std::to_string(c.pad_begin[i]) + ", end " +
            std::to_string(c.pad_end[i]) + " in spatial dimension " +
            std::to_string(i) + ") that cuDNN's symmetric padding cannot "
            "express (" + convText(c) + ")";
      return false;
    }
  }
  return true;
}

#if DLCC_CUDA_HAVE_CUDNN

// X(member, symbol): cuDNN 9's legacy convolution API, checked against
// cudnn.h 9.19 and `nm -D libcudnn.so.9`.
#define DLCC_CUDNN_FUNCTIONS(X)                                                \
  X(getVersion, cudnnGetVersion)                                               \
  X(getErrorString, cudnnGetErrorString)                                       \
  X(create, cudnnCreate)                                                       \
  X(destroy, cudnnDestroy)                                                     \
  X(setStream, cudnnSetStream)                                                 \
  X(createTensorDescriptor, cudnnCreateTensorDescriptor)                       \
  X(setTensorNdDescriptor, cudnnSetTensorNdDescriptor)                         \
  X(destroyTensorDescriptor, cudnnDestroyTensorDescriptor)                     \
  X(createFilterDescriptor, cudnnCreateFilterDescriptor)                       \
  X(setFilterNdDescriptor, cudnnSetFilterNdDescriptor)                         \
  X(destroyFilterDescriptor, cudnnDestroyFilterDescriptor)                     \
  X(createConvolutionDescriptor, cudnnCreateConvolutionDescriptor)             \
  X(setConvolutionNdDescriptor, cudnnSetConvolutionNdDescriptor)               \
  X(setConvolutionGroupCount, cudnnSetConvolutionGroupCount)                   \
  X(setConvolutionMathType, cudnnSetConvolutionMathType)                       \
  X(destroyConvolutionDescriptor, cudnnDestroyConvolutionDescriptor)           \
  X(getForwardOutputDim, cudnnGetConvolutionNdForwardOutputDim)                \
  X(getForwardAlgorithm, cudnnGetConvolutionForwardAlgorithm_v7)               \
  X(getForwardWorkspaceSize, cudnnGetConvolutionForwardWorkspaceSize)          \
  X(convolutionForward, cudnnConvolutionForward)                               \
  X(getBackwardDataAlgorithm, cudnnGetConvolutionBackwardDataAlgorithm_v7)     \
  X(getBackwardDataWorkspaceSize,                                              \
    cudnnGetConvolutionBackwardDataWorkspaceSize)                              \
  X(convolutionBackwardData, cudnnConvolutionBackwardData)                     \
  X(getBackwardFilterAlgorithm, cudnnGetConvolutionBackwardFilterAlgorithm_v7) \
  X(getBackwardFilterWorkspaceSize,                                            \
    cudnnGetConvolutionBackwardFilterWorkspaceSize)                            \
  X(convolutionBackwardFilter, cudnnConvolutionBackwardFilter)

struct Cudnn {
#define DLCC_CUDNN_DECLARE(member, symbol) decltype(&::symbol) member = nullptr;
  DLCC_CUDNN_FUNCTIONS(DLCC_CUDNN_DECLARE)
#undef DLCC_CUDNN_DECLARE
  // Optional (cuDNN 9.0 and later): the detail of the thread's last error.
  decltype(&::cudnnGetLastErrorString) getLastErrorString = nullptr;
  size_t version = 0; // cudnnGetVersion, e.g. 91900

  /// "CUDNN_STATUS_NOT_SUPPORTED (detail)".
  std::string errorText(cudnnStatus_t s) const {
    const char *name = getErrorString(s);
    std::string r = name && *name ? std::string(name)
                                   : "cuDNN status " + std::to_string(int(s));
    if (getLastErrorString) {
      char detail[384] = {};
      getLastErrorString(detail, sizeof detail);
      std::string d = detail;
      std::replace(d.begin(), d.end(), '\n', ' ');
      while (!d.empty() && d.back() == ' ')
        d.pop_back();
      if (!d.empty())
        r += " (" + d + ")";
    }
    return r;
  }
  /// Forgets the detail of a failure that was tolerated.
  void clearError() const {
    if (getLastErrorString) {
      char detail[8];
      getLastErrorString(detail, sizeof detail);
    }
  }
  /// "cuDNN 9.19.0".
  std::string versionText() const {
    return "cuDNN " + std::to_string(version / 10000) + "." +
           std::to_string(version / 100 % 100) + "." +
           std::to_string(version % 100);
  }
};

struct LoadedCudnn {
  Cudnn lib;
  bool ok = false;
  std::string why;
};

void load(LoadedCudnn &l) {
  // RTLD_LOCAL: cuDNN's symbols never interpose on anything else. The
  // library stays loaded for the life of the process.
  dlerror();
  void *handle = dlopen("libcudnn.so.9", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *e = dlerror();
    l.why = e ? e : "libcudnn.so.9: dlopen failed";
    return;
  }
  Cudnn &c = l.lib;
  std::string missing;
#define DLCC_CUDNN_RESOLVE(member, symbol)                                     \
  c.member = reinterpret_cast<decltype(c.member)>(dlsym(handle, #symbol));     \
  if (!c.member)                                                               \
    missing += std::string(missing.empty() ? "" : ", ") + #symbol;
  DLCC_CUDNN_FUNCTIONS(DLCC_CUDNN_RESOLVE)
#undef DLCC_CUDNN_RESOLVE
  if (!missing.empty()) {
    l.why = "libcudnn.so.9 lacks " + missing;
    return;
  }
  c.getLastErrorString = reinterpret_cast<decltype(c.getLastErrorString)>(
      dlsym(handle, "cudnnGetLastErrorString"));
  c.version = c.getVersion();
  l.ok = true;
}

/// cuDNN, loaded once per process; null with `why` (dlerror's text, or the
/// missing functions). Thread-safe.
const Cudnn *loadCudnn(std::string &why) {
  static LoadedCudnn loaded;
  static std::once_flag once;
  std::call_once(once, [] { load(loaded); });
  if (!loaded.ok) {
    why = loaded.why;
    return nullptr;
  }
  return &loaded.lib;
}

#endif // DLCC_CUDA_HAVE_CUDNN

/// One convolution call site.
struct Plan {
#if DLCC_CUDA_HAVE_CUDNN
  const Cudnn *dnn = nullptr;
  cudnnTensorDescriptor_t x = nullptr, y = nullptr;
  cudnnFilterDescriptor_t w = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;
  int32_t direction = 0; // dlcc_plugin_conv_t's
  cudnnConvolutionFwdAlgo_t algo = CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;
  cudnnConvolutionBwdDataAlgo_t dataAlgo = CUDNN_CONVOLUTION_BWD_DATA_ALGO_1;
  cudnnConvolutionBwdFilterAlgo_t filterAlgo =
      CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1;
  cudnnMathType_t math = CUDNN_FMA_MATH;
  size_t workspace = 0; // what the algorithm needs

  Plan() = default;
  Plan(const Plan &) = delete;
  Plan &operator=(const Plan &) = delete;
  ~Plan() {
    if (!dnn)
      return;
    if (conv)
      dnn->destroyConvolutionDescriptor(conv);
    if (w)
      dnn->destroyFilterDescriptor(w);
    if (y)
      dnn->destroyTensorDescriptor(y);
    if (x)
      dnn->destroyTensorDescriptor(x);
  }
#endif
};

} // namespace

struct CudaConvs::State {
  State(const Driver &d, bool allowTf32) : driver(d), tf32(allowTf32) {}

  const Driver &driver;
  bool tf32;
  size_t streamCount = 1; // the backend's streams
  std::vector<std::unique_ptr<Plan>> plans;
#if DLCC_CUDA_HAVE_CUDNN
  const Cudnn *dnn = nullptr;
  cudnnHandle_t handle = nullptr;      // == handles[0]: used for planning
  std::vector<cudnnHandle_t> handles;  // per stream
  std::vector<CUdeviceptr> workspaces; // per stream, workspaceBytes each
  size_t workspaceBytes = 0;
  std::vector<CUdeviceptr> retired; // replaced workspaces

  dlcc_status_t plan(Plan &p, const dlcc_plugin_conv_t &c, std::string &why);
  /// cuDNN handles for streams [handles.size(), streamCount); `why` and a
  /// status (OUT_OF_MEMORY for cuDNN's allocation failures) on failure.
  dlcc_status_t createHandles(std::string &why);
  /// Workspaces of workspaceBytes for streams [workspaces.size(),
  /// streamCount); the driver's result.
  CUresult addWorkspaces();
  /// A new set of streamCount workspaces of `bytes` each replacing the
  /// current one (all or none); the driver's result.
  CUresult replaceWorkspaces(size_t bytes);
  template <typename Perf>
  bool choose(Plan &p, const std::vector<Perf> &perf, size_t limit,
              std::string &why);
  /// The workspace of `algo` (a forward or backward-data algorithm).
  cudnnStatus_t workspaceOf(const Plan &p, cudnnConvolutionFwdAlgo_t algo,
                            size_t &bytes) const {
    return dnn->getForwardWorkspaceSize(handle, p.x, p.w, p.conv, p.y, algo,
                                        &bytes);
  }
  cudnnStatus_t workspaceOf(const Plan &p, cudnnConvolutionBwdDataAlgo_t algo,
                            size_t &bytes) const {
    return dnn->getBackwardDataWorkspaceSize(handle, p.w, p.y, p.conv, p.x,
                                             algo, &bytes);
  }
  static void take(Plan &p, cudnnConvolutionFwdAlgo_t algo) { p.algo = algo; }
  cudnnStatus_t workspaceOf(const Plan &p,
                            cudnnConvolutionBwdFilterAlgo_t algo,
                            size_t &bytes) const {
    return dnn->getBackwardFilterWorkspaceSize(handle, p.x, p.y, p.conv, p.w,
                                               algo, &bytes);
  }
  static void take(Plan &p, cudnnConvolutionBwdDataAlgo_t algo) {
    p.dataAlgo = algo;
  }
  static void take(Plan &p, cudnnConvolutionBwdFilterAlgo_t algo) {
    p.filterAlgo = algo;
  }
#endif
};

#if DLCC_CUDA_HAVE_CUDNN

/// Whether a cuDNN status is an allocation failure (cuDNN 9's host and
/// device allocation codes).
bool allocationFailed(cudnnStatus_t s) {
  return s == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED ||
         s == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED;
}

dlcc_status_t CudaConvs::State::createHandles(std::string &why) {
  handles.reserve(streamCount);
  while (handles.size() < streamCount) {
    cudnnHandle_t h = nullptr;
    if (cudnnStatus_t s = dnn->create(&h)) {
      if (allocationFailed(s)) {
        why = "out of memory creating a cuDNN handle: " + dnn->errorText(s);
        return DLCC_STATUS_OUT_OF_MEMORY;
      }
      // The first handle failing means cuDNN cannot be used here at all.
      why = std::string(handles.empty() ? "cuDNN not available: " : "") +
            "cudnnCreate failed: " + dnn->errorText(s);
      return handles.empty() ? DLCC_STATUS_UNSUPPORTED : DLCC_STATUS_INTERNAL;
    }
    handles.push_back(h);
    handle = handles[0];
  }
  return DLCC_STATUS_OK;
}

CUresult CudaConvs::State::addWorkspaces() {
  workspaces.reserve(streamCount);
  while (workspaceBytes && workspaces.size() < streamCount) {
    CUdeviceptr b = 0;
    if (CUresult r = driver.memAlloc(&b, workspaceBytes))
      return r;
    workspaces.push_back(b);
  }
  return CUDA_SUCCESS;
}

CUresult CudaConvs::State::replaceWorkspaces(size_t bytes) {
  std::vector<CUdeviceptr> set;
  set.reserve(streamCount);
  retired.reserve(retired.size() + workspaces.size());
  for (size_t i = 0; i < streamCount; ++i) {
    CUdeviceptr b = 0;
    if (CUresult r = driver.memAlloc(&b, bytes)) {
      for (CUdeviceptr p : set)
        driver.memFree(p);
      return r;
    }
    set.push_back(b);
  }
  for (CUdeviceptr w : workspaces)
    retired.push_back(w); // a captured graph may name it
  workspaces = std::move(set);
  workspaceBytes = bytes;
  return CUDA_SUCCESS;
}

/// The first usable candidate (in cuDNN's order) needing at most `limit`
/// bytes of workspace; its algorithm, math type (set on p.conv) and
/// workspace go into `p`. False with an UNSUPPORTED phrase in `why`.
template <typename Perf>
bool CudaConvs::State::choose(Plan &p, const std::vector<Perf> &perf,
                              size_t limit, std::string &why) {
  int succeeded = 0, deterministic = 0;
  for (const Perf &candidate : perf) {
    if (candidate.status != CUDNN_STATUS_SUCCESS)
      continue;
    ++succeeded;
    if (candidate.determinism != CUDNN_DETERMINISTIC)
      continue;
    ++deterministic;
    // Strict f32 keeps FMA whatever the candidate says; TF32 takes the
    // candidate's math type, never a conversion to half precision.
    cudnnMathType_t math = CUDNN_FMA_MATH;
    if (tf32)
      math = candidate.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION
                 ? CUDNN_DEFAULT_MATH
                 : candidate.mathType;
    size_t bytes = 0;
    if (dnn->setConvolutionMathType(p.conv, math) != CUDNN_STATUS_SUCCESS ||
        workspaceOf(p, candidate.algo, bytes) != CUDNN_STATUS_SUCCESS) {
      dnn->clearError();
      continue;
    }
    if (bytes > limit)
      continue;
    take(p, candidate.algo);
    p.math = math;
    p.workspace = bytes;
    return true;
  }
  why = dnn->versionText() + " has no deterministic " +
        (p.direction == 1   ? "backward-data"
         : p.direction == 2 ? "backward-filter"
                            : "forward") +
        " algorithm for this convolution within " + std::to_string(limit) +
        " bytes of workspace (of " + std::to_string(perf.size()) +
        " candidates, " + std::to_string(succeeded) + " apply, " +
        std::to_string(deterministic) + " of them deterministic; " +
        (tf32 ? "TF32" : "FMA") + " math)";
  return false;
}

dlcc_status_t CudaConvs::State::plan(Plan &p, const dlcc_plugin_conv_t &c,
                                     std::string &why) {
  if (!dnn) {
    std::string e;
    dnn = loadCudnn(e);
    if (!dnn) {
      why = "cuDNN not available: " + e;
      return DLCC_STATUS_UNSUPPORTED;
    }
  }
  if (handles.size() < streamCount)
    if (dlcc_status_t s = createHandles(why))
      return s;
  p.dnn = dnn;
  // cuDNN's allocation failures are out of memory, not "cannot run".
  auto failed = [&](const char *what, cudnnStatus_t s) {
    bool oom = allocationFailed(s);
    why = (oom ? "out of memory preparing the convolution: " : "") +
          dnn->versionText() + ": " + what + " failed (" + convText(c) +
          "): " + dnn->errorText(s);
    return oom ? DLCC_STATUS_OUT_OF_MEMORY : DLCC_STATUS_UNSUPPORTED;
  };

  // The dimensions, a 1-D convolution as a 2-D one of unit height.
  int rank = c.spatial == 1 ? 4 : 2 + c.spatial;
  int xd[5] = {}, wd[5] = {}, yd[5] = {}, xs[5] = {}, ys[5] = {};
  int pad[3] = {}, stride[3] = {}, dilation[3] = {};
  int unit = c.spatial == 1 ? 1 : 0; // the inserted dimension, if any
  for (int i = 0; i < 2; ++i) {
    xd[i] = int(c.input[i]);
    wd[i] = int(c.filter[i]);
    yd[i] = int(c.output[i]);
  }
  if (unit) {
    xd[2] = wd[2] = yd[2] = 1;
    pad[0] = 0, stride[0] = 1, dilation[0] = 1;
  }
  for (int i = 0; i < c.spatial; ++i) {
    xd[2 + unit + i] = int(c.input[2 + i]);
    wd[2 + unit + i] = int(c.filter[2 + i]);
    yd[2 + unit + i] = int(c.output[2 + i]);
    pad[unit + i] = int(c.pad_begin[i]);
    stride[unit + i] = int(c.strides[i]);
    dilation[unit + i] = int(c.dilations[i]);
  }
  // Dense row-major strides (checkConv bounded every tensor by 2^31-1).
  xs[rank - 1] = ys[rank - 1] = 1;
  for (int i = rank - 2; i >= 0; --i) {
    xs[i] = xs[i + 1] * xd[i + 1];
    ys[i] = ys[i + 1] * yd[i + 1];
  }

  if (cudnnStatus_t s = dnn->createTensorDescriptor(&p.x))
    return failed("cudnnCreateTensorDescriptor", s);
  if (cudnnStatus_t s = dnn->createTensorDescriptor(&p.y))
    return failed("cudnnCreateTensorDescriptor", s);
  if (cudnnStatus_t s = dnn->createFilterDescriptor(&p.w))
    return failed("cudnnCreateFilterDescriptor", s);
  if (cudnnStatus_t s = dnn->createConvolutionDescriptor(&p.conv))
    return failed("cudnnCreateConvolutionDescriptor", s);
  if (cudnnStatus_t s =
          dnn->setTensorNdDescriptor(p.x, CUDNN_DATA_FLOAT, rank, xd, xs))
    return failed("cudnnSetTensorNdDescriptor (input)", s);
  if (cudnnStatus_t s =
          dnn->setTensorNdDescriptor(p.y, CUDNN_DATA_FLOAT, rank, yd, ys))
    return failed("cudnnSetTensorNdDescriptor (output)", s);
  if (cudnnStatus_t s = dnn->setFilterNdDescriptor(
          p.w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, rank, wd))
    return failed("cudnnSetFilterNdDescriptor", s);
  if (cudnnStatus_t s = dnn->setConvolutionNdDescriptor(
          p.conv, rank - 2, pad, stride, dilation, CUDNN_CROSS_CORRELATION,
          CUDNN_DATA_FLOAT))
    return failed("cudnnSetConvolutionNdDescriptor", s);
  if (cudnnStatus_t s =
          dnn->setConvolutionGroupCount(p.conv, int(c.groups)))
    return failed("cudnnSetConvolutionGroupCount", s);
  p.math = tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
  if (cudnnStatus_t s = dnn->setConvolutionMathType(p.conv, p.math))
    return failed("cudnnSetConvolutionMathType", s);

  // cuDNN's output size must be the program's (checkPadding agrees).
  int got[5] = {};
  if (cudnnStatus_t s = dnn->getForwardOutputDim(p.conv, p.x, p.w, rank, got))
    return failed("cudnnGetConvolutionNdForwardOutputDim", s);
  if (!std::equal(got, got + rank, yd)) {
    int64_t wide[5] = {};
    std::copy(got, got + rank, wide);
    why = dnn->versionText() + " computes the output " +
          listText(wide, rank) + " for this convolution (" + convText(c) +
          ")";
    return DLCC_STATUS_UNSUPPORTED;
  }

  // The candidates of the call's direction, in cuDNN's order.
  p.direction = c.direction;
  std::vector<cudnnConvolutionFwdAlgoPerf_t> forward;
  std::vector<cudnnConvolutionBwdDataAlgoPerf_t> data;
  std::vector<cudnnConvolutionBwdFilterAlgoPerf_t> filter;
  auto candidates = [](auto &perf, int count, auto query) {
    perf.resize(size_t(count));
    int returned = 0;
    cudnnStatus_t s = query(count, &returned, perf.data());
    perf.resize(size_t(std::clamp(returned, 0, count)));
    return s;
  };
  if (p.direction == 1) {
    if (cudnnStatus_t s = candidates(
            data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT,
            [&](int n, int *returned, auto *out) {
              return dnn->getBackwardDataAlgorithm(handle, p.w, p.y, p.conv,
                                                   p.x, n, returned, out);
            }))
      return failed("cudnnGetConvolutionBackwardDataAlgorithm_v7", s);
  } else if (p.direction == 2) {
    if (cudnnStatus_t s = candidates(
            filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT,
            [&](int n, int *returned, auto *out) {
              return dnn->getBackwardFilterAlgorithm(handle, p.x, p.y, p.conv,
                                                     p.w, n, returned, out);
            }))
      return failed("cudnnGetConvolutionBackwardFilterAlgorithm_v7", s);
  } else if (cudnnStatus_t s = candidates(
                 forward, CUDNN_CONVOLUTION_FWD_ALGO_COUNT,
                 [&](int n, int *returned, auto *out) {
                   return dnn->getForwardAlgorithm(handle, p.x, p.w, p.conv,
                                                   p.y, n, returned, out);
                 })) {
    return failed("cudnnGetConvolutionForwardAlgorithm_v7", s);
  }
  // Picks again within a smaller workspace when growing it fails.
  auto rechoose = [&](size_t limit, std::string &reason) {
    return p.direction == 1   ? choose(p, data, limit, reason)
           : p.direction == 2 ? choose(p, filter, limit, reason)
                              : choose(p, forward, limit, reason);
  };
  std::string reason;
  if (!rechoose(kConvWorkspaceLimit, reason)) {
    why = reason + " (" + convText(c) + ")";
    return DLCC_STATUS_UNSUPPORTED;
  }
  if (p.workspace <= workspaceBytes)
    return DLCC_STATUS_OK;

  // Grow the workspaces (one per stream): at least double them (fewer,
  // larger steps), else exactly what this plan needs.
  size_t grown = std::max(p.workspace,
                          std::min(2 * workspaceBytes, kConvWorkspaceLimit));
  CUresult r = replaceWorkspaces(grown);
  if (r == CUDA_ERROR_OUT_OF_MEMORY && grown > p.workspace)
    r = replaceWorkspaces(p.workspace);
  if (r == CUDA_SUCCESS)
    return DLCC_STATUS_OK;
  // Out of memory: the first candidate that fits the workspaces there are.
  if (r == CUDA_ERROR_OUT_OF_MEMORY && rechoose(workspaceBytes, reason))
    return DLCC_STATUS_OK;
  why = "cannot allocate the cuDNN workspaces (" + std::to_string(streamCount) +
        " of " + std::to_string(p.workspace) +
        " bytes, one per stream) for the convolution (" + convText(c) +
        "): " + driver.errorText(r);
  return r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                       : DLCC_STATUS_INTERNAL;
}

#endif // DLCC_CUDA_HAVE_CUDNN

CudaConvs::CudaConvs(const Driver &driver, bool tf32)
    : state(std::make_unique<State>(driver, tf32)) {}

CudaConvs::~CudaConvs() {
  // The descriptors before the handles, the handles before the workspaces.
  state->plans.clear();
#if DLCC_CUDA_HAVE_CUDNN
  for (cudnnHandle_t h : state->handles)
    state->dnn->destroy(h);
  for (CUdeviceptr p : state->workspaces)
    state->driver.memFree(p);
  for (CUdeviceptr p : state->retired)
    state->driver.memFree(p);
#endif
}

dlcc_status_t CudaConvs::prepareStreams(size_t streams, std::string &why) {
  State &s = *state;
  s.streamCount = std::max(s.streamCount, streams);
#if DLCC_CUDA_HAVE_CUDNN
  if (!s.dnn)
    return DLCC_STATUS_OK; // handles and workspaces come with the first plan
  if (dlcc_status_t st = s.createHandles(why))
    return st == DLCC_STATUS_UNSUPPORTED ? DLCC_STATUS_INTERNAL : st;
  if (CUresult r = s.addWorkspaces()) {
    why = "cannot allocate a cuDNN workspace (" +
          std::to_string(s.workspaceBytes) + " bytes) for stream " +
          std::to_string(s.workspaces.size()) + ": " +
          s.driver.errorText(r);
    return r == CUDA_ERROR_OUT_OF_MEMORY ? DLCC_STATUS_OUT_OF_MEMORY
                                         : DLCC_STATUS_INTERNAL;
  }
#else
  (void)why;
#endif
  return DLCC_STATUS_OK;
}

dlcc_status_t CudaConvs::prepare(const dlcc_plugin_conv_t &c,
                                 uint32_t &handle, std::string &why) {
  if (!checkConv(c, why) || !checkPadding(c, why))
    return DLCC_STATUS_UNSUPPORTED;
  auto p = std::make_unique<Plan>();
#if DLCC_CUDA_HAVE_CUDNN
  if (dlcc_status_t s = state->plan(*p, c, why))
    return s;
#else
  why = "cuDNN not available: the CUDA plugin was built without cuDNN's "
        "header (cudnn.h)";
  return DLCC_STATUS_UNSUPPORTED;
#endif
  handle = uint32_t(state->plans.size());
  state->plans.push_back(std::move(p));
  return DLCC_STATUS_OK;
}

bool CudaConvs::run(uint32_t handle, uint32_t streamIndex, CUstream stream,
                    CUdeviceptr x, CUdeviceptr w, CUdeviceptr y,
                    std::string &why) {
  if (handle >= state->plans.size()) {
    why = "convolution " + std::to_string(handle) + " is not prepared";
    return false;
  }
#if DLCC_CUDA_HAVE_CUDNN
  const Plan &p = *state->plans[handle];
  State &s = *state;
  if (p.workspace > s.workspaceBytes) {
    why = "the convolution's algorithm needs more workspace than was "
          "allocated";
    return false;
  }
  if (streamIndex >= s.handles.size() ||
      (p.workspace && streamIndex >= s.workspaces.size())) {
    why = "stream " + std::to_string(streamIndex) +
          " has no cuDNN handle or workspace";
    return false;
  }
  // The stream's own handle and workspace: calls on streams that overlap
  // share neither.
  cudnnHandle_t h = s.handles[streamIndex];
  // Bound at every call: a captured call must be issued on the capturing
  // stream.
  if (cudnnStatus_t st =
          s.dnn->setStream(h, reinterpret_cast<cudaStream_t>(stream))) {
    why = "cudnnSetStream failed: " + s.dnn->errorText(st);
    return false;
  }
  const float alpha = 1.0f, beta = 0.0f; // beta 0: the result is never read
  void *workspace =
      p.workspace ? reinterpret_cast<void *>(s.workspaces[streamIndex])
                  : nullptr;
  cudnnStatus_t st;
  // The operands in the artifact's order: (X, W, Y), (dY, W, dX) or
  // (X, dY, dW).
  auto in = [](CUdeviceptr v) { return reinterpret_cast<const void *>(v); };
  auto out = [](CUdeviceptr v) { return reinterpret_cast<void *>(v); };
  if (p.direction == 1)
    st = s.dnn->convolutionBackwardData(h, &alpha, p.w, in(w), p.y,
                                        in(x), p.conv, p.dataAlgo, workspace,
                                        p.workspace, &beta, p.x, out(y));
  else if (p.direction == 2)
    st = s.dnn->convolutionBackwardFilter(h, &alpha, p.x, in(x), p.y,
                                          in(w), p.conv, p.filterAlgo,
                                          workspace, p.workspace, &beta, p.w,
                                          out(y));
  else
    st = s.dnn->convolutionForward(h, &alpha, p.x, in(x), p.w, in(w),
                                   p.conv, p.algo, workspace, p.workspace,
                                   &beta, p.y, out(y));
  if (st != CUDNN_STATUS_SUCCESS) {
    why = std::string(p.direction == 1   ? "cudnnConvolutionBackwardData"
                      : p.direction == 2 ? "cudnnConvolutionBackwardFilter"
                                         : "cudnnConvolutionForward") +
          " failed: " + s.dnn->errorText(st);
    return false;
  }
  return true;
#else
  (void)streamIndex, (void)stream, (void)x, (void)w, (void)y;
  why = "cuDNN is not available";
  return false;
#endif
}

} // namespace dlcc::cuda
