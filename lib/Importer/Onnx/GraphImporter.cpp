//===- GraphImporter.cpp - one ONNX graph to one dlcc entry point ---------===//
//
// Order of work: check that every node has a handler (reporting all
// unsupported ops at once), bind the inputs' dimensions, turn initializers
// into state (float) or constants (integer), import the nodes in topological
// order, then return the graph outputs followed by the new values of state.
//
//===----------------------------------------------------------------------===//
#include "GraphImporter.h"

#include "dlcc/Target/Support/ProgramLimits.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::dlcc;

namespace dlcc::onnx_import {

namespace {
/// Initial values up to this many elements print inline; larger ones are
/// dense_resource blobs that printed IR can elide.
constexpr int64_t kInlineElements = 8;

StringRef normalizeDomain(StringRef domain) {
  return domain == "ai.onnx" ? StringRef() : domain;
}

std::string describeNode(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return node.name();
  return node.output_size() ? "<producing " + node.output(0) + ">" : "<unnamed>";
}

} // namespace

GraphImporter::GraphImporter(MLIRContext &context, const LoadedModel &model,
                             const OnnxImportOptions &options)
    : builder(&context),
      fileLoc(FileLineColLoc::get(&context, model.path, 0, 0)), model(model),
      context(context), options(options) {
  registerElementwiseHandlers(handlers);
  registerShapeHandlers(handlers);
  registerNeuralNetHandlers(handlers);
  registerReductionHandlers(handlers);
  registerTrainingHandlers(handlers);
}

GraphImporter::Entry *GraphImporter::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

void GraphImporter::define(StringRef name, Entry entry) {
  values[name] = std::move(entry);
}

Value GraphImporter::materialize(Entry &entry, Location loc) {
  if (!entry.value && entry.host)
    entry.value = ConstantOp::create(builder, loc, entry.host->toAttr());
  return entry.value;
}

Value GraphImporter::addStateArgument(StringRef slotName, StateKind kind,
                                      RankedTensorType type, ElementsAttr initial) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(function);
  StateSlotOp::create(builder, fileLoc, kind, slotName, type, initial);
  Value arg = body->addArgument(type, fileLoc);
  argAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
      kStateAttrName, FlatSymbolRefAttr::get(&context, slotName))));
  return arg;
}

Value GraphImporter::rngState(Location loc) {
  if (!rng) {
    Builder b(&context);
    auto type = RankedTensorType::get({2}, b.getI64Type());
    rng = addStateArgument("rng", StateKind::rng, type,
                           DenseElementsAttr::get(type, ArrayRef<int64_t>{0, 0}));
  }
  return rng;
}

