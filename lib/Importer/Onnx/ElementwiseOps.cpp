//===- ElementwiseOps.cpp - ONNX elementwise, activation, logic, Cast -----===//
//
// Activations are decomposed into core elementwise ops (Relu = max(x, 0),
// Gelu = 0.5 x (1 + erf(x / sqrt 2)), ...) so that VJPs and fusion are written
// once against the core set. Nodes whose inputs are all known at import time
// are evaluated on the host (shape arithmetic in torch exports).
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dlcc;

namespace dlcc::onnx_import {
namespace {

enum class Binary { Add, Sub, Mul, Div, Pow, Max, Min, Fmod, Mod, And, Or, Xor,
                    Eq, Lt, Gt, Le, Ge };

bool isComparison(Binary k) {
  return k == Binary::Eq || k == Binary::Lt || k == Binary::Gt ||
         k == Binary::Le || k == Binary::Ge;
}

double evalFloat(Binary k, double a, double b) {
  switch (k) {
  case Binary::Add: return a + b;
  case Binary::Sub: return a - b;
  case Binary::Mul: return a * b;
  case Binary::Div: return a / b;
  case Binary::Pow: return std::pow(a, b);
  case Binary::Max: return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  case Binary::Min: return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
  case Binary::Fmod:
  case Binary::Mod: return std::fmod(a, b);
  case Binary::And: return (a != 0) && (b != 0);
  case Binary::Or: return (a != 0) || (b != 0);
  case Binary::Xor: return (a != 0) != (b != 0);
  case Binary::Eq: return a == b;
  case Binary::Lt: return a < b;
  case Binary::Gt: return a > b;
  case Binary::Le: return a <= b;
  case Binary::Ge: return a >= b;
  }
  return 0;
}

/// Integer semantics: division truncates; Mod takes the divisor's sign.
/// Returns false on division by zero.
bool evalInt(Binary k, int64_t a, int64_t b, int64_t &r) {
  switch (k) {
  case Binary::Div:
  case Binary::Fmod:
  case Binary::Mod:
    if (b == 0 || (a == INT64_MIN && b == -1))
      return false;
    if (k == Binary::Div)
      r = a / b;
    else {
      r = a % b;
      if (k == Binary::Mod && r != 0 && ((r < 0) != (b < 0)))
        r += b;
    }
    return true;
  case Binary::Pow: {
    r = 1;
    for (int64_t i = 0; i < b && i < 64; ++i)
      r *= a;
    return b >= 0;
  }
  case Binary::Add: r = (int64_t)((uint64_t)a + (uint64_t)b); return true;
  case Binary::Sub: r = (int64_t)((uint64_t)a - (uint64_t)b); return true;
  case Binary::Mul: r = (int64_t)((uint64_t)a * (uint64_t)b); return true;
  default: r = (int64_t)evalFloat(k, (double)a, (double)b); return true;
  }
}

/// Element i of `t` broadcast to `shape`.
int64_t broadcastIndex(const HostTensor &t, ArrayRef<int64_t> shape, int64_t flat) {
  int64_t index = 0, stride = 1;
  int64_t offset = (int64_t)shape.size() - (int64_t)t.shape.size();
  for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
    int64_t coord = flat % shape[d];
    flat /= shape[d];
    if (d >= offset) {
      int64_t size = t.shape[d - offset];
      index += (size == 1 ? 0 : coord) * stride;
      stride *= size;
    }
  }
  return index;
}

/// Host evaluation of an n-ary elementwise function with broadcasting.
std::optional<HostTensor>
evalHost(ArrayRef<const HostTensor *> inputs, Type resultType,
         llvm::function_ref<bool(ArrayRef<int64_t>, ArrayRef<double>, int64_t &,
                                 double &)> fn) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (const HostTensor *t : inputs)
    shapes.push_back(t->shape);
  auto shape = broadcastShapes(shapes);
  if (!shape)
    return std::nullopt;
  HostTensor result = HostTensor::zeros(resultType, *shape);
  if (result.size() > kMaxHostTensorElements)
    return std::nullopt;
  SmallVector<int64_t> ints(inputs.size());
  SmallVector<double> floats(inputs.size());
  for (int64_t i = 0; i < result.size(); ++i) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      int64_t j = broadcastIndex(*inputs[k], *shape, i);
      ints[k] = inputs[k]->intAt(j);
      floats[k] = inputs[k]->floatAt(j);
    }
    int64_t ir = 0;
    double fr = 0;
    if (!fn(ints, floats, ir, fr))
      return std::nullopt;
    if (result.isFloat())
      result.set(i, fr);
    else
      result.setInt(i, ir);
  }
  return result;
}

