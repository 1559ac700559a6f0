//===- NodeImporter.h - what an ONNX op handler sees ------------*- C++ -*-===//
//
// The ONNX importer is table-driven: one handler per (op type, since-version)
// in a file per op family. A handler reads its node's inputs and attributes
// through NodeImporter, builds dlcc ops and defines the node's outputs.
//
// Values computed entirely from constants and static shapes (the shape
// subgraphs that torch.onnx.export emits: Shape -> Gather -> Concat ->
// Reshape, ...) are kept as HostTensors and evaluated at import time; they
// become dlcc.constant ops only when a non-foldable op consumes them.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_IMPORTER_ONNX_NODEIMPORTER_H
#define DLCC_LIB_IMPORTER_ONNX_NODEIMPORTER_H

#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>
#include <vector>

namespace dlcc::onnx_import {

using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::RankedTensorType;
using mlir::Type;
using mlir::Value;

/// A small tensor known at import time. Integer and bool elements are held as
/// int64, float elements as double; `elementType` is the ONNX-declared type.
struct HostTensor {
  Type elementType;
  llvm::SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  bool isFloat() const { return llvm::isa<mlir::FloatType>(elementType); }
  int64_t size() const;
  double floatAt(int64_t i) const { return isFloat() ? floats[i] : (double)ints[i]; }
  int64_t intAt(int64_t i) const { return isFloat() ? (int64_t)floats[i] : ints[i]; }
  /// A tensor of the given type and shape with all elements zero.
  static HostTensor zeros(Type elementType, llvm::ArrayRef<int64_t> shape);
  /// A 1-D int64 tensor.
  static HostTensor fromInts(mlir::MLIRContext *ctx, llvm::ArrayRef<int64_t> values);
  /// Sets element i from a double (rounded/truncated as the type requires).
  void set(int64_t i, double v);
  void setInt(int64_t i, int64_t v);
  mlir::DenseElementsAttr toAttr() const;
};

/// Decodes dense little-endian bytes of an ONNX tensor of `elementType`.
HostTensor hostTensorFromBytes(Type elementType, llvm::ArrayRef<int64_t> shape,
                               const std::vector<char> &bytes);

/// Largest host tensor the importer evaluates at import time.
inline constexpr int64_t kMaxHostTensorElements = 1 << 16;

class GraphImporter;

/// A handler's view of the node it imports.
class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node, int64_t version,
               mlir::Location loc);

  const onnx::NodeProto &node;
  /// The effective since-version whose semantics apply to this node.
  const int64_t version;
  const mlir::Location loc;
  mlir::OpBuilder &builder;
  mlir::MLIRContext *context() const { return builder.getContext(); }

  // --- Inputs --------------------------------------------------------------
  size_t numInputs() const { return node.input_size(); }
  /// Whether input `i` is present (ONNX marks omitted optional inputs "").
  bool hasInput(size_t i) const;
  /// The input as an SSA value (host constants are materialised). Null when
  /// absent.
  Value input(size_t i);
  /// The input's value when it is known at import time, else null.
  const HostTensor *constantInput(size_t i);
  /// The input's tensor type (also for host constants).
  RankedTensorType inputType(size_t i);
  /// Whether every present input is a host constant.
  bool allInputsConstant();

  // --- Outputs -------------------------------------------------------------
  size_t numOutputs() const { return node.output_size(); }
  bool hasOutput(size_t i) const;
  void setOutput(size_t i, Value value);
  void setConstantOutput(size_t i, HostTensor value);

  // --- Attributes ----------------------------------------------------------
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  float getFloat(llvm::StringRef name, float defaultValue) const;
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue) const;
  llvm::SmallVector<int64_t> getInts(llvm::StringRef name) const;
  llvm::SmallVector<float> getFloats(llvm::StringRef name) const;
  /// Reads a TENSOR attribute into a HostTensor or a dlcc.constant value.
  FailureOr<HostTensor> getTensorAttr(llvm::StringRef name);

  // --- Diagnostics ---------------------------------------------------------
  /// Fails unless inputs 0..count-1 are present (the loader does not check
  /// each schema's required inputs).
  LogicalResult requireInputs(size_t count);
  /// Fails unless input `i` has a float element type; `what` names it.
  LogicalResult requireFloat(size_t i, llvm::StringRef what);
  /// Emits "node 'name' (Op-version): message" at the node and returns failure.
  LogicalResult fail(const llvm::Twine &message);

  // --- Building helpers ----------------------------------------------------
  template <typename OpTy, typename... Args> OpTy create(Args &&...args) {
    return OpTy::create(builder, loc, std::forward<Args>(args)...);
  }
  Value constant(const HostTensor &value);
  /// A splat constant of the given element type and shape.
  Value splat(Type elementType, llvm::ArrayRef<int64_t> shape, double value);
  /// A splat constant with `like`'s type.
  Value splatLike(Value like, double value);
  Value reshape(Value value, llvm::ArrayRef<int64_t> shape);
  Value convert(Value value, Type elementType);
  /// Numpy-style (right-aligned) broadcast of `value` to `shape`; fails when
  /// the shapes are incompatible.
  FailureOr<Value> broadcastTo(Value value, llvm::ArrayRef<int64_t> shape);
  /// ONNX multidirectional broadcasting of all values to their common shape.
  FailureOr<llvm::SmallVector<Value>> broadcastAll(llvm::ArrayRef<Value> values);
  /// Normalises a possibly negative axis against `rank`; fails clearly when
  /// out of range.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                   llvm::StringRef what = "axis");
  /// Reads an integer list from a constant input (e.g. Reshape's shape); fails
  /// clearly when the input is not known at import time.
  FailureOr<llvm::SmallVector<int64_t>> constantInts(size_t i, llvm::StringRef what);
  /// The value of any tensor of the graph by ONNX name (for ops such as
  /// Gradient whose attributes name tensors); null when undefined so far.
  Value valueByName(llvm::StringRef name);
  /// A (seed, counter) key for this node's random numbers: the program's RNG
  /// state (a dlcc.state_slot of kind rng, created on first use) offset by a
  /// per-node stream id. The importer returns the advanced counter as the
  /// tied next state.
  Value randomKey();
  /// Whether the graph value `name` is program state (a float initializer).
  bool isState(llvm::StringRef name);
  /// Declares a new-state result: `value` becomes a program result tied to
  /// the state slot that the graph value named `stateName` reads (e.g.
  /// BatchNorm running statistics). Fails when that value is not state.
  LogicalResult setStateUpdate(llvm::StringRef stateName, Value value);

  GraphImporter &graph;
};