LogicalResult GraphImporter::checkSupport() {
  struct Unsupported {
    int64_t count = 0;
    SmallVector<std::string> examples;
  };
  llvm::MapVector<std::string, Unsupported, std::map<std::string, unsigned>>
      unsupported;
  for (const onnx::NodeProto *node : model.sortedNodes) {
    StringRef domain = normalizeDomain(node->domain());
    auto opset = model.opsets.find(domain.str());
    int64_t opsetVersion = opset == model.opsets.end() ? 0 : opset->second;
    std::optional<int64_t> version =
        effectiveVersion(domain, node->op_type(), opsetVersion);
    std::string key;
    if (!version)
      key = (domain.empty() ? "" : domain.str() + ".") + node->op_type() +
            " (not an operator of opset " + std::to_string(opsetVersion) + ")";
    else if (!handlers.lookup(domain, node->op_type(), *version))
      key = (domain.empty() ? "" : domain.str() + ".") + node->op_type() + "-" +
            std::to_string(*version);
    else
      continue;
    Unsupported &u = unsupported[key];
    if (u.count++ < 3)
      u.examples.push_back(describeNode(*node));
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = emitError(fileLoc)
                            << "the model uses " << unsupported.size()
                            << " unsupported operator version(s):";
  for (auto &[key, u] : unsupported) {
    diag << "\n  " << key << ": " << u.count << " node(s), e.g. ";
    llvm::interleaveComma(u.examples, diag);
  }
  return diag;
}

LogicalResult GraphImporter::declareInputs() {
  const onnx::GraphProto &graph = model.model.graph();
  std::set<std::string> initializerNames;
  for (const onnx::TensorProto &t : graph.initializer())
    initializerNames.insert(t.name());
  std::set<std::string> inputNames;
  for (const onnx::ValueInfoProto &in : graph.input())
    inputNames.insert(in.name());
  for (auto &[name, shape] : options.inputShapes)
    if (!inputNames.count(name) || initializerNames.count(name))
      return emitError(fileLoc) << "--input-shape names '" << name
                                << "', which is not an input of the model";
  for (auto &[name, path] : options.constantInputs)
    if (!inputNames.count(name) || initializerNames.count(name))
      return emitError(fileLoc) << "--constant-input names '" << name
                                << "', which is not an input of the model";

  std::string unresolved;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (initializerNames.count(in.name()))
      continue;
    const onnx::TypeProto::Tensor &tt = in.type().tensor_type();
    Type elementType = elementTypeFromOnnx(&context, tt.elem_type());
    if (!elementType)
      return emitError(fileLoc) << "input '" << in.name()
                                << "' has an unsupported element type ("
                                << tt.elem_type() << ")";
    SmallVector<int64_t> shape;
    auto constant = options.constantInputs.find(in.name());
    if (constant != options.constantInputs.end()) {
      if (failed(declareConstantInput(in, elementType, constant->second)))
        return failure();
      continue;
    }
    auto given = options.inputShapes.find(in.name());
    if (given != options.inputShapes.end()) {
      shape.assign(given->second.begin(), given->second.end());
      if (tt.has_shape() && tt.shape().dim_size() != (int)shape.size())
        return emitError(fileLoc)
               << "--input-shape gives " << shape.size() << " dimensions for '"
               << in.name() << "', which has rank " << tt.shape().dim_size();
      for (int i = 0; tt.has_shape() && i < tt.shape().dim_size(); ++i) {
        const auto &dim = tt.shape().dim(i);
        if (dim.has_dim_value() && dim.dim_value() != shape[i])
          return emitError(fileLoc)
                 << "--input-shape sets dimension " << i << " of '" << in.name()
                 << "' to " << shape[i] << ", but the model fixes it to "
                 << dim.dim_value();
      }
      for (int64_t d : shape)
        if (d < 0)
          return emitError(fileLoc) << "--input-shape for '" << in.name()
                                    << "' has a negative dimension";
    } else if (!tt.has_shape()) {
      unresolved += "\n  '" + in.name() + "' has unknown rank; use --input-shape " +
                    in.name() + "=d0,d1,...";
      continue;
    } else {
      std::string missing;
      for (int i = 0; i < tt.shape().dim_size(); ++i) {
        const auto &dim = tt.shape().dim(i);
        if (dim.has_dim_value()) {
          shape.push_back(dim.dim_value());
          continue;
        }
        auto param = options.dimParams.find(dim.dim_param());
        if (!dim.dim_param().empty() && param != options.dimParams.end()) {
          shape.push_back(param->second);
        } else if (i == 0 && options.batch) {
          shape.push_back(*options.batch);
        } else {
          shape.push_back(-1);
          missing += (missing.empty() ? "" : ", ") + std::to_string(i) +
                     (dim.dim_param().empty() ? "" : " ('" + dim.dim_param() + "')");
        }
      }
      if (!missing.empty()) {
        unresolved += "\n  '" + in.name() + "' dimension(s) " + missing;
        continue;
      }
    }
    auto type = RankedTensorType::get(shape, elementType);
    Value arg = body->addArgument(type, fileLoc);
    argAttrs.push_back(builder.getDictionaryAttr(
        builder.getNamedAttr(kInputAttrName, builder.getStringAttr(in.name()))));
    define(in.name(), Entry{arg, std::nullopt, {}});
  }
  if (!unresolved.empty())
    return emitError(fileLoc)
           << "dlcc compiles static shapes; bind these dynamic dimensions with "
              "--batch N, --dim NAME=N or --input-shape NAME=d0,d1,...:"
           << unresolved;
  return success();
}

LogicalResult GraphImporter::declareConstantInput(const onnx::ValueInfoProto &in,
                                                  Type elementType,
                                                  const std::string &path) {
  onnx::TensorProto tensor;
  std::vector<char> bytes;
  std::string error;
  if (!readTensorFile(path, tensor, bytes, error))
    return emitError(fileLoc) << "--constant-input " << in.name() << ": " << error;
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  const onnx::TypeProto::Tensor &tt = in.type().tensor_type();
  bool shapeOk = !tt.has_shape() || tt.shape().dim_size() == (int)shape.size();
  for (int i = 0; shapeOk && tt.has_shape() && i < tt.shape().dim_size(); ++i)
    if (tt.shape().dim(i).has_dim_value() && tt.shape().dim(i).dim_value() != shape[i])
      shapeOk = false;
  if (elementTypeFromOnnx(&context, tensor.data_type()) != elementType || !shapeOk)
    return emitError(fileLoc) << "--constant-input " << in.name() << ": the tensor in '"
                              << path << "' does not match the input's type";
  HostTensor host = hostTensorFromBytes(elementType, shape, bytes);
  // A fixed input is a constant (unlike a float initializer, which is state).
  if (host.size() <= kMaxHostTensorElements) {
    define(in.name(), Entry{{}, std::move(host), {}});
    return success();
  }
  define(in.name(), Entry{ConstantOp::create(builder, fileLoc, host.toAttr()),
                          std::nullopt, {}});
  return success();
}

