//===- ReductionOps.cpp - Reduce* and ArgMax/ArgMin -----------------------===//
//
// Every ONNX reduction becomes a dlcc.reduce over a sorted list of dimensions
// (plus elementwise pre/post steps for the L1/L2/log/mean variants) and a
// reshape for keepdims. Axes come from the attribute before ReduceSum-13 /
// Reduce*-18 and from the optional second input after; an empty axes list
// reduces everything unless noop_with_empty_axes is set.
//
// Reductions of host constants (shape arithmetic such as ReduceProd of a
// Shape) are evaluated at import time.
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <limits>
#include <string>

namespace dlcc::onnx_import {

using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;

namespace {

enum class Reduction { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

/// Normalises, checks for duplicates and sorts a list of axes.
FailureOr<SmallVector<int64_t>> normalizeAxes(NodeImporter &n,
                                              ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t a : axes) {
    auto axis = n.normalizeAxis(a, rank, "axis");
    if (failed(axis))
      return mlir::failure();
    if (llvm::is_contained(result, *axis))
      return n.fail("axes " + shapeString(axes) + " name dimension " +
                    std::to_string(*axis) + " twice");
    result.push_back(*axis);
  }
  llvm::sort(result);
  return result;
}

/// Reduces a host tensor over `dims` (sum, mean, max, min, prod only).
HostTensor reduceHost(const HostTensor &x, ArrayRef<int64_t> dims,
                      ArrayRef<int64_t> outShape, Reduction kind) {
  HostTensor out = HostTensor::zeros(x.elementType, outShape);
  int64_t outSize = out.size(), rank = x.shape.size();
  bool fl = x.isFloat();
  std::vector<double> accF(outSize);
  std::vector<int64_t> accI(outSize);
  for (int64_t i = 0; i < outSize; ++i) {
    switch (kind) {
    case Reduction::Prod:
      accF[i] = 1.0;
      accI[i] = 1;
      break;
    case Reduction::Max:
      accF[i] = -std::numeric_limits<double>::infinity();
      accI[i] = std::numeric_limits<int64_t>::min();
      break;
    case Reduction::Min:
      accF[i] = std::numeric_limits<double>::infinity();
      accI[i] = std::numeric_limits<int64_t>::max();
      break;
    default:
      break;
    }
  }
  int64_t count = 1;
  for (int64_t d : dims)
    count *= x.shape[d];
  SmallVector<int64_t> index(rank, 0);
  for (int64_t lin = 0, e = x.size(); lin < e; ++lin) {
    // Output position: the input index with reduced dimensions dropped.
    int64_t o = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(dims, d))
        o = o * x.shape[d] + index[d];
    double vf = fl ? x.floats[lin] : 0.0;
    int64_t vi = fl ? 0 : x.ints[lin];
    switch (kind) {
    case Reduction::Sum:
    case Reduction::Mean:
      accF[o] += vf;
      accI[o] += vi;
      break;
    case Reduction::Prod:
      accF[o] *= vf;
      accI[o] *= vi;
      break;
    case Reduction::Max:
      accF[o] = (std::isnan(vf) || vf > accF[o]) ? vf : accF[o];
      accI[o] = std::max(accI[o], vi);
      break;
    case Reduction::Min:
      accF[o] = (std::isnan(vf) || vf < accF[o]) ? vf : accF[o];
      accI[o] = std::min(accI[o], vi);
      break;
    default:
      break;
    }
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < x.shape[d])
        break;
      index[d] = 0;
    }
  }
  for (int64_t i = 0; i < outSize; ++i) {
    if (fl)
      out.set(i, kind == Reduction::Mean ? accF[i] / (double)count : accF[i]);
    else
      out.setInt(i, kind == Reduction::Mean ? (count ? accI[i] / count : 0) : accI[i]);
  }
  return out;
}

