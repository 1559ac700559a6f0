//===- ShapeOps.cpp - ONNX shape and data-movement ops --------------------===//
//
// Constant, ConstantOfShape, Identity, Shape, Size, Reshape, Flatten,
// Transpose, Squeeze, Unsqueeze, Concat, Split, Expand, Tile and Range; the
// indexing ops (Slice, Gather, GatherElements, Trilu, CumSum, Pad) live in
// IndexingOps.cpp and are registered from here.
//
// Shapes are static, so Shape and Size always yield host constants, and every
// op here whose inputs are all host constants (the shape subgraphs that
// torch.onnx.export emits) is evaluated at import time when its result is
// small (kMaxHostTensorElements).
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"
#include "ShapeHelpers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

namespace dlcc::onnx_import {

void registerIndexingHandlers(HandlerTable &table); // IndexingOps.cpp
void registerResizeHandlers(HandlerTable &table);   // ResizeOps.cpp

// Helpers shared with IndexingOps.cpp (declared there as well).
namespace shape_detail {

std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  return n;
}

bool fitsOnHost(llvm::ArrayRef<int64_t> shape) {
  std::optional<int64_t> n = checkedProduct(shape);
  return n && *n <= kMaxHostTensorElements;
}

llvm::SmallVector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

void copyElement(HostTensor &dst, int64_t di, const HostTensor &src, int64_t si) {
  if (dst.isFloat())
    dst.floats[di] = src.floats[si];
  else
    dst.ints[di] = src.ints[si];
}

/// A host tensor of `src`'s type with shape `outShape` whose element at each
/// index is `src`'s element at flat index srcIndex(index).
HostTensor hostRemap(const HostTensor &src, llvm::ArrayRef<int64_t> outShape,
                     llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> srcIndex) {
  HostTensor out = HostTensor::zeros(src.elementType, outShape);
  int64_t total = out.size();
  llvm::SmallVector<int64_t> idx(outShape.size(), 0);
  for (int64_t k = 0; k < total; ++k) {
    copyElement(out, k, src, srcIndex(idx));
    for (int64_t d = (int64_t)outShape.size() - 1; d >= 0; --d) {
      if (++idx[d] < outShape[d])
        break;
      idx[d] = 0;
    }
  }
  return out;
}

/// Defines output 0 as `shape` with `x`'s (input 0's) elements in order:
/// on the host when input 0 is a small host constant, else a dlcc.reshape.
LogicalResult defineReshaped(NodeImporter &n, llvm::ArrayRef<int64_t> shape) {
  if (const HostTensor *c = n.constantInput(0); c && fitsOnHost(shape)) {
    HostTensor t = *c;
    t.shape.assign(shape.begin(), shape.end());
    n.setConstantOutput(0, std::move(t));
    return mlir::success();
  }
  n.setOutput(0, n.reshape(n.input(0), shape));
  return mlir::success();
}

} // namespace shape_detail

