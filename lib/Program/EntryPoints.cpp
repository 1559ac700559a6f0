//===- EntryPoints.cpp - entry points to command streams ------------------===//
//
// A planned entry point is a straight line of kernel calls between buffers:
// arguments, `memref.alloc`s placed in the arena by dlcc-plan-memory, tensor
// constants, and views of those (to_buffer / to_tensor, reshapes, contiguous
// slices). Each value is resolved to a byte range of one memory space, each
// call becomes a LaunchKernel, and each returned value is either computed
// directly into its result buffer or copied there at the end.
//
// A tied result's buffer is its state slot's own buffer (the state
// argument's, format version 2): dlcc-plan-memory marks the allocs that may
// be written there directly (`dlcc.in_place_result`); every other tied
// result is computed into an arena temporary and copied into the slot by
// the last commands, after the outputs' copies (which may read the old
// state) — see finish().
//
//===----------------------------------------------------------------------===//
#include "ProgramSupport.h"
#include "dlcc/Conversion/DlccToLinalg/DlccToLinalg.h"
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "dlcc/Codegen/SliceLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
namespace art = ::dlcc::artifact;

namespace dlcc {
namespace {

/// Where a value's bytes start.
struct Place {
  art::MemorySpace space = art::MemorySpace::Arena;
  uint32_t index = 0;
  uint64_t offset = 0;
};

/// Ops that only reinterpret their source's bytes (same start, same order).
bool isWholeView(Operation *op) {
  return isa<bufferization::ToBufferOp, bufferization::ToTensorOp,
             tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp,
             tensor::ReshapeOp, memref::CollapseShapeOp, memref::ExpandShapeOp,
             memref::CastOp, memref::ReshapeOp>(op);
}

class EntryPointExporter {
public:
  EntryPointExporter(func::FuncOp func, art::ArtifactBuilder &builder,
                     const llvm::StringMap<uint32_t> &slotIndex,
                     const llvm::StringMap<KernelTableEntry> &kernels,
                     uint64_t maxConstantBytes, ProgramReport &report)
      : func(func), builder(builder), slotIndex(slotIndex), kernels(kernels),
        maxConstantBytes(maxConstantBytes), report(report) {}

  LogicalResult run();

private:
  LogicalResult signature();
  LogicalResult chooseResultBuffers(func::ReturnOp ret);
  LogicalResult visit(Operation &op);
  LogicalResult place(Value result, Value source, uint64_t extraOffset = 0);
  LogicalResult placeSlice(Operation *op, Value result, Value source,
                           ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                           ArrayRef<int64_t> strides);
  LogicalResult addConstant(arith::ConstantOp op);
  LogicalResult launch(func::CallOp call);
  LogicalResult libraryCall(func::CallOp call, Attribute descriptor);
  LogicalResult finish(func::ReturnOp ret);
  /// Whether argument `index` is bound to a state slot that some result of
  /// this entry point updates.
  bool isUpdatedState(uint32_t index) const;
  FailureOr<art::BufferRef> bufferRef(Value value, Operation *user);
  art::ArgumentDesc describe(StringRef name, art::ArgumentKind kind,
                             ShapedType type, int32_t slot);

