//===- NodeImporter.cpp - helpers shared by all op handlers ---------------===//
#include "NodeImporter.h"
#include "GraphImporter.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::dlcc;

namespace dlcc::onnx_import {

//===----------------------------------------------------------------------===//
// HostTensor
//===----------------------------------------------------------------------===//

int64_t HostTensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

HostTensor HostTensor::zeros(Type elementType, ArrayRef<int64_t> shape) {
  HostTensor t;
  t.elementType = elementType;
  t.shape.assign(shape.begin(), shape.end());
  if (t.isFloat())
    t.floats.assign(t.size(), 0.0);
  else
    t.ints.assign(t.size(), 0);
  return t;
}

HostTensor HostTensor::fromInts(MLIRContext *ctx, ArrayRef<int64_t> values) {
  HostTensor t;
  t.elementType = IntegerType::get(ctx, 64);
  t.shape = {(int64_t)values.size()};
  t.ints.assign(values.begin(), values.end());
  return t;
}

void HostTensor::set(int64_t i, double v) {
  if (isFloat()) {
    floats[i] = v;
    return;
  }
  if (elementType.isInteger(1)) {
    ints[i] = v != 0.0;
    return;
  }
  // Float to integer truncates toward zero (ONNX Cast); NaN and out-of-range
  // values are clamped instead of invoking undefined behaviour.
  if (std::isnan(v))
    v = 0;
  v = std::trunc(v);
  if (v >= 9.2e18)
    ints[i] = INT64_MAX;
  else if (v <= -9.2e18)
    ints[i] = INT64_MIN;
  else
    setInt(i, (int64_t)v);
}

void HostTensor::setInt(int64_t i, int64_t v) {
  if (isFloat()) {
    floats[i] = (double)v;
    return;
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  if (width == 1) {
    ints[i] = v != 0;
    return;
  }
  if (width < 64) {
    // Wrap to the type's width, as the integer arithmetic of the type would.
    APInt wrapped(width, (uint64_t)v, /*isSigned=*/true, /*implicitTrunc=*/true);
    ints[i] = elementType.isUnsignedInteger() ? (int64_t)wrapped.getZExtValue()
                                              : wrapped.getSExtValue();
    return;
  }
  ints[i] = v;
}

DenseElementsAttr HostTensor::toAttr() const {
  auto type = RankedTensorType::get(shape, elementType);
  if (auto ft = llvm::dyn_cast<FloatType>(elementType)) {
    SmallVector<APFloat> values;
    values.reserve(floats.size());
    for (double v : floats) {
      APFloat f(v);
      bool lost;
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f);
    }
    return DenseElementsAttr::get(type, values);
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  values.reserve(ints.size());
  for (int64_t v : ints)
    values.push_back(APInt(width, (uint64_t)v, /*isSigned=*/true,
                           /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

HostTensor hostTensorFromBytes(Type elementType, ArrayRef<int64_t> shape,
                               const std::vector<char> &bytes) {
  HostTensor t = HostTensor::zeros(elementType, shape);
  unsigned width = elementType.getIntOrFloatBitWidth();
  unsigned size = width == 1 ? 1 : width / 8;
  for (int64_t i = 0; i < t.size(); ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, bytes.data() + i * size, size);
    if (auto ft = llvm::dyn_cast<FloatType>(elementType)) {
      APFloat f(ft.getFloatSemantics(), APInt(width, raw));
      t.floats[i] = f.convertToDouble();
      continue;
    }
    int64_t v = (int64_t)raw;
    if (!elementType.isUnsignedInteger() && size < 8 && width > 1) {
      unsigned shift = 64 - size * 8;
      v = (int64_t)(raw << shift) >> shift;
    }
    t.setInt(i, v);
  }
  return t;
}

//===----------------------------------------------------------------------===//
// Versions, types, broadcasting
//===----------------------------------------------------------------------===//

namespace {
struct OpVersions {
  const char *domain;
  const char *opType;
  std::initializer_list<int> versions;
};
const OpVersions kOpVersions[] = {
#include "OnnxOpVersions.inc"
};
} // namespace

std::optional<int64_t> effectiveVersion(StringRef domain, StringRef opType,
                                        int64_t opset) {
  for (const OpVersions &op : kOpVersions) {
    if (domain != op.domain || opType != op.opType)
      continue;
    std::optional<int64_t> best;
    for (int v : op.versions)
      if (v <= opset)
        best = v;
    return best;
  }
  return std::nullopt;
}

Type elementTypeFromOnnx(MLIRContext *ctx, int32_t onnxType) {
  Builder b(ctx);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT: return b.getF32Type();
  case onnx::TensorProto::DOUBLE: return b.getF64Type();
  case onnx::TensorProto::FLOAT16: return b.getF16Type();
  case onnx::TensorProto::BFLOAT16: return b.getBF16Type();
  case onnx::TensorProto::BOOL: return b.getI1Type();
  case onnx::TensorProto::INT8: return b.getIntegerType(8);
  case onnx::TensorProto::INT16: return b.getIntegerType(16);
  case onnx::TensorProto::INT32: return b.getIntegerType(32);
  case onnx::TensorProto::INT64: return b.getIntegerType(64);
  case onnx::TensorProto::UINT8: return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16: return b.getIntegerType(16, false);
  case onnx::TensorProto::UINT32: return b.getIntegerType(32, false);
  case onnx::TensorProto::UINT64: return b.getIntegerType(64, false);
  default: return {};
  }
}

std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    size_t offset = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t &r = result[offset + i];
      if (s[i] == r || s[i] == 1)
        continue;
      if (r != 1)
        return std::nullopt;
      r = s[i];
    }
  }
  return result;
}

