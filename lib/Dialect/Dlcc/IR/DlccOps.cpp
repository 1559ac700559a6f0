//===- DlccOps.cpp - verifiers and result type inference of dlcc ops ------===//
//
// Every rule a verifier checks is named in a comment; messages say what is
// wrong in the op's own terms.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dlcc;

#define GET_OP_CLASSES
#include "dlcc/Dialect/Dlcc/IR/DlccOps.cpp.inc"

namespace {
RankedTensorType rankedType(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// Rule: a dimension index lies in [0, rank).
LogicalResult checkDimIndex(std::optional<Location> loc, int64_t dim,
                            int64_t rank, StringRef what) {
  if (dim < 0 || dim >= rank)
    return emitOptionalError(loc, what, " ", dim, " is out of range for rank ",
                             rank);
  return success();
}

/// Rule: a list of dimensions is strictly increasing and in range.
LogicalResult checkSortedDims(std::optional<Location> loc,
                              ArrayRef<int64_t> dims, int64_t rank,
                              StringRef what) {
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (failed(checkDimIndex(loc, d, rank, what)))
      return failure();
    if (i > 0 && dims[i - 1] >= d)
      return emitOptionalError(loc, what, " must be strictly increasing, got ",
                               shapeString(dims));
  }
  return success();
}

/// Rule: a per-spatial-dimension attribute has one entry per spatial dim.
LogicalResult checkSpatialAttr(std::optional<Location> loc,
                               ArrayRef<int64_t> values, int64_t spatial,
                               StringRef name, int64_t minimum) {
  if ((int64_t)values.size() != spatial)
    return emitOptionalError(loc, "'", name, "' has ", values.size(),
                             " entries, expected one per spatial dimension (",
                             spatial, ")");
  for (int64_t v : values)
    if (v < minimum)
      return emitOptionalError(loc, "'", name, "' entries must be >= ",
                               minimum, ", got ", shapeString(values));
  return success();
}

/// Output size of a window sweep; floor or ceil division.
int64_t windowOutputSize(int64_t size, int64_t lo, int64_t hi, int64_t window,
                         int64_t stride, int64_t dilation, bool ceil) {
  int64_t span = size + lo + hi - dilation * (window - 1) - 1;
  if (span < 0)
    return 0;
  return (ceil ? (span + stride - 1) / stride : span / stride) + 1;
}
} // namespace

//===----------------------------------------------------------------------===//
// Elementwise and data movement
//===----------------------------------------------------------------------===//

LogicalResult IotaOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "iota dimension");
}

LogicalResult BroadcastInDimOp::verify() {
  auto in = getOperand().getType();
  auto out = getType();
  ArrayRef<int64_t> dims = getDims();
  // Rule: one entry of `dims` per operand dimension.
  if ((int64_t)dims.size() != in.getRank())
    return emitOpError("has ") << dims.size() << " dims for an operand of rank "
                               << in.getRank();
  if (failed(checkSortedDims(getLoc(), dims, out.getRank(), "broadcast dim")))
    return failure();
  // Rule: each operand dimension is 1 or equals its result dimension.
  for (auto [i, d] : llvm::enumerate(dims))
    if (in.getDimSize(i) != 1 && in.getDimSize(i) != out.getDimSize(d))
      return emitOpError("operand dimension ")
             << i << " (size " << in.getDimSize(i)
             << ") cannot broadcast to result dimension " << d << " (size "
             << out.getDimSize(d) << ")";
  return success();
}