Value buildBinary(NodeImporter &n, Binary k, Value a, Value b) {
  switch (k) {
  case Binary::Add: return n.create<AddOp>(a, b);
  case Binary::Sub: return n.create<SubOp>(a, b);
  case Binary::Mul: return n.create<MulOp>(a, b);
  case Binary::Div: return n.create<DivOp>(a, b);
  case Binary::Pow: return n.create<PowOp>(a, b);
  case Binary::Max: return n.create<MaxOp>(a, b);
  case Binary::Min: return n.create<MinOp>(a, b);
  case Binary::Fmod: return n.create<RemOp>(a, b);
  case Binary::Mod: {
    // Python-style modulo: the remainder takes the divisor's sign.
    Value r = n.create<RemOp>(a, b);
    Value zero = n.splatLike(a, 0);
    Value rNonZero = n.create<CompareOp>(ComparisonDirection::ne, r, zero);
    Value rNeg = n.create<CompareOp>(ComparisonDirection::lt, r, zero);
    Value bNeg = n.create<CompareOp>(ComparisonDirection::lt, b, zero);
    Value signsDiffer = n.create<XorOp>(rNeg, bNeg);
    Value fix = n.create<AndOp>(rNonZero, signsDiffer);
    return n.create<SelectOp>(fix, n.create<AddOp>(r, b), r);
  }
  case Binary::And: return n.create<AndOp>(a, b);
  case Binary::Or: return n.create<OrOp>(a, b);
  case Binary::Xor: return n.create<XorOp>(a, b);
  case Binary::Eq: return n.create<CompareOp>(ComparisonDirection::eq, a, b);
  case Binary::Lt: return n.create<CompareOp>(ComparisonDirection::lt, a, b);
  case Binary::Gt: return n.create<CompareOp>(ComparisonDirection::gt, a, b);
  case Binary::Le: return n.create<CompareOp>(ComparisonDirection::le, a, b);
  case Binary::Ge: return n.create<CompareOp>(ComparisonDirection::ge, a, b);
  }
  return {};
}

/// Broadcasts B to A per the pre-opset-7 `broadcast`/`axis` attributes.
FailureOr<Value> legacyBroadcast(NodeImporter &n, Value a, Value b) {
  auto at = llvm::cast<RankedTensorType>(a.getType());
  auto bt = llvm::cast<RankedTensorType>(b.getType());
  if (!n.getInt("broadcast", 0)) {
    if (at.getShape() != bt.getShape())
      return n.fail("operand shapes differ and broadcast=0");
    return b;
  }
  int64_t axis = n.hasAttr("axis") ? n.getInt("axis", 0) : at.getRank() - bt.getRank();
  if (axis < 0)
    axis += at.getRank();
  if (axis < 0 || axis + bt.getRank() > at.getRank())
    return n.fail("legacy broadcast axis " + Twine(axis) + " does not fit");
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < bt.getRank(); ++i) {
    if (bt.getDimSize(i) != 1 && bt.getDimSize(i) != at.getDimSize(axis + i))
      return n.fail("legacy broadcast: B's shape does not match A at axis " +
                    Twine(axis));
    dims.push_back(axis + i);
  }
  return Value(n.create<BroadcastInDimOp>(bt.clone(at.getShape()), b, dims));
}

LogicalResult importBinary(NodeImporter &n, Binary k, bool legacy) {
  if (n.numInputs() != 2 || !n.hasInput(0) || !n.hasInput(1))
    return n.fail("expects two inputs");
  RankedTensorType at = n.inputType(0), bt = n.inputType(1);
  bool comparison = isComparison(k);
  Type resultElement = comparison ? Type(IntegerType::get(n.context(), 1))
                                  : at.getElementType();
  if (k != Binary::Pow && at.getElementType() != bt.getElementType())
    return n.fail("operand element types differ");
  if ((k == Binary::And || k == Binary::Or || k == Binary::Xor) &&
      !at.getElementType().isInteger(1))
    return n.fail("logical ops take bool tensors");
  if (k == Binary::Mod && llvm::isa<FloatType>(at.getElementType()))
    k = Binary::Fmod; // float Mod requires fmod=1
  if (k == Binary::Fmod && !llvm::isa<FloatType>(at.getElementType()) &&
      !n.getInt("fmod", 0))
    k = Binary::Mod;

  if (!legacy && n.allInputsConstant()) {
    const HostTensor *a = n.constantInput(0), *b = n.constantInput(1);
    bool isFloatOp = llvm::isa<FloatType>(at.getElementType());
    auto result = evalHost({a, b}, resultElement,
                           [&](ArrayRef<int64_t> i, ArrayRef<double> f,
                               int64_t &ir, double &fr) {
                             if (isFloatOp) {
                               fr = evalFloat(k, f[0], f[1]);
                               ir = (int64_t)fr;
                               return true;
                             }
                             if (comparison || k == Binary::Pow) {
                               ir = (int64_t)evalFloat(k, f[0], f[1]);
                               return !(k == Binary::Pow && i[1] < 0) &&
                                      (comparison || evalInt(k, i[0], i[1], ir));
                             }
                             return evalInt(k, i[0], i[1], ir);
                           });
    if (result) {
      n.setConstantOutput(0, std::move(*result));
      return success();
    }
  }
  Value a = n.input(0), b = n.input(1);
  if (k == Binary::Pow)
    b = n.convert(b, at.getElementType());
  if (legacy) {
    auto bb = legacyBroadcast(n, a, b);
    if (failed(bb))
      return failure();
    n.setOutput(0, buildBinary(n, k, a, *bb));
    return success();
  }
  auto operands = n.broadcastAll({a, b});
  if (failed(operands))
    return failure();
  n.setOutput(0, buildBinary(n, k, (*operands)[0], (*operands)[1]));
  return success();
}