  func::FuncOp func;
  art::ArtifactBuilder &builder;
  const llvm::StringMap<uint32_t> &slotIndex;
  const llvm::StringMap<KernelTableEntry> &kernels;
  uint64_t maxConstantBytes;
  ProgramReport &report;
  art::EntryPointDesc desc;
  llvm::DenseMap<Value, Place> places;
  llvm::DenseMap<Operation *, uint32_t> resultAllocs; // alloc -> result index
  unsigned constantCount = 0;
};

/// The unsigned type of a signless integer type's width.
art::DType unsignedDType(art::DType d) {
  switch (d) {
  case art::DType::I8:
    return art::DType::U8;
  case art::DType::I16:
    return art::DType::U16;
  case art::DType::I32:
    return art::DType::U32;
  case art::DType::I64:
    return art::DType::U64;
  default:
    return d;
  }
}

art::ArgumentDesc EntryPointExporter::describe(StringRef name,
                                               art::ArgumentKind kind,
                                               ShapedType type, int32_t slot) {
  art::ArgumentDesc d;
  d.name = name.str();
  d.kind = kind;
  d.stateSlot = slot;
  d.dtype = *toArtifactDType(type.getElementType());
  d.shape.assign(type.getShape().begin(), type.getShape().end());
  return d;
}

LogicalResult EntryPointExporter::signature() {
  desc.name = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto shaped = dyn_cast<ShapedType>(type.getInput(i));
    if (!shaped || !byteSizeOf(shaped))
      return func.emitError("entry point argument ")
             << i << " has type " << type.getInput(i)
             << ", which the artifact cannot describe (static shapes and "
                "numeric element types only)";
    if (auto name = func.getArgAttrOfType<StringAttr>(i, mlir::dlcc::kInputAttrName)) {
      desc.arguments.push_back(
          describe(name.getValue(), art::ArgumentKind::Input, shaped, -1));
      if (func.getArgAttr(i, mlir::dlcc::kUnsignedAttrName))
        desc.arguments.back().dtype = unsignedDType(desc.arguments.back().dtype);
      // dlcc-annotate-index-bounds: the runtime checks such inputs.
      if (auto b = func.getArgAttrOfType<DictionaryAttr>(i, mlir::dlcc::kIndexBoundsAttrName)) {
        auto min = b.getAs<IntegerAttr>("min");
        auto max = b.getAs<IntegerAttr>("max");
        if (min && max && isa<IntegerType>(shaped.getElementType()) &&
            shaped.getElementType().getIntOrFloatBitWidth() > 1) {
          art::ArgumentDesc &d = desc.arguments.back();
          d.hasIndexBounds = true;
          d.indexBounds.min = min.getInt();
          d.indexBounds.max = max.getInt();
          if (auto ignore = b.getAs<IntegerAttr>("ignore")) {
            d.indexBounds.hasIgnore = true;
            d.indexBounds.ignore = ignore.getInt();
          }
          if (auto use = b.getAs<StringAttr>("use"))
            d.indexBounds.use = use.getValue().str();
        }
      }
    } else if (auto slot =
                   func.getArgAttrOfType<FlatSymbolRefAttr>(i, mlir::dlcc::kStateAttrName)) {
      auto it = slotIndex.find(slot.getValue());
      if (it == slotIndex.end())
        return func.emitError("argument ")
               << i << " refers to unknown state slot " << slot;
      desc.arguments.push_back(describe(slot.getValue(),
                                        art::ArgumentKind::State, shaped,
                                        int32_t(it->second)));
    } else {
      return func.emitError("entry point argument ")
             << i << " is neither an input nor state";
    }
    places[func.getArgument(i)] = {art::MemorySpace::Argument, i, 0};
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto shaped = dyn_cast<ShapedType>(type.getResult(i));
    if (!shaped || !byteSizeOf(shaped))
      return func.emitError("entry point result ")
             << i << " has type " << type.getResult(i)
             << ", which the artifact cannot describe";
    if (auto name = func.getResultAttrOfType<StringAttr>(i, mlir::dlcc::kOutputAttrName)) {
      desc.results.push_back(
          describe(name.getValue(), art::ArgumentKind::Output, shaped, -1));
      if (func.getResultAttr(i, mlir::dlcc::kUnsignedAttrName))
        desc.results.back().dtype = unsignedDType(desc.results.back().dtype);
    } else if (auto slot = func.getResultAttrOfType<FlatSymbolRefAttr>(
                   i, mlir::dlcc::kTiedStateAttrName)) {
      auto it = slotIndex.find(slot.getValue());
      if (it == slotIndex.end())
        return func.emitError("result ")
               << i << " is tied to unknown state slot " << slot;
      desc.results.push_back(describe(slot.getValue(),
                                      art::ArgumentKind::TiedState, shaped,
                                      int32_t(it->second)));
    } else {
      return func.emitError("entry point result ")
             << i << " is neither an output nor tied state";
    }
  }
  return success();
}

/// An output computed into a buffer of its own (an alloc reached through
/// whole views only, returned once) is placed in the result buffer; every
/// other returned value is copied there at the end. (Tied results are
/// placed by dlcc-plan-memory's `dlcc.in_place_result`.)
LogicalResult EntryPointExporter::chooseResultBuffers(func::ReturnOp ret) {
  llvm::DenseMap<Operation *, unsigned> returnCount;
  SmallVector<Operation *> roots(ret.getNumOperands(), nullptr);
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value cur = v;
    while (Operation *def = cur.getDefiningOp()) {
      if (isa<memref::AllocOp>(def)) {
        roots[i] = def;
        ++returnCount[def];
        break;
      }
      if (!isWholeView(def))
        break;
      cur = def->getOperand(0);
    }
  }
  for (auto [i, root] : llvm::enumerate(roots))
    if (root && returnCount[root] == 1 &&
        desc.results[i].kind == art::ArgumentKind::Output)
      resultAllocs[root] = uint32_t(i);
  return success();
}