/// The bytes of one element of `type` in memory (i1: one byte).
static uint64_t elementBytes(Type type) {
  if (type.isIntOrFloat())
    return std::max<uint64_t>(1, (type.getIntOrFloatBitWidth() + 7) / 8);
  return 8;
}

LogicalResult GraphImporter::declareInitializers() {
  const onnx::GraphProto &graph = model.model.graph();
  // Which names are read at all, which are BatchNorm running statistics,
  // and which are read only as an op's compile-time settings (Resize's and
  // Upsample's scales and region of interest) and read otherwise.
  std::set<std::string> used, batchNormStatistics, settings, otherwise;
  for (const onnx::NodeProto *node : model.sortedNodes) {
    bool resize =
        node->op_type() == "Resize" || node->op_type() == "Upsample";
    for (int i = 0; i < node->input_size(); ++i) {
      used.insert(node->input(i));
      (resize && i > 0 ? settings : otherwise).insert(node->input(i));
    }
    if (node->op_type() == "BatchNormalization")
      for (int i = 3; i < std::min(5, node->input_size()); ++i)
        batchNormStatistics.insert(node->input(i));
  }
  for (const onnx::ValueInfoProto &out : graph.output()) {
    used.insert(out.name());
    otherwise.insert(out.name());
  }

  for (const onnx::TensorProto &t : graph.initializer()) {
    if (!used.count(t.name()))
      continue;
    Type elementType = elementTypeFromOnnx(&context, t.data_type());
    if (!elementType)
      return emitError(fileLoc) << "initializer '" << t.name()
                                << "' has an unsupported element type";
    SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
    auto type = RankedTensorType::get(shape, elementType);
    // The budget is checked on the declared size, before anything is read
    // (an external file may be huge and sparse).
    uint64_t declared = 0;
    if (!limits::tensorByteSize(elementByteSize(t.data_type()), shape.data(),
                                shape.size(), declared))
      return emitError(fileLoc)
             << "initializer '" << t.name() << "' of type " << type
             << " is larger than dlcc's limit of "
             << (limits::kMaxTensorBytes >> 30) << " GiB per tensor";
    initializerBytes += declared;
    if (initializerBytes > options.maxConstantBytes)
      return emitError(fileLoc)
             << "the initializers need more than "
             << options.maxConstantBytes
             << " bytes, the compile-time budget (reached at '" << t.name()
             << "', " << declared
             << " bytes); raise it with --max-constant-bytes";
    std::vector<char> bytes;
    std::string error;
    if (!readTensorData(t, model, bytes, error))
      return emitError(fileLoc) << error;

    bool setting = settings.count(t.name()) && !otherwise.count(t.name());
    if (llvm::isa<FloatType>(elementType) && !setting) {
      // Float initializers are state: trainable candidates, or BatchNorm
      // running statistics. Never constants, so no fold can touch them.
      // Those only read as an op's settings (a resize factor) are
      // constants: they shape the program, and nothing could train them.
      ElementsAttr initial;
      if (type.getNumElements() <= kInlineElements) {
        initial = DenseElementsAttr::getFromRawBuffer(
            type, ArrayRef<char>(bytes.data(), bytes.size()));
      } else {
        auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign<char>(
            ArrayRef<char>(bytes.data(), bytes.size()));
        initial = DenseResourceElementsAttr::get(type, t.name(), std::move(blob));
      }
      StateKind kind = batchNormStatistics.count(t.name())
                           ? StateKind::batch_norm_statistic
                           : StateKind::parameter;
      Value arg = addStateArgument(t.name(), kind, type, initial);
      define(t.name(), Entry{arg, std::nullopt, t.name()});
      continue;
    }
    if (type.getNumElements() <= kMaxHostTensorElements || elementType.isInteger(1)) {
      define(t.name(),
             Entry{{}, hostTensorFromBytes(elementType, shape, bytes), {}});
      continue;
    }
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign<char>(
        ArrayRef<char>(bytes.data(), bytes.size()));
    auto attr = DenseResourceElementsAttr::get(type, t.name(), std::move(blob));
    Value c = ConstantOp::create(builder, fileLoc, attr);
    define(t.name(), Entry{c, std::nullopt, {}});
  }
  return success();
}

