//===- ArtifactWriter.h - Writing train.bin ---------------------*- C++ -*-===//
//
// ArtifactBuilder collects what a training program consists of (state slots
// with their initial values, kernel images, kernels, entry points with their
// command streams, the ONNX graph) and writes the train.bin container
// described in docs/artifact-format.md.
//
// This header uses only the standard library: it does not expose FlatBuffers
// or MLIR, and the library (DlccArtifactWriter) links neither MLIR nor LLVM.
// Nothing here throws to report errors: serialize() and write() return an
// empty result / false and an error message. (Allocation failure is not
// caught.)
//
// Typical use:
//   ArtifactBuilder b;
//   b.setProducer("dlcc 0.1");
//   uint32_t w = b.addStateSlot("fc1.weight", StateSlotKind::Parameter,
//                               DType::F32, {8, 4}, std::move(bytes));
//   uint32_t img = b.addKernelImage("sm_80", cubin);
//   b.addKernel({"k0", {{"x", ParameterKind::Buffer, DType::F32}},
//                {{img, "k0", 32, 0, 256}}});
//   b.addEntryPoint(ep);
//   std::string error;
//   if (!b.write("train.bin", &error)) ...
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_ARTIFACT_ARTIFACTWRITER_H
#define DLCC_TARGET_ARTIFACT_ARTIFACTWRITER_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace dlcc::artifact {

/// The container format version this writer produces. 2: zero-initialised
/// state slots (StateSlot.initial_value) and tied results bound to their
/// slot's own buffer (state updated in place).
inline constexpr uint32_t kArtifactFormatVersion = 3;

/// Values equal the schema's (schema/train_bin.fbs); see there for meanings.
enum class DType : uint8_t {
  F16 = 1,
  BF16,
  F32,
  F64,
  F8E4M3FN,
  F8E5M2,
  I1,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
};
/// Bytes per element; 0 for values outside the enum.
uint64_t dtypeSize(DType dtype);

enum class StateSlotKind : uint8_t {
  Parameter = 0,
  BatchNormStatistic,
  Optimizer,
  Rng,
  Constant, // read-only program constant: never tied, never updated
};

enum class ArgumentKind : uint8_t { Input = 0, State, Output, TiedState };

enum FeatureFlag : uint64_t {
  HasCudaKernels = 1u << 0,
  HasCpuKernels = 1u << 1,
  UsesCudnn = 1u << 2,
  UsesCublas = 1u << 3,
  UsesNccl = 1u << 4,
};

/// An entry point's argument or result.
/// The values an integer input used as indices may hold: [min, max), plus
/// `ignore` when `hasIgnore`.
struct IndexBounds {
  int64_t min = 0, max = 0;
  bool hasIgnore = false;
  int64_t ignore = 0;
  std::string use; // e.g. "Gather at ONNX node '/emb/Gather'"
};

struct ArgumentDesc {
  std::string name;
  ArgumentKind kind = ArgumentKind::Input;
  int32_t stateSlot = -1; // State / TiedState: index returned by addStateSlot
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  bool hasIndexBounds = false; // Input arguments of integer dtypes only
  IndexBounds indexBounds;
};

enum class MemorySpace : uint8_t { Arena = 0, Argument, Result };

/// A byte range [offset, offset + size) in the arena (index 0) or in the
/// buffer bound to argument / result `index`.
struct BufferRef {
  MemorySpace space = MemorySpace::Arena;
  uint32_t index = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
};

enum class ParameterKind : uint8_t { Buffer = 0, Scalar };

struct KernelParam {
  std::string name;
  ParameterKind kind = ParameterKind::Buffer;
  DType dtype = DType::F32;
};

/// One launch argument: `buffer` for buffer parameters, `scalarBits` (the
/// value's bits, zero-extended) for scalar parameters.
struct KernelArg {
  BufferRef buffer;
  uint64_t scalarBits = 0;
};

struct LaunchKernel {
  uint32_t kernel = 0; // index returned by addKernel
  std::vector<KernelArg> args;
  Dim3 grid, block;
  uint32_t sharedMemBytes = 0;
  uint32_t stream = 0;
};

enum class LibraryCallKind : uint8_t {
  Gemm = 0,
  ConvForward,
  ConvBackwardData,
  ConvBackwardFilter,
  AllReduce,
  AllGather,
  ReduceScatter,
  Broadcast,
};

struct GemmDesc {
  bool transA = false, transB = false;
  int64_t m = 0, n = 0, k = 0, batch = 1;
  int64_t lda = 0, ldb = 0, ldc = 0;
  int64_t strideA = 0, strideB = 0, strideC = 0;
  double alpha = 1.0, beta = 0.0;
  DType aType = DType::F32, bType = DType::F32, cType = DType::F32,
        computeType = DType::F32;
};

struct ConvDesc {
  std::vector<int64_t> inputShape, filterShape, outputShape;
  std::vector<int64_t> strides, pads, dilations;
  int64_t groups = 1;
  DType dtype = DType::F32, computeType = DType::F32;
};

