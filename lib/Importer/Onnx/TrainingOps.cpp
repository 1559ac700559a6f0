//===- TrainingOps.cpp - ai.onnx.preview.training ops ---------------------===//
//
// Adam, Momentum and Adagrad become dlcc elementwise arithmetic following the
// formulas of the ONNX spec (and the association of its reference
// implementation); the learning rate R and the step T are 0-d values
// broadcast to each optimized tensor. Inputs are grouped by kind:
// R, T, X_1..X_n, G_1..G_n, V_1..V_n[, H_1..H_n]; outputs likewise
// X_new_1..X_new_n, then the new moments.
//
// Gradient becomes dlcc.gradient of the value named by `y` with respect to
// the values named by `xs`; the autodiff pass expands it.
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"

#include <string>

namespace dlcc::onnx_import {

using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;

namespace {

constexpr llvm::StringLiteral kTrainingDomain = "ai.onnx.preview.training";

/// Small arithmetic vocabulary over same-typed dlcc values.
struct Arith {
  NodeImporter &n;
  Value add(Value a, Value b) { return n.create<AddOp>(a, b); }
  Value sub(Value a, Value b) { return n.create<SubOp>(a, b); }
  Value mul(Value a, Value b) { return n.create<MulOp>(a, b); }
  Value div(Value a, Value b) { return n.create<DivOp>(a, b); }
  Value sqrt(Value a) { return n.create<SqrtOp>(a); }
  Value c(Value like, double v) { return n.splatLike(like, v); }
  /// A 0-d value broadcast to `like`'s shape.
  Value bcast(Value scalar, Value like) {
    auto shape = llvm::cast<RankedTensorType>(like.getType()).getShape();
    return *n.broadcastTo(scalar, shape);
  }
};

/// The scalar inputs R (learning rate, converted to `et`), T (step, int64)
/// and T converted to `et`, all 0-d.
struct Scalars {
  Value r, t, tf;
  /// 0-d i1: T > 0.
  Value tPositive;
};

/// Checks the common layout: R, T, then `groups` equal-sized groups of
/// tensors with identical float types; returns the group size.
FailureOr<int64_t> checkLayout(NodeImporter &n, int64_t groups,
                               ArrayRef<const char *> names) {
  int64_t variadic = (int64_t)n.numInputs() - 2;
  if (variadic <= 0 || variadic % groups)
    return n.fail("expected inputs R, T and " + std::to_string(groups) +
                  " equal groups of tensors, got " + std::to_string(n.numInputs()) +
                  " inputs");
  int64_t count = variadic / groups;
  for (size_t i = 0; i < n.numInputs(); ++i)
    if (!n.hasInput(i))
      return n.fail("input " + std::to_string(i) + " is missing");
  if ((int64_t)n.numOutputs() > count * (groups - 1))
    return n.fail("expected at most " + std::to_string(count * (groups - 1)) +
                  " outputs, got " + std::to_string(n.numOutputs()));
  for (int64_t k = 0; k < count; ++k) {
    RankedTensorType xt = n.inputType(2 + k);
    if (!isFloatType(xt.getElementType()))
      return n.fail(std::string("input ") + names[0] + std::to_string(k + 1) +
                    " must be a float tensor, got " + printToString(xt));
    for (int64_t g = 1; g < groups; ++g)
      if (n.inputType(2 + g * count + k) != xt)
        return n.fail(std::string("input ") + names[g] + std::to_string(k + 1) +
                      " has type " + printToString(n.inputType(2 + g * count + k)) +
                      ", expected the type of " + names[0] + std::to_string(k + 1) +
                      " " + printToString(xt));
  }
  return count;
}

FailureOr<Scalars> buildScalars(NodeImporter &n, Type et) {
  RankedTensorType rt = n.inputType(0), tt = n.inputType(1);
  if (!isFloatType(rt.getElementType()) || rt.getNumElements() != 1)
    return n.fail("input R must be a float scalar, got " + printToString(rt));
  if (!tt.getElementType().isInteger(64) || tt.getNumElements() != 1)
    return n.fail("input T must be an int64 scalar, got " + printToString(tt));
  Scalars s;
  s.r = n.convert(n.reshape(n.input(0), {}), et);
  s.t = n.reshape(n.input(1), {});
  s.tf = n.convert(s.t, et);
  s.tPositive = n.create<CompareOp>(ComparisonDirection::gt, s.t, n.splatLike(s.t, 0.0));
  return s;
}

/// R and T as 0-d values of the optimized tensors' element type, built once
/// per element type.
struct ScalarCache {
  NodeImporter &n;
  llvm::SmallVector<std::pair<Type, Scalars>> built;
  FailureOr<Scalars> get(Value x) {
    Type et = llvm::cast<RankedTensorType>(x.getType()).getElementType();
    for (auto &[t, s] : built)
      if (t == et)
        return s;
    auto s = buildScalars(n, et);
    if (succeeded(s))
      built.push_back({et, *s});
    return s;
  }
};

LogicalResult importAdam(NodeImporter &n) {
  auto count = checkLayout(n, 4, {"X", "G", "V", "H"});
  if (failed(count))
    return mlir::failure();
  int64_t m = *count;
  double alpha = n.getFloat("alpha", 0.9f), beta = n.getFloat("beta", 0.999f);
  double epsilon = n.getFloat("epsilon", 1e-6f);
  double norm = n.getFloat("norm_coefficient", 0.0f);
  double normPost = n.getFloat("norm_coefficient_post", 0.0f);
  Arith a{n};
  ScalarCache scalars{n, {}};
  for (int64_t k = 0; k < m; ++k) {
    Value x = n.input(2 + k), g = n.input(2 + m + k), v = n.input(2 + 2 * m + k),
          h = n.input(2 + 3 * m + k);
    auto s = scalars.get(x);
    if (failed(s))
      return mlir::failure();
    // R_adjusted = T > 0 ? R * Sqrt(1 - beta**T) / (1 - alpha**T) : R
    Value r = s->r;
    Value alphaT = n.create<PowOp>(a.c(r, alpha), s->tf);
    Value betaT = n.create<PowOp>(a.c(r, beta), s->tf);
    Value corrected = a.div(a.mul(r, a.sqrt(a.sub(a.c(r, 1.0), betaT))),
                            a.sub(a.c(r, 1.0), alphaT));
    Value rAdjusted = n.create<SelectOp>(s->tPositive, corrected, r);
    // G_regularized = norm_coefficient * X + G
    Value gReg = a.add(a.mul(a.c(x, norm), x), g);
    // V_new = alpha * V + (1 - alpha) * G_regularized
    Value vNew = a.add(a.mul(a.c(v, alpha), v), a.mul(a.c(v, 1.0 - alpha), gReg));
    // H_new = beta * H + (1 - beta) * G_regularized * G_regularized
    Value hNew = a.add(a.mul(a.c(h, beta), h),
                       a.mul(a.c(h, 1.0 - beta), a.mul(gReg, gReg)));
    // H_sqrt = Sqrt(H_new) + epsilon
    Value hSqrt = a.add(a.sqrt(hNew), a.c(h, epsilon));
    // X_new = X - R_adjusted * (V_new / H_sqrt)
    Value xNew = a.sub(x, a.mul(a.bcast(rAdjusted, x), a.div(vNew, hSqrt)));
    // X_final = (1 - norm_coefficient_post) * X_new
    Value xFinal = a.mul(a.c(x, 1.0 - normPost), xNew);
    n.setOutput(k, xFinal);
    n.setOutput(m + k, vNew);
    n.setOutput(2 * m + k, hNew);
  }
  return mlir::success();
}

LogicalResult importMomentum(NodeImporter &n) {
  for (const char *name : {"alpha", "beta", "mode", "norm_coefficient"})
    if (!n.hasAttr(name))
      return n.fail(std::string("attribute '") + name + "' is required");
  std::string mode = n.getString("mode", "standard");
  if (mode != "standard" && mode != "nesterov")
    return n.fail("mode must be 'standard' or 'nesterov', got '" + mode + "'");
  auto count = checkLayout(n, 3, {"X", "G", "V"});
  if (failed(count))
    return mlir::failure();
  int64_t m = *count;
  double alpha = n.getFloat("alpha", 0.0f), beta = n.getFloat("beta", 0.0f);
  double norm = n.getFloat("norm_coefficient", 0.0f);
  Arith a{n};
  ScalarCache scalars{n, {}};
  for (int64_t k = 0; k < m; ++k) {
    Value x = n.input(2 + k), g = n.input(2 + m + k), v = n.input(2 + 2 * m + k);
    auto s = scalars.get(x);
    if (failed(s))
      return mlir::failure();
    // G_regularized = norm_coefficient * X + G
    Value gReg = a.add(a.mul(a.c(x, norm), x), g);
    // beta_adjusted = T > 0 ? beta : 1
    Value betaAdj = n.create<SelectOp>(s->tPositive, a.c(s->r, beta), a.c(s->r, 1.0));
    // V_new = alpha * V + beta_adjusted * G_regularized
    Value vNew = a.add(a.mul(a.c(v, alpha), v), a.mul(a.bcast(betaAdj, v), gReg));
    Value rb = a.bcast(s->r, x);
    Value xNew;
    if (mode == "standard") // X_new = X - R * V_new
      xNew = a.sub(x, a.mul(rb, vNew));
    else // X_new = X - R * (G_regularized + alpha * V_new)
      xNew = a.sub(x, a.mul(rb, a.add(gReg, a.mul(a.c(v, alpha), vNew))));
    n.setOutput(k, xNew);
    n.setOutput(m + k, vNew);
  }
  return mlir::success();
}

LogicalResult importAdagrad(NodeImporter &n) {
  auto count = checkLayout(n, 3, {"X", "G", "H"});
  if (failed(count))
    return mlir::failure();
  int64_t m = *count;
  double decay = n.getFloat("decay_factor", 0.0f);
  double epsilon = n.getFloat("epsilon", 1e-6f);
  double norm = n.getFloat("norm_coefficient", 0.0f);
  Arith a{n};
  ScalarCache scalars{n, {}};
  for (int64_t k = 0; k < m; ++k) {
    Value x = n.input(2 + k), g = n.input(2 + m + k), h = n.input(2 + 2 * m + k);
    auto s = scalars.get(x);
    if (failed(s))
      return mlir::failure();
    // r = R / (1 + T * decay_factor)
    Value r = a.div(s->r, a.add(a.c(s->r, 1.0), a.mul(s->tf, a.c(s->tf, decay))));
    // G_regularized = norm_coefficient * X + G
    Value gReg = a.add(a.mul(a.c(x, norm), x), g);
    // H_new = H + G_regularized * G_regularized
    Value hNew = a.add(h, a.mul(gReg, gReg));
    // H_adaptive = Sqrt(H_new) + epsilon
    Value hAdaptive = a.add(a.sqrt(hNew), a.c(h, epsilon));
    // X_new = X - r * G_regularized / H_adaptive
    Value xNew = a.sub(x, a.div(a.mul(a.bcast(r, x), gReg), hAdaptive));
    n.setOutput(k, xNew);
    n.setOutput(m + k, hNew);
  }
  return mlir::success();
}

LogicalResult importGradient(NodeImporter &n) {
  const onnx::AttributeProto *xsAttr = n.attr("xs");
  const onnx::AttributeProto *yAttr = n.attr("y");
  if (!xsAttr || xsAttr->strings_size() == 0)
    return n.fail("attribute 'xs' (the tensors to differentiate by) is required");
  if (!yAttr || yAttr->s().empty())
    return n.fail("attribute 'y' (the tensor to differentiate) is required");
  SmallVector<std::string> xs(xsAttr->strings().begin(), xsAttr->strings().end());
  SmallVector<std::string> independent(xs);
  if (const onnx::AttributeProto *zs = n.attr("zs"))
    independent.append(zs->strings().begin(), zs->strings().end());
  // The node's inputs give the point of evaluation; only the values named by
  // xs and zs themselves (the usual form) are supported.
  if (n.numInputs() != independent.size())
    return n.fail("expected one input per name in xs and zs (" +
                  std::to_string(independent.size()) + "), got " +
                  std::to_string(n.numInputs()));
  for (size_t i = 0; i < independent.size(); ++i)
    if (n.node.input(i) != independent[i])
      return n.fail("input " + std::to_string(i) + " is '" + n.node.input(i) +
                    "' but xs/zs name '" + independent[i] +
                    "': evaluating the gradient at other values is not supported");
  if (n.numOutputs() > xs.size())
    return n.fail("expected at most one output per name in xs (" +
                  std::to_string(xs.size()) + "), got " +
                  std::to_string(n.numOutputs()));
  const std::string &yName = yAttr->s();
  Value y = n.valueByName(yName);
  if (!y)
    return n.fail("y names '" + yName + "', which is not defined before this node");
  auto yt = llvm::cast<RankedTensorType>(y.getType());
  if (yt.getRank() != 0 || !isFloatType(yt.getElementType()))
    return n.fail("y ('" + yName + "') must be a float scalar (0-d tensor), got " +
                  printToString(yt));
  SmallVector<Value> xValues;
  SmallVector<Type> types;
  for (const std::string &name : xs) {
    Value x = n.valueByName(name);
    if (!x)
      return n.fail("xs names '" + name + "', which is not defined");
    if (!isFloatType(llvm::cast<RankedTensorType>(x.getType()).getElementType()))
      return n.fail("xs entry '" + name + "' must be a float tensor, got " +
                    printToString(x.getType()));
    xValues.push_back(x);
    types.push_back(x.getType());
  }
  auto grad = n.create<GradientOp>(types, y, xValues);
  for (size_t i = 0; i < xs.size(); ++i)
    n.setOutput(i, grad->getResult(i));
  return mlir::success();
}

} // namespace

void registerTrainingHandlers(HandlerTable &table) {
  table.add(kTrainingDomain, "Adam", {1}, importAdam);
  table.add(kTrainingDomain, "Momentum", {1}, importMomentum);
  table.add(kTrainingDomain, "Adagrad", {1}, importAdagrad);
  table.add(kTrainingDomain, "Gradient", {1}, importGradient);
}

} // namespace dlcc::onnx_import