namespace {
using namespace shape_detail;
using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::Twine;
using mlir::failure;
using mlir::success;

//===----------------------------------------------------------------------===//
// Constant, ConstantOfShape, Identity, Shape, Size
//===----------------------------------------------------------------------===//

LogicalResult handleConstant(NodeImporter &n) {
  static const char *const kNames[] = {"value",        "sparse_value",
                                       "value_float",  "value_floats",
                                       "value_int",    "value_ints",
                                       "value_string", "value_strings"};
  int count = 0;
  for (const char *name : kNames)
    count += n.hasAttr(name);
  if (count != 1)
    return n.fail("exactly one of the value attributes must be set, got " +
                  Twine(count));
  if (n.hasAttr("sparse_value"))
    return n.fail("sparse_value constants are not supported");
  if (n.hasAttr("value_string") || n.hasAttr("value_strings"))
    return n.fail("string constants are not supported");
  if (n.hasAttr("value")) {
    FailureOr<HostTensor> t = n.getTensorAttr("value");
    if (failed(t))
      return failure();
    n.setConstantOutput(0, std::move(*t));
    return success();
  }
  if (n.version < 12)
    return n.fail("value_float(s) and value_int(s) need Constant-12 or later");
  mlir::MLIRContext *ctx = n.context();
  if (n.hasAttr("value_int") || n.hasAttr("value_ints")) {
    bool scalar = n.hasAttr("value_int");
    HostTensor t = HostTensor::fromInts(
        ctx, scalar ? SmallVector<int64_t>{n.getInt("value_int", 0)}
                    : n.getInts("value_ints"));
    if (scalar)
      t.shape.clear();
    n.setConstantOutput(0, std::move(t));
    return success();
  }
  bool scalar = n.hasAttr("value_float");
  SmallVector<float> values =
      scalar ? SmallVector<float>{n.getFloat("value_float", 0)} : n.getFloats("value_floats");
  HostTensor t;
  t.elementType = mlir::Float32Type::get(ctx);
  if (!scalar)
    t.shape = {(int64_t)values.size()};
  t.floats.assign(values.begin(), values.end());
  n.setConstantOutput(0, std::move(t));
  return success();
}

LogicalResult handleConstantOfShape(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  if (n.inputType(0).getRank() != 1)
    return n.fail("the shape input must be 1-D");
  auto shape = n.constantInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return n.fail("shape " + shapeString(*shape) + " has a negative dimension");
  if (!checkedProduct(*shape))
    return n.fail("shape " + shapeString(*shape) + " is too large");
  HostTensor value;
  if (n.hasAttr("value")) {
    FailureOr<HostTensor> v = n.getTensorAttr("value");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return n.fail("the 'value' attribute must hold exactly one element, it has " +
                    Twine(v->size()));
    value = std::move(*v);
  } else {
    value = HostTensor::zeros(mlir::Float32Type::get(n.context()), {1});
  }
  if (!fitsOnHost(*shape)) {
    n.setOutput(0, n.splat(value.elementType, *shape, value.floatAt(0)));
    return success();
  }
  HostTensor out = HostTensor::zeros(value.elementType, *shape);
  for (int64_t i = 0; i < out.size(); ++i)
    copyElement(out, i, value, 0);
  n.setConstantOutput(0, std::move(out));
  return success();
}

LogicalResult handleIdentity(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  if (const HostTensor *c = n.constantInput(0))
    n.setConstantOutput(0, *c);
  else
    n.setOutput(0, n.input(0));
  return success();
}

LogicalResult handleShape(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> shape = n.inputType(0).getShape();
  int64_t rank = shape.size();
  int64_t start = 0, end = rank;
  if (n.version >= 15) {
    auto clampAxis = [&](int64_t a) {
      if (a < 0)
        a += rank;
      return std::clamp<int64_t>(a, 0, rank);
    };
    start = clampAxis(n.getInt("start", 0));
    end = clampAxis(n.getInt("end", rank));
  }
  end = std::max(start, end);
  n.setConstantOutput(0, HostTensor::fromInts(n.context(), shape.slice(start, end - start)));
  return success();
}

LogicalResult handleSize(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  HostTensor t = HostTensor::fromInts(n.context(), {n.inputType(0).getNumElements()});
  t.shape.clear();
  n.setConstantOutput(0, std::move(t));
  return success();
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

LogicalResult reshapeTo(NodeImporter &n, ArrayRef<int64_t> requested, bool allowZero) {
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  SmallVector<int64_t> out;
  int64_t inferred = -1;
  bool hasZero = false;
  for (auto [i, d] : llvm::enumerate(requested)) {
    if (d == -1) {
      if (inferred >= 0)
        return n.fail("shape " + shapeString(requested) + " has more than one -1");
      inferred = i;
      out.push_back(1);
    } else if (d == 0 && !allowZero) {
      if (i >= in.size())
        return n.fail("shape " + shapeString(requested) + " copies dimension " +
                      Twine(i) + " (0) of an input of rank " + Twine(in.size()));
      out.push_back(in[i]);
    } else if (d < 0) {
      return n.fail("shape " + shapeString(requested) + " has invalid entry " + Twine(d));
    } else {
      hasZero |= d == 0;
      out.push_back(d);
    }
  }
  if (allowZero && hasZero && inferred >= 0)
    return n.fail("shape " + shapeString(requested) +
                  " combines 0 and -1, which allowzero=1 forbids");
  int64_t inCount = n.inputType(0).getNumElements();
  std::optional<int64_t> known = checkedProduct(out);
  if (!known)
    return n.fail("shape " + shapeString(requested) + " is too large");
  if (inferred >= 0) {
    if (*known == 0 || inCount % *known != 0)
      return n.fail("cannot infer the -1 of shape " + shapeString(requested) +
                    " for an input of shape " + shapeString(in));
    out[inferred] = inCount / *known;
  } else if (*known != inCount) {
    return n.fail("cannot reshape " + shapeString(in) + " (" + Twine(inCount) +
                  " elements) to " + shapeString(out) + " (" + Twine(*known) +
                  " elements)");
  }
  return defineReshaped(n, out);
}

LogicalResult handleReshape1(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  if (!n.hasAttr("shape"))
    return n.fail("missing required attribute 'shape'");
  return reshapeTo(n, n.getInts("shape"), /*allowZero=*/false);
}

LogicalResult handleReshape(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  auto shape = n.constantInts(1, "shape");
  if (failed(shape))
    return failure();
  if (n.inputType(1).getRank() != 1)
    return n.fail("the shape input must be 1-D");
  bool allowZero = n.version >= 14 && n.getInt("allowzero", 0) != 0;
  return reshapeTo(n, *shape, allowZero);
}

LogicalResult handleFlatten(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  int64_t axis = n.getInt("axis", 1);
  int64_t lowest = n.version >= 11 ? -rank : 0;
  if (axis < lowest || axis > rank)
    return n.fail("axis " + Twine(axis) + " is out of range [" + Twine(lowest) +
                  ", " + Twine(rank) + "]");
  if (axis < 0)
    axis += rank;
  int64_t outer = *checkedProduct(in.take_front(axis));
  int64_t inner = *checkedProduct(in.drop_front(axis));
  return defineReshaped(n, {outer, inner});
}

/// Normalises a list of axes against `rank`, rejecting duplicates and (for
/// versions that only accept them) negative axes.
FailureOr<SmallVector<int64_t>> normalizeAxes(NodeImporter &n, ArrayRef<int64_t> axes,
                                              int64_t rank, bool allowNegative) {
  SmallVector<int64_t> result;
  for (int64_t a : axes) {
    if (a < 0 && !allowNegative)
      return n.fail("axes " + shapeString(axes) + " must be non-negative in this version");
    auto norm = n.normalizeAxis(a, rank, "axis");
    if (failed(norm))
      return failure();
    if (llvm::is_contained(result, *norm))
      return n.fail("axes " + shapeString(axes) + " repeat axis " + Twine(*norm));
    result.push_back(*norm);
  }
  return result;
}

LogicalResult handleSqueeze(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  SmallVector<int64_t> axes;
  if (n.version < 13) {
    axes = n.getInts("axes");
  } else if (n.hasInput(1)) {
    auto c = n.constantInts(1, "axes");
    if (failed(c))
      return failure();
    axes = *c;
  }
  auto norm = normalizeAxes(n, axes, in.size(), n.version >= 11);
  if (failed(norm))
    return failure();
  SmallVector<int64_t> out;
  for (auto [i, d] : llvm::enumerate(in)) {
    bool listed = llvm::is_contained(*norm, (int64_t)i);
    if (listed && d != 1)
      return n.fail("cannot squeeze axis " + Twine(i) + " of size " + Twine(d) +
                    " (input shape " + shapeString(in) + ")");
    if (!(listed || (norm->empty() && d == 1)))
      out.push_back(d);
  }
  return defineReshaped(n, out);
}

LogicalResult handleUnsqueeze(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  SmallVector<int64_t> axes;
  if (n.version < 13) {
    if (!n.hasAttr("axes"))
      return n.fail("missing required attribute 'axes'");
    axes = n.getInts("axes");
  } else {
    auto c = n.constantInts(1, "axes");
    if (failed(c))
      return failure();
    axes = *c;
  }
  int64_t outRank = in.size() + axes.size();
  auto norm = normalizeAxes(n, axes, outRank, n.version >= 11);
  if (failed(norm))
    return failure();
  SmallVector<int64_t> out;
  const int64_t *next = in.begin();
  for (int64_t i = 0; i < outRank; ++i)
    out.push_back(llvm::is_contained(*norm, i) ? 1 : *next++);
  return defineReshaped(n, out);
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

LogicalResult handleTranspose(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  SmallVector<int64_t> perm;
  if (n.hasAttr("perm")) {
    perm = n.getInts("perm");
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  if ((int64_t)perm.size() != rank)
    return n.fail("perm " + shapeString(perm) + " has " + Twine(perm.size()) +
                  " entries for an input of rank " + Twine(rank));
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return n.fail("perm " + shapeString(perm) + " is not a permutation of [0, " +
                    Twine(rank) + ")");
    seen[p] = true;
  }
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(in[p]);
  if (const HostTensor *c = n.constantInput(0); c && fitsOnHost(out)) {
    SmallVector<int64_t> strides = rowMajorStrides(in);
    n.setConstantOutput(0, hostRemap(*c, out, [&](ArrayRef<int64_t> idx) {
                          int64_t s = 0;
                          for (int64_t i = 0; i < rank; ++i)
                            s += idx[i] * strides[perm[i]];
                          return s;
                        }));
    return success();
  }
  n.setOutput(0, n.create<TransposeOp>(n.input(0), perm));
  return success();
}

/// DepthToSpace (DCR and CRD) and SpaceToDepth: a reshape to 6-D, a
/// transpose and a reshape back (ONNX's definitions).
LogicalResult handleDepthSpace(NodeImporter &n, bool toSpace) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  if (in.size() != 4)
    return n.fail("expects a 4-D input [N, C, H, W], not " + shapeString(in));
  int64_t b = n.getInt("blocksize", 0);
  if (b < 1 || b > 65536)
    return n.fail("blocksize " + Twine(b) + " must be positive");
  int64_t N = in[0], C = in[1], H = in[2], W = in[3];
  std::string mode = toSpace ? n.getString("mode", "DCR") : "";
  SmallVector<int64_t> view, perm, out;
  if (toSpace) {
    if (C % (b * b))
      return n.fail("channels " + Twine(C) + " are not a multiple of blocksize^2 " +
                    Twine(b * b));
    int64_t c = C / (b * b);
    if (mode == "DCR")
      view = {N, b, b, c, H, W}, perm = {0, 3, 4, 1, 5, 2};
    else if (mode == "CRD")
      view = {N, c, b, b, H, W}, perm = {0, 1, 4, 2, 5, 3};
    else
      return n.fail("unsupported mode '" + mode + "'");
    out = {N, c, H * b, W * b};
  } else {
    if (H % b || W % b)
      return n.fail("height " + Twine(H) + " and width " + Twine(W) +
                    " are not multiples of blocksize " + Twine(b));
    view = {N, C, H / b, b, W / b, b}, perm = {0, 3, 5, 1, 2, 4};
    out = {N, C * b * b, H / b, W / b};
  }
  mlir::Value v = n.reshape(n.input(0), view);
  v = n.create<TransposeOp>(v, perm);
  n.setOutput(0, n.reshape(v, out));
  return success();
}

LogicalResult handleConcat(NodeImporter &n) {
  size_t count = n.numInputs();
  if (count == 0)
    return n.fail("needs at least one input");
  if (failed(n.requireInputs(count)))
    return failure();
  if (n.version > 1 && !n.hasAttr("axis"))
    return n.fail("missing required attribute 'axis'");
  RankedTensorType first = n.inputType(0);
  int64_t rank = first.getRank();
  if (rank == 0)
    return n.fail("cannot concatenate scalars (rank 0)");
  auto axis = n.normalizeAxis(n.getInt("axis", 1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> out(first.getShape());
  out[*axis] = 0;
  for (size_t i = 0; i < count; ++i) {
    RankedTensorType t = n.inputType(i);
    if (t.getElementType() != first.getElementType())
      return n.fail("inputs have different element types");
    bool ok = t.getRank() == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == *axis || t.getDimSize(d) == first.getDimSize(d);
    if (!ok)
      return n.fail("input shapes " + shapeString(first.getShape()) + " and " +
                    shapeString(t.getShape()) + " differ outside axis " + Twine(*axis));
    out[*axis] += t.getDimSize(*axis);
  }
  if (n.allInputsConstant() && fitsOnHost(out)) {
    HostTensor result = HostTensor::zeros(first.getElementType(), out);
    int64_t outer = *checkedProduct(ArrayRef<int64_t>(out).take_front(*axis));
    int64_t inner = *checkedProduct(ArrayRef<int64_t>(out).drop_front(*axis + 1));
    int64_t k = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (size_t i = 0; i < count; ++i) {
        const HostTensor *c = n.constantInput(i);
        int64_t block = c->shape[*axis] * inner;
        for (int64_t j = 0; j < block; ++j)
          copyElement(result, k++, *c, o * block + j);
      }
    n.setConstantOutput(0, std::move(result));
    return success();
  }
  SmallVector<mlir::Value> inputs;
  for (size_t i = 0; i < count; ++i)
    inputs.push_back(n.input(i));
  n.setOutput(0, n.create<ConcatenateOp>(inputs, (uint64_t)*axis));
  return success();
}

LogicalResult handleSplit(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  if (rank == 0)
    return n.fail("cannot split a scalar");
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  int64_t dim = in[*axis];
  int64_t numOutputs = n.numOutputs();
  SmallVector<int64_t> sizes;
  bool splitInput = n.version == 1 || n.version >= 13;
  if (splitInput && n.hasInput(1)) {
    auto c = n.constantInts(1, "split");
    if (failed(c))
      return failure();
    sizes = *c;
  } else if (n.version < 13) {
    sizes = n.getInts("split");
  }
  bool uneven = false;
  if (n.version >= 18 && n.hasAttr("num_outputs")) {
    if (n.hasInput(1))
      return n.fail("the 'split' input and the 'num_outputs' attribute are exclusive");
    int64_t k = n.getInt("num_outputs", 0);
    if (k != numOutputs)
      return n.fail("num_outputs is " + Twine(k) + " but the node has " +
                    Twine(numOutputs) + " outputs");
    uneven = true;
  }
  if (numOutputs < 1)
    return n.fail("needs at least one output");
  if (sizes.empty()) {
    // Equal parts; from Split-18 the last part may be smaller.
    int64_t part = (dim + numOutputs - 1) / numOutputs;
    if (dim % numOutputs != 0 && !(uneven || n.version >= 18))
      return n.fail("cannot split axis " + Twine(*axis) + " of size " + Twine(dim) +
                    " into " + Twine(numOutputs) + " equal parts");
    if (part * (numOutputs - 1) > dim)
      return n.fail("cannot split axis " + Twine(*axis) + " of size " + Twine(dim) +
                    " into " + Twine(numOutputs) + " parts of size " + Twine(part));
    sizes.assign(numOutputs - 1, part);
    sizes.push_back(dim - part * (numOutputs - 1));
  }
  if ((int64_t)sizes.size() != numOutputs)
    return n.fail("split " + shapeString(sizes) + " has " + Twine(sizes.size()) +
                  " entries for " + Twine(numOutputs) + " outputs");
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0 || __builtin_add_overflow(total, s, &total))
      return n.fail("split " + shapeString(sizes) + " has an invalid entry");
  }
  if (total != dim)
    return n.fail("split " + shapeString(sizes) + " sums to " + Twine(total) +
                  ", not the size " + Twine(dim) + " of axis " + Twine(*axis));
  const HostTensor *c = n.constantInput(0);
  mlir::Value x = c && fitsOnHost(in) ? mlir::Value() : n.input(0);
  SmallVector<int64_t> strides = rowMajorStrides(in);
  int64_t offset = 0;
  for (int64_t i = 0; i < numOutputs; ++i) {
    SmallVector<int64_t> start(rank, 0), limit(in), step(rank, 1), shape(in);
    start[*axis] = offset;
    limit[*axis] = offset + sizes[i];
    shape[*axis] = sizes[i];
    offset += sizes[i];
    if (!x) {
      n.setConstantOutput(i, hostRemap(*c, shape, [&](ArrayRef<int64_t> idx) {
                            int64_t s = 0;
                            for (int64_t d = 0; d < rank; ++d)
                              s += (idx[d] + start[d]) * strides[d];
                            return s;
                          }));
    } else if (n.hasOutput(i)) {
      n.setOutput(i, n.create<SliceOp>(x, start, limit, step));
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Tile, Range
//===----------------------------------------------------------------------===//

/// Input 1 as a compile-time 1-D integer list (Expand's shape, Tile's
/// repeats), after checking that both inputs are present.
FailureOr<SmallVector<int64_t>> constantVectorInput(NodeImporter &n,
                                                   llvm::StringRef what) {
  if (failed(n.requireInputs(2)))
    return failure();
  auto values = n.constantInts(1, what);
  if (failed(values))
    return failure();
  if (n.inputType(1).getRank() != 1)
    return n.fail("the " + what + " input must be 1-D");
  return values;
}

LogicalResult handleExpand(NodeImporter &n) {
  auto shape = constantVectorInput(n, "shape");
  if (failed(shape))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  for (int64_t d : *shape)
    if (d < 0)
      return n.fail("shape " + shapeString(*shape) + " has a negative dimension");
  auto out = broadcastShapes({in, ArrayRef<int64_t>(*shape)});
  if (!out)
    return n.fail("cannot broadcast input shape " + shapeString(in) + " to " +
                  shapeString(*shape));
  if (!checkedProduct(*out))
    return n.fail("result shape " + shapeString(*out) + " is too large");
  if (const HostTensor *c = n.constantInput(0); c && fitsOnHost(*out)) {
    SmallVector<int64_t> strides = rowMajorStrides(in);
    int64_t offset = out->size() - in.size();
    n.setConstantOutput(0, hostRemap(*c, *out, [&](ArrayRef<int64_t> idx) {
                          int64_t s = 0;
                          for (size_t d = 0; d < in.size(); ++d)
                            if (in[d] != 1)
                              s += idx[offset + d] * strides[d];
                          return s;
                        }));
    return success();
  }
  auto v = n.broadcastTo(n.input(0), *out);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult tile(NodeImporter &n, ArrayRef<int64_t> repeats) {
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  if ((int64_t)repeats.size() != rank)
    return n.fail("repeats " + shapeString(repeats) + " has " + Twine(repeats.size()) +
                  " entries for an input of rank " + Twine(rank));
  SmallVector<int64_t> out, interleaved, broadcast;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t r = repeats[i], d = in[i], o;
    if (r < 0 || __builtin_mul_overflow(r, d, &o))
      return n.fail("repeats " + shapeString(repeats) + " has an invalid entry");
    out.push_back(o);
    if (r != 1) {
      interleaved.push_back(1);
      broadcast.push_back(r);
    }
    interleaved.push_back(d);
    broadcast.push_back(d);
  }
  if (!checkedProduct(out))
    return n.fail("result shape " + shapeString(out) + " is too large");
  if (const HostTensor *c = n.constantInput(0); c && fitsOnHost(out)) {
    SmallVector<int64_t> strides = rowMajorStrides(in);
    n.setConstantOutput(0, hostRemap(*c, out, [&](ArrayRef<int64_t> idx) {
                          int64_t s = 0;
                          for (int64_t d = 0; d < rank; ++d)
                            s += (idx[d] % in[d]) * strides[d];
                          return s;
                        }));
    return success();
  }
  mlir::Value x = n.input(0);
  if (interleaved.size() != in.size()) {
    auto b = n.broadcastTo(n.reshape(x, interleaved), broadcast);
    if (failed(b))
      return failure();
    x = n.reshape(*b, out);
  }
  n.setOutput(0, x);
  return success();
}

LogicalResult handleTile(NodeImporter &n) {
  auto repeats = constantVectorInput(n, "repeats");
  if (failed(repeats))
    return failure();
  return tile(n, *repeats);
}

/// Tile-1: `tiles` copies along the single axis `axis` (both inputs).
LogicalResult handleTile1(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  auto tiles = n.constantInts(1, "tiles");
  auto axis = n.constantInts(2, "axis");
  if (failed(tiles) || failed(axis))
    return failure();
  if (tiles->size() != 1 || axis->size() != 1)
    return n.fail("the tiles and axis inputs must be scalars");
  int64_t rank = n.inputType(0).getRank();
  auto a = n.normalizeAxis((*axis)[0], rank);
  if (failed(a))
    return failure();
  SmallVector<int64_t> repeats(rank, 1);
  repeats[*a] = (*tiles)[0];
  return tile(n, repeats);
}

/// A scalar input known at import time: a host constant, or a value defined
/// by a dlcc.constant (float inputs fixed with --constant-input are
/// materialised rather than kept on the host).
std::optional<HostTensor> knownScalar(NodeImporter &n, size_t i) {
  if (const HostTensor *c = n.constantInput(i))
    return *c;
  mlir::Value v = n.input(i);
  auto op = v ? v.getDefiningOp<ConstantOp>() : ConstantOp();
  auto attr = op ? llvm::dyn_cast<mlir::DenseElementsAttr>(op.getValue())
                 : mlir::DenseElementsAttr();
  if (!attr || attr.getNumElements() != 1)
    return std::nullopt;
  mlir::Type type = attr.getElementType();
  HostTensor t = HostTensor::zeros(type, {});
  if (t.isFloat()) {
    llvm::APFloat f = *attr.getValues<llvm::APFloat>().begin();
    bool lost;
    f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
    t.floats[0] = f.convertToDouble();
  } else {
    llvm::APInt a = *attr.getValues<llvm::APInt>().begin();
    t.setInt(0, type.isUnsignedInteger() || type.isInteger(1) ? (int64_t)a.getZExtValue()
                                                              : a.getSExtValue());
  }
  return t;
}

LogicalResult handleRange(NodeImporter &n) {
  if (failed(n.requireInputs(3)))
    return failure();
  std::optional<HostTensor> known[3];
  const HostTensor *c[3];
  for (int i = 0; i < 3; ++i) {
    known[i] = knownScalar(n, i);
    c[i] = known[i] ? &*known[i] : nullptr;
    if (!c[i])
      return n.fail("start, limit and delta must be known at compile time "
                    "(the output's size depends on them); input '" +
                    n.node.input(i) + "' is computed from runtime data");
    if (c[i]->size() != 1)
      return n.fail("start, limit and delta must be scalars");
    if (c[i]->elementType != c[0]->elementType)
      return n.fail("start, limit and delta must have the same type");
  }
  mlir::Type type = c[0]->elementType;
  int64_t count;
  if (c[0]->isFloat()) {
    double start = c[0]->floatAt(0), limit = c[1]->floatAt(0), delta = c[2]->floatAt(0);
    if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta))
      return n.fail("delta must be non-zero and all inputs finite");
    // As the spec's function body: the span in the input type, then
    // start, start + delta, ... accumulated in that type.
    double span = limit - start;
    if (type.isF32())
      span = (float)span;
    double num = std::max(std::ceil(span / delta), 0.0);
    if (num > 9.0e15)
      return n.fail("the range is too large");
    count = (int64_t)num;
  } else {
    __int128 start = c[0]->intAt(0), limit = c[1]->intAt(0), delta = c[2]->intAt(0);
    if (delta == 0)
      return n.fail("delta must be non-zero");
    __int128 span = limit - start;
    __int128 num = span / delta + ((span % delta != 0) && ((span < 0) == (delta < 0)));
    if (num > INT64_MAX)
      return n.fail("the range is too large");
    count = std::max<int64_t>((int64_t)num, 0);
  }
  if (count <= kMaxHostTensorElements) {
    HostTensor out = HostTensor::zeros(type, {count});
    double acc = c[0]->floatAt(0);
    for (int64_t i = 0; i < count; ++i) {
      if (out.isFloat()) {
        out.set(i, acc);
        acc = type.isF32() ? (double)(float)(acc + c[2]->floatAt(0)) : acc + c[2]->floatAt(0);
      } else {
        out.setInt(i, (int64_t)((uint64_t)c[0]->intAt(0) + (uint64_t)i * (uint64_t)c[2]->intAt(0)));
      }
    }
    n.setConstantOutput(0, std::move(out));
    return success();
  }
  // start + iota * delta, in the output type.
  auto resultType = RankedTensorType::get({count}, type);
  mlir::Value iota = n.create<IotaOp>(resultType, (uint64_t)0);
  mlir::Value scaled = n.create<MulOp>(resultType, iota, n.splatLike(iota, c[2]->floatAt(0)));
  n.setOutput(0, n.create<AddOp>(resultType, scaled, n.splatLike(iota, c[0]->floatAt(0))));
  return success();
}

} // namespace

void registerShapeHandlers(HandlerTable &table) {
  table.add("", "Constant", {1, 9, 11, 12, 13, 19, 21}, handleConstant);
  table.add("", "ConstantOfShape", {9, 20, 21}, handleConstantOfShape);
  table.add("", "Identity", {1, 13, 14, 16, 19, 21}, handleIdentity);
  table.add("", "Shape", {1, 13, 15, 19, 21}, handleShape);
  table.add("", "Size", {1, 13, 19, 21}, handleSize);
  table.add("", "Reshape", {1}, handleReshape1);
  table.add("", "Reshape", {5, 13, 14, 19, 21}, handleReshape);
  table.add("", "Flatten", {1, 9, 11, 13, 21}, handleFlatten);
  table.add("", "Squeeze", {1, 11, 13, 21}, handleSqueeze);
  table.add("", "Unsqueeze", {1, 11, 13, 21}, handleUnsqueeze);
  table.add("", "Transpose", {1, 13, 21}, handleTranspose);
  table.add("", "Concat", {1, 4, 11, 13}, handleConcat);
  table.add("", "Split", {1, 2, 11, 13, 18}, handleSplit);
  table.add("", "Expand", {8, 13}, handleExpand);
  table.add("", "Tile", {1}, handleTile1);
  table.add("", "Tile", {6, 13}, handleTile);
  table.add("", "Range", {11}, handleRange);
  table.add("", "DepthToSpace", {1, 11, 13},
            [](NodeImporter &n) { return handleDepthSpace(n, true); });
  table.add("", "SpaceToDepth", {1, 13},
            [](NodeImporter &n) { return handleDepthSpace(n, false); });
  registerIndexingHandlers(table);
  registerResizeHandlers(table);
}

} // namespace dlcc::onnx_import
