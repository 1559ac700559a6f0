//===- BufferizeKernels.cpp - the dlcc-bufferize-kernels pass -------------===//
//
// Bufferizes every kernel function (`dlcc.kernel`) at its function boundary
// with caller-provided outputs: `(memref inputs..., memref outputs...) -> ()`
// with no allocation left inside. The entry points keep their tensors and
// reach the kernels through to_buffer / to_tensor glue (see Passes.td).
//
// The kernels are bufferized in a scratch module nested in the input module,
// so that One-Shot Bufferize with function boundaries and
// buffer-results-to-out-params see the kernels only, never the entry points.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallBitVector.h"

#include <functional>

namespace mlir::dlcc {
#define GEN_PASS_DEF_BUFFERIZEKERNELSPASS
#include "dlcc/Codegen/Passes.h.inc"

namespace {


/// Whether `type` is a tensor the kernel ABI supports: ranked, static shape.
bool isStaticTensor(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

/// One elementwise `linalg.generic` over `resultType` whose payload computes
/// each element from its indices (`body` gets the builder and the indices and
/// returns the value): the one-phase form of a data-movement kernel.
Value buildIndexGeneric(
    PatternRewriter &rewriter, Location loc, RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
      maps, iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(b, nestedLoc, d));
        linalg::YieldOp::create(b, nestedLoc, body(b, nestedLoc, indices));
      });
  return generic.getResult(0);
}

/// `tensor.pad` with a padding value defined outside its region and static
/// non-negative amounts becomes one elementwise `linalg.generic` over the
/// padded result: each element reads the source where `(i - low)` is in
/// bounds (one unsigned comparison per dimension also rejects `i < low`)
/// and is the padding value elsewhere. One pad is then one thread phase,
/// instead of a fill followed by a copy into a window.
struct PadToGeneric : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    Value padValue = pad.getConstantPaddingValue();
    RankedTensorType sourceType = pad.getSourceType();
    RankedTensorType resultType = pad.getResultType();
    if (!padValue || !sourceType.hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(pad, "dynamic pad");
    SmallVector<int64_t> low;
    for (OpFoldResult l : pad.getMixedLowPad()) {
      std::optional<int64_t> v = getConstantIntValue(l);
      if (!v || *v < 0)
        return rewriter.notifyMatchFailure(pad, "non-constant low padding");
      low.push_back(*v);
    }

    int64_t rank = resultType.getRank();
    Value source = pad.getSource();
    Value result = buildIndexGeneric(
        rewriter, pad.getLoc(), resultType,
        [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> indices) {
          Value inBounds;
          SmallVector<Value> sourceIndices;
          for (int64_t d = 0; d < rank; ++d) {
            Value shifted = indices[d];
            if (low[d] != 0)
              shifted = arith::SubIOp::create(
                  b, nestedLoc, indices[d],
                  arith::ConstantIndexOp::create(b, nestedLoc, low[d]));
            sourceIndices.push_back(shifted);
            if (low[d] == 0 &&
                sourceType.getDimSize(d) == resultType.getDimSize(d))
              continue;
            Value size = arith::ConstantIndexOp::create(
                b, nestedLoc, sourceType.getDimSize(d));
            Value ok = arith::CmpIOp::create(
                b, nestedLoc, arith::CmpIPredicate::ult, shifted, size);
            inBounds = inBounds
                           ? arith::AndIOp::create(b, nestedLoc, inBounds, ok)
                                 .getResult()
                           : ok;
          }
          if (!inBounds)
            return Value(
                tensor::ExtractOp::create(b, nestedLoc, source, sourceIndices));
          auto ifOp = scf::IfOp::create(
              b, nestedLoc, inBounds,
              [&](OpBuilder &tb, Location l) {
                Value v = tensor::ExtractOp::create(tb, l, source, sourceIndices);
                scf::YieldOp::create(tb, l, v);
              },
              [&](OpBuilder &eb, Location l) {
                scf::YieldOp::create(eb, l, padValue);
              });
          return ifOp.getResult(0);
        });
    rewriter.replaceOp(pad, result);
    return success();
  }
};