void HandlerTable::add(StringRef domain, StringRef opType,
                       std::initializer_list<int> versions, HandlerFn fn) {
  auto &byVersion = handlers[(domain + "::" + opType).str()];
  for (int v : versions)
    byVersion[v] = fn;
}

const HandlerFn *HandlerTable::lookup(StringRef domain, StringRef opType,
                                      int64_t version) const {
  auto it = handlers.find((domain + "::" + opType).str());
  if (it == handlers.end())
    return nullptr;
  auto v = it->second.find(version);
  return v == it->second.end() ? nullptr : &v->second;
}

void HandlerTable::forEach(
    function_ref<void(StringRef, StringRef, ArrayRef<int64_t>)> fn) const {
  for (const auto &entry : handlers) {
    auto [domain, opType] = entry.getKey().split("::");
    SmallVector<int64_t> versions;
    for (const auto &[v, _] : entry.getValue())
      versions.push_back(v);
    fn(domain, opType, versions);
  }
}

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
                           int64_t version, Location loc)
    : node(node), version(version), loc(loc), builder(graph.builder),
      graph(graph) {}

bool NodeImporter::hasInput(size_t i) const {
  return i < (size_t)node.input_size() && !node.input(i).empty();
}

Value NodeImporter::input(size_t i) {
  if (!hasInput(i))
    return {};
  GraphImporter::Entry *e = graph.lookup(node.input(i));
  return e ? graph.materialize(*e, loc) : Value();
}

const HostTensor *NodeImporter::constantInput(size_t i) {
  if (!hasInput(i))
    return nullptr;
  GraphImporter::Entry *e = graph.lookup(node.input(i));
  return e && e->host ? &*e->host : nullptr;
}

RankedTensorType NodeImporter::inputType(size_t i) {
  if (!hasInput(i))
    return {};
  GraphImporter::Entry *e = graph.lookup(node.input(i));
  if (!e)
    return {};
  if (e->value)
    return llvm::cast<RankedTensorType>(e->value.getType());
  return RankedTensorType::get(e->host->shape, e->host->elementType);
}

bool NodeImporter::allInputsConstant() {
  for (size_t i = 0; i < numInputs(); ++i)
    if (hasInput(i) && !constantInput(i))
      return false;
  return true;
}

bool NodeImporter::hasOutput(size_t i) const {
  return i < (size_t)node.output_size() && !node.output(i).empty();
}

void NodeImporter::setOutput(size_t i, Value value) {
  if (hasOutput(i))
    graph.define(node.output(i), GraphImporter::Entry{value, std::nullopt, {}});
}

void NodeImporter::setConstantOutput(size_t i, HostTensor value) {
  if (hasOutput(i))
    graph.define(node.output(i), GraphImporter::Entry{{}, std::move(value), {}});
}

const onnx::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : defaultValue;
}

float NodeImporter::getFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : defaultValue;
}

std::string NodeImporter::getString(StringRef name, StringRef defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> NodeImporter::getInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

SmallVector<float> NodeImporter::getFloats(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  return SmallVector<float>(a->floats().begin(), a->floats().end());
}

FailureOr<HostTensor> NodeImporter::getTensorAttr(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a || !a->has_t())
    return fail(Twine("missing tensor attribute '") + name + "'");
  const onnx::TensorProto &t = a->t();
  Type elementType = elementTypeFromOnnx(context(), t.data_type());
  if (!elementType)
    return fail(Twine("tensor attribute '") + name +
                "' has an unsupported element type");
  std::vector<char> bytes;
  std::string error;
  if (!readTensorData(t, graph.model, bytes, error))
    return fail(error);
  return hostTensorFromBytes(elementType,
                             SmallVector<int64_t>(t.dims().begin(), t.dims().end()),
                             bytes);
}

LogicalResult NodeImporter::requireInputs(size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (!hasInput(i))
      return fail("needs at least " + Twine(count) + " inputs; input " + Twine(i) +
                  " is missing");
  return success();
}

