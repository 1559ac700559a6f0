//===- ResizeOps.cpp - ONNX Resize, Upsample and GridSample ---------------===//
//
// GridSample becomes dlcc.grid_sample. Resize and Upsample both become
// dlcc.resize (registered from ShapeOps.cpp). The importer fixes
// the output shape and one scale per dimension, as ONNX's reference and
// onnxruntime do: from scales, output = floor(input * scale) (also with
// tf_crop_and_resize, whose spec text would scale the region of interest
// instead); from sizes, scale = output / input (with
// keep_aspect_ratio_policy, one scale for the resized axes and output =
// round-half-up(scale * input)). Scales, sizes and the region of
// interest must be known at compile time (initializers, constants or
// --constant-input).
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"
#include "ShapeHelpers.h"

#include <cmath>
#include <cstdio>

namespace dlcc::onnx_import {

namespace {
using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;
using mlir::failure;
using mlir::success;

/// `v` with six significant digits, for messages (0.6f shows as 0.6).
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

/// What the attributes and inputs say, before the op is built.
struct ResizePlan {
  ResizeMode mode = ResizeMode::nearest;
  ResizeCoordinates coordinates = ResizeCoordinates::half_pixel;
  ResizeRounding rounding = ResizeRounding::round_prefer_floor;
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0.0;
  SmallVector<double> scales; // one per dimension
  SmallVector<int64_t> shape; // the output's
  SmallVector<double> roi;    // starts then ends, tf_crop_and_resize only
};

LogicalResult parseMode(NodeImporter &n, ResizePlan &p) {
  std::string mode = n.getString("mode", "nearest");
  if (mode == "nearest")
    p.mode = ResizeMode::nearest;
  else if (mode == "linear" || (n.version < 11 && mode == "bilinear"))
    p.mode = ResizeMode::linear;
  else if (mode == "cubic" && n.version >= 11)
    p.mode = ResizeMode::cubic;
  else
    return n.fail("unsupported mode '" + mode + "'");
  if (p.mode != ResizeMode::nearest && failed(n.requireFloat(0, "X")))
    return failure();
  return success();
}

/// Resize-11 and later: the coordinate, rounding and cubic attributes.
LogicalResult parseAttributes(NodeImporter &n, ResizePlan &p) {
  std::string coordinates =
      n.getString("coordinate_transformation_mode", "half_pixel");
  if (coordinates == "half_pixel")
    p.coordinates = ResizeCoordinates::half_pixel;
  else if (coordinates == "half_pixel_symmetric" && n.version >= 19)
    p.coordinates = ResizeCoordinates::half_pixel_symmetric;
  else if (coordinates == "pytorch_half_pixel")
    p.coordinates = ResizeCoordinates::pytorch_half_pixel;
  else if (coordinates == "align_corners")
    p.coordinates = ResizeCoordinates::align_corners;
  else if (coordinates == "asymmetric")
    p.coordinates = ResizeCoordinates::asymmetric;
  else if (coordinates == "tf_crop_and_resize")
    p.coordinates = ResizeCoordinates::tf_crop_and_resize;
  else if (coordinates == "tf_half_pixel_for_nn" && n.version == 11)
    p.coordinates = ResizeCoordinates::tf_half_pixel_for_nn;
  else
    return n.fail("unsupported coordinate_transformation_mode '" + coordinates +
                  "'");
  std::string rounding = n.getString("nearest_mode", "round_prefer_floor");
  if (rounding == "round_prefer_floor")
    p.rounding = ResizeRounding::round_prefer_floor;
  else if (rounding == "round_prefer_ceil")
    p.rounding = ResizeRounding::round_prefer_ceil;
  else if (rounding == "floor")
    p.rounding = ResizeRounding::floor;
  else if (rounding == "ceil")
    p.rounding = ResizeRounding::ceil;
  else
    return n.fail("unsupported nearest_mode '" + rounding + "'");
  p.cubicA = n.getFloat("cubic_coeff_a", -0.75f);
  p.excludeOutside = n.getInt("exclude_outside", 0) != 0;
  p.extrapolation = n.getFloat("extrapolation_value", 0.0f);
  return success();
}

/// The scales of `axes` (or of every dimension) read from a constant input.
FailureOr<SmallVector<double>> constantFloats(NodeImporter &n, size_t i,
                                              StringRef what) {
  const HostTensor *t = n.constantInput(i);
  if (!t)
    return n.fail(Twine(what) +
                  " must be known at compile time (an initializer, a constant "
                  "or --constant-input)");
  SmallVector<double> values;
  for (int64_t k = 0; k < t->size(); ++k)
    values.push_back(t->floatAt(k));
  return values;
}

/// The output shape and per-dimension scales from `scales` or `sizes` over
/// `axes` (ONNX Resize-18's keep_aspect_ratio_policy included).
LogicalResult fixShape(NodeImporter &n, ResizePlan &p, ArrayRef<int64_t> in,
                       ArrayRef<int64_t> axes, const SmallVector<double> *scales,
                       const SmallVector<int64_t> *sizes) {
  int64_t rank = in.size();
  p.scales.assign(rank, 1.0);
  p.shape.assign(in.begin(), in.end());
  size_t count = scales ? scales->size() : sizes->size();
  if (count != axes.size())
    return n.fail(Twine(scales ? "scales" : "sizes") + " has " + Twine(count) +
                  " values for " + Twine(axes.size()) + " resized axes");
  if (scales) {
    for (auto [j, d] : llvm::enumerate(axes)) {
      double s = (*scales)[j];
      if (!(s > 0) || std::isinf(s))
        return n.fail("scale " + number(s) + " of axis " + Twine(d) +
                      " is not positive and finite");
      double out = std::floor(double(in[d]) * s);
      if (out > double(INT32_MAX))
        return n.fail("scale " + number(s) + " makes axis " + Twine(d) +
                      " too large");
      p.scales[d] = s;
      p.shape[d] = int64_t(out);
    }
    return success();
  }
  std::string policy = n.getString("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return n.fail("unsupported keep_aspect_ratio_policy '" + policy + "'");
  for (auto [j, d] : llvm::enumerate(axes)) {
    int64_t size = (*sizes)[j];
    if (size < 0 || size > INT32_MAX)
      return n.fail("size " + Twine(size) + " of axis " + Twine(d) +
                    " is out of range");
    if (in[d] == 0)
      return n.fail("cannot resize the empty axis " + Twine(d));
    p.scales[d] = double(size) / double(in[d]);
    p.shape[d] = size;
  }
  if (policy != "stretch") {
    double scale = p.scales[axes[0]];
    for (int64_t d : axes)
      scale = policy == "not_larger" ? std::min(scale, p.scales[d])
                                     : std::max(scale, p.scales[d]);
    for (int64_t d : axes) {
      double out = scale * double(in[d]) + 0.5;
      if (out > double(INT32_MAX))
        return n.fail("keep_aspect_ratio_policy makes axis " + Twine(d) +
                      " too large");
      p.scales[d] = scale;
      p.shape[d] = int64_t(out);
    }
  }
  for (int64_t d : axes)
    if (p.scales[d] == 0)
      return n.fail("size 0 for axis " + Twine(d) + " of size " +
                    Twine(in[d]) + " is not supported");
  return success();
}

LogicalResult build(NodeImporter &n, const ResizePlan &p) {
  RankedTensorType type = n.inputType(0);
  auto result = RankedTensorType::get(p.shape, type.getElementType());
  mlir::Builder &b = n.builder;
  mlir::MLIRContext *ctx = n.context();
  n.setOutput(0, n.create<ResizeOp>(
                      result, ResizeModeAttr::get(ctx, p.mode),
                      ResizeCoordinatesAttr::get(ctx, p.coordinates),
                      n.input(0), b.getDenseF64ArrayAttr(p.scales),
                      ResizeRoundingAttr::get(ctx, p.rounding),
                      b.getF64FloatAttr(p.cubicA),
                      b.getBoolAttr(p.excludeOutside),
                      b.getF64FloatAttr(p.extrapolation),
                      b.getDenseF64ArrayAttr(p.roi)));
  return success();
}

/// Resize 11, 13, 18, 19: (X, roi, scales, sizes).
LogicalResult handleResize(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return failure();
  ResizePlan p;
  if (failed(parseMode(n, p)) || failed(parseAttributes(n, p)))
    return failure();
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  int64_t rank = in.size();
  SmallVector<int64_t> axes;
  if (n.version >= 18 && n.hasAttr("axes")) {
    SmallVector<bool> seen(rank, false);
    for (int64_t a : n.getInts("axes")) {
      auto axis = n.normalizeAxis(a, rank, "axis");
      if (failed(axis))
        return failure();
      if (seen[*axis])
        return n.fail("axes repeat axis " + Twine(*axis));
      seen[*axis] = true;
      axes.push_back(*axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  // Scales or sizes: exactly one, the other absent or empty.
  auto present = [&](size_t i) {
    return n.hasInput(i) && n.inputType(i).getNumElements() != 0;
  };
  bool hasScales = present(2), hasSizes = present(3);
  if (hasScales == hasSizes)
    return n.fail(hasScales ? "both scales and sizes are given"
                            : "neither scales nor sizes is given");
  FailureOr<SmallVector<double>> scales;
  FailureOr<SmallVector<int64_t>> sizes;
  if (hasScales && failed(scales = constantFloats(n, 2, "scales")))
    return failure();
  if (hasSizes && failed(sizes = n.constantInts(3, "sizes")))
    return failure();
  if (failed(fixShape(n, p, in, axes, hasScales ? &*scales : nullptr,
                      hasSizes ? &*sizes : nullptr)))
    return failure();
  if (n.getInt("antialias", 0) != 0 && p.mode != ResizeMode::nearest)
    for (int64_t d = 0; d < rank; ++d)
      if (p.scales[d] < 1)
        return n.fail("antialias when downsampling (axis " + Twine(d) +
                      ", scale " + number(p.scales[d]) + ") is not supported");
  if (p.coordinates == ResizeCoordinates::tf_crop_and_resize) {
    if (!present(1))
      return n.fail("tf_crop_and_resize needs a region of interest (roi)");
    auto roi = constantFloats(n, 1, "roi");
    if (failed(roi))
      return failure();
    if (roi->size() != 2 * axes.size())
      return n.fail("roi has " + Twine(roi->size()) + " values for " +
                    Twine(axes.size()) + " resized axes");
    p.roi.assign(rank, 0.0);
    p.roi.append(rank, 1.0);
    for (auto [j, d] : llvm::enumerate(axes)) {
      p.roi[d] = (*roi)[j];
      p.roi[rank + d] = (*roi)[axes.size() + j];
    }
  }
  return build(n, p);
}

/// Upsample 7 (scales attribute), 9, 10 and Resize 10 (scales input): the
/// asymmetric transform; nearest floors when growing and ceils when
/// shrinking (onnxruntime's rule for them).
LogicalResult handleUpsample(NodeImporter &n) {
  bool scalesInput = n.version >= 9;
  if (failed(n.requireInputs(scalesInput ? 2 : 1)))
    return failure();
  ResizePlan p;
  if (failed(parseMode(n, p)))
    return failure();
  p.coordinates = ResizeCoordinates::asymmetric;
  p.rounding = ResizeRounding::simple;
  ArrayRef<int64_t> in = n.inputType(0).getShape();
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < int64_t(in.size()); ++d)
    axes.push_back(d);
  FailureOr<SmallVector<double>> scales;
  if (scalesInput) {
    if (failed(scales = constantFloats(n, 1, "scales")))
      return failure();
  } else {
    if (!n.hasAttr("scales"))
      return n.fail("missing required attribute 'scales'");
    SmallVector<double> values;
    for (float s : n.getFloats("scales"))
      values.push_back(s);
    scales = values;
  }
  if (failed(fixShape(n, p, in, axes, &*scales, nullptr)))
    return failure();
  return build(n, p);
}

/// GridSample 16 (4-D, bilinear/bicubic/nearest) and 20/22 (N-D,
/// linear/cubic/nearest).
LogicalResult handleGridSample(NodeImporter &n) {
  if (failed(n.requireInputs(2)) || failed(n.requireFloat(0, "X")))
    return failure();
  RankedTensorType x = n.inputType(0), grid = n.inputType(1);
  int64_t k = x.getRank() - 2;
  if (n.version < 20 && x.getRank() != 4)
    return n.fail("GridSample-16 takes a 4-D input, not " + shapeString(x.getShape()));
  if (k < 1 || grid.getRank() != k + 2 || grid.getDimSize(k + 1) != k ||
      grid.getDimSize(0) != x.getDimSize(0) ||
      grid.getElementType() != x.getElementType())
    return n.fail("grid " + shapeString(grid.getShape()) + " does not fit input " +
                  shapeString(x.getShape()) + " (expected [N, O1..O" + Twine(k) +
                  ", " + Twine(k) + "] of the input's element type)");
  std::string mode = n.getString("mode", n.version >= 20 ? "linear" : "bilinear");
  ResizeMode m;
  if (mode == "nearest")
    m = ResizeMode::nearest;
  else if (mode == (n.version >= 20 ? "linear" : "bilinear"))
    m = ResizeMode::linear;
  else if (mode == (n.version >= 20 ? "cubic" : "bicubic"))
    m = ResizeMode::cubic;
  else
    return n.fail("unsupported mode '" + mode + "'");
  std::string padding = n.getString("padding_mode", "zeros");
  GridPadding p;
  if (padding == "zeros")
    p = GridPadding::zeros;
  else if (padding == "border")
    p = GridPadding::border;
  else if (padding == "reflection")
    p = GridPadding::reflection;
  else
    return n.fail("unsupported padding_mode '" + padding + "'");
  SmallVector<int64_t> out{x.getDimSize(0), x.getDimSize(1)};
  llvm::append_range(out, grid.getShape().slice(1, k));
  mlir::MLIRContext *ctx = n.context();
  n.setOutput(0, n.create<GridSampleOp>(
                      x.clone(out), ResizeModeAttr::get(ctx, m),
                      GridPaddingAttr::get(ctx, p), n.input(0), n.input(1),
                      n.getInt("align_corners", 0) != 0 ? n.builder.getUnitAttr()
                                                       : mlir::UnitAttr()));
  return success();
}

} // namespace

void registerResizeHandlers(HandlerTable &table) {
  table.add("", "GridSample", {16, 20, 22}, handleGridSample);
  table.add("", "Resize", {10}, handleUpsample);
  table.add("", "Resize", {11, 13, 18, 19}, handleResize);
  table.add("", "Upsample", {7, 9, 10}, handleUpsample);
}

} // namespace dlcc::onnx_import
