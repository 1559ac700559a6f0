//===- DataMovement.cpp - dlcc shape and indexing ops to linalg/tensor ----===//
//
// Layout changes become tensor ops (extract_slice, pad, concat, reshapes) or
// linalg.transpose; everything that reads at a computed position is an
// output-only linalg.generic whose body computes the source position from
// linalg.index and reads it with tensor.extract. Only arith, linalg and tensor
// ops are created (the pass loads no other dialect).
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::dlcc {

namespace {

using IndexBodyFn = function_ref<Value(OpBuilder &b, Location loc)>;

/// An output-only, all-parallel linalg.generic over `type` whose body yields
/// `body()` (which typically reads another tensor with tensor.extract).
Value buildIndexedGeneric(OpBuilder &b, Location loc, RankedTensorType type,
                          IndexBodyFn body) {
  return buildElementwise(
      b, loc, type, ValueRange{},
      [&](OpBuilder &nb, Location nloc, ValueRange) { return body(nb, nloc); });
}

Value loopIndex(OpBuilder &b, Location loc, int64_t dim) {
  return linalg::IndexOp::create(b, loc, dim);
}

/// An index loaded from an i32/i64 indices tensor, clamped to [0, size-1].
/// Out-of-range indices are a runtime error in dlcc; until that error is
/// reported (later work), clamping guarantees there is never an
/// out-of-bounds read. Requires size >= 1.
Value clampedIndex(OpBuilder &b, Location loc, Value idx, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), idx);
  i = arith::MaxSIOp::create(b, loc, i, indexConstant(b, loc, 0));
  return arith::MinSIOp::create(b, loc, i, indexConstant(b, loc, size - 1));
}


//===----------------------------------------------------------------------===//
// constant, iota
//===----------------------------------------------------------------------===//

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    Attribute value = op.getValue();
    if (type != op.getType()) {
      // Unsigned element type: the same bits under the signless type.
      if (auto dense = llvm::dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(
            op, "unsupported unsigned constant attribute");
    }
    auto typed = llvm::dyn_cast<TypedAttr>(value);
    if (!typed)
      return rewriter.notifyMatchFailure(op, "constant attribute is not typed");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, typed);
    return success();
  }
};

/// A linalg.index converted to the element type: unsigned and i1 types take
/// the index's low bits, floats the exact integer value.
struct IotaLowering : OpConversionPattern<IotaOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IotaOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    Type elem = type.getElementType();
    bool isUnsigned = op.getType().getElementType().isUnsignedInteger();
    int64_t dim = op.getDimension();
    Value result = buildIndexedGeneric(
        rewriter, op.getLoc(), type, [&](OpBuilder &b, Location loc) -> Value {
          Value i = loopIndex(b, loc, dim);
          if (llvm::isa<FloatType>(elem)) {
            Value i64 = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), i);
            return arith::UIToFPOp::create(b, loc, elem, i64);
          }
          if (isUnsigned)
            return arith::IndexCastUIOp::create(b, loc, elem, i);
          return arith::IndexCastOp::create(b, loc, elem, i);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// broadcast_in_dim, reshape, transpose
//===----------------------------------------------------------------------===//