LogicalResult NodeImporter::requireFloat(size_t i, StringRef what) {
  if (!isFloatType(inputType(i).getElementType()))
    return fail(what + " must be a float tensor, got element type " +
                printToString(inputType(i).getElementType()));
  return success();
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

LogicalResult NodeImporter::fail(const Twine &message) {
  std::string who = node.name().empty()
                        ? "producing '" + (node.output_size() ? node.output(0) : "") + "'"
                        : "'" + node.name() + "'";
  return emitError(loc) << "node " << who << " (" << node.op_type() << "-"
                        << version << "): " << message;
}

Value NodeImporter::constant(const HostTensor &value) {
  return create<ConstantOp>(value.toAttr());
}

Value NodeImporter::splat(Type elementType, ArrayRef<int64_t> shape, double value) {
  HostTensor t;
  t.elementType = elementType;
  if (t.isFloat())
    t.floats = {0.0};
  else
    t.ints = {0};
  t.set(0, value);
  auto attr = t.toAttr();
  return create<ConstantOp>(
      DenseElementsAttr::get(RankedTensorType::get(shape, elementType),
                             attr.getSplatValue<Attribute>()));
}

Value NodeImporter::splatLike(Value like, double value) {
  auto type = llvm::cast<RankedTensorType>(like.getType());
  return splat(type.getElementType(), type.getShape(), value);
}

Value NodeImporter::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return create<ReshapeOp>(type.clone(shape), value);
}

Value NodeImporter::convert(Value value, Type elementType) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return create<ConvertOp>(type.clone(elementType), value);
}

FailureOr<Value> NodeImporter::broadcastTo(Value value, ArrayRef<int64_t> shape) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  int64_t offset = (int64_t)shape.size() - type.getRank();
  if (offset < 0)
    return fail("cannot broadcast a tensor of rank " + Twine(type.getRank()) +
                " to rank " + Twine(shape.size()));
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    int64_t d = type.getDimSize(i);
    if (d != 1 && d != shape[offset + i]) {
      std::string s;
      llvm::raw_string_ostream os(s);
      os << "cannot broadcast " << type << " to shape [";
      llvm::interleaveComma(shape, os);
      os << "]";
      return fail(s);
    }
    dims.push_back(offset + i);
  }
  return Value(create<BroadcastInDimOp>(type.clone(shape), value, dims));
}

FailureOr<SmallVector<Value>> NodeImporter::broadcastAll(ArrayRef<Value> values) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : values)
    shapes.push_back(llvm::cast<RankedTensorType>(v.getType()).getShape());
  auto shape = broadcastShapes(shapes);
  if (!shape) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "input shapes are not broadcast-compatible:";
    for (Value v : values)
      os << " " << v.getType();
    return fail(s);
  }
  SmallVector<Value> result;
  for (Value v : values) {
    auto b = broadcastTo(v, *shape);
    if (failed(b))
      return failure();
    result.push_back(*b);
  }
  return result;
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               StringRef what) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    return fail(Twine(what) + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return a;
}

FailureOr<SmallVector<int64_t>> NodeImporter::constantInts(size_t i, StringRef what) {
  const HostTensor *t = constantInput(i);
  if (!t) {
    if (!hasInput(i))
      return fail(Twine("the '") + what + "' input is missing");
    return fail(Twine("the '") + what + "' input ('" + node.input(i) +
                "') must be known at compile time; it is computed from "
                "runtime data");
  }
  SmallVector<int64_t> values;
  for (int64_t k = 0; k < t->size(); ++k)
    values.push_back(t->intAt(k));
  return values;
}

Value NodeImporter::valueByName(StringRef name) {
  GraphImporter::Entry *e = graph.lookup(name);
  return e ? graph.materialize(*e, loc) : Value();
}

Value NodeImporter::randomKey() {
  Value state = graph.rngState(loc);
  int64_t stream = graph.nextRandomStream++;
  Value offset = constant([&] {
    HostTensor t = HostTensor::fromInts(context(), {stream, 0});
    return t;
  }());
  return create<AddOp>(state, offset);
}

bool NodeImporter::isState(StringRef name) {
  GraphImporter::Entry *e = graph.lookup(name);
  return e && !e->stateSlot.empty();
}

LogicalResult NodeImporter::setStateUpdate(StringRef stateName, Value value) {
  GraphImporter::Entry *e = graph.lookup(stateName);
  if (!e || e->stateSlot.empty())
    return fail(Twine("'") + stateName +
                "' is not program state (an initializer), so its update "
                "cannot be kept");
  if (value.getType() != e->value.getType())
    return fail(Twine("the new value of '") + stateName + "' has a different type");
  graph.stateUpdates.push_back({value, e->stateSlot});
  return success();
}

} // namespace dlcc::onnx_import