LogicalResult ReshapeOp::verify() {
  // Rule: reshape keeps the element count.
  if (getOperand().getType().getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << getOperand().getType() << " (" << getOperand().getType().getNumElements()
           << " elements) into " << getType() << " ("
           << getType().getNumElements() << " elements)";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  // Rule: the permutation is a permutation of [0, rank).
  if ((int64_t)perm.size() != in.getRank())
    return emitOptionalError(loc, "permutation has ", perm.size(),
                             " entries for rank ", in.getRank());
  SmallVector<bool> seen(in.getRank(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return emitOptionalError(loc, "permutation ", shapeString(perm),
                               " is not a permutation of [0, ", in.getRank(), ")");
    seen[p] = true;
    shape.push_back(in.getDimSize(p));
  }
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> start = adaptor.getStart(), limit = adaptor.getLimit(),
                    strides = adaptor.getStrides();
  int64_t rank = in.getRank();
  // Rule: start, limit and strides have one entry per dimension.
  if ((int64_t)start.size() != rank || (int64_t)limit.size() != rank ||
      (int64_t)strides.size() != rank)
    return emitOptionalError(loc, "start, limit and strides need ", rank,
                             " entries each");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    // Rule: 0 <= start <= limit <= size and stride >= 1.
    if (start[i] < 0 || start[i] > limit[i] || limit[i] > in.getDimSize(i))
      return emitOptionalError(loc, "slice [", start[i], ", ", limit[i],
                               ") of dimension ", i, " (size ",
                               in.getDimSize(i), ") is out of bounds");
    if (strides[i] < 1)
      return emitOptionalError(loc, "stride ", strides[i], " of dimension ", i,
                               " must be >= 1");
    shape.push_back((limit[i] - start[i] + strides[i] - 1) / strides[i]);
  }
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult ReverseOp::verify() {
  SmallVector<int64_t> dims(getDims());
  llvm::sort(dims);
  return checkSortedDims(getLoc(), dims, getType().getRank(), "reverse dim");
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  int64_t rank = in.getRank();
  // Rule: low and high have one non-negative entry per dimension.
  if ((int64_t)low.size() != rank || (int64_t)high.size() != rank)
    return emitOptionalError(loc, "low and high need ", rank, " entries each");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (low[i] < 0 || high[i] < 0)
      return emitOptionalError(loc, "padding of dimension ", i,
                               " must be non-negative");
    int64_t d = in.getDimSize(i);
    // Rule: reflect needs pads smaller than the dimension; edge and wrap a
    // non-empty dimension (and wrap pads no larger than it).
    PadMode mode = adaptor.getMode();
    if ((low[i] || high[i]) && mode != PadMode::constant) {
      bool ok = d > 0;
      if (mode == PadMode::reflect)
        ok = low[i] < d && high[i] < d;
      if (mode == PadMode::wrap)
        ok = d > 0 && low[i] <= d && high[i] <= d;
      if (!ok)
        return emitOptionalError(loc, "padding (", low[i], ", ", high[i],
                                 ") is too large for ",
                                 stringifyPadMode(mode), " mode on dimension ",
                                 i, " of size ", d);
    }
    shape.push_back(d + low[i] + high[i]);
  }
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult ConcatenateOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  // Rule: at least one input; same rank and element type; sizes agree except
  // along the concatenated dimension.
  if (inputs.empty())
    return emitOptionalError(loc, "needs at least one input");
  auto first = rankedType(inputs.front());
  int64_t dim = adaptor.getDimension();
  if (failed(checkDimIndex(loc, dim, first.getRank(), "concatenate dimension")))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  shape[dim] = 0;
  for (Value v : inputs) {
    auto t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "inputs must have the same rank and element type");
    for (int64_t i = 0; i < t.getRank(); ++i)
      if (i != dim && t.getDimSize(i) != first.getDimSize(i))
        return emitOptionalError(loc, "input shapes ",
                                 shapeString(first.getShape()), " and ",
                                 shapeString(t.getShape()),
                                 " differ outside dimension ", dim);
    shape[dim] += t.getDimSize(dim);
  }
  types.push_back(first.clone(shape));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getOperand());
  auto idx = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (failed(checkDimIndex(loc, axis, in.getRank(), "gather axis")))
    return failure();
  SmallVector<int64_t> shape(in.getShape().take_front(axis));
  llvm::append_range(shape, idx.getShape());
  llvm::append_range(shape, in.getShape().drop_front(axis + 1));
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult GatherElementsOp::verify() {
  auto in = getOperand().getType();
  auto idx = getIndices().getType();
  // Rule: indices have the operand's rank.
  if (in.getRank() != idx.getRank())
    return emitOpError("indices of rank ") << idx.getRank()
                                           << " for an operand of rank " << in.getRank();
  if (failed(checkDimIndex(getLoc(), getAxis(), in.getRank(), "gather_elements axis")))
    return failure();
  // Rule: outside `axis`, indices are no larger than the operand (every
  // position reads an existing row).
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (d != int64_t(getAxis()) && idx.getDimSize(d) > in.getDimSize(d))
      return emitOpError("indices dimension ")
             << d << " (size " << idx.getDimSize(d)
             << ") exceeds the operand's (size " << in.getDimSize(d) << ")";
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = getOperand().getType();
  auto out = getResult().getType();
  int64_t rank = in.getRank();
  // Rule: the result has the operand's rank and one positive, finite scale
  // per dimension; an empty operand dimension stays empty.
  if (out.getRank() != rank)
    return emitOpError("result of rank ")
           << out.getRank() << " for an operand of rank " << rank;
  if (int64_t(getScales().size()) != rank)
    return emitOpError("has ") << getScales().size() << " scales for rank "
                               << rank;
  for (int64_t d = 0; d < rank; ++d) {
    double scale = getScales()[d];
    if (!(scale > 0) || std::isinf(scale))
      return emitOpError("scale ") << scale << " of dimension " << d
                                   << " is not positive and finite";
    if (in.getDimSize(d) == 0 && out.getDimSize(d) != 0)
      return emitOpError("resizes the empty dimension ") << d;
  }
  // Rule: only nearest resizing takes non-float elements (the others
  // interpolate).
  if (getMode() != ResizeMode::nearest && !llvm::isa<FloatType>(in.getElementType()))
    return emitOpError("interpolates ") << in.getElementType()
                                        << " elements; only nearest takes non-floats";
  // Rule: tf_crop_and_resize has a region of interest (starts, then ends),
  // the other modes none.
  bool crop =
      getCoordinateTransformationMode() == ResizeCoordinates::tf_crop_and_resize;
  int64_t roiSize = getRoi().size();
  if (crop ? roiSize != 2 * rank : roiSize != 0)
    return emitOpError("has a region of interest of ")
           << roiSize << " values; expected " << (crop ? 2 * rank : 0);
  return success();
}

