//===- IndexingOps.cpp - ONNX Slice, Gather, Trilu, CumSum, Pad, ... ------===//
//
// The indexing half of the shape-op family (registered from ShapeOps.cpp):
// Slice (ONNX clamping, negative steps as dlcc.reverse + dlcc.slice),
// Gather and GatherElements (negative indices normalised on the host when
// constant, else with a select), Trilu, CumSum, Pad, GatherND, OneHot,
// EyeLike, and ScatterElements/ScatterND (owned by destination).
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"
#include "ShapeHelpers.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace dlcc::onnx_import {


namespace {
using namespace shape_detail;
using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::Twine;
using mlir::failure;
using mlir::success;

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// Slices input 0. `axes` empty with !hasAxes means [0, len(starts)); `steps`
/// empty with !hasSteps means all ones.
LogicalResult slice(NodeImporter &n, ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
                    SmallVector<int64_t> axes, bool hasAxes,
                    SmallVector<int64_t> steps, bool hasSteps) {
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  size_t count = starts.size();
  if (ends.size() != count)
    return n.fail("starts " + shapeString(starts) + " and ends " + shapeString(ends) +
                  " differ in length");
  if (!hasAxes) {
    if ((int64_t)count > rank)
      return n.fail("starts " + shapeString(starts) + " has more entries than the input's rank " +
                    Twine(rank));
    for (size_t j = 0; j < count; ++j)
      axes.push_back(j);
  } else if (axes.size() != count) {
    return n.fail("axes " + shapeString(axes) + " and starts " + shapeString(starts) +
                  " differ in length");
  }
  if (!hasSteps)
    steps.assign(count, 1);
  else if (steps.size() != count)
    return n.fail("steps " + shapeString(steps) + " and starts " + shapeString(starts) +
                  " differ in length");

  // Per dimension: first index, step (possibly negative) and result size.
  SmallVector<int64_t> first(rank, 0), step(rank, 1), shape(in);
  SmallVector<bool> seen(rank, false);
  for (size_t j = 0; j < count; ++j) {
    auto axis = n.normalizeAxis(axes[j], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return n.fail("axes " + shapeString(axes) + " repeat axis " + Twine(*axis));
    seen[*axis] = true;
    int64_t d = in[*axis], st = steps[j], s = starts[j], e = ends[j], size;
    if (st == 0)
      return n.fail("steps " + shapeString(steps) + " contain 0");
    if (s < 0)
      s += d;
    if (e < 0)
      e += d;
    if (d == 0) {
      s = 0, st = 1, size = 0;
    } else if (st > 0) {
      s = std::clamp<int64_t>(s, 0, d);
      e = std::clamp<int64_t>(e, 0, d);
      st = std::min(st, d); // a larger step selects the same (single) element
      size = e > s ? (e - s - 1) / st + 1 : 0;
    } else {
      s = std::clamp<int64_t>(s, 0, d - 1);
      e = std::clamp<int64_t>(e, -1, d - 1);
      st = std::max(st, -d);
      size = s > e ? (s - e - 1) / -st + 1 : 0;
    }
    first[*axis] = s;
    step[*axis] = st;
    shape[*axis] = size;
  }

  if (const HostTensor *c = n.constantInput(0); c && fitsOnHost(shape)) {
    SmallVector<int64_t> strides = rowMajorStrides(in);
    n.setConstantOutput(0, hostRemap(*c, shape, [&](ArrayRef<int64_t> idx) {
                          int64_t f = 0;
                          for (int64_t i = 0; i < rank; ++i)
                            f += (first[i] + idx[i] * step[i]) * strides[i];
                          return f;
                        }));
    return success();
  }

  // Negative steps: reverse those dimensions, then take a positive-stride
  // slice of the reversed tensor (index i becomes d - 1 - i).
  SmallVector<int64_t> reversed, start(rank), limit(rank), strides(rank);
  bool identity = true;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = in[i];
    if (shape[i] == 0) {
      start[i] = limit[i] = 0, strides[i] = 1;
    } else if (step[i] < 0) {
      reversed.push_back(i);
      start[i] = d - 1 - first[i];
      strides[i] = -step[i];
      limit[i] = start[i] + (shape[i] - 1) * strides[i] + 1;
    } else {
      start[i] = first[i];
      strides[i] = step[i];
      limit[i] = start[i] + (shape[i] - 1) * strides[i] + 1;
    }
    identity &= start[i] == 0 && shape[i] == d;
  }
  mlir::Value x = n.input(0);
  if (!reversed.empty())
    x = n.create<ReverseOp>(x.getType(), x, reversed);
  if (!identity)
    x = n.create<SliceOp>(x, start, limit, strides);
  n.setOutput(0, x);
  return success();
}

LogicalResult handleSlice1(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  if (!n.hasAttr("starts") || !n.hasAttr("ends"))
    return n.fail("missing required attribute 'starts' or 'ends'");
  SmallVector<int64_t> axes = n.getInts("axes");
  bool hasAxes = !axes.empty();
  return slice(n, n.getInts("starts"), n.getInts("ends"), axes, hasAxes, {}, false);
}

LogicalResult handleSlice(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  auto starts = n.constantInts(1, "starts");
  if (failed(starts))
    return failure();
  auto ends = n.constantInts(2, "ends");
  if (failed(ends))
    return failure();
  SmallVector<int64_t> axes, steps;
  for (auto [i, list, name] : {std::make_tuple(3, &axes, "axes"),
                               std::make_tuple(4, &steps, "steps")}) {
    if (!n.hasInput(i))
      continue;
    auto c = n.constantInts(i, name);
    if (failed(c))
      return failure();
    *list = *c;
  }
  return slice(n, *starts, *ends, axes, n.hasInput(3), steps, n.hasInput(4));
}

//===----------------------------------------------------------------------===//
// Gather, GatherElements
//===----------------------------------------------------------------------===//

/// Checks the indices' type; when they are a host constant, returns them with
/// negative entries wrapped (failing on out-of-range ones).
FailureOr<std::optional<HostTensor>> constantIndices(NodeImporter &n, int64_t dim) {
  mlir::Type et = n.inputType(1).getElementType();
  if (!et.isSignlessInteger(32) && !et.isSignlessInteger(64))
    return n.fail("indices must be int32 or int64");
  const HostTensor *c = n.constantInput(1);
  if (!c)
    return std::optional<HostTensor>();
  HostTensor t = *c;
  for (int64_t &v : t.ints) {
    if (v < -dim || v >= dim)
      return n.fail("index " + Twine(v) + " is out of range [" + Twine(-dim) + ", " +
                    Twine(dim - 1) + "]");
    if (v < 0)
      v += dim;
  }
  return std::optional<HostTensor>(std::move(t));
}

/// select(idx < 0, idx + dim, idx): a negative index counts from the end.
mlir::Value wrapNegative(NodeImporter &n, mlir::Value idx, int64_t dim) {
  mlir::Type type = idx.getType();
  mlir::Value negative = n.create<CompareOp>(ComparisonDirection::lt, idx, n.splatLike(idx, 0));
  mlir::Value wrapped = n.create<AddOp>(type, idx, n.splatLike(idx, (double)dim));
  return n.create<SelectOp>(type, negative, wrapped, idx);
}

/// The indices as a value: the normalised constant, or the runtime indices
/// wrapped (wrapNegative).
mlir::Value indicesValue(NodeImporter &n, const std::optional<HostTensor> &host,
                         int64_t dim) {
  return host ? n.constant(*host) : wrapNegative(n, n.input(1), dim);
}

LogicalResult handleGather(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  ArrayRef<int64_t> data = n.inputType(0).getShape();
  ArrayRef<int64_t> indices = n.inputType(1).getShape();
  int64_t rank = data.size(), q = indices.size();
  if (rank == 0)
    return n.fail("data must have rank >= 1");
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  auto host = constantIndices(n, data[*axis]);
  if (failed(host))
    return failure();
  SmallVector<int64_t> out(data.take_front(*axis));
  llvm::append_range(out, indices);
  llvm::append_range(out, data.drop_front(*axis + 1));
  if (const HostTensor *c = n.constantInput(0); c && *host && fitsOnHost(out)) {
    SmallVector<int64_t> ds = rowMajorStrides(data), is = rowMajorStrides(indices);
    const HostTensor &idx = **host;
    n.setConstantOutput(0, hostRemap(*c, out, [&](ArrayRef<int64_t> o) {
                          int64_t f = 0, k = 0;
                          for (int64_t d = 0; d < *axis; ++d)
                            f += o[d] * ds[d];
                          for (int64_t j = 0; j < q; ++j)
                            k += o[*axis + j] * is[j];
                          f += idx.ints[k] * ds[*axis];
                          for (int64_t d = *axis + 1; d < rank; ++d)
                            f += o[d - 1 + q] * ds[d];
                          return f;
                        }));
    return success();
  }
  mlir::Value idx = indicesValue(n, *host, data[*axis]);
  n.setOutput(0, n.create<GatherOp>(n.input(0), idx, (uint64_t)*axis));
  return success();
}

LogicalResult handleGatherElements(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  RankedTensorType dataType = n.inputType(0);
  ArrayRef<int64_t> data = dataType.getShape();
  ArrayRef<int64_t> indices = n.inputType(1).getShape();
  int64_t rank = data.size();
  if (rank == 0)
    return n.fail("data must have rank >= 1");
  if ((int64_t)indices.size() != rank)
    return n.fail("indices of shape " + shapeString(indices) +
                  " must have the rank of data of shape " + shapeString(data));
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis && indices[d] > data[d])
      return n.fail("indices of shape " + shapeString(indices) +
                    " exceed data of shape " + shapeString(data) + " outside axis " +
                    Twine(*axis));
  auto host = constantIndices(n, data[*axis]);
  if (failed(host))
    return failure();
  if (const HostTensor *c = n.constantInput(0); c && *host && fitsOnHost(indices)) {
    SmallVector<int64_t> ds = rowMajorStrides(data), is = rowMajorStrides(indices);
    const HostTensor &idx = **host;
    n.setConstantOutput(0, hostRemap(*c, indices, [&](ArrayRef<int64_t> o) {
                          int64_t k = 0, f = 0;
                          for (int64_t d = 0; d < rank; ++d)
                            k += o[d] * is[d];
                          for (int64_t d = 0; d < rank; ++d)
                            f += (d == *axis ? idx.ints[k] : o[d]) * ds[d];
                          return f;
                        }));
    return success();
  }
  mlir::Value idx = indicesValue(n, *host, data[*axis]);
  n.setOutput(0, n.create<GatherElementsOp>(dataType.clone(indices), n.input(0), idx,
                                            (uint64_t)*axis));
  return success();
}