/// Max, Min, Sum, Mean: variadic with multidirectional broadcasting (from 8).
LogicalResult importVariadic(NodeImporter &n, Binary k, bool mean) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i)
    if (n.hasInput(i))
      inputs.push_back(n.input(i));
  if (inputs.empty())
    return n.fail("needs at least one input");
  for (Value v : inputs)
    if (getElementTypeOrSelf(v.getType()) != getElementTypeOrSelf(inputs[0].getType()))
      return n.fail("input element types differ");
  auto operands = n.broadcastAll(inputs);
  if (failed(operands))
    return failure();
  Value acc = (*operands)[0];
  for (size_t i = 1; i < operands->size(); ++i)
    acc = buildBinary(n, k, acc, (*operands)[i]);
  if (mean) {
    if (!llvm::isa<FloatType>(getElementTypeOrSelf(acc.getType())))
      return n.fail("Mean takes float tensors");
    acc = n.create<MulOp>(acc, n.splatLike(acc, 1.0 / operands->size()));
  }
  n.setOutput(0, acc);
  return success();
}

enum class Unary { Neg, Abs, Sqrt, Exp, Log, Floor, Ceil, Sin, Cos, Tanh, Erf,
                   Not, Sigmoid, Reciprocal, Relu, Identity, Tan, Asin, Acos,
                   Atan, Sinh, Cosh, Asinh, Acosh, Atanh };

double evalUnary(Unary k, double x) {
  switch (k) {
  case Unary::Neg: return -x;
  case Unary::Abs: return std::fabs(x);
  case Unary::Sqrt: return std::sqrt(x);
  case Unary::Exp: return std::exp(x);
  case Unary::Log: return std::log(x);
  case Unary::Floor: return std::floor(x);
  case Unary::Ceil: return std::ceil(x);
  case Unary::Sin: return std::sin(x);
  case Unary::Cos: return std::cos(x);
  case Unary::Tanh: return std::tanh(x);
  case Unary::Erf: return std::erf(x);
  case Unary::Not: return x == 0;
  case Unary::Sigmoid: return 1 / (1 + std::exp(-x));
  case Unary::Reciprocal: return 1 / x;
  case Unary::Relu: return x > 0 ? x : 0;
  case Unary::Identity: return x;
  case Unary::Tan: return std::tan(x);
  case Unary::Asin: return std::asin(x);
  case Unary::Acos: return std::acos(x);
  case Unary::Atan: return std::atan(x);
  case Unary::Sinh: return std::sinh(x);
  case Unary::Cosh: return std::cosh(x);
  case Unary::Asinh: return std::asinh(x);
  case Unary::Acosh: return std::acosh(x);
  case Unary::Atanh: return std::atanh(x);
  }
  return 0;
}

bool isFloatOnly(Unary k) {
  return k != Unary::Neg && k != Unary::Abs && k != Unary::Not &&
         k != Unary::Relu && k != Unary::Identity;
}