LogicalResult GridSampleOp::verify() {
  auto in = getInput().getType();
  auto grid = getGrid().getType();
  auto out = getResult().getType();
  int64_t k = in.getRank() - 2;
  // Rule: input [N, C, D1..Dk], grid [N, O1..Ok, k], result [N, C, O1..Ok].
  if (k < 1 || grid.getRank() != k + 2 || grid.getDimSize(k + 1) != k ||
      grid.getDimSize(0) != in.getDimSize(0))
    return emitOpError("grid ") << shapeString(grid.getShape())
                                << " does not fit input " << shapeString(in.getShape());
  SmallVector<int64_t> expected{in.getDimSize(0), in.getDimSize(1)};
  llvm::append_range(expected, grid.getShape().slice(1, k));
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result ") << shapeString(out.getShape()) << ", expected "
                                  << shapeString(expected);
  return success();
}

LogicalResult ScatterElementsOp::verify() {
  auto data = getData().getType();
  auto idx = getIndices().getType();
  int64_t rank = data.getRank();
  // Rule: indices have the data's rank and shape but along `axis`.
  if (failed(checkDimIndex(getLoc(), getAxis(), rank, "scatter_elements axis")))
    return failure();
  if (idx.getRank() != rank)
    return emitOpError("indices of rank ") << idx.getRank()
                                           << " for data of rank " << rank;
  for (int64_t d = 0; d < rank; ++d)
    if (d != int64_t(getAxis()) && idx.getDimSize(d) != data.getDimSize(d))
      return emitOpError("indices dimension ")
             << d << " (size " << idx.getDimSize(d) << ") differs from the data's (size "
             << data.getDimSize(d) << ")";
  if (getUpdates().getType().getElementType() != data.getElementType())
    return emitOpError("updates and data differ in element type");
  return success();
}