LogicalResult importReduce(NodeImporter &n, Reduction kind) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  int64_t rank = xt.getRank();
  Type et = xt.getElementType();
  bool needsFloat = kind == Reduction::L2 || kind == Reduction::LogSum ||
                    kind == Reduction::LogSumExp;
  if (needsFloat && !isFloatType(et))
    return n.fail("input must be a float tensor, got element type " + printToString(et));
  if (et.isInteger(1) && kind != Reduction::Max && kind != Reduction::Min)
    return n.fail("boolean inputs are only supported by ReduceMax and ReduceMin");

  // Axes: an attribute in early versions, an optional input later.
  bool axesInput = n.node.op_type() == "ReduceSum" ? n.version >= 13 : n.version >= 18;
  SmallVector<int64_t> axes;
  bool noop = false;
  if (axesInput) {
    if (n.hasAttr("axes"))
      return n.fail("'axes' is an input, not an attribute, from " +
                    n.node.op_type() + "-" + std::to_string(n.version));
    // An axes input with no elements is empty whatever its runtime value.
    if (n.hasInput(1) && n.inputType(1).getNumElements() != 0) {
      auto values = n.constantInts(1, "axes");
      if (failed(values))
        return mlir::failure();
      axes = *values;
    }
    noop = n.getInt("noop_with_empty_axes", 0) != 0;
  } else {
    axes = n.getInts("axes");
  }
  bool keepdims = n.getInt("keepdims", 1) != 0;

  if (axes.empty() && noop) {
    if (const HostTensor *c = n.constantInput(0))
      n.setConstantOutput(0, *c);
    else
      n.setOutput(0, n.input(0));
    return mlir::success();
  }
  SmallVector<int64_t> dims;
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(i);
  } else {
    auto normalized = normalizeAxes(n, axes, rank);
    if (failed(normalized))
      return mlir::failure();
    dims = *normalized;
  }
  SmallVector<int64_t> keptShape(xt.getShape()), reducedShape;
  int64_t count = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (llvm::is_contained(dims, i)) {
      keptShape[i] = 1;
      count *= xt.getDimSize(i);
    } else {
      reducedShape.push_back(xt.getDimSize(i));
    }
  }
  ArrayRef<int64_t> outShape = keepdims ? ArrayRef<int64_t>(keptShape)
                                        : ArrayRef<int64_t>(reducedShape);

  // Shape arithmetic on host constants is evaluated now.
  if (const HostTensor *c = n.constantInput(0)) {
    if (kind == Reduction::Sum || kind == Reduction::Mean || kind == Reduction::Max ||
        kind == Reduction::Min || kind == Reduction::Prod) {
      n.setConstantOutput(0, reduceHost(*c, dims, outShape, kind));
      return mlir::success();
    }
  }

  Value x = n.input(0);
  auto reduce = [&](ReduceKind k, Value v) -> Value {
    return n.create<ReduceOp>(k, v, ArrayRef<int64_t>(dims));
  };
  Value r;
  switch (kind) {
  case Reduction::Sum:
    r = reduce(ReduceKind::sum, x);
    break;
  case Reduction::Mean:
    r = reduce(ReduceKind::sum, x);
    if (isFloatType(et))
      r = n.create<MulOp>(r, n.splatLike(r, 1.0 / (double)count));
    else if (count == 0)
      return n.fail("the mean of an empty integer reduction is undefined");
    else
      r = n.create<DivOp>(r, n.splatLike(r, (double)count));
    break;
  case Reduction::Max:
    r = reduce(ReduceKind::max, x);
    break;
  case Reduction::Min:
    r = reduce(ReduceKind::min, x);
    break;
  case Reduction::Prod:
    r = reduce(ReduceKind::prod, x);
    break;
  case Reduction::L1:
    r = reduce(ReduceKind::sum, n.create<AbsOp>(x));
    break;
  case Reduction::L2:
    r = n.create<SqrtOp>(reduce(ReduceKind::sum, n.create<MulOp>(x, x)));
    break;
  case Reduction::SumSquare:
    r = reduce(ReduceKind::sum, n.create<MulOp>(x, x));
    break;
  case Reduction::LogSum:
    r = n.create<LogOp>(reduce(ReduceKind::sum, x));
    break;
  case Reduction::LogSumExp: {
    // log(sum(exp(x - m))) + m with m the maximum (0 where it is infinite,
    // so that all -inf slices give -inf rather than NaN).
    Value m = reduce(ReduceKind::max, x);
    Value inf = n.splatLike(m, std::numeric_limits<double>::infinity());
    Value isInf = n.create<CompareOp>(ComparisonDirection::eq, n.create<AbsOp>(m), inf);
    m = n.create<SelectOp>(isInf, n.splatLike(m, 0.0), m);
    auto mb = n.broadcastTo(n.reshape(m, keptShape), xt.getShape());
    if (failed(mb))
      return mlir::failure();
    Value s = reduce(ReduceKind::sum, n.create<ExpOp>(n.create<SubOp>(x, *mb)));
    r = n.create<AddOp>(n.create<LogOp>(s), m);
    break;
  }
  }
  n.setOutput(0, n.reshape(r, outShape));
  return mlir::success();
}

