//===- Matmul.cpp - dlcc matmul and convolutions to linalg ----------------===//
//
// dlcc.matmul becomes linalg.matmul / linalg.batch_matmul where those fit
// exactly and a contraction linalg.generic otherwise. Convolutions work on
// grouped views ([N, G, C/G, D...] activations, [G, O/G, C/G, K...] filters,
// made with tensor.expand_shape) so one generic covers every group count:
//
//   forward   y[n,g,o,e]  = sum_{c,k} xp[n,g,c, e*s + k*dil] * w[g,o,c,k]
//   filter    dw[g,o,c,k] = sum_{n,e} xp[n,g,c, e*s + k*dil] * dy[n,g,o,e]
//   data      dx[n,g,c,d] = sum_{o,k} t[n,g,o, d + (K-1-k)*dil] * w[g,o,c,k]
//
// where xp is the input zero-padded by pad_low/pad_high and t is dy dilated
// by the stride (stride-1 zeros between elements) and placed at offset
// (K-1)*dil - pad_low in a zero tensor of size D + (K-1)*dil: the transposed
// convolution. Input rows the forward output floor-dropped get no gradient.
// Every accumulator starts from a linalg.fill of zero.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::dlcc {
namespace {

using utils::IteratorType;

/// The multiply-accumulate body of every contraction here.
void macBody(OpBuilder &b, Location loc, ValueRange args) {
  Value prod = arith::MulFOp::create(b, loc, args[0], args[1]);
  linalg::YieldOp::create(b, loc,
                          ValueRange{arith::AddFOp::create(b, loc, args[2], prod)});
}

/// A two-input contraction generic accumulating into a zero-filled `init`.
Value contraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType initType, ArrayRef<AffineMap> maps,
                  ArrayRef<IteratorType> iterators) {
  Value init = zeroFilled(b, loc, initType);
  return linalg::GenericOp::create(b, loc, TypeRange{initType},
                                   ValueRange{lhs, rhs}, ValueRange{init}, maps,
                                   iterators, macBody)
      .getResult(0);
}

/// Splits dimension `dim` of `value` into (groups, size/groups).
Value splitDim(OpBuilder &b, Location loc, Value value, int64_t dim,
               int64_t groups) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] /= groups;
  shape.insert(shape.begin() + dim, groups);
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, r = type.getRank(); i < r; ++i) {
    if (i < dim)
      reassociation.push_back({i});
    else if (i == dim)
      reassociation.push_back({i, i + 1});
    else
      reassociation.push_back({i + 1});
  }
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), value,
                                       reassociation);
}

/// Merges dimensions `dim` and `dim + 1` of `value`.
Value mergeDims(OpBuilder &b, Location loc, Value value, int64_t dim) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, r = type.getRank(); i < r; ++i) {
    if (i == dim)
      reassociation.push_back({i, i + 1});
    else if (i != dim + 1)
      reassociation.push_back({i});
  }
  return tensor::CollapseShapeOp::create(b, loc, value, reassociation);
}

/// Pads the spatial dimensions (2...) of `value` with zeros; a no-op when
/// every pad is zero.
Value zeroPadSpatial(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> low, ArrayRef<int64_t> high) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return value;
  auto type = llvm::cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> lo{0, 0}, hi{0, 0};
  llvm::append_range(lo, low);
  llvm::append_range(hi, high);
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < low.size(); ++i)
    shape[i + 2] += low[i] + high[i];
  Value zero = scalarConstant(b, loc, type.getElementType(), 0.0);
  return tensor::PadOp::create(b, loc, type.clone(shape), value,
                               getAsIndexOpFoldResult(b.getContext(), lo),
                               getAsIndexOpFoldResult(b.getContext(), hi), zero);
}

//===----------------------------------------------------------------------===//
// dlcc.matmul
//===----------------------------------------------------------------------===//