/// "[2, 3]": a shape for messages.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// Prints a type, attribute or value for a message.
template <typename T> std::string printToString(const T &value) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << value;
  return s;
}

inline bool isFloatType(Type t) { return llvm::isa<mlir::FloatType>(t); }

/// The common broadcast shape of several shapes (ONNX multidirectional
/// broadcasting), or nullopt when incompatible.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes);

using HandlerFn = std::function<LogicalResult(NodeImporter &)>;

/// Handlers keyed by (domain, op type, since-version).
class HandlerTable {
public:
  /// Registers `fn` for each listed since-version of the op.
  void add(llvm::StringRef domain, llvm::StringRef opType,
           std::initializer_list<int> versions, HandlerFn fn);
  const HandlerFn *lookup(llvm::StringRef domain, llvm::StringRef opType,
                          int64_t version) const;
  /// Calls `fn(domain, opType, versions)` for every registered op.
  void forEach(llvm::function_ref<void(llvm::StringRef, llvm::StringRef,
                                       llvm::ArrayRef<int64_t>)> fn) const;

private:
  llvm::StringMap<std::map<int64_t, HandlerFn>> handlers;
};

void registerElementwiseHandlers(HandlerTable &table);
void registerShapeHandlers(HandlerTable &table);
void registerNeuralNetHandlers(HandlerTable &table);
void registerReductionHandlers(HandlerTable &table);
void registerTrainingHandlers(HandlerTable &table);

/// The effective since-version of an op at a model opset per ONNX's
/// versioning rule, or nullopt when the op does not exist at that opset.
std::optional<int64_t> effectiveVersion(llvm::StringRef domain,
                                        llvm::StringRef opType, int64_t opset);

/// The MLIR element type of an ONNX TensorProto data type, or null.
Type elementTypeFromOnnx(mlir::MLIRContext *ctx, int32_t onnxType);

} // namespace dlcc::onnx_import

#endif // DLCC_LIB_IMPORTER_ONNX_NODEIMPORTER_H
