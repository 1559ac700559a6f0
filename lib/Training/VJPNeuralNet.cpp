//===- VJPNeuralNet.cpp - reverse-mode rules of softmax and losses --------===//
#include "VJPRules.h"

namespace mlir::dlcc::training {
namespace {

LogicalResult softmaxRule(SoftmaxOp op, OpBuilder &b, ValueRange dys,
                          SmallVectorImpl<Value> &dxs) {
  dxs[0] = SoftmaxBackwardOp::create(b, op.getLoc(), op.getResult(), dys[0],
                                     op.getDimension());
  return success();
}

LogicalResult logSoftmaxRule(LogSoftmaxOp op, OpBuilder &b, ValueRange dys,
                             SmallVectorImpl<Value> &dxs) {
  dxs[0] = LogSoftmaxBackwardOp::create(b, op.getLoc(), op.getResult(),
                                        dys[0], op.getDimension());
  return success();
}

// d/dlogp[n, c, d...] = -s(n, d...) where c is the position's label and the
// label is not ignore_index, 0 elsewhere; s is the result's cotangent (for
// `none`), or the scalar cotangent (`sum`) divided by the count of counted
// positions (`mean`). Labels carry no derivative.
LogicalResult crossEntropyRule(CrossEntropyOp op, OpBuilder &b, ValueRange dys,
                               SmallVectorImpl<Value> &dxs) {
  if (op.getWeights())
    return op.emitError("no gradient rule for a class-weighted cross-entropy "
                        "yet");
  Location l = op.getLoc();
  auto logpType = cast<RankedTensorType>(op.getLogProbs().getType());
  auto labelType = cast<RankedTensorType>(op.getLabels().getType());
  int64_t rank = logpType.getRank();
  SmallVector<int64_t> positionDims{0}; // logp dims that labels index
  for (int64_t d = 2; d < rank; ++d)
    positionDims.push_back(d);

  auto indexType = logpType.clone(labelType.getElementType());
  Value classes = IotaOp::create(b, l, indexType, uint64_t(1));
  Value labels = broadcast(b, l, op.getLabels(), indexType, positionDims);
  Value hit = CompareOp::create(b, l, ComparisonDirection::eq, classes, labels);
  Value ignore = splat(b, l, labelType, double(int64_t(op.getIgnoreIndex())));
  Value counted =
      CompareOp::create(b, l, ComparisonDirection::ne, op.getLabels(), ignore);

  Value scale = dys[0]; // per position ([N, D...]) or 0-d
  if (op.getReduction() == LossReduction::mean) {
    auto floatType = labelType.clone(logpType.getElementType());
    Value one = splat(b, l, floatType, 1.0), zero = splat(b, l, floatType, 0.0);
    Value count = sumAll(b, l, SelectOp::create(b, l, counted, one, zero));
    scale = DivOp::create(b, l, scale, count);
  }
  Value perClass =
      op.getReduction() == LossReduction::none
          ? broadcast(b, l, scale, logpType, positionDims)
          : broadcastScalar(b, l, scale, logpType);
  Value take = AndOp::create(
      b, l, hit,
      broadcast(b, l, counted, logpType.clone(b.getI1Type()), positionDims));
  dxs[0] = SelectOp::create(b, l, take, NegOp::create(b, l, perClass),
                            splat(b, l, logpType, 0.0));
  return success();
}

// The data and filter gradients, the ops cuDNN / oneDNN run as library
// calls (dlcc-select-library-calls).
LogicalResult convolutionRule(ConvolutionOp op, OpBuilder &b, ValueRange dys,
                              SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  dxs[0] = ConvolutionBackwardDataOp::create(
      b, l, op.getInput().getType(), dys[0], op.getFilter(), op.getStrides(),
      op.getPadLow(), op.getPadHigh(), op.getDilations(), op.getGroups());
  dxs[1] = ConvolutionBackwardFilterOp::create(
      b, l, op.getFilter().getType(), op.getInput(), dys[0], op.getStrides(),
      op.getPadLow(), op.getPadHigh(), op.getDilations(), op.getGroups());
  return success();
}

// Max routes to the first maximum of each window (PyTorch's MaxPool),
// average spreads evenly.
LogicalResult poolRule(PoolOp op, OpBuilder &b, ValueRange dys,
                       SmallVectorImpl<Value> &dxs) {
  if (!isa<FloatType>(getElementTypeOrSelf(op.getInput().getType())))
    return success();
  dxs[0] = PoolBackwardOp::create(
      b, op.getLoc(), op.getInput().getType(), op.getKind(), op.getInput(),
      dys[0], op.getWindow(), op.getStrides(), op.getPadLow(), op.getPadHigh(),
      op.getDilations(), op.getCountIncludePad());
  return success();
}

/// The statistics results of a normalization feed running averages, not the
/// loss; a cotangent on them has no rule.
LogicalResult statisticsCarryNoGradient(Operation *op, ValueRange dys) {
  if (llvm::any_of(dys.drop_front(), [](Value v) { return bool(v); }))
    return op->emitError("no gradient rule through the batch statistics of '")
           << op->getName() << "' (only through its output)";
  return success();
}

LogicalResult batchNormRule(BatchNormTrainingOp op, OpBuilder &b,
                            ValueRange dys, SmallVectorImpl<Value> &dxs) {
  if (failed(statisticsCarryNoGradient(op, dys)))
    return failure();
  auto grad = BatchNormBackwardOp::create(
      b, op.getLoc(), op.getInput(), op.getScale(), op.getBatchMean(),
      op.getBatchVar(), dys[0], op.getEpsilonAttr());
  dxs.assign({grad.getGradInput(), grad.getGradScale(), grad.getGradOffset()});
  return success();
}

LogicalResult layerNormRule(LayerNormOp op, OpBuilder &b, ValueRange dys,
                            SmallVectorImpl<Value> &dxs) {
  if (failed(statisticsCarryNoGradient(op, dys)))
    return failure();
  auto grad = LayerNormBackwardOp::create(
      b, op.getLoc(), op.getInput(), op.getScale(), op.getMean(),
      op.getInvStdDev(), dys[0], op.getAxisAttr());
  dxs.assign({grad.getGradInput(), grad.getGradScale(), grad.getGradOffset()});
  return success();
}

} // namespace

void registerNeuralNetVJPs(MLIRContext *ctx) {
  attachRule<ConvolutionOp, convolutionRule>(ctx);
  attachRule<PoolOp, poolRule>(ctx);
  attachRule<BatchNormTrainingOp, batchNormRule>(ctx);
  attachRule<LayerNormOp, layerNormRule>(ctx);
  attachRule<SoftmaxOp, softmaxRule>(ctx);
  attachRule<LogSoftmaxOp, logSoftmaxRule>(ctx);
  attachRule<CrossEntropyOp, crossEntropyRule>(ctx);
}

} // namespace mlir::dlcc::training