/// `tensor.concat` (static) becomes one generic over the result: along the
/// concatenation dimension, a chain of `scf.if` picks the input that holds
/// the element and reads it there; no input is read out of bounds.
struct ConcatToGeneric : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(concat.getResultType());
    if (!resultType.hasStaticShape() ||
        !llvm::all_of(concat.getInputs(), [](Value v) {
          return cast<RankedTensorType>(v.getType()).hasStaticShape();
        }))
      return rewriter.notifyMatchFailure(concat, "dynamic concat");
    int64_t dim = concat.getDim();
    SmallVector<Value> inputs;
    SmallVector<int64_t> starts;
    int64_t start = 0;
    for (Value v : concat.getInputs()) {
      int64_t size = cast<RankedTensorType>(v.getType()).getDimSize(dim);
      if (size == 0)
        continue;
      inputs.push_back(v);
      starts.push_back(start);
      start += size;
    }
    if (inputs.empty())
      return rewriter.notifyMatchFailure(concat, "empty concat");
    Value result = buildIndexGeneric(
        rewriter, concat.getLoc(), resultType,
        [&](OpBuilder &b, Location loc, ArrayRef<Value> indices) {
          std::function<Value(OpBuilder &, size_t)> pick =
              [&](OpBuilder &ib, size_t k) -> Value {
            SmallVector<Value> at(indices.begin(), indices.end());
            if (starts[k] != 0)
              at[dim] = arith::SubIOp::create(
                  ib, loc, indices[dim],
                  arith::ConstantIndexOp::create(ib, loc, starts[k]));
            if (k + 1 == inputs.size())
              return tensor::ExtractOp::create(ib, loc, inputs[k], at);
            Value end = arith::ConstantIndexOp::create(ib, loc, starts[k + 1]);
            Value here = arith::CmpIOp::create(
                ib, loc, arith::CmpIPredicate::ult, indices[dim], end);
            auto ifOp = scf::IfOp::create(
                ib, loc, here,
                [&](OpBuilder &tb, Location l) {
                  scf::YieldOp::create(
                      tb, l, Value(tensor::ExtractOp::create(tb, l, inputs[k], at)));
                },
                [&](OpBuilder &eb, Location l) {
                  scf::YieldOp::create(eb, l, pick(eb, k + 1));
                });
            return ifOp.getResult(0);
          };
          return pick(b, 0);
        });
    rewriter.replaceOp(concat, result);
    return success();
  }
};

/// A strided `tensor.extract_slice` (static; a kernel of its own, see
/// dlcc-form-dispatches) becomes one generic over the slice: element `i`
/// reads the source at `offset + i * stride` (dropped unit dimensions at
/// their offset).
struct ExtractSliceToGeneric : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    // Only the kernel's root (the returned value) is a gather; slices that
    // feed a linalg op inside a kernel bufferize as subviews.
    if (!llvm::all_of(slice->getUsers(), llvm::IsaPred<func::ReturnOp>))
      return rewriter.notifyMatchFailure(slice, "not a kernel root");
    RankedTensorType resultType = slice.getResultType();
    ArrayRef<int64_t> offsets = slice.getStaticOffsets();
    ArrayRef<int64_t> strides = slice.getStaticStrides();
    if (!resultType.hasStaticShape() ||
        llvm::any_of(offsets, ShapedType::isDynamic) ||
        llvm::any_of(strides, ShapedType::isDynamic) ||
        llvm::any_of(slice.getStaticSizes(), ShapedType::isDynamic))
      return rewriter.notifyMatchFailure(slice, "dynamic slice");
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    Value source = slice.getSource();
    Value result = buildIndexGeneric(
        rewriter, slice.getLoc(), resultType,
        [&](OpBuilder &b, Location loc, ArrayRef<Value> indices) {
          SmallVector<Value> at;
          size_t next = 0;
          for (size_t d = 0; d < offsets.size(); ++d) {
            Value offset = arith::ConstantIndexOp::create(b, loc, offsets[d]);
            if (dropped.test(d)) {
              at.push_back(offset);
              continue;
            }
            Value i = indices[next++];
            if (strides[d] != 1)
              i = arith::MulIOp::create(
                  b, loc, i, arith::ConstantIndexOp::create(b, loc, strides[d]));
            at.push_back(offsets[d] ? Value(arith::AddIOp::create(b, loc, i, offset))
                                    : i);
          }
          return tensor::ExtractOp::create(b, loc, source, at);
        });
    rewriter.replaceOp(slice, result);
    return success();
  }
};