//===----------------------------------------------------------------------===//
// Trilu, CumSum
//===----------------------------------------------------------------------===//

LogicalResult handleTrilu(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  RankedTensorType type = n.inputType(0);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size();
  if (rank < 2)
    return n.fail("input must have rank >= 2");
  bool upper = n.getInt("upper", 1) != 0;
  int64_t rows = shape[rank - 2], cols = shape[rank - 1];
  std::optional<int64_t> k = 0;
  if (n.hasInput(1)) {
    if (n.inputType(1).getNumElements() != 1)
      return n.fail("k must be a scalar");
    const HostTensor *c = n.constantInput(1);
    k = c ? std::optional<int64_t>(c->intAt(0)) : std::nullopt;
  }
  // Keep element (i, j) when j - i >= k (upper) or j - i <= k (lower).
  if (const HostTensor *c = n.constantInput(0); c && k && fitsOnHost(shape)) {
    HostTensor out = *c;
    for (int64_t f = 0; f < out.size(); ++f) {
      int64_t i = (f / cols) % rows, j = f % cols;
      if (upper ? j - i < *k : j - i > *k)
        out.set(f, 0);
    }
    n.setConstantOutput(0, std::move(out));
    return success();
  }
  mlir::Type i64 = mlir::IntegerType::get(n.context(), 64);
  auto maskType = RankedTensorType::get({rows, cols}, i64);
  mlir::Value row = n.create<IotaOp>(maskType, (uint64_t)0);
  mlir::Value col = n.create<IotaOp>(maskType, (uint64_t)1);
  mlir::Value diff = n.create<SubOp>(maskType, col, row);
  mlir::Value kv;
  if (k) {
    // |j - i| < rows + cols, so clamping keeps the mask and the value exact.
    int64_t bound = rows + cols;
    kv = n.splat(i64, {rows, cols}, (double)std::clamp<int64_t>(*k, -bound, bound));
  } else {
    auto b = n.broadcastTo(n.reshape(n.convert(n.input(1), i64), {}), {rows, cols});
    if (failed(b))
      return failure();
    kv = *b;
  }
  mlir::Value mask = n.create<CompareOp>(
      upper ? ComparisonDirection::ge : ComparisonDirection::le, diff, kv);
  auto full = n.broadcastTo(mask, shape);
  if (failed(full))
    return failure();
  mlir::Value x = n.input(0);
  n.setOutput(0, n.create<SelectOp>(type, *full, x, n.splatLike(x, 0)));
  return success();
}