LogicalResult ScatterNdOp::verify() {
  auto data = getData().getType();
  auto idx = getIndices().getType();
  auto upd = getUpdates().getType();
  // Rule: indices are [P, m] with m <= rank; updates are [P, data dims m..].
  if (idx.getRank() != 2 || idx.getDimSize(1) > data.getRank())
    return emitOpError("indices must be [P, m] with m <= ")
           << data.getRank() << ", not " << shapeString(idx.getShape());
  SmallVector<int64_t> expected{idx.getDimSize(0)};
  llvm::append_range(expected, data.getShape().drop_front(idx.getDimSize(1)));
  if (upd.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("updates have shape ")
           << shapeString(upd.getShape()) << ", expected " << shapeString(expected);
  if (upd.getElementType() != data.getElementType())
    return emitOpError("updates and data differ in element type");
  return success();
}

LogicalResult ScatterAddOp::verify() {
  auto init = getInit().getType();
  auto idx = getIndices().getType();
  int64_t axis = getAxis();
  if (failed(checkDimIndex(getLoc(), axis, init.getRank(), "scatter_add axis")))
    return failure();
  // Rule: updates are shaped like gather(init, indices, axis).
  SmallVector<int64_t> expected(init.getShape().take_front(axis));
  llvm::append_range(expected, idx.getShape());
  llvm::append_range(expected, init.getShape().drop_front(axis + 1));
  if (getUpdates().getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("updates have shape ")
           << shapeString(getUpdates().getType().getShape()) << ", expected "
           << shapeString(expected);
  if (getUpdates().getType().getElementType() != init.getElementType())
    return emitOpError("updates and init element types differ");
  return success();
}

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> dims = adaptor.getDims();
  if (failed(checkSortedDims(loc, dims, in.getRank(), "reduce dim")))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < in.getRank(); ++i)
    if (!llvm::is_contained(dims, i))
      shape.push_back(in.getDimSize(i));
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult ArgReduceOp::verify() {
  auto in = getOperand().getType();
  if (failed(checkDimIndex(getLoc(), getDimension(), in.getRank(),
                           "arg_reduce dimension")))
    return failure();
  // Rule: the result is the operand's shape without `dimension`, which must
  // not be empty.
  if (in.getDimSize(getDimension()) == 0)
    return emitOpError("cannot reduce an empty dimension");
  SmallVector<int64_t> shape(in.getShape());
  shape.erase(shape.begin() + getDimension());
  if (getType().getShape() != ArrayRef<int64_t>(shape))
    return emitOpError("result shape ") << shapeString(getType().getShape())
                                        << " should be " << shapeString(shape);
  return success();
}

LogicalResult CumSumOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "cumsum dimension");
}

//===----------------------------------------------------------------------===//
// Matmul, convolution, pooling
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  int64_t rl = lhs.getRank(), rr = rhs.getRank();
  // Rule: operands are matrices or batches of matrices; rhs is either a plain
  // matrix shared by all batches or has exactly lhs's batch dimensions.
  if (rl < 2 || rr < 2)
    return emitOptionalError(loc, "matmul operands need rank >= 2");
  if (rr != 2 && (rr != rl || lhs.getShape().drop_back(2) !=
                                  rhs.getShape().drop_back(2)))
    return emitOptionalError(loc, "matmul batch dimensions differ: ",
                             shapeString(lhs.getShape()), " and ",
                             shapeString(rhs.getShape()));
  bool tl = adaptor.getTransposeLhs(), tr = adaptor.getTransposeRhs();
  int64_t m = lhs.getDimSize(rl - (tl ? 1 : 2));
  int64_t k = lhs.getDimSize(rl - (tl ? 2 : 1));
  int64_t k2 = rhs.getDimSize(rr - (tr ? 1 : 2));
  int64_t n = rhs.getDimSize(rr - (tr ? 2 : 1));
  // Rule: contraction sizes agree.
  if (k != k2)
    return emitOptionalError(loc, "matmul contraction sizes differ: ", k,
                             " and ", k2);
  SmallVector<int64_t> shape(lhs.getShape().drop_back(2));
  shape.push_back(m);
  shape.push_back(n);
  types.push_back(lhs.clone(shape));
  return success();
}