LogicalResult importUnary(NodeImporter &n, Unary k) {
  if (!n.hasInput(0))
    return n.fail("expects one input");
  RankedTensorType type = n.inputType(0);
  bool isFloat = llvm::isa<FloatType>(type.getElementType());
  if (isFloatOnly(k) && !isFloat)
    return n.fail("takes float tensors, got " + Twine(type.getElementType().isInteger(1) ? "bool" : "an integer type"));
  if (k == Unary::Not && !type.getElementType().isInteger(1))
    return n.fail("takes bool tensors");
  if (const HostTensor *c = n.constantInput(0)) {
    HostTensor r = *c;
    for (int64_t i = 0; i < r.size(); ++i) {
      if (isFloat)
        r.set(i, evalUnary(k, c->floatAt(i)));
      else
        r.setInt(i, k == Unary::Neg   ? -c->intAt(i)
                    : k == Unary::Abs ? std::abs(c->intAt(i))
                                      : (int64_t)evalUnary(k, (double)c->intAt(i)));
    }
    n.setConstantOutput(0, std::move(r));
    return success();
  }
  Value x = n.input(0);
  Value y;
  switch (k) {
  case Unary::Neg: y = n.create<NegOp>(x); break;
  case Unary::Abs: y = n.create<AbsOp>(x); break;
  case Unary::Sqrt: y = n.create<SqrtOp>(x); break;
  case Unary::Exp: y = n.create<ExpOp>(x); break;
  case Unary::Log: y = n.create<LogOp>(x); break;
  case Unary::Floor: y = n.create<FloorOp>(x); break;
  case Unary::Ceil: y = n.create<CeilOp>(x); break;
  case Unary::Sin: y = n.create<SinOp>(x); break;
  case Unary::Cos: y = n.create<CosOp>(x); break;
  case Unary::Tanh: y = n.create<TanhOp>(x); break;
  case Unary::Erf: y = n.create<ErfOp>(x); break;
  case Unary::Not: y = n.create<NotOp>(x); break;
  case Unary::Sigmoid: y = n.create<LogisticOp>(x); break;
  case Unary::Reciprocal: y = n.create<DivOp>(n.splatLike(x, 1.0), x); break;
  case Unary::Relu: y = n.create<MaxOp>(x, n.splatLike(x, 0.0)); break;
  case Unary::Identity: y = x; break;
  case Unary::Tan: y = n.create<TanOp>(x); break;
  case Unary::Asin: y = n.create<AsinOp>(x); break;
  case Unary::Acos: y = n.create<AcosOp>(x); break;
  case Unary::Atan: y = n.create<AtanOp>(x); break;
  case Unary::Sinh: y = n.create<SinhOp>(x); break;
  case Unary::Cosh: y = n.create<CoshOp>(x); break;
  case Unary::Asinh: y = n.create<AsinhOp>(x); break;
  case Unary::Acosh: y = n.create<AcoshOp>(x); break;
  case Unary::Atanh: y = n.create<AtanhOp>(x); break;
  }
  n.setOutput(0, y);
  return success();
}

/// Activations with attributes, decomposed into core ops.
enum class Activation { LeakyRelu, Elu, Softplus, HardSigmoid, HardSwish, Gelu,
                        Selu, Softsign, ThresholdedRelu, Celu, Shrink, Mish,
                        Round, Sign };