LogicalResult importArgReduce(NodeImporter &n, ArgReduceKind kind) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  auto axis = n.normalizeAxis(n.getInt("axis", 0), xt.getRank());
  if (failed(axis))
    return mlir::failure();
  if (xt.getDimSize(*axis) == 0)
    return n.fail("cannot take the arg-extremum of the empty dimension " +
                  std::to_string(*axis) + " of " + shapeString(xt.getShape()));
  if (xt.getElementType().isInteger(1))
    return n.fail("boolean inputs are not supported");
  bool keepdims = n.getInt("keepdims", 1) != 0;
  bool selectLast = n.version >= 12 && n.getInt("select_last_index", 0) != 0;
  SmallVector<int64_t> shape(xt.getShape());
  shape.erase(shape.begin() + *axis);
  auto resultType = RankedTensorType::get(shape, n.builder.getI64Type());
  Value r = n.create<ArgReduceOp>(resultType, kind, n.input(0), (uint64_t)*axis,
                                  selectLast);
  if (keepdims) {
    SmallVector<int64_t> kept(xt.getShape());
    kept[*axis] = 1;
    r = n.reshape(r, kept);
  }
  n.setOutput(0, r);
  return mlir::success();
}

/// Hardmax: 1 where the first maximum along the axis is, 0 elsewhere (an
/// argmax compared with the axis' indices). Before version 13 the input is
/// seen as 2-D, [prod(dims before axis), prod(the rest)].
LogicalResult importHardmax(NodeImporter &n) {
  if (failed(n.requireInputs(1)) || failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  int64_t rank = xt.getRank();
  if (rank < 1)
    return n.fail("input must have rank >= 1");
  auto axis = n.normalizeAxis(n.getInt("axis", n.version >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return mlir::failure();
  Value x = n.input(0);
  int64_t dim = *axis;
  if (n.version < 13) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < dim ? outer : inner) *= xt.getDimSize(d);
    x = n.reshape(x, {outer, inner});
    dim = 1;
  }
  auto type = llvm::cast<RankedTensorType>(x.getType());
  if (type.getDimSize(dim) == 0) {
    n.setOutput(0, n.splat(xt.getElementType(), xt.getShape(), 0.0));
    return mlir::success();
  }
  SmallVector<int64_t> reduced(type.getShape()), kept(type.getShape());
  reduced.erase(reduced.begin() + dim);
  kept[dim] = 1;
  Type i64 = n.builder.getI64Type();
  Value arg = n.create<ArgReduceOp>(RankedTensorType::get(reduced, i64),
                                    ArgReduceKind::argmax, x, (uint64_t)dim,
                                    false);
  auto at = n.broadcastTo(n.reshape(arg, kept), type.getShape());
  if (failed(at))
    return mlir::failure();
  Value iota = n.create<IotaOp>(type.clone(i64), (uint64_t)dim);
  Value y = n.convert(n.create<CompareOp>(ComparisonDirection::eq, iota, *at),
                      xt.getElementType());
  n.setOutput(0, n.reshape(y, xt.getShape()));
  return mlir::success();
}

/// TopK by ranks: with the axis last ([R, n]), element e's rank is how many
/// elements come before it (larger, or equal at a lower index; smaller for
/// largest=0), a sum over the axis; output r is the element of rank r, an
/// exact sum of one nonzero term. The comparisons fuse into their sums
/// (nothing of size n^2 is stored), but the work is O(n^2) per row, so
/// rows x n^2 is capped at 2^32 with a message. Always sorted (ONNX allows
/// it when sorted=0).
LogicalResult importTopK(NodeImporter &n) {
  if (failed(n.requireInputs(n.version >= 10 ? 2 : 1)))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  int64_t rank = xt.getRank();
  if (rank < 1)
    return n.fail("input must have rank >= 1");
  if (xt.getElementType().isInteger(1))
    return n.fail("boolean inputs are not supported");
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return mlir::failure();
  int64_t k;
  if (n.version >= 10) {
    const HostTensor *c = n.constantInput(1);
    if (!c || c->size() != 1)
      return n.fail("K must be one value known at compile time");
    k = c->intAt(0);
  } else {
    k = n.getInt("k", -1);
  }
  int64_t len = xt.getDimSize(*axis);
  if (k < 0 || k > len)
    return n.fail("K " + std::to_string(k) + " is outside [0, " +
                  std::to_string(len) + "]");
  constexpr int64_t kMaxPairs = int64_t(1) << 32;
  int64_t pairCount = 0;
  bool tooMany = len > (int64_t(1) << 31) ||
                 __builtin_mul_overflow(len, len, &pairCount);
  for (int64_t d = 0; d < rank && !tooMany; ++d)
    if (d != *axis)
      tooMany = __builtin_mul_overflow(pairCount, xt.getDimSize(d), &pairCount);
  if (tooMany || pairCount > kMaxPairs)
    return n.fail("TopK over rows of " + std::to_string(len) +
                  " elements is not supported at this size: it compares every "
                  "pair of a row's elements, " + std::to_string(pairCount) +
                  " comparisons (at most 2^32)");
  bool largest = n.version < 11 || n.getInt("largest", 1) != 0;
  // The axis last.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis)
      perm.push_back(d);
  perm.push_back(*axis);
  Value x = n.input(0);
  if (*axis != rank - 1)
    x = n.create<TransposeOp>(x, perm);
  auto type = llvm::cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> rows(type.getShape().drop_back());
  Type i64 = n.builder.getI64Type();
  // [R, e, f]: element e against element f.
  SmallVector<int64_t> pairs(rows), atE(rows), atF(rows);
  pairs.append({len, len});
  atE.append({len, 1});
  atF.append({1, len});
  auto spread = [&](Value v, ArrayRef<int64_t> view) {
    return n.broadcastTo(n.reshape(v, view), pairs);
  };
  auto e = spread(x, atE), f = spread(x, atF);
  if (failed(e) || failed(f))
    return mlir::failure();
  auto pairType = RankedTensorType::get(pairs, i64);
  int64_t last = int64_t(pairs.size()) - 1;
  Value ie = n.create<IotaOp>(pairType, uint64_t(last - 1));
  Value iff = n.create<IotaOp>(pairType, uint64_t(last));
  // A total order: NaN counts as the largest value (as in torch.topk), so
  // the ranks are a permutation whatever the data.
  Value nanF = n.create<CompareOp>(ComparisonDirection::ne, *f, *f);
  Value nanE = n.create<CompareOp>(ComparisonDirection::ne, *e, *e);
  Value same = n.create<OrOp>(n.create<CompareOp>(ComparisonDirection::eq, *f, *e),
                              n.create<AndOp>(nanF, nanE));
  Value firstIsNaN = largest ? n.create<AndOp>(nanF, n.create<NotOp>(nanE))
                             : n.create<AndOp>(nanE, n.create<NotOp>(nanF));
  Value before = n.create<OrOp>(
      n.create<OrOp>(firstIsNaN,
                     n.create<CompareOp>(largest ? ComparisonDirection::gt
                                                 : ComparisonDirection::lt,
                                         *f, *e)),
      n.create<AndOp>(same, n.create<CompareOp>(ComparisonDirection::lt, iff, ie)));
  Value ranks = n.create<ReduceOp>(ReduceKind::sum, n.convert(before, i64),
                                   ArrayRef<int64_t>{last});
  // [R, r, e]: output r picks the element of rank r.
  SmallVector<int64_t> picks(rows), ranksView(rows), outShape(rows);
  picks.append({k, len});
  ranksView.append({1, len});
  outShape.push_back(k);
  auto r = n.broadcastTo(n.reshape(ranks, ranksView), picks);
  auto values = n.broadcastTo(n.reshape(x, ranksView), picks);
  if (failed(r) || failed(values))
    return mlir::failure();
  auto pickType = RankedTensorType::get(picks, i64);
  int64_t lastPick = int64_t(picks.size()) - 1;
  Value hit = n.create<CompareOp>(ComparisonDirection::eq, *r,
                                  n.create<IotaOp>(pickType, uint64_t(lastPick - 1)));
  Value topValues = n.create<ReduceOp>(
      ReduceKind::sum, n.create<SelectOp>(hit, *values, n.splatLike(*values, 0)),
      ArrayRef<int64_t>{lastPick});
  Value position = n.create<IotaOp>(pickType, uint64_t(lastPick));
  Value topIndices = n.create<ReduceOp>(
      ReduceKind::sum, n.create<SelectOp>(hit, position, n.splatLike(position, 0)),
      ArrayRef<int64_t>{lastPick});
  // The axis back in place.
  if (*axis != rank - 1) {
    SmallVector<int64_t> inverse(rank);
    for (int64_t d = 0; d < rank; ++d)
      inverse[perm[d]] = d;
    topValues = n.create<TransposeOp>(topValues, inverse);
    topIndices = n.create<TransposeOp>(topIndices, inverse);
  }
  n.setOutput(0, topValues);
  if (n.hasOutput(1))
    n.setOutput(1, topIndices);
  return mlir::success();
}

HandlerFn reduction(Reduction kind) {
  return [kind](NodeImporter &n) { return importReduce(n, kind); };
}

} // namespace