/// One generic: the operand's map sends operand dim i to result loop dims[i],
/// or to the constant 0 where a size-1 operand dim is repeated.
struct BroadcastInDimLowering : OpConversionPattern<BroadcastInDimOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastInDimOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    auto inType = op.getOperand().getType();
    if (inType.getShape() == type.getShape()) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> exprs;
    for (auto [i, d] : llvm::enumerate(op.getDims())) {
      if (inType.getDimSize(i) == 1 && type.getDimSize(d) != 1)
        exprs.push_back(rewriter.getAffineConstantExpr(0));
      else
        exprs.push_back(rewriter.getAffineDimExpr(d));
    }
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{type},
        ValueRange{adaptor.getOperand()},
        ValueRange{emptyTensor(rewriter, op.getLoc(), type)}, maps, iterators,
        [](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// tensor.collapse_shape or tensor.expand_shape when one suffices; otherwise
/// collapse to 1-D and expand from it (row-major order makes both exact).
struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    Value src = adaptor.getOperand();
    auto srcType = llvm::cast<RankedTensorType>(src.getType());
    if (srcType == type) {
      rewriter.replaceOp(op, src);
      return success();
    }
    int64_t srcRank = srcType.getRank(), dstRank = type.getRank();
    if (srcRank != dstRank) {
      if (auto reassociation =
              getReassociationIndicesForReshape(srcType, type)) {
        Value result = srcRank > dstRank
                           ? Value(tensor::CollapseShapeOp::create(
                                 rewriter, loc, type, src, *reassociation))
                           : Value(tensor::ExpandShapeOp::create(
                                 rewriter, loc, type, src, *reassociation));
        rewriter.replaceOp(op, result);
        return success();
      }
    }
    // Through 1-D. A rank-0 side is handled above (all sizes are 1 there).
    auto flatType = RankedTensorType::get({srcType.getNumElements()},
                                          srcType.getElementType());
    Value flat = src;
    if (srcRank != 1)
      flat = tensor::CollapseShapeOp::create(
          rewriter, loc, flatType, src,
          ArrayRef<ReassociationIndices>{
              llvm::to_vector(llvm::seq<int64_t>(0, srcRank))});
    Value result = flat;
    if (dstRank != 1)
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, type, flat,
          ArrayRef<ReassociationIndices>{
              llvm::to_vector(llvm::seq<int64_t>(0, dstRank))});
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> perm = op.getPermutation();
    if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    auto type = convertedType(*getTypeConverter(), op.getType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getOperand(),
        emptyTensor(rewriter, op.getLoc(), type), perm);
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// slice, reverse, pad, concatenate
//===----------------------------------------------------------------------===//

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    if (type == adaptor.getOperand().getType() &&
        llvm::all_of(op.getStart(), [](int64_t s) { return s == 0; })) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    // An empty slice may start at the dimension's end, which extract_slice
    // rejects as out of bounds; there is nothing to copy anyway.
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, op.getLoc(), type));
      return success();
    }
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      offsets.push_back(rewriter.getIndexAttr(op.getStart()[i]));
      sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
      strides.push_back(rewriter.getIndexAttr(op.getStrides()[i]));
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, type, adaptor.getOperand(), offsets, sizes, strides);
    return success();
  }
};

