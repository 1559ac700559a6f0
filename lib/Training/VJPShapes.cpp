//===- VJPShapes.cpp - reverse-mode rules of shape ops and matmul ---------===//
//
// Broadcasts un-broadcast by summation, reshapes, transposes and reversals
// invert, a sum broadcasts back (a max or min to its maxima), gathers
// scatter-add back, and a matmul's operand cotangents are matmuls of
// the result's cotangent with the other operand (a right-hand side shared
// by every batch sums its cotangent over the batch).
//
//===----------------------------------------------------------------------===//
#include "VJPRules.h"

namespace mlir::dlcc::training {
namespace {

LogicalResult broadcastRule(BroadcastInDimOp op, OpBuilder &b, ValueRange dys,
                            SmallVectorImpl<Value> &dxs) {
  dxs[0] = unbroadcast(b, op.getLoc(), dys[0],
                       cast<RankedTensorType>(op.getOperand().getType()),
                       op.getDims());
  return success();
}

LogicalResult reshapeRule(ReshapeOp op, OpBuilder &b, ValueRange dys,
                          SmallVectorImpl<Value> &dxs) {
  dxs[0] = ReshapeOp::create(b, op.getLoc(), op.getOperand().getType(), dys[0]);
  return success();
}

LogicalResult transposeRule(TransposeOp op, OpBuilder &b, ValueRange dys,
                            SmallVectorImpl<Value> &dxs) {
  ArrayRef<int64_t> perm = op.getPermutation();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = int64_t(i);
  dxs[0] = TransposeOp::create(b, op.getLoc(), dys[0], inverse);
  return success();
}

// A sum broadcasts back. A max or min passes the gradient to the elements
// equal to the result, shared equally among ties (torch.amax/amin).
LogicalResult reduceRule(ReduceOp op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) {
  if (op.getKind() == ReduceKind::prod)
    return op.emitError("no gradient rule for a product reduction yet");
  Location l = op.getLoc();
  Value x = op.getOperand();
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(op.getDims(), d))
      kept.push_back(d);
  if (op.getKind() == ReduceKind::sum) {
    dxs[0] = broadcast(b, l, dys[0], type, kept);
    return success();
  }
  Value hit = CompareOp::create(b, l, ComparisonDirection::eq, x,
                                broadcast(b, l, op.getResult(), type, kept));
  Value zero = splat(b, l, type, 0.0);
  Value ties = ReduceOp::create(b, l, ReduceKind::sum,
                                SelectOp::create(b, l, hit,
                                                 splat(b, l, type, 1.0), zero),
                                op.getDims());
  Value share = DivOp::create(b, l, dys[0], ties);
  dxs[0] = SelectOp::create(b, l, hit, broadcast(b, l, share, type, kept), zero);
  return success();
}

// The sums run the other way: an inclusive prefix sum's cotangent is the
// inclusive suffix sum of g (exclusive stays exclusive).
LogicalResult cumSumRule(CumSumOp op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) {
  dxs[0] = CumSumOp::create(b, op.getLoc(), op.getType(), dys[0],
                            op.getDimension(), op.getExclusive(),
                            !op.getReverse());
  return success();
}

LogicalResult reverseRule(ReverseOp op, OpBuilder &b, ValueRange dys,
                          SmallVectorImpl<Value> &dxs) {
  dxs[0] = ReverseOp::create(b, op.getLoc(), op.getType(), dys[0],
                             op.getDimsAttr());
  return success();
}

// take_along_axis: its cotangent added back where each element came from.
LogicalResult gatherElementsRule(GatherElementsOp op, OpBuilder &b,
                                 ValueRange dys, SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  auto type = cast<RankedTensorType>(op.getOperand().getType());
  dxs[0] = ScatterElementsOp::create(
      b, l, type, ScatterReductionAttr::get(b.getContext(), ScatterReduction::add),
      splat(b, l, type, 0.0), op.getIndices(), dys[0], op.getAxisAttr());
  return success();
}

// Scattered elements: the data's cotangent where nothing landed (all of it
// with `add`), the updates' read back from where they went. With `none` and
// repeated indices only the last update lands; each still reads the
// cotangent of its destination (as PyTorch's scatter).
LogicalResult scatterElementsRule(ScatterElementsOp op, OpBuilder &b,
                                  ValueRange dys, SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value g = dys[0];
  auto type = cast<RankedTensorType>(g.getType());
  auto updatesType = cast<RankedTensorType>(op.getUpdates().getType());
  if (!isa<FloatType>(type.getElementType()))
    return success();
  switch (op.getReduction()) {
  case ScatterReduction::none: {
    Value landed = ScatterElementsOp::create(
        b, l, type, op.getReductionAttr(), splat(b, l, type, 0.0),
        op.getIndices(), splat(b, l, updatesType, 1.0), op.getAxisAttr());
    Value over = CompareOp::create(b, l, ComparisonDirection::ne, landed,
                                   splat(b, l, type, 0.0));
    dxs[0] = SelectOp::create(b, l, over, splat(b, l, type, 0.0), g);
    break;
  }
  case ScatterReduction::add:
    dxs[0] = g;
    break;
  default:
    return op.emitError("no gradient rule for a scatter with reduction ")
           << stringifyScatterReduction(op.getReduction()) << " yet";
  }
  dxs[2] = GatherElementsOp::create(b, l, updatesType, g, op.getIndices(),
                                    op.getAxisAttr());
  return success();
}

/// [B..., M, K] as [B*...*M, K].
Value mergeRows(OpBuilder &b, Location l, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t rows = 1;
  for (int64_t d : type.getShape().drop_back())
    rows *= d;
  return ReshapeOp::create(
      b, l, RankedTensorType::get({rows, type.getShape().back()},
                                  type.getElementType()),
      v);
}

Value matmul(OpBuilder &b, Location l, Type type, Value x, Value y, bool tx,
             bool ty) {
  return MatmulOp::create(b, l, type, x, y, tx, ty);
}

// C = op(A) op(B) with op a transpose where set. In stored layouts:
//   dA = tA ? op(B) dC^T : dC op(B)^T,  dB = tB ? dC^T op(A) : op(A)^T dC.
// A right-hand side shared by every batch gets its cotangent summed over
// the batch: one GEMM over merged rows when A is not transposed, else the
// batched products reduced.
LogicalResult matmulRule(MatmulOp op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value a = op.getLhs(), bm = op.getRhs(), dc = dys[0];
  bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bm.getType());
  int64_t rank = aType.getRank();
  bool shared = bType.getRank() == 2 && rank > 2;
  if (!ta) {
    dxs[0] = matmul(b, l, aType, dc, bm, false, !tb);
  } else if (!shared) {
    dxs[0] = matmul(b, l, aType, bm, dc, tb, true);
  } else {
    // A shared B cannot be a left-hand side: (dC op(B)^T)^T per batch.
    SmallVector<int64_t> shape(aType.getShape());
    std::swap(shape[rank - 1], shape[rank - 2]);
    Value t = matmul(b, l, aType.clone(shape), dc, bm, false, !tb);
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    dxs[0] = TransposeOp::create(b, l, t, perm);
  }
  if (!shared) {
    dxs[1] = tb ? matmul(b, l, bType, dc, a, true, ta)
                : matmul(b, l, bType, a, dc, !ta, false);
    return success();
  }
  if (!ta) {
    Value a2 = mergeRows(b, l, a), dc2 = mergeRows(b, l, dc);
    dxs[1] = tb ? matmul(b, l, bType, dc2, a2, true, false)
                : matmul(b, l, bType, a2, dc2, true, false);
    return success();
  }
  SmallVector<int64_t> batched(aType.getShape().drop_back(2));
  llvm::append_range(batched, bType.getShape());
  auto batchedType = RankedTensorType::get(batched, bType.getElementType());
  // op(A) = A^T here: dB = tb ? dC^T A^T : A dC, per batch.
  Value per = tb ? matmul(b, l, batchedType, dc, a, true, true)
                 : matmul(b, l, batchedType, a, dc, false, false);
  SmallVector<int64_t> batchDims =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 2));
  dxs[1] = ReduceOp::create(b, l, ReduceKind::sum, per, batchDims);
  return success();
}