LogicalResult importActivation(NodeImporter &n, Activation k) {
  if (!n.hasInput(0))
    return n.fail("expects one input");
  if (k != Activation::Sign && !llvm::isa<FloatType>(n.inputType(0).getElementType()))
    return n.fail("takes float tensors");
  Value x = n.input(0);
  auto c = [&](double v) { return n.splatLike(x, v); };
  Value zero = c(0.0);
  Value y;
  switch (k) {
  case Activation::LeakyRelu: {
    Value neg = n.create<CompareOp>(ComparisonDirection::lt, x, zero);
    y = n.create<SelectOp>(neg, n.create<MulOp>(x, c(n.getFloat("alpha", 0.01f))), x);
    break;
  }
  case Activation::Elu: {
    Value neg = n.create<CompareOp>(ComparisonDirection::lt, x, zero);
    Value expm1 = n.create<SubOp>(n.create<ExpOp>(x), c(1.0));
    y = n.create<SelectOp>(neg, n.create<MulOp>(expm1, c(n.getFloat("alpha", 1.0f))), x);
    break;
  }
  case Activation::Softplus: {
    // log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)), stable for large |x|.
    Value tail = n.create<LogOp>(
        n.create<AddOp>(c(1.0), n.create<ExpOp>(n.create<NegOp>(n.create<AbsOp>(x)))));
    y = n.create<AddOp>(n.create<MaxOp>(x, zero), tail);
    break;
  }
  case Activation::HardSigmoid: {
    Value lin = n.create<AddOp>(n.create<MulOp>(x, c(n.getFloat("alpha", 0.2f))),
                                c(n.getFloat("beta", 0.5f)));
    y = n.create<MaxOp>(n.create<MinOp>(lin, c(1.0)), zero);
    break;
  }
  case Activation::HardSwish: {
    Value lin = n.create<AddOp>(n.create<MulOp>(x, c(1.0 / 6.0)), c(0.5));
    y = n.create<MulOp>(x, n.create<MaxOp>(n.create<MinOp>(lin, c(1.0)), zero));
    break;
  }
  case Activation::Selu: {
    // gamma * (x > 0 ? x : alpha * (exp(x) - 1))
    Value pos = n.create<CompareOp>(ComparisonDirection::gt, x, zero);
    Value expm1 = n.create<SubOp>(n.create<ExpOp>(x), c(1.0));
    Value neg = n.create<MulOp>(expm1, c(n.getFloat("alpha", 1.67326319217681884765625f)));
    y = n.create<MulOp>(n.create<SelectOp>(pos, x, neg),
                        c(n.getFloat("gamma", 1.05070102214813232421875f)));
    break;
  }
  case Activation::Softsign:
    y = n.create<DivOp>(x, n.create<AddOp>(c(1.0), n.create<AbsOp>(x)));
    break;
  case Activation::ThresholdedRelu: {
    Value keep = n.create<CompareOp>(ComparisonDirection::gt, x,
                                     c(n.getFloat("alpha", 1.0f)));
    y = n.create<SelectOp>(keep, x, zero);
    break;
  }
  case Activation::Celu: {
    // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
    double alpha = n.getFloat("alpha", 1.0f);
    Value e = n.create<SubOp>(n.create<ExpOp>(n.create<MulOp>(x, c(1.0 / alpha))), c(1.0));
    y = n.create<AddOp>(n.create<MaxOp>(x, zero),
                        n.create<MinOp>(n.create<MulOp>(e, c(alpha)), zero));
    break;
  }
  case Activation::Shrink: {
    double lambd = n.getFloat("lambd", 0.5f), bias = n.getFloat("bias", 0.0f);
    Value below = n.create<CompareOp>(ComparisonDirection::lt, x, c(-lambd));
    Value above = n.create<CompareOp>(ComparisonDirection::gt, x, c(lambd));
    y = n.create<SelectOp>(below, n.create<AddOp>(x, c(bias)),
                           n.create<SelectOp>(above, n.create<SubOp>(x, c(bias)), zero));
    break;
  }
  case Activation::Mish: {
    // x * tanh(softplus(x)), softplus in its stable form.
    Value sp = n.create<AddOp>(
        n.create<MaxOp>(x, zero),
        n.create<LogOp>(n.create<AddOp>(
            c(1.0), n.create<ExpOp>(n.create<NegOp>(n.create<AbsOp>(x))))));
    y = n.create<MulOp>(x, n.create<TanhOp>(sp));
    break;
  }
  case Activation::Round: {
    // Round half to even: r = floor(x + 0.5), minus 1 on ties where r is odd.
    Value shifted = n.create<AddOp>(x, c(0.5));
    Value r = n.create<FloorOp>(shifted);
    Value tie = n.create<CompareOp>(ComparisonDirection::eq, shifted, r);
    Value odd = n.create<CompareOp>(ComparisonDirection::ne, n.create<RemOp>(r, c(2.0)), zero);
    y = n.create<SelectOp>(n.create<AndOp>(tie, odd), n.create<SubOp>(r, c(1.0)), r);
    break;
  }
  case Activation::Sign: {
    Value pos = n.create<CompareOp>(ComparisonDirection::gt, x, zero);
    Value neg = n.create<CompareOp>(ComparisonDirection::lt, x, zero);
    y = n.create<SelectOp>(pos, c(1.0), n.create<SelectOp>(neg, c(-1.0), x));
    break;
  }
  case Activation::Gelu: {
    std::string approximate = n.getString("approximate", "none");
    Value half = n.create<MulOp>(x, c(0.5));
    if (approximate == "none") {
      Value e = n.create<ErfOp>(n.create<MulOp>(x, c(M_SQRT1_2)));
      y = n.create<MulOp>(half, n.create<AddOp>(c(1.0), e));
    } else if (approximate == "tanh") {
      Value x3 = n.create<MulOp>(n.create<MulOp>(x, x), x);
      Value inner = n.create<MulOp>(
          n.create<AddOp>(x, n.create<MulOp>(x3, c(0.044715))),
          c(std::sqrt(2.0 / M_PI)));
      y = n.create<MulOp>(half, n.create<AddOp>(c(1.0), n.create<TanhOp>(inner)));
    } else {
      return n.fail("approximate must be 'none' or 'tanh', got '" + approximate + "'");
    }
    break;
  }
  }
  n.setOutput(0, y);
  return success();
}