/// A splat constant that a linalg op writes into (a scatter into zeros)
/// becomes a fill of an empty tensor: bufferized as it is, it would be a
/// global the kernel's own module does not have, and writes into it would
/// copy it first anyway.
struct SplatInitToFill : OpRewritePattern<arith::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::ConstantOp constant,
                                PatternRewriter &rewriter) const override {
    auto splat = llvm::dyn_cast<SplatElementsAttr>(constant.getValue());
    auto type = llvm::dyn_cast<RankedTensorType>(constant.getType());
    if (!splat || !type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(constant, "not a static splat tensor");
    bool changed = false;
    for (OpOperand &use : llvm::make_early_inc_range(constant->getUses())) {
      auto dps = llvm::dyn_cast<DestinationStyleOpInterface>(use.getOwner());
      if (!dps || !dps.isDpsInit(&use) || llvm::isa<linalg::FillOp>(dps))
        continue;
      rewriter.setInsertionPoint(dps);
      Location loc = constant.getLoc();
      Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                            type.getElementType());
      Value scalar = arith::ConstantOp::create(rewriter, loc,
                                               splat.getSplatValue<TypedAttr>());
      Value filled =
          linalg::FillOp::create(rewriter, loc, scalar, empty).getResult(0);
      rewriter.modifyOpInPlace(dps, [&] { use.set(filled); });
      changed = true;
    }
    return success(changed);
  }
};

class BufferizeKernelsPass
    : public impl::BufferizeKernelsPassBase<BufferizeKernelsPass> {
public:
  using BufferizeKernelsPassBase::BufferizeKernelsPassBase;

  void runOnOperation() override;

private:
  LogicalResult checkSignature(func::FuncOp kernel);
  LogicalResult prepare(func::FuncOp kernel);
  LogicalResult bufferize(ModuleOp scratch);
  LogicalResult checkNoAllocations(func::FuncOp kernel);
  void rewriteCalls(ModuleOp module,
                    const llvm::DenseMap<StringAttr, func::FuncOp> &kernels);
};

LogicalResult BufferizeKernelsPass::checkSignature(func::FuncOp kernel) {
  for (Type type : kernel.getFunctionType().getInputs())
    if (llvm::isa<ShapedType>(type) && !isStaticTensor(type))
      return kernel.emitError("kernel argument of type ")
             << type << " is not a statically shaped ranked tensor";
  for (Type type : kernel.getFunctionType().getResults())
    if (!isStaticTensor(type))
      return kernel.emitError("kernel result of type ")
             << type << " is not a statically shaped ranked tensor";
  return success();
}

LogicalResult BufferizeKernelsPass::prepare(func::FuncOp kernel) {
  RewritePatternSet patterns(kernel.getContext());
  patterns.add<PadToGeneric, ConcatToGeneric, ExtractSliceToGeneric,
               SplatInitToFill>(kernel.getContext());
  tensor::populateFoldTensorEmptyPatterns(patterns,
                                          /*foldSingleUseOnly=*/false);
  if (failed(applyPatternsGreedily(kernel, std::move(patterns))))
    return kernel.emitError("kernel preparation did not converge");
  // Inputs are read-only: a write into one copies it first.
  for (unsigned i = 0, e = kernel.getNumArguments(); i < e; ++i)
    if (llvm::isa<TensorType>(kernel.getArgument(i).getType()))
      kernel.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(kernel.getContext(), false));
  return success();
}

LogicalResult BufferizeKernelsPass::bufferize(ModuleOp scratch) {
  bufferization::OneShotBufferizationOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  bufferization::BufferizationState state;
  if (failed(bufferization::runOneShotModuleBufferize(scratch, options, state)))
    return failure();
  bufferization::removeBufferizationAttributesInModule(scratch);

  bufferization::BufferResultsToOutParamsOpts outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  return bufferization::promoteBufferResultsToOutParams(scratch, outParams);
}

/// An allocation only used as a linalg input whose payload argument is
/// unused: it gives a loop its extent (a pooling window) and is never read.
/// dlcc-tile-kernels removes it with the op.
bool isShapeOnly(Operation *alloc) {
  return isa<memref::AllocOp>(alloc) &&
         llvm::all_of(alloc->getUses(), [](OpOperand &use) {
           auto linalgOp = dyn_cast<linalg::LinalgOp>(use.getOwner());
           return linalgOp && linalgOp.isDpsInput(&use) &&
                  linalgOp.getMatchingBlockArgument(&use).use_empty();
         });
}

/// A static allocation only read and written by the kernel's linalg ops: a
/// per-row value of a row kernel (RowKernels.h), which dlcc-tile-kernels
/// keeps in registers and removes (or rejects, if the ops are not a row
/// kernel).
bool isRowValueBuffer(Operation *alloc) {
  auto allocOp = dyn_cast<memref::AllocOp>(alloc);
  return allocOp && allocOp.getType().hasStaticShape() &&
         allocOp.getType().getRank() > 0 &&
         llvm::all_of(alloc->getUsers(), llvm::IsaPred<linalg::LinalgOp>);
}