/// `value` with zeros put around it: `low` / `high` elements per dim.
Value zeroPad(OpBuilder &b, Location l, Value value, ArrayRef<int64_t> low,
              ArrayRef<int64_t> high) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  Value zero = splat(b, l, RankedTensorType::get({}, type.getElementType()), 0);
  return PadOp::create(b, l, PadMode::constant, value, zero, low, high);
}

/// `value` with `stride - 1` zeros between consecutive elements of `dim`
/// ([n] -> [(n - 1) * stride + 1]): a strided slice's cotangent spread back.
Value dilate(OpBuilder &b, Location l, Value value, int64_t dim,
             int64_t stride) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t n = type.getDimSize(dim), rank = type.getRank();
  SmallVector<int64_t> split(type.getShape());
  split.insert(split.begin() + dim + 1, 1);
  Value v = ReshapeOp::create(b, l, type.clone(split), value);
  SmallVector<int64_t> low(rank + 1, 0), high(rank + 1, 0);
  high[dim + 1] = stride - 1;
  v = zeroPad(b, l, v, low, high);
  SmallVector<int64_t> merged(type.getShape());
  merged[dim] = n * stride;
  v = ReshapeOp::create(b, l, type.clone(merged), v);
  SmallVector<int64_t> start(rank, 0), limit(merged), strides(rank, 1);
  limit[dim] = (n - 1) * stride + 1;
  return SliceOp::create(b, l, v, start, limit, strides);
}