LogicalResult importClip(NodeImporter &n) {
  if (!n.hasInput(0))
    return n.fail("expects an input");
  Value x = n.input(0);
  Value y = x;
  if (n.version < 11) {
    float lo = n.getFloat("min", n.version < 6 ? -INFINITY : -3.402823e38f);
    float hi = n.getFloat("max", n.version < 6 ? INFINITY : 3.402823e38f);
    y = n.create<MaxOp>(y, n.splatLike(x, lo));
    y = n.create<MinOp>(y, n.splatLike(x, hi));
  } else {
    for (int i : {1, 2}) {
      if (!n.hasInput(i))
        continue;
      if (n.inputType(i).getNumElements() != 1)
        return n.fail("min and max must be scalars");
      auto bound = n.broadcastTo(n.reshape(n.input(i), {}),
                                 n.inputType(0).getShape());
      if (failed(bound))
        return failure();
      if (getElementTypeOrSelf(*bound) != getElementTypeOrSelf(x))
        return n.fail("min/max element type differs from the input's");
      y = i == 1 ? Value(n.create<MaxOp>(y, *bound)) : Value(n.create<MinOp>(y, *bound));
    }
  }
  n.setOutput(0, y);
  return success();
}

/// PRelu: x < 0 ? slope * x : x, slope unidirectionally broadcast (from 7;
/// before that, slope has x's shape or one element).
LogicalResult importPRelu(NodeImporter &n) {
  if (!n.hasInput(0) || !n.hasInput(1))
    return n.fail("expects X and slope");
  if (n.inputType(0).getElementType() != n.inputType(1).getElementType())
    return n.fail("X and slope element types differ");
  Value x = n.input(0);
  Value slope = n.input(1);
  RankedTensorType xt = n.inputType(0), st = n.inputType(1);
  FailureOr<Value> b;
  if (n.version < 7 && st.getNumElements() == 1) {
    b = n.broadcastTo(n.reshape(slope, {}), xt.getShape());
  } else if (n.version < 7 && st.getRank() == 1 && xt.getRank() >= 2 &&
             st.getDimSize(0) == xt.getDimSize(1)) {
    // Before opset 7 a 1-D slope of size C applies per channel (dimension 1).
    b = Value(n.create<BroadcastInDimOp>(st.clone(xt.getShape()), slope,
                                         ArrayRef<int64_t>{1}));
  } else {
    b = n.broadcastTo(slope, xt.getShape());
  }
  if (failed(b))
    return failure();
  Value neg = n.create<CompareOp>(ComparisonDirection::lt, x, n.splatLike(x, 0.0));
  n.setOutput(0, n.create<SelectOp>(neg, n.create<MulOp>(x, *b), x));
  return success();
}

/// IsNaN (x != x) and IsInf (|x| == inf, with detect_negative/positive).
LogicalResult importFloatClass(NodeImporter &n, bool isNaN) {
  if (!n.hasInput(0) || !llvm::isa<FloatType>(n.inputType(0).getElementType()))
    return n.fail("takes a float tensor");
  Value x = n.input(0);
  if (isNaN) {
    n.setOutput(0, n.create<CompareOp>(ComparisonDirection::ne, x, x));
    return success();
  }
  bool negative = n.getInt("detect_negative", 1), positive = n.getInt("detect_positive", 1);
  Value isPos = n.create<CompareOp>(ComparisonDirection::eq, x, n.splatLike(x, INFINITY));
  Value isNeg = n.create<CompareOp>(ComparisonDirection::eq, x, n.splatLike(x, -INFINITY));
  Value y = positive && negative ? Value(n.create<OrOp>(isPos, isNeg))
            : positive           ? isPos
            : negative           ? isNeg
                                 : Value(n.create<AndOp>(isPos, isNeg));
  n.setOutput(0, y);
  return success();
}

LogicalResult importWhere(NodeImporter &n) {
  if (!n.hasInput(0) || !n.hasInput(1) || !n.hasInput(2))
    return n.fail("expects three inputs");
  if (!n.inputType(0).getElementType().isInteger(1))
    return n.fail("condition must be a bool tensor");
  if (n.inputType(1).getElementType() != n.inputType(2).getElementType())
    return n.fail("X and Y element types differ");
  if (n.allInputsConstant()) {
    auto r = evalHost({n.constantInput(0), n.constantInput(1), n.constantInput(2)},
                      n.inputType(1).getElementType(),
                      [](ArrayRef<int64_t> i, ArrayRef<double> f, int64_t &ir,
                         double &fr) {
                        ir = i[0] ? i[1] : i[2];
                        fr = i[0] ? f[1] : f[2];
                        return true;
                      });
    if (r) {
      n.setConstantOutput(0, std::move(*r));
      return success();
    }
  }
  auto ops = n.broadcastAll({n.input(0), n.input(1), n.input(2)});
  if (failed(ops))
    return failure();
  n.setOutput(0, n.create<SelectOp>((*ops)[0], (*ops)[1], (*ops)[2]));
  return success();
}