namespace {
/// Checks the attributes shared by convolution and its backward ops and
/// returns the forward output shape.
FailureOr<SmallVector<int64_t>>
forwardConvShape(std::optional<Location> loc, RankedTensorType input,
                 RankedTensorType filter, ArrayRef<int64_t> strides,
                 ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                 ArrayRef<int64_t> dilations, int64_t groups) {
  int64_t rank = input.getRank();
  // Rule: input [N, C, D...] and filter [O, C/groups, K...] of equal rank >= 3.
  if (rank < 3 || filter.getRank() != rank)
    return emitOptionalError(loc, "convolution needs input and filter of the "
                                  "same rank >= 3, got ",
                             shapeString(input.getShape()), " and ",
                             shapeString(filter.getShape()));
  int64_t spatial = rank - 2;
  if (failed(checkSpatialAttr(loc, strides, spatial, "strides", 1)) ||
      failed(checkSpatialAttr(loc, low, spatial, "pad_low", 0)) ||
      failed(checkSpatialAttr(loc, high, spatial, "pad_high", 0)) ||
      failed(checkSpatialAttr(loc, dilations, spatial, "dilations", 1)))
    return failure();
  int64_t c = input.getDimSize(1), o = filter.getDimSize(0);
  // Rule: groups divide the input and output channels; filter channels are
  // C/groups.
  if (groups < 1 || c % groups || o % groups || filter.getDimSize(1) * groups != c)
    return emitOptionalError(loc, "convolution with ", groups, " groups: input has ",
                             c, " channels, filter ", shapeString(filter.getShape()));
  SmallVector<int64_t> shape{input.getDimSize(0), o};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t k = filter.getDimSize(i + 2);
    int64_t padded = input.getDimSize(i + 2) + low[i] + high[i];
    // Rule: the dilated kernel fits in the padded input.
    if (padded < dilations[i] * (k - 1) + 1)
      return emitOptionalError(loc, "kernel of size ", k, " (dilation ",
                               dilations[i], ") does not fit spatial dimension ",
                               i, " of padded size ", padded);
    shape.push_back(windowOutputSize(input.getDimSize(i + 2), low[i], high[i], k,
                                     strides[i], dilations[i], false));
  }
  return shape;
}
} // namespace

LogicalResult ConvolutionOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto shape = forwardConvShape(loc, input, rankedType(adaptor.getFilter()),
                                adaptor.getStrides(), adaptor.getPadLow(),
                                adaptor.getPadHigh(), adaptor.getDilations(),
                                adaptor.getGroups());
  if (failed(shape))
    return failure();
  types.push_back(input.clone(*shape));
  return success();
}

LogicalResult ConvolutionBackwardDataOp::verify() {
  // Rule: the forward convolution of a result-typed input with the filter has
  // grad_output's shape.
  auto shape = forwardConvShape(getLoc(), getType(), getFilter().getType(),
                                getStrides(), getPadLow(), getPadHigh(),
                                getDilations(), getGroups());
  if (failed(shape))
    return failure();
  if (ArrayRef<int64_t>(*shape) != getGradOutput().getType().getShape())
    return emitOpError("grad_output shape ")
           << shapeString(getGradOutput().getType().getShape())
           << " does not match the forward output " << shapeString(*shape);
  return success();
}

LogicalResult ConvolutionBackwardFilterOp::verify() {
  // Rule: the forward convolution of input with a result-typed filter has
  // grad_output's shape.
  auto shape = forwardConvShape(getLoc(), getInput().getType(), getType(),
                                getStrides(), getPadLow(), getPadHigh(),
                                getDilations(), getGroups());
  if (failed(shape))
    return failure();
  if (ArrayRef<int64_t>(*shape) != getGradOutput().getType().getShape())
    return emitOpError("grad_output shape ")
           << shapeString(getGradOutput().getType().getShape())
           << " does not match the forward output " << shapeString(*shape);
  return success();
}