LogicalResult EntryPointExporter::place(Value result, Value source,
                                        uint64_t extraOffset) {
  auto it = places.find(source);
  if (it == places.end())
    return emitError(result.getLoc(), "entry point value has no buffer");
  Place p = it->second;
  p.offset += extraOffset;
  places[result] = p;
  return success();
}

/// A contiguous slice is a view at a byte offset into its source; other
/// slices became kernels in dlcc-form-dispatches (SliceLayout.h).
LogicalResult EntryPointExporter::placeSlice(Operation *op, Value result,
                                             Value source,
                                             ArrayRef<int64_t> offsets,
                                             ArrayRef<int64_t> sizes,
                                             ArrayRef<int64_t> strides) {
  auto type = cast<ShapedType>(source.getType());
  std::optional<uint64_t> elem =
      byteSizeOf(RankedTensorType::get({}, type.getElementType()));
  std::optional<int64_t> offset = mlir::dlcc::contiguousSliceElementOffset(
      type.getShape(), offsets, sizes, strides);
  if (!elem || !offset)
    return op->emitError("a strided slice between kernels is not supported "
                         "(only contiguous slices are views)");
  return place(result, source, uint64_t(*offset) * *elem);
}

LogicalResult EntryPointExporter::addConstant(arith::ConstantOp op) {
  auto type = dyn_cast<ShapedType>(op.getType());
  auto value = dyn_cast<ElementsAttr>(op.getValue());
  if (!type || !value)
    return op.emitError("tensor constant of type ")
           << op.getType() << " cannot be stored in the artifact";
  std::string name =
      (desc.name + ".constant" + llvm::Twine(constantCount++)).str();
  FailureOr<uint32_t> slot =
      addValueSlot(op, builder, name, art::StateSlotKind::Constant, type,
                   value, maxConstantBytes, report);
  if (failed(slot))
    return failure();
  uint32_t index = desc.arguments.size();
  desc.arguments.push_back(
      describe(name, art::ArgumentKind::State, type, int32_t(*slot)));
  places[op.getResult()] = {art::MemorySpace::Argument, index, 0};
  return success();
}

FailureOr<art::BufferRef> EntryPointExporter::bufferRef(Value value,
                                                        Operation *user) {
  auto it = places.find(value);
  auto type = dyn_cast<ShapedType>(value.getType());
  std::optional<uint64_t> size = type ? byteSizeOf(type) : std::nullopt;
  if (it == places.end() || !size)
    return user->emitError("operand has no buffer in the entry point");
  return art::BufferRef{it->second.space, it->second.index, it->second.offset,
                        *size};
}

/// The artifact's row-major GEMM descriptor; `types` are the element types
/// of A, B and C.
art::GemmDesc gemmDescriptor(mlir::dlcc::GemmCallAttr d,
                             ArrayRef<art::DType> types) {
  art::GemmDesc g;
  g.transA = d.getTransA();
  g.transB = d.getTransB();
  g.m = d.getM();
  g.n = d.getN();
  g.k = d.getK();
  g.batch = d.getBatch();
  g.lda = d.getLda();
  g.ldb = d.getLdb();
  g.ldc = d.getLdc();
  g.strideA = d.getStrideA();
  g.strideB = d.getStrideB();
  g.strideC = d.getStrideC();
  g.alpha = 1.0;
  g.beta = 0.0;
  g.aType = types[0];
  g.bType = types[1];
  g.cType = types[2];
  g.computeType = *toArtifactDType(d.getComputeType());
  return g;
}

