//===- Losses.cpp - the training loss of a program ------------------------===//
#include "Losses.h"
#include "TrainingBuilders.h"

namespace mlir::dlcc::training {
namespace {

struct LossBuilder {
  OpBuilder &b;
  Location loc;
  const LossOptions &options;

  /// The labels' type for `output`, or failure with a message.
  FailureOr<RankedTensorType> labelsType(Operation *fn, Value output,
                                         int64_t &axis) {
    auto type = dyn_cast<RankedTensorType>(output.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return fn->emitError("the loss needs a statically shaped float output, "
                          "got ")
             << output.getType();
    if (options.loss == "mse")
      return type;
    int64_t rank = type.getRank();
    axis = options.classAxis < 0 ? options.classAxis + rank : options.classAxis;
    if (rank == 0 || axis < 0 || axis >= rank)
      return fn->emitError("--class-axis ")
             << options.classAxis << " is not a dimension of the output "
             << type;
    if (options.labelsKind == "probabilities")
      return type;
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + axis);
    return RankedTensorType::get(shape, b.getI64Type());
  }

  Value meanSquaredError(Value y, Value t) {
    Value d = SubOp::create(b, loc, y, t);
    Value sum = sumAll(b, loc, MulOp::create(b, loc, d, d));
    auto type = cast<RankedTensorType>(y.getType());
    return DivOp::create(b, loc, sum,
                         splat(b, loc, cast<RankedTensorType>(sum.getType()),
                               double(type.getNumElements())));
  }

  /// Logits moved to [N, C, D...] (classes second) for dlcc.cross_entropy,
  /// labels to [N, D...].
  std::pair<Value, Value> classesSecond(Value logits, Value labels,
                                        int64_t axis) {
    auto type = cast<RankedTensorType>(logits.getType());
    auto labelType = cast<RankedTensorType>(labels.getType());
    int64_t rank = type.getRank();
    if (axis == rank - 1 && rank != 2) {
      // [..., C] as [P, C]: positions first (a language model's tokens).
      int64_t c = type.getShape().back();
      int64_t positions = type.getNumElements() / std::max<int64_t>(c, 1);
      logits = ReshapeOp::create(
          b, loc, RankedTensorType::get({positions, c}, type.getElementType()),
          logits);
      labels = ReshapeOp::create(
          b, loc,
          RankedTensorType::get({positions}, labelType.getElementType()),
          labels);
      return {logits, labels};
    }
    if (axis != 1) {
      SmallVector<int64_t> perm{0, axis};
      for (int64_t d = 1; d < rank; ++d)
        if (d != axis)
          perm.push_back(d);
      logits = TransposeOp::create(b, loc, logits, perm);
    }
    return {logits, labels};
  }

  Value crossEntropy(Value logits, Value labels, int64_t axis) {
    double eps = options.labelSmoothing;
    if (options.labelsKind == "probabilities") {
      auto type = cast<RankedTensorType>(logits.getType());
      Value logp = LogSoftmaxOp::create(b, loc, logits, uint64_t(axis));
      // Smoothed targets (1 - eps) p + eps / C, as PyTorch.
      if (eps > 0)
        labels = AddOp::create(
            b, loc, MulOp::create(b, loc, labels, splat(b, loc, type, 1 - eps)),
            splat(b, loc, type, eps / double(type.getDimSize(axis))));
      Value perPosition =
          ReduceOp::create(b, loc, ReduceKind::sum,
                           MulOp::create(b, loc, labels, logp),
                           ArrayRef<int64_t>{axis});
      Value sum = sumAll(b, loc, perPosition);
      double positions =
          double(type.getNumElements()) / double(type.getDimSize(axis));
      return NegOp::create(
          b, loc,
          DivOp::create(b, loc, sum,
                        splat(b, loc, cast<RankedTensorType>(sum.getType()),
                              positions)));
    }
    auto [x, t] = classesSecond(logits, labels, axis);
    Value logp = LogSoftmaxOp::create(b, loc, x, uint64_t(1));
    auto xType = cast<RankedTensorType>(x.getType());
    auto scalar = RankedTensorType::get({}, xType.getElementType());
    Value nll = CrossEntropyOp::create(b, loc, scalar, logp, t, Value(),
                                       uint64_t(options.ignoreIndex),
                                       LossReduction::mean);
    if (eps <= 0)
      return nll;
    // Label smoothing (PyTorch): (1 - eps) nll + eps * the mean over the
    // counted positions of -mean_c log p.
    auto tType = cast<RankedTensorType>(t.getType());
    auto positionsType = tType.clone(xType.getElementType());
    Value perPosition = ReduceOp::create(b, loc, ReduceKind::sum, logp,
                                         ArrayRef<int64_t>{1});
    Value counted = CompareOp::create(
        b, loc, ComparisonDirection::ne, t,
        splat(b, loc, tType, double(options.ignoreIndex)));
    Value zeros = splat(b, loc, positionsType, 0.0);
    Value kept = SelectOp::create(b, loc, counted, perPosition, zeros);
    Value count = sumAll(
        b, loc,
        SelectOp::create(b, loc, counted, splat(b, loc, positionsType, 1.0),
                         zeros));
    Value smooth = NegOp::create(
        b, loc,
        DivOp::create(b, loc, sumAll(b, loc, kept),
                      MulOp::create(b, loc, count,
                                    splat(b, loc, scalar,
                                          double(xType.getDimSize(1))))));
    return AddOp::create(
        b, loc, MulOp::create(b, loc, nll, splat(b, loc, scalar, 1 - eps)),
        MulOp::create(b, loc, smooth, splat(b, loc, scalar, eps)));
  }
};

} // namespace

FailureOr<Value> buildLoss(func::FuncOp fn, func::ReturnOp ret,
                           const LossOptions &options, Operation *diagnosed) {
  std::optional<unsigned> firstOutput;
  for (unsigned i = 0; i < fn.getNumResults() && !firstOutput; ++i)
    if (fn.getResultAttr(i, kOutputAttrName))
      firstOutput = i;
  if (!firstOutput)
    return diagnosed->emitError("the model has no output to compute a loss of");
  Value output = ret.getOperand(*firstOutput);
  Location loc = ret.getLoc();
  OpBuilder b(ret);
  LossBuilder losses{b, loc, options};
  if (options.loss == "none") {
    auto type = dyn_cast<RankedTensorType>(output.getType());
    if (!type || type.getRank() != 0 || !isa<FloatType>(type.getElementType()))
      return diagnosed->emitError("--loss none needs the model's first output "
                                  "to be a 0-d float loss, got ")
             << output.getType();
    return output;
  }
  int64_t axis = 0;
  FailureOr<RankedTensorType> labelsType =
      losses.labelsType(diagnosed, output, axis);
  if (failed(labelsType))
    return failure();
  unsigned index = fn.getNumArguments();
  if (failed(fn.insertArgument(
          index, *labelsType,
          b.getDictionaryAttr(b.getNamedAttr(
              kInputAttrName, b.getStringAttr(options.labelsName))),
          loc)))
    return failure();
  Value labels = fn.getArgument(index);
  return options.loss == "mse" ? losses.meanSquaredError(output, labels)
                               : losses.crossEntropy(output, labels, axis);
}

} // namespace mlir::dlcc::training