LogicalResult handleCumSum(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  auto axisValues = n.constantInts(1, "axis");
  if (failed(axisValues))
    return failure();
  if (axisValues->size() != 1)
    return n.fail("axis must be a scalar");
  RankedTensorType type = n.inputType(0);
  auto axis = n.normalizeAxis((*axisValues)[0], type.getRank());
  if (failed(axis))
    return failure();
  n.setOutput(0, n.create<CumSumOp>(type, n.input(0), (uint64_t)*axis,
                                    n.getInt("exclusive", 0) != 0,
                                    n.getInt("reverse", 0) != 0));
  return success();
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

LogicalResult handlePad(NodeImporter &n) {
  if (failed(n.requireInputs(n.version >= 11 ? 2 : 1)))
    return failure();
  RankedTensorType type = n.inputType(0);
  ArrayRef<int64_t> in = type.getShape();
  int64_t rank = in.size();
  mlir::Type et = type.getElementType();

  std::string modeName = n.getString("mode", "constant");
  PadMode mode;
  if (modeName == "constant")
    mode = PadMode::constant;
  else if (modeName == "edge")
    mode = PadMode::edge;
  else if (modeName == "reflect")
    mode = PadMode::reflect;
  else if (modeName == "wrap" && n.version >= 19)
    mode = PadMode::wrap;
  else
    return n.fail("unsupported mode '" + modeName + "'");

  SmallVector<int64_t> pads;
  if (n.version < 11) {
    const char *name = n.version == 1 ? "paddings" : "pads";
    if (!n.hasAttr(name))
      return n.fail(Twine("missing required attribute '") + name + "'");
    pads = n.getInts(name);
  } else {
    auto c = n.constantInts(1, "pads");
    if (failed(c))
      return failure();
    pads = *c;
  }
  SmallVector<int64_t> axes;
  if (n.version >= 18 && n.hasInput(3)) {
    auto c = n.constantInts(3, "axes");
    if (failed(c))
      return failure();
    SmallVector<bool> seen(rank, false);
    for (int64_t a : *c) {
      auto axis = n.normalizeAxis(a, rank, "axis");
      if (failed(axis))
        return failure();
      if (seen[*axis])
        return n.fail("axes " + shapeString(*c) + " repeat axis " + Twine(*axis));
      seen[*axis] = true;
      axes.push_back(*axis);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  int64_t numAxes = axes.size();
  if ((int64_t)pads.size() != 2 * numAxes)
    return n.fail("pads " + shapeString(pads) + " must have " + Twine(2 * numAxes) +
                  " entries (begin and end for each of " + Twine(numAxes) + " axes)");
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t j = 0; j < numAxes; ++j) {
    low[axes[j]] = pads[j];
    high[axes[j]] = pads[numAxes + j];
  }

  // Pad by the positive parts, then slice off the negative ones.
  SmallVector<int64_t> lowPos(rank), highPos(rank), start(rank), limit(rank), ones(rank, 1);
  bool anyPos = false, anyNeg = false;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = in[i], lo = low[i], hi = high[i], padded;
    if (lo == INT64_MIN || hi == INT64_MIN)
      return n.fail("pads " + shapeString(pads) + " are out of range");
    lowPos[i] = std::max<int64_t>(lo, 0);
    highPos[i] = std::max<int64_t>(hi, 0);
    anyPos |= lo > 0 || hi > 0;
    anyNeg |= lo < 0 || hi < 0;
    if (__builtin_add_overflow(d, lowPos[i], &padded) ||
        __builtin_add_overflow(padded, highPos[i], &padded))
      return n.fail("pads " + shapeString(pads) + " are too large");
    if (mode != PadMode::constant && (lo > 0 || hi > 0)) {
      bool ok = d > 0;
      if (mode == PadMode::reflect)
        ok = lowPos[i] < d && highPos[i] < d;
      if (mode == PadMode::wrap)
        ok = d > 0 && lowPos[i] <= d && highPos[i] <= d;
      if (!ok)
        return n.fail("pads (" + Twine(lo) + ", " + Twine(hi) + ") of axis " + Twine(i) +
                      " (size " + Twine(d) + ") are too large for " + modeName +
                      " mode");
    }
    start[i] = std::max<int64_t>(-lo, 0);
    limit[i] = padded - std::max<int64_t>(-hi, 0);
    if (limit[i] < start[i])
      return n.fail("negative pads (" + Twine(lo) + ", " + Twine(hi) +
                    ") remove more than the " + Twine(d) + " elements of axis " + Twine(i));
  }
  mlir::Value x = n.input(0);
  if (anyPos) {
    mlir::Value value;
    if (mode != PadMode::constant) {
      value = n.splat(et, {}, 0);
    } else if (n.version < 11) {
      value = n.splat(et, {}, n.getFloat("value", 0));
    } else if (!n.hasInput(2)) {
      value = n.splat(et, {}, 0);
    } else {
      RankedTensorType vt = n.inputType(2);
      if (vt.getNumElements() != 1 || vt.getElementType() != et)
        return n.fail("constant_value must be one element of the data's type");
      if (const HostTensor *c = n.constantInput(2)) {
        HostTensor t = *c;
        t.shape.clear();
        value = n.constant(t);
      } else {
        value = n.reshape(n.input(2), {});
      }
    }
    x = n.create<PadOp>(mode, x, value, lowPos, highPos);
  }
  if (anyNeg)
    x = n.create<SliceOp>(x, start, limit, ones);
  n.setOutput(0, x);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// GatherND, OneHot, EyeLike
//===----------------------------------------------------------------------===//

/// GatherND: each index tuple (the indices' last dim, m entries) becomes
/// one linear index into the data's dims [b, b + m) (plus the batch's
/// offset with batch_dims b), and one gather along the flattened dims. Each
/// coordinate is wrapped (negative) and clamped to its dimension.
LogicalResult handleGatherND(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  ArrayRef<int64_t> data = n.inputType(0).getShape();
  ArrayRef<int64_t> idxShape = n.inputType(1).getShape();
  if (!n.inputType(1).getElementType().isSignlessInteger(64))
    return n.fail("indices must be int64");
  int64_t r = data.size(), q = idxShape.size();
  int64_t b = n.version >= 12 ? n.getInt("batch_dims", 0) : 0;
  if (q < 1 || r < 1 || b < 0 || b >= std::min(q, r))
    return n.fail("batch_dims " + Twine(b) + " must be below the ranks of data (" +
                  Twine(r) + ") and indices (" + Twine(q) + ")");
  int64_t m = idxShape[q - 1];
  if (m < 1 || b + m > r)
    return n.fail("index tuples of " + Twine(m) + " entries do not fit data of rank " +
                  Twine(r) + " after " + Twine(b) + " batch dims");
  for (int64_t d = 0; d < b; ++d)
    if (data[d] != idxShape[d])
      return n.fail("batch dim " + Twine(d) + " is " + Twine(data[d]) +
                    " in data but " + Twine(idxShape[d]) + " in indices");
  SmallVector<int64_t> points(idxShape.drop_back()); // one index per point
  mlir::Value idx = n.input(1);
  auto i64Type = RankedTensorType::get(points, n.builder.getI64Type());
  mlir::Value linear;
  int64_t stride = 1;
  for (int64_t k = m - 1; k >= 0; --k) {
    int64_t dim = data[b + k];
    SmallVector<int64_t> start(q, 0), limit(idxShape), ones(q, 1);
    start[q - 1] = k;
    limit[q - 1] = k + 1;
    mlir::Value v = wrapNegative(
        n, n.reshape(n.create<SliceOp>(idx, start, limit, ones), points), dim);
    // Clamped per coordinate, as dlcc.gather clamps: an out-of-range
    // coordinate never reaches another row of the flattened table.
    v = n.create<MinOp>(n.create<MaxOp>(v, n.splatLike(v, 0)),
                        n.splatLike(v, dim - 1));
    if (stride != 1)
      v = n.create<MulOp>(v, n.splatLike(v, stride));
    linear = linear ? n.create<AddOp>(linear, v).getResult() : v;
    stride *= dim;
  }
  // The batch's offset: its row-major position over dims [0, b) times the
  // indexed block's size.
  for (int64_t d = b - 1; d >= 0; --d) {
    mlir::Value i = n.create<IotaOp>(i64Type, uint64_t(d));
    linear = n.create<AddOp>(linear, n.create<MulOp>(i, n.splatLike(i, stride)));
    stride *= data[d];
  }
  SmallVector<int64_t> flat{stride};
  llvm::append_range(flat, data.drop_front(b + m));
  mlir::Value table = n.reshape(n.input(0), flat);
  n.setOutput(0, n.create<GatherOp>(table, linear, uint64_t(0)));
  return success();
}

/// OneHot: `on` where the index (a negative one counting from the end, in
/// version 9 too as onnxruntime does) equals the position along `axis`,
/// `off` elsewhere, so an index outside [-depth, depth) is all `off`; depth
/// must be known at compile time.
LogicalResult handleOneHot(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  const HostTensor *depthValue = n.constantInput(1);
  if (!depthValue || depthValue->size() != 1)
    return n.fail("depth must be one value known at compile time");
  int64_t depth = depthValue->intAt(0);
  if (depth < 1 || depth > INT32_MAX)
    return n.fail("depth " + Twine(depth) + " is out of range");
  ArrayRef<int64_t> idxShape = n.inputType(0).getShape();
  RankedTensorType valuesType = n.inputType(2);
  if (valuesType.getNumElements() != 2)
    return n.fail("values must hold two elements [off, on]");
  int64_t rank = idxShape.size() + 1;
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> out(idxShape), kept(idxShape);
  out.insert(out.begin() + *axis, depth);
  kept.insert(kept.begin() + *axis, 1);
  mlir::Type i64 = n.builder.getI64Type();
  mlir::Value idx = wrapNegative(n, n.convert(n.input(0), i64), depth);
  auto spread = n.broadcastTo(n.reshape(idx, kept), out);
  if (failed(spread))
    return failure();
  mlir::Value position = n.create<IotaOp>(RankedTensorType::get(out, i64), uint64_t(*axis));
  mlir::Value hot = n.create<CompareOp>(ComparisonDirection::eq, position, *spread);
  mlir::Value values = n.reshape(n.input(2), {2});
  auto pick = [&](int64_t i) -> FailureOr<mlir::Value> {
    mlir::Value v = n.reshape(n.create<SliceOp>(values, ArrayRef<int64_t>{i},
                                                ArrayRef<int64_t>{i + 1},
                                                ArrayRef<int64_t>{1}),
                              {});
    return n.broadcastTo(v, out);
  };
  auto off = pick(0), on = pick(1);
  if (failed(off) || failed(on))
    return failure();
  n.setOutput(0, n.create<SelectOp>(hot, *on, *off));
  return success();
}

/// EyeLike: ones on the k-th diagonal of a 2-D shape, zeros elsewhere.
LogicalResult handleEyeLike(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  RankedTensorType type = n.inputType(0);
  if (type.getRank() != 2)
    return n.fail("input must be 2-D, not " + shapeString(type.getShape()));
  mlir::Type et = type.getElementType();
  if (n.hasAttr("dtype")) {
    et = elementTypeFromOnnx(n.context(), int32_t(n.getInt("dtype", 0)));
    if (!et)
      return n.fail("unsupported dtype " + Twine(n.getInt("dtype", 0)));
  }
  int64_t k = n.getInt("k", 0);
  auto indexType = type.clone(n.builder.getI64Type());
  mlir::Value row = n.create<IotaOp>(indexType, uint64_t(0));
  mlir::Value column = n.create<IotaOp>(indexType, uint64_t(1));
  mlir::Value diagonal = n.create<CompareOp>(
      ComparisonDirection::eq, column, n.create<AddOp>(row, n.splatLike(row, k)));
  n.setOutput(0, n.convert(diagonal, et));
  return success();
}

//===----------------------------------------------------------------------===//
// ScatterElements, ScatterND
//===----------------------------------------------------------------------===//

/// The `reduction` attribute of ScatterElements/ScatterND (16: none, add,
/// mul; 18: also max, min).
FailureOr<ScatterReduction> scatterReduction(NodeImporter &n) {
  std::string name = n.version >= 16 ? n.getString("reduction", "none") : "none";
  if (name == "none")
    return ScatterReduction::none;
  if (n.inputType(0).getElementType().isInteger(1))
    return n.fail("reduction '" + name + "' of bool data is not supported");
  if (name == "add")
    return ScatterReduction::add;
  if (name == "mul")
    return ScatterReduction::mul;
  if (name == "max" && n.version >= 18)
    return ScatterReduction::max;
  if (name == "min" && n.version >= 18)
    return ScatterReduction::min;
  return n.fail("unsupported reduction '" + name + "'");
}

/// ScatterElements (and the older Scatter). Indices smaller than the data
/// outside `axis` are padded with an index that matches nothing.
LogicalResult handleScatterElements(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  auto kind = scatterReduction(n);
  if (failed(kind))
    return failure();
  RankedTensorType dataType = n.inputType(0), idxType = n.inputType(1);
  mlir::Type et = idxType.getElementType();
  if (!et.isSignlessInteger(32) && !et.isSignlessInteger(64))
    return n.fail("indices must be int32 or int64");
  int64_t rank = dataType.getRank();
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  if (idxType.getRank() != rank || n.inputType(2).getShape() != idxType.getShape())
    return n.fail("indices " + shapeString(idxType.getShape()) + " and updates " +
                  shapeString(n.inputType(2).getShape()) +
                  " must share a shape of the data's rank " + Twine(rank));
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  bool pad = false;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == *axis)
      continue;
    if (idxType.getDimSize(d) > dataType.getDimSize(d))
      return n.fail("indices dimension " + Twine(d) + " (size " +
                    Twine(idxType.getDimSize(d)) + ") exceeds the data's (size " +
                    Twine(dataType.getDimSize(d)) + ")");
    high[d] = dataType.getDimSize(d) - idxType.getDimSize(d);
    pad |= high[d] > 0;
  }
  mlir::Value idx = n.input(1), upd = n.input(2);
  if (pad) {
    idx = n.create<PadOp>(PadMode::constant, idx,
                          n.splat(et, {}, double(dataType.getDimSize(*axis))), low,
                          high);
    upd = n.create<PadOp>(PadMode::constant, upd,
                          n.splat(dataType.getElementType(), {}, 0), low, high);
  }
  n.setOutput(0, n.create<ScatterElementsOp>(dataType, *kind, n.input(0), idx, upd,
                                             uint64_t(*axis)));
  return success();
}