/// The artifact's convolution descriptor (the forward convolution's
/// shapes); `types` are the element types of the operands.
art::ConvDesc convDescriptor(mlir::dlcc::ConvCallAttr d,
                             ArrayRef<art::DType> types) {
  auto array = [](DenseI64ArrayAttr a) {
    return std::vector<int64_t>(a.asArrayRef().begin(), a.asArrayRef().end());
  };
  art::ConvDesc c;
  c.inputShape = array(d.getInputShape());
  c.filterShape = array(d.getFilterShape());
  c.outputShape = array(d.getOutputShape());
  c.strides = array(d.getStrides());
  c.pads = array(d.getPads());
  c.dilations = array(d.getDilations());
  c.groups = d.getGroups();
  c.dtype = types[0];
  c.computeType = art::DType::F32;
  return c;
}

/// A kernel marked by dlcc-select-library-calls becomes a LibraryCall with
/// the mark's descriptor; its operands are the call's buffers that the
/// descriptor names (kernel argument numbers), in the artifact's order:
/// A, B, C for a gemm; X, W, Y for a forward convolution, dY, W, dX for its
/// data gradient, X, dY, dW for its filter gradient.
LogicalResult EntryPointExporter::libraryCall(func::CallOp call,
                                              Attribute descriptor) {
  art::LibraryCall lc;
  SmallVector<int64_t, 3> operands;
  auto gemm = dyn_cast<mlir::dlcc::GemmCallAttr>(descriptor);
  auto conv = dyn_cast<mlir::dlcc::ConvCallAttr>(descriptor);
  if (gemm) {
    lc.kind = art::LibraryCallKind::Gemm;
    operands = {gemm.getA(), gemm.getB(), gemm.getC()};
  } else if (conv) {
    switch (conv.getKind()) {
    case mlir::dlcc::ConvCallKind::forward:
      lc.kind = art::LibraryCallKind::ConvForward;
      operands = {conv.getX(), conv.getW(), conv.getY()};
      break;
    case mlir::dlcc::ConvCallKind::backward_data:
      lc.kind = art::LibraryCallKind::ConvBackwardData;
      operands = {conv.getY(), conv.getW(), conv.getX()};
      break;
    case mlir::dlcc::ConvCallKind::backward_filter:
      lc.kind = art::LibraryCallKind::ConvBackwardFilter;
      operands = {conv.getX(), conv.getY(), conv.getW()};
      break;
    }
  } else {
    return call.emitError("unknown library call ") << descriptor;
  }
  SmallVector<art::DType, 3> types;
  for (int64_t index : operands) {
    if (index >= int64_t(call.getNumOperands()))
      return call.emitError("library call operand ")
             << index << " out of range in " << descriptor;
    Value value = call.getOperand(index);
    FailureOr<art::BufferRef> ref = bufferRef(value, call);
    if (failed(ref))
      return failure();
    lc.operands.push_back(*ref);
    types.push_back(*toArtifactDType(
        cast<ShapedType>(value.getType()).getElementType()));
  }
  if (gemm)
    lc.descriptor = gemmDescriptor(gemm, types);
  else
    lc.descriptor = convDescriptor(conv, types);
  desc.commands.push_back(std::move(lc));
  ++report.libraryCalls;
  return success();
}