namespace {
/// The rules shared by dlcc.pool and dlcc.pool_backward; `out` is the forward
/// output type (the backward op's grad_output).
template <typename OpTy>
LogicalResult verifyPoolWindows(OpTy op, RankedTensorType in,
                                RankedTensorType out) {
  int64_t rank = in.getRank();
  // Rule: [N, C, D...] input, output of the same rank with N and C kept.
  if (rank < 3 || out.getRank() != rank || out.getDimSize(0) != in.getDimSize(0) ||
      out.getDimSize(1) != in.getDimSize(1))
    return op.emitOpError("pools [N, C, D...] tensors keeping N and C; got ")
           << in << " -> " << out;
  // Rule: average pooling needs floats.
  if (op.getKind() == PoolKind::avg && !llvm::isa<FloatType>(in.getElementType()))
    return op.emitOpError("average pooling needs a float tensor, got ") << in;
  int64_t spatial = rank - 2;
  Location loc = op.getLoc();
  if (failed(checkSpatialAttr(loc, op.getWindow(), spatial, "window", 1)) ||
      failed(checkSpatialAttr(loc, op.getStrides(), spatial, "strides", 1)) ||
      failed(checkSpatialAttr(loc, op.getPadLow(), spatial, "pad_low", 0)) ||
      failed(checkSpatialAttr(loc, op.getPadHigh(), spatial, "pad_high", 0)) ||
      failed(checkSpatialAttr(loc, op.getDilations(), spatial, "dilations", 1)))
    return failure();
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t d = in.getDimSize(i + 2);
    int64_t lo = op.getPadLow()[i], hi = op.getPadHigh()[i], w = op.getWindow()[i];
    int64_t dil = op.getDilations()[i], stride = op.getStrides()[i];
    // Rule: padding is smaller than the window (a window of only padding has
    // no value), and the output size lies between floor and ceil mode.
    if (lo >= w * dil || hi >= w * dil)
      return op.emitOpError("padding of spatial dimension ")
             << i << " must be smaller than the dilated window";
    int64_t floorSize = windowOutputSize(d, lo, hi, w, stride, dil, false);
    int64_t ceilSize = windowOutputSize(d, lo, hi, w, stride, dil, true);
    int64_t got = out.getDimSize(i + 2);
    if (got < floorSize || got > ceilSize || got < 1)
      return op.emitOpError("output size ")
             << got << " of spatial dimension " << i << " is not between "
             << floorSize << " (floor) and " << ceilSize << " (ceil)";
  }
  return success();
}
} // namespace

LogicalResult PoolOp::verify() {
  return verifyPoolWindows(*this, getInput().getType(), getType());
}

LogicalResult PoolBackwardOp::verify() {
  return verifyPoolWindows(*this, getInput().getType(),
                           getGradOutput().getType());
}

//===----------------------------------------------------------------------===//
// Normalization, softmax, loss, dropout
//===----------------------------------------------------------------------===//

namespace {
/// Rule: per-channel operands of batch norm are [C] with the input's element
/// type.
LogicalResult checkChannelVectors(std::optional<Location> loc,
                                  RankedTensorType input, ValueRange vectors) {
  if (input.getRank() < 2)
    return emitOptionalError(loc, "batch norm input needs rank >= 2");
  for (Value v : vectors) {
    auto t = rankedType(v);
    if (t.getRank() != 1 || t.getDimSize(0) != input.getDimSize(1) ||
        t.getElementType() != input.getElementType())
      return emitOptionalError(
          loc, "per-channel operand ", t, " should be ",
          RankedTensorType::get({input.getDimSize(1)}, input.getElementType()));
  }
  return success();
}

/// Rule: layer norm's scale/offset have the normalized shape input[axis:].
LogicalResult checkNormalizedShape(std::optional<Location> loc,
                                   RankedTensorType input, int64_t axis,
                                   ValueRange vectors) {
  if (failed(checkDimIndex(loc, axis, input.getRank(), "layer norm axis")))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (Value v : vectors)
    if (rankedType(v).getShape() != normalized)
      return emitOptionalError(loc, "scale and offset must have the normalized "
                                    "shape ",
                               shapeString(normalized), ", got ",
                               shapeString(rankedType(v).getShape()));
  return success();
}

RankedTensorType statisticsType(RankedTensorType input, int64_t axis) {
  SmallVector<int64_t> shape(input.getShape());
  for (int64_t i = axis; i < input.getRank(); ++i)
    shape[i] = 1;
  return input.clone(shape);
}
} // namespace

LogicalResult BatchNormTrainingOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (failed(checkChannelVectors(loc, input, {adaptor.getScale(), adaptor.getOffset()})))
    return failure();
  auto channel = rankedType(adaptor.getScale());
  types.append({input, channel, channel});
  return success();
}

LogicalResult BatchNormInferenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (failed(checkChannelVectors(loc, input,
                                 {adaptor.getScale(), adaptor.getOffset(),
                                  adaptor.getMean(), adaptor.getVariance()})))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult BatchNormBackwardOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (failed(checkChannelVectors(loc, input,
                                 {adaptor.getScale(), adaptor.getMean(),
                                  adaptor.getVariance()})))
    return failure();
  if (rankedType(adaptor.getGradOutput()) != input)
    return emitOptionalError(loc, "grad_output must have the input's type");
  auto channel = rankedType(adaptor.getScale());
  types.append({input, channel, channel});
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (failed(checkNormalizedShape(loc, input, axis,
                                  {adaptor.getScale(), adaptor.getOffset()})))
    return failure();
  auto stats = statisticsType(input, axis);
  types.append({input, stats, stats});
  return success();
}