int32_t onnxTypeFromName(StringRef name) {
  return llvm::StringSwitch<int32_t>(name.upper())
      .Case("FLOAT", onnx::TensorProto::FLOAT)
      .Case("DOUBLE", onnx::TensorProto::DOUBLE)
      .Case("FLOAT16", onnx::TensorProto::FLOAT16)
      .Case("BFLOAT16", onnx::TensorProto::BFLOAT16)
      .Case("BOOL", onnx::TensorProto::BOOL)
      .Case("INT8", onnx::TensorProto::INT8)
      .Case("INT16", onnx::TensorProto::INT16)
      .Case("INT32", onnx::TensorProto::INT32)
      .Case("INT64", onnx::TensorProto::INT64)
      .Case("UINT8", onnx::TensorProto::UINT8)
      .Case("UINT16", onnx::TensorProto::UINT16)
      .Case("UINT32", onnx::TensorProto::UINT32)
      .Case("UINT64", onnx::TensorProto::UINT64)
      .Default(0);
}

LogicalResult importCast(NodeImporter &n, bool castLike) {
  Type target;
  if (castLike) {
    if (!n.hasInput(0) || !n.hasInput(1))
      return n.fail("expects an input and a target_type input");
    target = n.inputType(1).getElementType();
  } else {
    if (!n.hasInput(0) || !n.hasAttr("to"))
      return n.fail("expects an input and a 'to' attribute");
    int32_t to = n.version == 1 ? onnxTypeFromName(n.getString("to", ""))
                                : (int32_t)n.getInt("to", 0);
    target = elementTypeFromOnnx(n.context(), to);
    if (!target)
      return n.fail("cannot cast to ONNX type " +
                    (n.version == 1 ? n.getString("to", "") : std::to_string(to)));
  }
  if (const HostTensor *c = n.constantInput(0)) {
    HostTensor r = HostTensor::zeros(target, c->shape);
    for (int64_t i = 0; i < r.size(); ++i) {
      if (c->isFloat())
        r.set(i, c->floats[i]);
      else
        r.setInt(i, c->ints[i]);
    }
    n.setConstantOutput(0, std::move(r));
    return success();
  }
  n.setOutput(0, n.convert(n.input(0), target));
  return success();
}

/// BitShift: unsigned integers shifted by unsigned amounts (0 from the
/// width on, as NumPy), broadcast like any binary op.
LogicalResult importBitShift(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return failure();
  auto type = llvm::dyn_cast<IntegerType>(n.inputType(0).getElementType());
  if (!type || !type.isUnsigned() || type != n.inputType(1).getElementType())
    return n.fail("takes two tensors of one unsigned integer type");
  std::string direction = n.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return n.fail("direction must be LEFT or RIGHT, not '" + direction + "'");
  auto operands = n.broadcastAll({n.input(0), n.input(1)});
  if (failed(operands))
    return failure();
  Value a = (*operands)[0], b = (*operands)[1];
  n.setOutput(0, direction == "LEFT" ? n.create<ShiftLeftOp>(a, b).getResult()
                                     : n.create<ShiftRightOp>(a, b).getResult());
  return success();
}

} // namespace