LogicalResult EntryPointExporter::launch(func::CallOp call) {
  if (auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr())) {
    if (callee->hasAttr(kNoWorkAttr))
      return success(); // only empty results: nothing to run
    if (Attribute d = callee->getAttr(kLibraryCallAttr))
      return libraryCall(call, d);
  }
  auto it = kernels.find(call.getCallee());
  if (it == kernels.end())
    return call.emitError("call of @")
           << call.getCallee() << ", which is not a compiled kernel";
  const KernelTableEntry &kernel = it->second;
  if (call.getNumResults() != 0)
    return call.emitError("kernel calls must have no results after "
                          "bufferization");
  if (kernel.grid < 1)
    return success(); // an empty iteration space: nothing to run
  art::LaunchKernel l;
  l.kernel = kernel.index;
  l.grid.x = uint32_t(kernel.grid);
  l.block.x = uint32_t(kernel.block);
  for (Value operand : call.getOperands()) {
    FailureOr<art::BufferRef> ref = bufferRef(operand, call);
    if (failed(ref))
      return failure();
    art::KernelArg arg;
    arg.buffer = *ref;
    l.args.push_back(arg);
  }
  desc.commands.push_back(std::move(l));
  ++report.launches;
  return success();
}

LogicalResult EntryPointExporter::visit(Operation &op) {
  if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
    if (auto tied = op.getAttrOfType<IntegerAttr>(kInPlaceResultAttr)) {
      int64_t r = tied.getInt();
      if (r < 0 || r >= int64_t(desc.results.size()) ||
          desc.results[r].kind != art::ArgumentKind::TiedState)
        return op.emitError("dlcc.in_place_result ")
               << r << " is not a tied result of the entry point";
      places[alloc.getResult()] = {art::MemorySpace::Result, uint32_t(r), 0};
      return success();
    }
    auto r = resultAllocs.find(&op);
    if (r != resultAllocs.end()) {
      places[alloc.getResult()] = {art::MemorySpace::Result, r->second, 0};
      return success();
    }
    auto offset = op.getAttrOfType<IntegerAttr>(kArenaOffsetAttr);
    if (!offset)
      return op.emitError("buffer without an arena offset (run "
                          "dlcc-plan-memory first)");
    places[alloc.getResult()] = {art::MemorySpace::Arena, 0,
                                 uint64_t(offset.getInt())};
    return success();
  }
  if (isWholeView(&op))
    return place(op.getResult(0), op.getOperand(0));
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return placeSlice(&op, slice.getResult(), slice.getSource(),
                      slice.getStaticOffsets(), slice.getStaticSizes(),
                      slice.getStaticStrides());
  if (auto subview = dyn_cast<memref::SubViewOp>(op))
    return placeSlice(&op, subview.getResult(), subview.getSource(),
                      subview.getStaticOffsets(), subview.getStaticSizes(),
                      subview.getStaticStrides());
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (isa<ShapedType>(constant.getType()))
      return addConstant(constant);
    return success(); // scalars are used by views' shapes only
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    FailureOr<art::BufferRef> src = bufferRef(copy.getSource(), &op);
    FailureOr<art::BufferRef> dst = bufferRef(copy.getTarget(), &op);
    if (failed(src) || failed(dst))
      return failure();
    desc.commands.push_back(art::Copy{*src, *dst, 0});
    ++report.copies;
    return success();
  }
  if (auto call = dyn_cast<func::CallOp>(op))
    return launch(call);
  if (auto ret = dyn_cast<func::ReturnOp>(op))
    return finish(ret);
  if (isa<memref::DeallocOp>(op))
    return success();
  if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
    // An empty tensor holds no bytes; anything larger would be returned
    // uninitialised, which no lowering produces.
    if (empty.getType().hasStaticShape() && empty.getType().getNumElements() == 0) {
      places[empty.getResult()] = {art::MemorySpace::Arena, 0, 0};
      return success();
    }
    return op.emitError("an uninitialised tensor reaches the entry point");
  }
  return op.emitError("'")
         << op.getName() << "' in an entry point is not supported by the "
                            "artifact exporter";
}

bool EntryPointExporter::isUpdatedState(uint32_t index) const {
  const art::ArgumentDesc &a = desc.arguments[index];
  if (a.kind != art::ArgumentKind::State)
    return false;
  return llvm::any_of(desc.results, [&](const art::ArgumentDesc &r) {
    return r.kind == art::ArgumentKind::TiedState &&
           r.stateSlot == a.stateSlot;
  });
}