// The cotangent placed back where the slice read: dilated by the strides,
// then padded with zeros to the operand's shape.
LogicalResult sliceRule(SliceOp op, OpBuilder &b, ValueRange dys,
                        SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  auto type = cast<RankedTensorType>(op.getOperand().getType());
  Value g = dys[0];
  SmallVector<int64_t> low, high;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t stride = op.getStrides()[d];
    int64_t n = cast<RankedTensorType>(g.getType()).getDimSize(d);
    if (stride > 1 && n > 1)
      g = dilate(b, l, g, d, stride);
    int64_t extent = n == 0 ? 0 : (n - 1) * stride + 1;
    low.push_back(op.getStart()[d]);
    high.push_back(type.getDimSize(d) - op.getStart()[d] - extent);
  }
  dxs[0] = zeroPad(b, l, g, low, high);
  return success();
}

LogicalResult concatenateRule(ConcatenateOp op, OpBuilder &b, ValueRange dys,
                              SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  int64_t dim = op.getDimension(), offset = 0;
  auto outType = cast<RankedTensorType>(op.getType());
  for (auto [i, input] : llvm::enumerate(op.getInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> start(type.getRank(), 0), limit(outType.getShape()),
        strides(type.getRank(), 1);
    start[dim] = offset;
    limit[dim] = offset + type.getDimSize(dim);
    offset = limit[dim];
    dxs[i] = SliceOp::create(b, l, dys[0], start, limit, strides);
  }
  return success();
}

// Constant padding: the operand's part of the cotangent; the padding value
// gets the sum over the padded positions.
LogicalResult padRule(PadOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  if (op.getMode() != PadMode::constant)
    return op.emitError("no gradient rule for ")
           << stringifyPadMode(op.getMode()) << " padding yet";
  Location l = op.getLoc();
  auto type = cast<RankedTensorType>(op.getOperand().getType());
  SmallVector<int64_t> start(op.getLow()), limit, strides(type.getRank(), 1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    limit.push_back(start[d] + type.getDimSize(d));
  dxs[0] = SliceOp::create(b, l, dys[0], start, limit, strides);
  dxs[1] = SubOp::create(b, l, sumAll(b, l, dys[0]), sumAll(b, l, dxs[0]));
  return success();
}

// The adjoint of a gather: rows added back at their indices (repeated
// indices accumulate, in a fixed order).
LogicalResult gatherRule(GatherOp op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  auto type = cast<RankedTensorType>(op.getOperand().getType());
  dxs[0] = ScatterAddOp::create(b, l, type, op.getIndices(), dys[0],
                                splat(b, l, type, 0.0), op.getAxis());
  return success();
}

} // namespace

void registerShapeVJPs(MLIRContext *ctx) {
  attachRule<SliceOp, sliceRule>(ctx);
  attachRule<ConcatenateOp, concatenateRule>(ctx);
  attachRule<PadOp, padRule>(ctx);
  attachRule<GatherOp, gatherRule>(ctx);
  attachRule<GatherElementsOp, gatherElementsRule>(ctx);
  attachRule<ScatterElementsOp, scatterElementsRule>(ctx);
  attachRule<CumSumOp, cumSumRule>(ctx);
  attachRule<ReverseOp, reverseRule>(ctx);
  attachRule<BroadcastInDimOp, broadcastRule>(ctx);
  attachRule<ReshapeOp, reshapeRule>(ctx);
  attachRule<TransposeOp, transposeRule>(ctx);
  attachRule<ReduceOp, reduceRule>(ctx);
  attachRule<MatmulOp, matmulRule>(ctx);
}

} // namespace mlir::dlcc::training