void registerElementwiseHandlers(HandlerTable &t) {
  t.add("", "BitShift", {11}, importBitShift);
  auto binary = [&](StringRef op, Binary k, std::initializer_list<int> legacy,
                    std::initializer_list<int> modern) {
    if (legacy.size())
      t.add("", op, legacy, [k](NodeImporter &n) { return importBinary(n, k, true); });
    t.add("", op, modern, [k](NodeImporter &n) { return importBinary(n, k, false); });
  };
  binary("Add", Binary::Add, {1, 6}, {7, 13, 14});
  binary("Sub", Binary::Sub, {1, 6}, {7, 13, 14});
  binary("Mul", Binary::Mul, {1, 6}, {7, 13, 14});
  binary("Div", Binary::Div, {1, 6}, {7, 13, 14});
  binary("Pow", Binary::Pow, {1}, {7, 12, 13, 15});
  binary("Mod", Binary::Fmod, {}, {10, 13});
  binary("And", Binary::And, {1}, {7});
  binary("Or", Binary::Or, {1}, {7});
  binary("Xor", Binary::Xor, {1}, {7});
  binary("Equal", Binary::Eq, {1}, {7, 11, 13, 19});
  binary("Less", Binary::Lt, {1}, {7, 9, 13});
  binary("Greater", Binary::Gt, {1}, {7, 9, 13});
  binary("LessOrEqual", Binary::Le, {}, {12, 16});
  binary("GreaterOrEqual", Binary::Ge, {}, {12, 16});

  auto variadic = [&](StringRef op, Binary k, bool mean,
                      std::initializer_list<int> versions) {
    t.add("", op, versions,
          [k, mean](NodeImporter &n) { return importVariadic(n, k, mean); });
  };
  variadic("Max", Binary::Max, false, {1, 6, 8, 12, 13});
  variadic("Min", Binary::Min, false, {1, 6, 8, 12, 13});
  variadic("Sum", Binary::Add, false, {1, 6, 8, 13});
  variadic("Mean", Binary::Add, true, {1, 6, 8, 13});

  auto unary = [&](StringRef op, Unary k, std::initializer_list<int> versions) {
    t.add("", op, versions, [k](NodeImporter &n) { return importUnary(n, k); });
  };
  unary("Neg", Unary::Neg, {1, 6, 13});
  unary("Abs", Unary::Abs, {1, 6, 13});
  unary("Sqrt", Unary::Sqrt, {1, 6, 13});
  unary("Exp", Unary::Exp, {1, 6, 13});
  unary("Log", Unary::Log, {1, 6, 13});
  unary("Floor", Unary::Floor, {1, 6, 13});
  unary("Ceil", Unary::Ceil, {1, 6, 13});
  unary("Sin", Unary::Sin, {7, 22});
  unary("Cos", Unary::Cos, {7, 22});
  unary("Tanh", Unary::Tanh, {1, 6, 13});
  unary("Erf", Unary::Erf, {9, 13});
  unary("Not", Unary::Not, {1});
  unary("Sigmoid", Unary::Sigmoid, {1, 6, 13});
  unary("Reciprocal", Unary::Reciprocal, {1, 6, 13});
  unary("Relu", Unary::Relu, {1, 6, 13, 14});
  unary("Tan", Unary::Tan, {7, 22});
  unary("Asin", Unary::Asin, {7, 22});
  unary("Acos", Unary::Acos, {7, 22});
  unary("Atan", Unary::Atan, {7, 22});
  unary("Sinh", Unary::Sinh, {9, 22});
  unary("Cosh", Unary::Cosh, {9, 22});
  unary("Asinh", Unary::Asinh, {9, 22});
  unary("Acosh", Unary::Acosh, {9, 22});
  unary("Atanh", Unary::Atanh, {9, 22});

  auto activation = [&](StringRef op, Activation k, std::initializer_list<int> v) {
    t.add("", op, v, [k](NodeImporter &n) { return importActivation(n, k); });
  };
  activation("LeakyRelu", Activation::LeakyRelu, {1, 6, 16});
  activation("Elu", Activation::Elu, {1, 6, 22});
  activation("Softplus", Activation::Softplus, {1, 22});
  activation("HardSigmoid", Activation::HardSigmoid, {1, 6, 22});
  activation("HardSwish", Activation::HardSwish, {14, 22});
  activation("Gelu", Activation::Gelu, {20});
  activation("Selu", Activation::Selu, {1, 6, 22});
  activation("Softsign", Activation::Softsign, {1, 22});
  activation("ThresholdedRelu", Activation::ThresholdedRelu, {10, 22});
  activation("Celu", Activation::Celu, {12});
  activation("Shrink", Activation::Shrink, {9});
  activation("Mish", Activation::Mish, {18, 22});
  activation("Round", Activation::Round, {11, 22});
  activation("Sign", Activation::Sign, {9, 13});

  t.add("", "Clip", {1, 6, 11, 12, 13}, importClip);
  t.add("", "Where", {9, 16}, importWhere);
  t.add("", "Cast", {1, 6, 9, 13, 19, 21},
        [](NodeImporter &n) { return importCast(n, false); });
  t.add("", "CastLike", {15, 19, 21},
        [](NodeImporter &n) { return importCast(n, true); });
  t.add("", "PRelu", {1, 6, 7, 9, 16}, importPRelu);
  t.add("", "IsNaN", {9, 13, 20},
        [](NodeImporter &n) { return importFloatClass(n, true); });
  t.add("", "IsInf", {10, 20},
        [](NodeImporter &n) { return importFloatClass(n, false); });
}

} // namespace dlcc::onnx_import