/// Reads operand[..., size-1-i, ...] for every reversed dimension (linalg
/// maps cannot have negative coefficients, so the position is computed).
struct ReverseLowering : OpConversionPattern<ReverseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReverseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> dims = op.getDims();
    // Reversing a dimension of size <= 1 is the identity.
    if (llvm::all_of(dims,
                     [&](int64_t d) { return type.getDimSize(d) <= 1; })) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    Value src = adaptor.getOperand();
    Value result = buildIndexedGeneric(
        rewriter, op.getLoc(), type, [&](OpBuilder &b, Location loc) -> Value {
          SmallVector<Value> pos;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            Value i = loopIndex(b, loc, d);
            if (llvm::is_contained(dims, d))
              i = arith::SubIOp::create(
                  b, loc, indexConstant(b, loc, type.getDimSize(d) - 1), i);
            pos.push_back(i);
          }
          return tensor::ExtractOp::create(b, loc, src, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Constant mode is tensor.pad; edge, reflect and wrap compute the source
/// position of every output element (j = i - low is the unpadded position):
///   edge:    clamp(j, 0, n-1)
///   reflect: (n-1) - |(n-1) - |j||     (pads < n: one reflection suffices)
///   wrap:    (j + n) mod n             (pads <= n: j + n >= 0)
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
    Value src = adaptor.getOperand();
    auto srcType = llvm::cast<RankedTensorType>(src.getType());
    if (srcType == type) {
      rewriter.replaceOp(op, src);
      return success();
    }
    if (op.getMode() == PadMode::constant) {
      Value padValue = tensor::ExtractOp::create(
          rewriter, loc, adaptor.getPaddingValue(), ValueRange{});
      SmallVector<OpFoldResult> lo, hi;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        lo.push_back(rewriter.getIndexAttr(low[i]));
        hi.push_back(rewriter.getIndexAttr(high[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, src, lo, hi,
                                                 padValue);
      return success();
    }
    PadMode mode = op.getMode();
    Value result = buildIndexedGeneric(
        rewriter, loc, type, [&](OpBuilder &b, Location l) -> Value {
          SmallVector<Value> pos;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            Value i = loopIndex(b, l, d);
            int64_t n = srcType.getDimSize(d);
            if (low[d] == 0 && high[d] == 0) {
              pos.push_back(i);
              continue;
            }
            Value j =
                arith::SubIOp::create(b, l, i, indexConstant(b, l, low[d]));
            Value zero = indexConstant(b, l, 0);
            Value last = indexConstant(b, l, n - 1);
            auto abs = [&](Value v) -> Value {
              return arith::MaxSIOp::create(
                  b, l, v, arith::SubIOp::create(b, l, zero, v));
            };
            Value p;
            switch (mode) {
            case PadMode::edge:
              p = arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, j, zero), last);
              break;
            case PadMode::reflect:
              p = arith::SubIOp::create(
                  b, l, last, abs(arith::SubIOp::create(b, l, last, abs(j))));
              break;
            case PadMode::wrap:
            case PadMode::constant: { // constant mode is tensor.pad above
              Value size = indexConstant(b, l, n);
              p = arith::RemSIOp::create(
                  b, l, arith::AddIOp::create(b, l, j, size), size);
              break;
            }
            }
            pos.push_back(p);
          }
          return tensor::ExtractOp::create(b, l, src, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConcatenateLowering : OpConversionPattern<ConcatenateOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatenateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    int64_t dim = op.getDimension();
    // Inputs empty along `dim` contribute nothing (and would become
    // zero-sized subviews at the end of the buffer, which bufferization
    // rejects as out of bounds).
    SmallVector<Value> inputs;
    for (Value v : adaptor.getInputs())
      if (llvm::cast<RankedTensorType>(v.getType()).getDimSize(dim) != 0)
        inputs.push_back(v);
    if (type.getNumElements() == 0 || inputs.empty()) {
      rewriter.replaceOp(op, emptyTensor(rewriter, op.getLoc(), type));
      return success();
    }
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        op, type, static_cast<uint64_t>(dim), inputs);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// gather, gather_elements, scatter_add
//===----------------------------------------------------------------------===//

/// result[a..., i..., b...] = operand[a..., clamp(indices[i...]), b...]:
/// a generic over the result reading the index through an input map and the
/// operand with tensor.extract.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    Value src = adaptor.getOperand();
    auto srcType = llvm::cast<RankedTensorType>(src.getType());
    int64_t axis = op.getAxis();
    int64_t idxRank = op.getIndices().getType().getRank();
    int64_t axisSize = srcType.getDimSize(axis);
    if (axisSize == 0) {
      // Every read would be out of range (a runtime error); nothing to read.
      rewriter.replaceOp(op, zeroFilled(rewriter, loc, type));
      return success();
    }
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t k = 0; k < idxRank; ++k)
      idxExprs.push_back(rewriter.getAffineDimExpr(axis + k));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, idxExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, type)}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> pos;
          for (int64_t d = 0; d < axis; ++d)
            pos.push_back(loopIndex(b, l, d));
          pos.push_back(clampedIndex(b, l, args[0], axisSize));
          for (int64_t d = axis + 1; d < srcType.getRank(); ++d)
            pos.push_back(loopIndex(b, l, d - 1 + idxRank));
          Value v = tensor::ExtractOp::create(b, l, src, pos);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// result[p] = operand[p with p[axis] = clamp(indices[p])].
struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    Value src = adaptor.getOperand();
    int64_t axis = op.getAxis();
    int64_t axisSize = op.getOperand().getType().getDimSize(axis);
    if (axisSize == 0) {
      // Every read would be out of range (a runtime error); nothing to read.
      rewriter.replaceOp(op, zeroFilled(rewriter, loc, type));
      return success();
    }
    Value result = buildElementwise(
        rewriter, loc, type, ValueRange{adaptor.getIndices()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> pos;
          for (int64_t d = 0; d < type.getRank(); ++d)
            pos.push_back(d == axis ? clampedIndex(b, l, args[0], axisSize)
                                    : loopIndex(b, l, d));
          return tensor::ExtractOp::create(b, l, src, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateDlccDataMovementToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  populateDlccResizeToLinalgPatterns(converter, patterns);
  populateDlccScatterToLinalgPatterns(converter, patterns);
  populateDlccGridSampleToLinalgPatterns(converter, patterns);
  populateDlccScatterAddToLinalgPatterns(converter, patterns);
  patterns.add<ConstantLowering, IotaLowering, BroadcastInDimLowering,
               ReshapeLowering, TransposeLowering, SliceLowering,
               ReverseLowering, PadLowering, ConcatenateLowering,
               GatherLowering, GatherElementsLowering>(
      converter, patterns.getContext());
}

} // namespace mlir::dlcc