struct MatmulToLinalg : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    int64_t rl = resultType.getRank();
    int64_t rr = llvm::cast<RankedTensorType>(rhs.getType()).getRank();
    bool tl = op.getTransposeLhs(), tr = op.getTransposeRhs();
    if (!tl && !tr && rl == 2) {
      Value init = zeroFilled(rewriter, loc, resultType);
      rewriter.replaceOp(op, linalg::MatmulOp::create(rewriter, loc,
                                                      TypeRange{resultType},
                                                      ValueRange{lhs, rhs},
                                                      ValueRange{init}));
      return success();
    }
    if (!tl && !tr && rl == 3 && rr == 3) {
      Value init = zeroFilled(rewriter, loc, resultType);
      rewriter.replaceOp(op, linalg::BatchMatmulOp::create(rewriter, loc,
                                                           TypeRange{resultType},
                                                           ValueRange{lhs, rhs},
                                                           ValueRange{init}));
      return success();
    }
    // Loops [B..., M, N, K].
    int64_t nb = rl - 2;
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> batch;
    for (int64_t i = 0; i < nb; ++i)
      batch.push_back(d(i));
    AffineExpr m = d(nb), n = d(nb + 1), k = d(nb + 2);
    SmallVector<AffineExpr> lhsExprs(batch), rhsExprs, outExprs(batch);
    lhsExprs.append(tl ? SmallVector<AffineExpr>{k, m} : SmallVector<AffineExpr>{m, k});
    if (rr != 2)
      rhsExprs.append(batch);
    rhsExprs.append(tr ? SmallVector<AffineExpr>{n, k} : SmallVector<AffineExpr>{k, n});
    outExprs.append({m, n});
    SmallVector<AffineMap> maps{AffineMap::get(nb + 3, 0, lhsExprs, ctx),
                                AffineMap::get(nb + 3, 0, rhsExprs, ctx),
                                AffineMap::get(nb + 3, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators(nb + 2, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    rewriter.replaceOp(op, contraction(rewriter, loc, lhs, rhs, resultType,
                                       maps, iterators));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// dlcc.convolution and its backward ops
//===----------------------------------------------------------------------===//

/// The attributes shared by the three convolution ops.
struct ConvAttrs {
  SmallVector<int64_t> strides, low, high, dilations;
  int64_t groups;
  template <typename OpTy>
  explicit ConvAttrs(OpTy op)
      : strides(op.getStrides()), low(op.getPadLow()), high(op.getPadHigh()),
        dilations(op.getDilations()), groups(op.getGroups()) {}
  int64_t spatial() const { return strides.size(); }
};

/// The indexing maps (t, w, dx) of the data gradient's contraction over
/// loops [N, G, C/G, D..., O/G, K...] (t the spread dy [N, G, O/G, L...], w
/// [G, O/G, C/G, K...]): dx[n,g,c,d] += t[n,g,o, d + (K-1)*dil - k*dil] *
/// w[g,o,c,k]; `kernel` holds the filter's spatial sizes K.
SmallVector<AffineMap>
backwardDataMaps(MLIRContext *ctx, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> dilations) {
  int64_t s = int64_t(kernel.size()), loops = 4 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> te{d(0), d(1), d(3 + s)},
      we{d(1), d(3 + s), d(2)}, xe{d(0), d(1), d(2)};
  for (int64_t i = 0; i < s; ++i) {
    te.push_back(d(3 + i) + (kernel[i] - 1) * dilations[i] -
                 d(4 + s + i) * dilations[i]);
    we.push_back(d(4 + s + i));
    xe.push_back(d(3 + i));
  }
  return {AffineMap::get(loops, 0, te, ctx), AffineMap::get(loops, 0, we, ctx),
          AffineMap::get(loops, 0, xe, ctx)};
}

/// The indexing maps (x, dy, dw) of the filter gradient's contraction over
/// loops [G, O/G, C/G, K..., N, E...]: dw[g,o,c,k] +=
/// x[n,g,c, e*stride + k*dilation] * dy[n,g,o,e].
SmallVector<AffineMap>
backwardFilterMaps(MLIRContext *ctx, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations) {
  int64_t s = int64_t(strides.size()), loops = 4 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe{d(3 + s), d(0), d(2)},
      dye{d(3 + s), d(0), d(1)}, we{d(0), d(1), d(2)};
  for (int64_t i = 0; i < s; ++i) {
    xe.push_back(d(4 + s + i) * strides[i] + d(3 + i) * dilations[i]);
    dye.push_back(d(4 + s + i));
    we.push_back(d(3 + i));
  }
  return {AffineMap::get(loops, 0, xe, ctx), AffineMap::get(loops, 0, dye, ctx),
          AffineMap::get(loops, 0, we, ctx)};
}

/// `[a, b, c, ...]` with `rest` appended: the shape of a grouped view.
SmallVector<int64_t> shapeOf(std::initializer_list<int64_t> head,
                             ArrayRef<int64_t> rest) {
  SmallVector<int64_t> shape(head);
  llvm::append_range(shape, rest);
  return shape;
}

struct ConvolutionToLinalg : OpConversionPattern<ConvolutionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvolutionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ConvAttrs a(op);
    int64_t s = a.spatial();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = zeroPadSpatial(rewriter, loc, adaptor.getInput(), a.low, a.high);
    Value filter = adaptor.getFilter();
    if (a.groups == 1 && s == 2) {
      Value init = zeroFilled(rewriter, loc, resultType);
      auto conv = linalg::Conv2DNchwFchwOp::create(
          rewriter, loc, TypeRange{resultType}, ValueRange{input, filter},
          ValueRange{init}, rewriter.getI64TensorAttr(a.strides),
          rewriter.getI64TensorAttr(a.dilations));
      rewriter.replaceOp(op, conv.getResult(0));
      return success();
    }
    int64_t n = resultType.getDimSize(0), g = a.groups;
    int64_t og = resultType.getDimSize(1) / g;
    Value x = splitDim(rewriter, loc, input, 1, g);  // [N, G, C/G, Dp...]
    Value w = splitDim(rewriter, loc, filter, 0, g); // [G, O/G, C/G, K...]
    // Loops [N, G, O/G, E..., C/G, K...].
    int64_t loops = 4 + 2 * s;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xe{d(0), d(1), d(3 + s)}, we{d(1), d(2), d(3 + s)},
        ye{d(0), d(1), d(2)};
    for (int64_t i = 0; i < s; ++i) {
      xe.push_back(d(3 + i) * a.strides[i] + d(4 + s + i) * a.dilations[i]);
      we.push_back(d(4 + s + i));
      ye.push_back(d(3 + i));
    }
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, xe, ctx),
                                AffineMap::get(loops, 0, we, ctx),
                                AffineMap::get(loops, 0, ye, ctx)};
    SmallVector<IteratorType> iterators(3 + s, IteratorType::parallel);
    iterators.append(1 + s, IteratorType::reduction);
    auto grouped = resultType.clone(
        shapeOf({n, g, og}, resultType.getShape().drop_front(2)));
    Value y = contraction(rewriter, loc, x, w, grouped, maps, iterators);
    rewriter.replaceOp(op, mergeDims(rewriter, loc, y, 1));
    return success();
  }
};