/// ScatterND: indices [..., m] and updates [..., data dims m..] flattened to
/// P tuples.
LogicalResult handleScatterND(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  auto kind = scatterReduction(n);
  if (failed(kind))
    return failure();
  RankedTensorType dataType = n.inputType(0), idxType = n.inputType(1);
  if (!idxType.getElementType().isSignlessInteger(64))
    return n.fail("indices must be int64");
  ArrayRef<int64_t> data = dataType.getShape(), idx = idxType.getShape();
  int64_t q = idx.size();
  if (q < 1 || idx[q - 1] < 1 || idx[q - 1] > int64_t(data.size()))
    return n.fail("indices " + shapeString(idx) + " must end in a tuple size from 1 to " +
                  Twine(data.size()));
  int64_t m = idx[q - 1];
  SmallVector<int64_t> expected(idx.drop_back());
  llvm::append_range(expected, data.drop_front(m));
  if (n.inputType(2).getShape() != ArrayRef<int64_t>(expected))
    return n.fail("updates " + shapeString(n.inputType(2).getShape()) +
                  " must have shape " + shapeString(expected));
  int64_t points = 1;
  for (int64_t d : idx.drop_back())
    points *= d;
  SmallVector<int64_t> flat{points};
  llvm::append_range(flat, data.drop_front(m));
  n.setOutput(0, n.create<ScatterNdOp>(dataType, *kind, n.input(0),
                                       n.reshape(n.input(1), {points, m}),
                                       n.reshape(n.input(2), flat)));
  return success();
}

void registerIndexingHandlers(HandlerTable &table) {
  table.add("", "Scatter", {9, 11}, handleScatterElements);
  table.add("", "ScatterElements", {11, 13, 16, 18}, handleScatterElements);
  table.add("", "ScatterND", {11, 13, 16, 18}, handleScatterND);
  table.add("", "GatherND", {11, 12, 13}, handleGatherND);
  table.add("", "OneHot", {9, 11}, handleOneHot);
  table.add("", "EyeLike", {9, 22}, handleEyeLike);
  table.add("", "Slice", {1}, handleSlice1);
  table.add("", "Slice", {10, 11, 13}, handleSlice);
  table.add("", "Gather", {1, 11, 13}, handleGather);
  table.add("", "GatherElements", {11, 13}, handleGatherElements);
  table.add("", "Trilu", {14}, handleTrilu);
  table.add("", "CumSum", {11, 14}, handleCumSum);
  table.add("", "Pad", {1, 2, 11, 13, 18, 19, 21}, handlePad);
}

} // namespace dlcc::onnx_import