enum class ReduceOp : uint8_t { Sum = 0, Mean, Max, Min, Prod };

struct CollectiveDesc {
  ReduceOp op = ReduceOp::Sum;
  DType dtype = DType::F32;
  uint64_t count = 0;
  uint32_t communicator = 0;
};

struct LibraryCall {
  LibraryCallKind kind = LibraryCallKind::Gemm;
  std::variant<GemmDesc, ConvDesc, CollectiveDesc> descriptor;
  std::vector<BufferRef> operands;
  bool hasWorkspace = false;
  BufferRef workspace;
  uint32_t stream = 0;
};

struct Copy {
  BufferRef src, dst; // src.size == dst.size bytes are copied
  uint32_t stream = 0;
};

struct Memset {
  BufferRef dst;
  uint8_t value = 0;
  uint32_t stream = 0;
};

struct RecordEvent {
  uint32_t event = 0, stream = 0;
};

struct WaitEvent {
  uint32_t event = 0, stream = 0;
};

using Command = std::variant<LaunchKernel, LibraryCall, Copy, Memset,
                             RecordEvent, WaitEvent>;

struct EntryPointDesc {
  std::string name;
  std::vector<ArgumentDesc> arguments; // kinds Input / State
  std::vector<ArgumentDesc> results;   // kinds Output / TiedState
  std::vector<Command> commands;
  uint64_t arenaBytes = 0;
  uint32_t streamCount = 1;
  uint32_t eventCount = 0;
};

/// A kernel's symbol in one image, with the resources it was compiled for.
struct KernelVariant {
  uint32_t image = 0; // index returned by addKernelImage
  std::string symbol;
  uint32_t registers = 0;
  uint32_t sharedMemBytes = 0;
  uint32_t maxThreadsPerBlock = 0;
};

struct KernelDesc {
  std::string name;
  std::vector<KernelParam> params;
  std::vector<KernelVariant> variants;
  /// The grid the kernel's code was compiled for: every launch must use it.
  Dim3 grid;
};

class ArtifactBuilder {
public:
  ArtifactBuilder();
  ~ArtifactBuilder();
  ArtifactBuilder(const ArtifactBuilder &) = delete;
  ArtifactBuilder &operator=(const ArtifactBuilder &) = delete;

  void setProducer(std::string producer);
  /// FeatureFlag bits.
  void setFeatureFlags(uint64_t flags);
  void setCpuBaseline(std::string baseline);

  /// Adds a state slot whose initial value is `bytes` (little-endian,
  /// row-major, dtype size * product(shape) bytes; checked when serializing).
  /// Returns the slot's index.
  uint32_t addStateSlot(std::string name, StateSlotKind kind, DType dtype,
                        std::vector<int64_t> shape, std::vector<uint8_t> bytes);
  /// Same, but the builder only keeps a pointer: `data` must stay alive and
  /// unchanged until the last serialize()/write() (for large weights owned
  /// elsewhere, e.g. by an MLIR resource blob).
  uint32_t addStateSlotBorrowed(std::string name, StateSlotKind kind,
                                DType dtype, std::vector<int64_t> shape,
                                const void *data, size_t size);
  /// Adds a zero-initialised state slot: its initial value is all zeros and
  /// no bytes are stored in the artifact (optimizer moments, RNG counters).
  uint32_t addZeroStateSlot(std::string name, StateSlotKind kind, DType dtype,
                            std::vector<int64_t> shape);
  /// Adds a state slot whose every element is `element` (one element's
  /// little-endian bytes): only those bytes are stored, the runtime fills
  /// the slot (a large splat constant never becomes its full size in the
  /// artifact).
  uint32_t addSplatStateSlot(std::string name, StateSlotKind kind, DType dtype,
                             std::vector<int64_t> shape,
                             std::vector<uint8_t> element);

  /// Adds a code object for `target` ("sm_80", "sm_90", "ptx",
  /// "x86_64-cpu"); returns its index for KernelVariant::image.
  uint32_t addKernelImage(std::string target, std::vector<uint8_t> bytes);
  /// Returns the kernel's index for LaunchKernel::kernel.
  uint32_t addKernel(KernelDesc kernel);
  /// Returns the entry point's index.
  uint32_t addEntryPoint(EntryPointDesc entryPoint);
  /// The original ONNX ModelProto without weights (serialized protobuf).
  void setOnnxGraph(std::vector<uint8_t> bytes);

  /// The complete artifact, or an empty vector with `*error` set when the
  /// contents are inconsistent (names, sizes, indices).
  std::vector<uint8_t> serialize(std::string *error = nullptr) const;

  /// Writes the artifact to `path` atomically: into a temporary file in the
  /// same directory, flushed, then renamed over `path`. On any failure `path`
  /// is left as it was (an existing file is never truncated), the temporary
  /// file is removed, false is returned and `*error` says why. Initial data is
  /// streamed, not copied into one buffer.
  bool write(const std::string &path, std::string *error = nullptr) const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::artifact

#endif // DLCC_TARGET_ARTIFACT_ARTIFACTWRITER_H