/// The copies into the result buffers, in an order that reads every old
/// state value before it is overwritten: a tied result's buffer is its
/// slot's buffer, shared with the state argument. First the outputs (which
/// may read old state); then every old state value that becomes another
/// slot's next value is staged into the arena (two slots may swap values);
/// then the tied results' copies into their slots. A tied result written in
/// place needs no copy, nor one that is its own state argument (unchanged).
LogicalResult EntryPointExporter::finish(func::ReturnOp ret) {
  SmallVector<art::Copy> outputs, staged, tied;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    FailureOr<art::BufferRef> src = bufferRef(v, ret);
    if (failed(src))
      return failure();
    if (src->space == art::MemorySpace::Result && src->index == i &&
        src->offset == 0)
      continue;
    const art::ArgumentDesc &result = desc.results[i];
    art::BufferRef dst{art::MemorySpace::Result, uint32_t(i), 0, src->size};
    if (result.kind != art::ArgumentKind::TiedState) {
      outputs.push_back(art::Copy{*src, dst, 0});
      continue;
    }
    if (src->space == art::MemorySpace::Argument &&
        desc.arguments[src->index].kind == art::ArgumentKind::State) {
      if (desc.arguments[src->index].stateSlot == result.stateSlot &&
          src->offset == 0)
        continue; // the state passes through unchanged
      if (isUpdatedState(src->index)) {
        uint64_t at = llvm::alignTo(desc.arenaBytes, 256);
        desc.arenaBytes = at + src->size;
        art::BufferRef stage{art::MemorySpace::Arena, 0, at, src->size};
        staged.push_back(art::Copy{*src, stage, 0});
        tied.push_back(art::Copy{stage, dst, 0});
        continue;
      }
    }
    tied.push_back(art::Copy{*src, dst, 0});
  }
  for (ArrayRef<art::Copy> list : {ArrayRef(outputs), ArrayRef(staged),
                                   ArrayRef(tied)})
    for (const art::Copy &copy : list) {
      if (copy.src.size != 0)
        desc.commands.push_back(copy);
      ++report.copies;
    }
  return success();
}

LogicalResult EntryPointExporter::run() {
  if (!func.getBody().hasOneBlock())
    return func.emitError("entry points must be one block");
  if (failed(signature()))
    return failure();
  Block &body = func.getBody().front();
  if (failed(chooseResultBuffers(cast<func::ReturnOp>(body.getTerminator()))))
    return failure();
  // The memory plan's arena; finish() may append staging space to it.
  EntryPointReport entry{desc.name};
  reportPlannedMemory(func, entry, report);
  desc.arenaBytes = entry.arenaBytes;
  uint64_t launches = report.launches, libraryCalls = report.libraryCalls;
  for (Operation &op : body)
    if (failed(visit(op)))
      return failure();
  report.arenaBytes = std::max(report.arenaBytes, desc.arenaBytes);
  entry.arenaBytes = desc.arenaBytes;
  entry.launches = report.launches - launches;
  entry.libraryCalls = report.libraryCalls - libraryCalls;
  report.entryPoints.push_back(std::move(entry));
  builder.addEntryPoint(std::move(desc));
  return success();
}

} // namespace

bool isAllZeroBytes(ElementsAttr attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    return blob && llvm::all_of(blob->getData(),
                                [](char c) { return c == 0; });
  }
  auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr);
  return dense && dense.isSplat() &&
         llvm::all_of(dense.getRawData(), [](char c) { return c == 0; });
}

LogicalResult exportEntryPoints(ModuleOp module, art::ArtifactBuilder &builder,
                                const llvm::StringMap<uint32_t> &slotIndex,
                                const llvm::StringMap<KernelTableEntry> &kernels,
                                uint64_t maxConstantBytes,
                                ProgramReport &report) {
  unsigned count = 0;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isDeclaration() || !func.isPublic() || func->hasAttr(kKernelAttr))
      continue;
    EntryPointExporter exporter(func, builder, slotIndex, kernels,
                                maxConstantBytes, report);
    if (failed(exporter.run()))
      return failure();
    ++count;
  }
  if (count == 0)
    return emitError(module.getLoc(), "the program has no entry point");
  return success();
}

} // namespace dlcc