LogicalResult BufferizeKernelsPass::checkNoAllocations(func::FuncOp kernel) {
  WalkResult walk = kernel.walk([&](Operation *op) {
    if (isa<memref::AllocOp, memref::AllocaOp, memref::ReallocOp>(op) &&
        !isShapeOnly(op) && !isRowValueBuffer(op)) {
      op->emitError("temporary buffer left in kernel @")
          << kernel.getSymName()
          << " after bufferization; kernels may only write their outputs";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

void BufferizeKernelsPass::rewriteCalls(
    ModuleOp module, const llvm::DenseMap<StringAttr, func::FuncOp> &kernels) {
  SmallVector<func::CallOp> calls;
  module.walk([&](func::CallOp call) {
    if (kernels.contains(call.getCalleeAttr().getAttr()))
      calls.push_back(call);
  });
  for (func::CallOp call : calls) {
    func::FuncOp kernel = kernels.lookup(call.getCalleeAttr().getAttr());
    FunctionType type = kernel.getFunctionType();
    unsigned numInputs = call.getNumOperands();
    OpBuilder builder(call);
    Location loc = call.getLoc();
    SmallVector<Value> operands;
    for (auto [value, argType] : llvm::zip(
             call.getOperands(), type.getInputs().take_front(numInputs))) {
      if (llvm::isa<TensorType>(value.getType())) {
        auto toBuffer = bufferization::ToBufferOp::create(
            builder, loc, argType, value, /*read_only=*/true);
        operands.push_back(toBuffer);
      } else {
        operands.push_back(value);
      }
    }
    SmallVector<Value> outputs;
    for (Type outType : type.getInputs().drop_front(numInputs)) {
      auto alloc =
          memref::AllocOp::create(builder, loc, llvm::cast<MemRefType>(outType),
                                  ValueRange{}, builder.getI64IntegerAttr(64));
      outputs.push_back(alloc);
      operands.push_back(alloc);
    }
    func::CallOp::create(builder, loc, kernel, operands);
    SmallVector<Value> results;
    for (auto [result, out] : llvm::zip_equal(call.getResults(), outputs))
      results.push_back(bufferization::ToTensorOp::create(
          builder, loc, result.getType(), out, /*restrict=*/true,
          /*writable=*/true));
    call.replaceAllUsesWith(results);
    call.erase();
  }
}

void BufferizeKernelsPass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<func::FuncOp> kernels;
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr(kKernelAttr) && !func.isDeclaration())
      kernels.push_back(func);
  if (kernels.empty())
    return;

  // Only kernels still on tensors are bufferized (the pass is idempotent).
  llvm::erase_if(kernels, [](func::FuncOp kernel) {
    FunctionType type = kernel.getFunctionType();
    return llvm::none_of(type.getInputs(), llvm::IsaPred<TensorType>) &&
           llvm::none_of(type.getResults(), llvm::IsaPred<TensorType>);
  });
  for (func::FuncOp kernel : kernels)
    if (failed(checkSignature(kernel)) || failed(prepare(kernel)))
      return signalPassFailure();

  // Move the kernels into a scratch module, remembering where they were.
  OpBuilder builder(module.getContext());
  builder.setInsertionPointToEnd(module.getBody());
  auto scratch = ModuleOp::create(builder, module.getLoc());
  SmallVector<Operation *> previous;
  for (func::FuncOp kernel : kernels)
    previous.push_back(kernel->getPrevNode());
  for (func::FuncOp kernel : kernels)
    kernel->moveBefore(scratch.getBody(), scratch.getBody()->end());

  LogicalResult result = bufferize(scratch);

  // Back in their places, in order (a kernel's predecessor is either
  // untouched or a kernel already moved back).
  for (auto [kernel, prev] : llvm::zip_equal(kernels, previous)) {
    if (prev)
      kernel->moveAfter(prev);
    else
      kernel->moveBefore(module.getBody(), module.getBody()->begin());
  }
  scratch->erase();
  if (failed(result)) {
    module.emitError("bufferization of the kernel functions failed");
    return signalPassFailure();
  }

  llvm::DenseMap<StringAttr, func::FuncOp> byName;
  for (func::FuncOp kernel : kernels) {
    // A library call replaces its kernel's body, which is never compiled (a
    // convolution's may pad into a temporary first).
    if (!kernel->hasAttr(kLibraryCallAttr) &&
        failed(checkNoAllocations(kernel)))
      return signalPassFailure();
    byName[kernel.getSymNameAttr()] = kernel;
  }
  rewriteCalls(module, byName);
}

} // namespace
} // namespace mlir::dlcc