struct ConvolutionBackwardFilterToLinalg
    : OpConversionPattern<ConvolutionBackwardFilterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvolutionBackwardFilterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ConvAttrs a(op);
    int64_t s = a.spatial(), g = a.groups;
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = zeroPadSpatial(rewriter, loc, adaptor.getInput(), a.low, a.high);
    Value x = splitDim(rewriter, loc, input, 1, g);                    // [N, G, C/G, Dp...]
    Value dy = splitDim(rewriter, loc, adaptor.getGradOutput(), 1, g); // [N, G, O/G, E...]
    SmallVector<AffineMap> maps =
        backwardFilterMaps(ctx, a.strides, a.dilations);
    SmallVector<IteratorType> iterators(3 + s, IteratorType::parallel);
    iterators.append(1 + s, IteratorType::reduction);
    int64_t og = resultType.getDimSize(0) / g;
    auto grouped =
        resultType.clone(shapeOf({g, og}, resultType.getShape().drop_front(1)));
    Value dw = contraction(rewriter, loc, x, dy, grouped, maps, iterators);
    rewriter.replaceOp(op, mergeDims(rewriter, loc, dw, 0));
    return success();
  }
};

struct ConvolutionBackwardDataToLinalg
    : OpConversionPattern<ConvolutionBackwardDataOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvolutionBackwardDataOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ConvAttrs a(op);
    int64_t s = a.spatial(), g = a.groups;
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value filter = adaptor.getFilter();
    auto filterType = llvm::cast<RankedTensorType>(filter.getType());
    auto dyType = llvm::cast<RankedTensorType>(adaptor.getGradOutput().getType());
    int64_t n = resultType.getDimSize(0), cg = filterType.getDimSize(1);
    int64_t og = dyType.getDimSize(1) / g;

    // t is dy spread out: t[l] = dy[e] where l = e*s + (K-1)*dil - lo, zero
    // elsewhere, over L = D + (K-1)*dil positions; then dx is a stride-1
    // correlation of t with the flipped filter. One elementwise generic
    // builds t, reading dy at computed (and, off the grid, clamped) indices.
    SmallVector<int64_t> tShape{n, g, og}, offsets;
    bool empty = false;
    for (int64_t i = 0; i < s; ++i) {
      int64_t k = filterType.getDimSize(2 + i), dil = a.dilations[i];
      int64_t stride = a.strides[i], e = dyType.getDimSize(2 + i);
      int64_t dsize = resultType.getDimSize(2 + i);
      int64_t offset = (k - 1) * dil - a.low[i], length = dsize + (k - 1) * dil;
      int64_t first = std::max<int64_t>(0, llvm::divideCeilSigned(-offset, stride));
      int64_t last = std::min<int64_t>(
          e - 1, llvm::divideFloorSigned(length - 1 - offset, stride));
      empty |= last < first;
      tShape.push_back(length);
      offsets.push_back(offset);
    }
    if (empty) {
      rewriter.replaceOp(op, zeroFilled(rewriter, loc, resultType));
      return success();
    }
    Value dy = splitDim(rewriter, loc, adaptor.getGradOutput(), 1, g); // [N, G, O/G, E...]
    auto tType = resultType.clone(tShape);
    Value tInit = tensor::EmptyOp::create(rewriter, loc, tShape,
                                         tType.getElementType());
    SmallVector<AffineMap> tMaps{
        AffineMap::getMultiDimIdentityMap(3 + s, ctx)};
    SmallVector<IteratorType> tIterators(3 + s, IteratorType::parallel);
    Value t =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{tType}, ValueRange{}, ValueRange{tInit},
            tMaps, tIterators,
            [&](OpBuilder &b, Location l, ValueRange) {
              auto cst = [&](int64_t v) -> Value {
                return arith::ConstantIndexOp::create(b, l, v);
              };
              Value zero = cst(0);
              SmallVector<Value> idx;
              for (int64_t d = 0; d < 3; ++d)
                idx.push_back(linalg::IndexOp::create(b, l, d));
              Value valid = arith::ConstantIntOp::create(b, l, 1, 1);
              for (int64_t i = 0; i < s; ++i) {
                int64_t stride = a.strides[i], e = dyType.getDimSize(2 + i);
                Value at = linalg::IndexOp::create(b, l, 3 + i);
                Value j = arith::SubIOp::create(b, l, at, cst(offsets[i]));
                Value q = arith::DivSIOp::create(b, l, j, cst(stride));
                Value r = arith::RemSIOp::create(b, l, j, cst(stride));
                Value checks[] = {
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, j,
                                          zero),
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, r,
                                          zero),
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, q,
                                          cst(e))};
                for (Value c : checks)
                  valid = arith::AndIOp::create(b, l, valid, c);
                idx.push_back(q);
              }
              // Off the grid the indices are clamped to 0: always in bounds.
              for (Value &v : MutableArrayRef(idx).drop_front(3))
                v = arith::SelectOp::create(b, l, valid, v, zero);
              Value v = tensor::ExtractOp::create(b, l, dy, idx);
              Value zeroValue = arith::ConstantOp::create(
                  b, l, b.getZeroAttr(tType.getElementType()));
              linalg::YieldOp::create(
                  b, l, ValueRange{arith::SelectOp::create(b, l, valid, v,
                                                           zeroValue)});
            })
            .getResult(0);
    Value w = splitDim(rewriter, loc, filter, 0, g); // [G, O/G, C/G, K...]
    SmallVector<AffineMap> maps = backwardDataMaps(
        ctx, filterType.getShape().drop_front(2), a.dilations);
    SmallVector<IteratorType> iterators(3 + s, IteratorType::parallel);
    iterators.append(1 + s, IteratorType::reduction);
    auto grouped = resultType.clone(
        shapeOf({n, g, cg}, resultType.getShape().drop_front(2)));
    Value dx = contraction(rewriter, loc, t, w, grouped, maps, iterators);
    rewriter.replaceOp(op, mergeDims(rewriter, loc, dx, 1));
    return success();
  }
};

} // namespace

void populateDlccMatmulToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<MatmulToLinalg, ConvolutionToLinalg,
               ConvolutionBackwardFilterToLinalg, ConvolutionBackwardDataToLinalg>(
      converter, patterns.getContext());
}

} // namespace mlir::dlcc