LogicalResult GraphImporter::importNodes() {
  for (const onnx::NodeProto *node : model.sortedNodes) {
    StringRef domain = normalizeDomain(node->domain());
    int64_t version =
        *effectiveVersion(domain, node->op_type(), model.opsets.at(domain.str()));
    const HandlerFn *handler = handlers.lookup(domain, node->op_type(), version);
    Location loc = FusedLoc::get(
        &context, {NameLoc::get(builder.getStringAttr(describeNode(*node)))},
        builder.getStringAttr(node->op_type()));
    NodeImporter importer(*this, *node, version, loc);
    for (int i = 0; i < node->input_size(); ++i)
      if (!node->input(i).empty() && !lookup(node->input(i)))
        return importer.fail("input '" + node->input(i) + "' is not defined");
    if (failed((*handler)(importer)))
      return failure();
    for (int i = 0; i < node->output_size(); ++i)
      if (!node->output(i).empty() && !lookup(node->output(i)))
        return importer.fail("output " + Twine(i) + " ('" + node->output(i) +
                             "') is not supported by dlcc's import of this op");
  }
  return success();
}

LogicalResult GraphImporter::finishFunction() {
  SmallVector<Value> results;
  SmallVector<DictionaryAttr> resultAttrs;
  for (const onnx::ValueInfoProto &out : model.model.graph().output()) {
    Entry *e = lookup(out.name());
    if (!e)
      return emitError(fileLoc) << "graph output '" << out.name()
                                << "' is not defined";
    results.push_back(materialize(*e, fileLoc));
    resultAttrs.push_back(builder.getDictionaryAttr(
        builder.getNamedAttr(kOutputAttrName, builder.getStringAttr(out.name()))));
  }
  if (rng) {
    Value step = ConstantOp::create(
        builder, fileLoc,
        DenseElementsAttr::get(llvm::cast<ShapedType>(rng.getType()),
                               ArrayRef<int64_t>{0, 1}));
    stateUpdates.push_back({AddOp::create(builder, fileLoc, rng, step), "rng"});
  }
  for (auto &[value, slot] : stateUpdates) {
    results.push_back(value);
    resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        kTiedStateAttrName, FlatSymbolRefAttr::get(&context, slot))));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  function.setFunctionType(
      builder.getFunctionType(body->getArgumentTypes(), TypeRange(ValueRange(results))));
  function.setAllArgAttrs(argAttrs);
  function.setAllResultAttrs(resultAttrs);
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  module = ModuleOp::create(fileLoc);
  const onnx::ModelProto &proto = model.model;
  module->getOperation()->setAttr(
      kSourceAttrName, builder.getStringAttr(llvm::sys::path::filename(model.path)));
  SmallVector<NamedAttribute> opsets;
  for (auto &[domain, version] : model.opsets)
    opsets.push_back(builder.getNamedAttr(domain.empty() ? "ai.onnx" : domain,
                                          builder.getI64IntegerAttr(version)));
  module->getOperation()->setAttr(kOpsetsAttrName, builder.getDictionaryAttr(opsets));
  if (!proto.producer_name().empty())
    module->getOperation()->setAttr(
        kProducerAttrName,
        builder.getStringAttr(proto.producer_name() + " " + proto.producer_version()));

  if (failed(checkSupport()))
    return {};
  builder.setInsertionPointToEnd(module->getBody());
  function = func::FuncOp::create(builder, fileLoc, options.entryName,
                                  builder.getFunctionType({}, {}));
  body = function.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  if (failed(declareInputs()) || failed(declareInitializers()) ||
      failed(importNodes()) || failed(finishFunction()))
    return {};
  if (failed(mlir::verify(*module)) || failed(checkTensorSizes()))
    return {};
  return std::move(module);
}

LogicalResult GraphImporter::checkTensorSizes() {
  auto check = [&](Type type, Location loc, StringRef what) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return success();
    uint64_t bytes = 0;
    if (limits::tensorByteSize(elementBytes(tensor.getElementType()),
                               tensor.getShape().data(), tensor.getRank(),
                               bytes))
      return success();
    return emitError(loc) << what << " " << tensor
                          << " is larger than dlcc's limit of "
                          << (limits::kMaxTensorBytes >> 30)
                          << " GiB per tensor";
  };
  for (BlockArgument arg : function.getArguments()) {
    unsigned i = arg.getArgNumber();
    std::string what = "argument of type";
    if (auto name = function.getArgAttrOfType<StringAttr>(i, kInputAttrName))
      what = ("input '" + name.getValue() + "' of type").str();
    if (failed(check(arg.getType(), fileLoc, what)))
      return failure();
  }
  WalkResult walk = function.walk([&](Operation *op) {
    for (Value result : op->getResults())
      if (failed(check(result.getType(), op->getLoc(), "a result of type")))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

} // namespace dlcc::onnx_import