void registerReductionHandlers(HandlerTable &table) {
  table.add("", "Hardmax", {1, 11, 13}, importHardmax);
  table.add("", "TopK", {1, 10, 11}, importTopK);
  table.add("", "ReduceSum", {1, 11, 13}, reduction(Reduction::Sum));
  table.add("", "ReduceMean", {1, 11, 13, 18}, reduction(Reduction::Mean));
  table.add("", "ReduceMax", {1, 11, 12, 13, 18, 20}, reduction(Reduction::Max));
  table.add("", "ReduceMin", {1, 11, 12, 13, 18, 20}, reduction(Reduction::Min));
  table.add("", "ReduceProd", {1, 11, 13, 18}, reduction(Reduction::Prod));
  table.add("", "ReduceL1", {1, 11, 13, 18}, reduction(Reduction::L1));
  table.add("", "ReduceL2", {1, 11, 13, 18}, reduction(Reduction::L2));
  table.add("", "ReduceLogSum", {1, 11, 13, 18}, reduction(Reduction::LogSum));
  table.add("", "ReduceLogSumExp", {1, 11, 13, 18}, reduction(Reduction::LogSumExp));
  table.add("", "ReduceSumSquare", {1, 11, 13, 18}, reduction(Reduction::SumSquare));
  table.add("", "ArgMax", {1, 11, 12, 13},
            [](NodeImporter &n) { return importArgReduce(n, ArgReduceKind::argmax); });
  table.add("", "ArgMin", {1, 11, 12, 13},
            [](NodeImporter &n) { return importArgReduce(n, ArgReduceKind::argmin); });
}

} // namespace dlcc::onnx_import