LogicalResult LayerNormBackwardOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (failed(checkNormalizedShape(loc, input, axis, {adaptor.getScale()})))
    return failure();
  auto stats = statisticsType(input, axis);
  // Rule: saved statistics have the forward op's statistics type.
  if (rankedType(adaptor.getMean()) != stats ||
      rankedType(adaptor.getInvStdDev()) != stats)
    return emitOptionalError(loc, "mean and inv_std_dev must be ", stats);
  if (rankedType(adaptor.getGradOutput()) != input)
    return emitOptionalError(loc, "grad_output must have the input's type");
  auto scale = rankedType(adaptor.getScale());
  types.append({input, scale, scale});
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "softmax dimension");
}

LogicalResult SoftmaxBackwardOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "softmax_backward dimension");
}

LogicalResult LogSoftmaxBackwardOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "log_softmax_backward dimension");
}

LogicalResult LogSoftmaxOp::verify() {
  return checkDimIndex(getLoc(), getDimension(), getType().getRank(),
                       "log_softmax dimension");
}

LogicalResult CrossEntropyOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto logp = rankedType(adaptor.getLogProbs());
  auto labels = rankedType(adaptor.getLabels());
  // Rule: log_probs [N, C, D...] and labels [N, D...].
  if (logp.getRank() < 2)
    return emitOptionalError(loc, "log_probs needs rank >= 2 ([N, C, ...])");
  SmallVector<int64_t> expected{logp.getDimSize(0)};
  llvm::append_range(expected, logp.getShape().drop_front(2));
  if (labels.getShape() != ArrayRef<int64_t>(expected))
    return emitOptionalError(loc, "labels have shape ",
                             shapeString(labels.getShape()), ", expected ",
                             shapeString(expected));
  // Rule: weights are [C] of the log_probs' element type.
  if (Value w = adaptor.getWeights()) {
    auto wt = rankedType(w);
    if (wt.getRank() != 1 || wt.getDimSize(0) != logp.getDimSize(1) ||
        wt.getElementType() != logp.getElementType())
      return emitOptionalError(
          loc, "weights must be ",
          RankedTensorType::get({logp.getDimSize(1)}, logp.getElementType()));
  }
  if (adaptor.getReduction() == LossReduction::none)
    types.push_back(RankedTensorType::get(expected, logp.getElementType()));
  else
    types.push_back(RankedTensorType::get({}, logp.getElementType()));
  return success();
}

LogicalResult DropoutMaskOp::verify() {
  // Rule: the key is (seed, counter) and 0 <= ratio < 1.
  if (getKey().getType().getShape() != ArrayRef<int64_t>{2})
    return emitOpError("key must be tensor<2xi64>");
  float ratio = getRatio().convertToFloat();
  if (!(ratio >= 0.0f && ratio < 1.0f))
    return emitOpError("ratio must be in [0, 1), got ") << ratio;
  return success();
}

//===----------------------------------------------------------------------===//
// Program ops
//===----------------------------------------------------------------------===//

LogicalResult StateSlotOp::verify() {
  // Rule: an initial value has exactly the slot's type.
  if (auto init = getInitialValueAttr())
    if (init.getType() != getType())
      return emitOpError("initial value of type ")
             << init.getType() << " does not match the slot type " << getType();
  return success();
}

LogicalResult GradientOp::verify() {
  // Rule: y is a scalar and each gradient has the type of its x.
  if (getY().getType().getRank() != 0)
    return emitOpError("y must be a 0-d tensor, got ") << getY().getType();
  if (getXs().size() != getGradients().size())
    return emitOpError("needs one result per x");
  for (auto [x, g] : llvm::zip(getXs(), getGradients()))
    if (x.getType() != g.getType())
      return emitOpError("gradient type ")
             << g.getType() << " differs from its x's type " << x.getType();
  return success();
}

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  types.push_back(rankedType(adaptor.getLhs()).clone(IntegerType::get(context, 1)));
  return success();
}
