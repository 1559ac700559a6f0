//===- InferenceMode.cpp - a training-mode forward in inference mode ------===//
//
// The importer builds a training-mode BatchNormalization as
// dlcc.batch_norm_training plus the running-statistic updates
// `running * momentum + batch * (1 - momentum)`, returned as tied results of
// the statistics' state slots; the slot a batch statistic flows into names
// the running statistic to use instead. Dropout in training mode is
// `select(keep, x * (1 / (1 - ratio)), 0)` with keep a dlcc.dropout_mask.
//
//===----------------------------------------------------------------------===//
#include "InferenceMode.h"
#include "TrainingBuilders.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cmath>

namespace mlir::dlcc::training {
namespace {

/// The argument of `fn` bound to the state slot of the one tied result that
/// `value` flows into, or null when it flows into none or several.
Value runningStatisticFedBy(func::FuncOp fn, func::ReturnOp ret, Value value) {
  SetVector<Operation *> users;
  getForwardSlice(value, &users);
  FlatSymbolRefAttr slot;
  for (OpOperand &operand : ret->getOpOperands()) {
    Value v = operand.get();
    if (v != value && !users.contains(v.getDefiningOp()))
      continue;
    auto tied = fn.getResultAttrOfType<FlatSymbolRefAttr>(
        operand.getOperandNumber(), kTiedStateAttrName);
    if (!tied)
      continue;
    if (slot && slot != tied)
      return nullptr;
    slot = tied;
  }
  if (!slot)
    return nullptr;
  for (BlockArgument arg : fn.getArguments())
    if (fn.getArgAttrOfType<FlatSymbolRefAttr>(arg.getArgNumber(),
                                               kStateAttrName) == slot)
      return arg;
  return nullptr;
}

void useRunningStatistics(func::FuncOp fn, func::ReturnOp ret) {
  SmallVector<BatchNormTrainingOp> norms;
  fn.walk([&](BatchNormTrainingOp op) { norms.push_back(op); });
  for (BatchNormTrainingOp bn : norms) {
    Value mean = runningStatisticFedBy(fn, ret, bn.getBatchMean());
    Value var = runningStatisticFedBy(fn, ret, bn.getBatchVar());
    if (!mean || !var) {
      bn.emitWarning("this BatchNormalization's running statistics are not "
                     "initializers: `forward` and `eval` normalise it with "
                     "batch statistics");
      continue;
    }
    OpBuilder b(bn);
    Type element = bn.getInput().getType().getElementType();
    auto like = [&](Value statistic) -> Value {
      auto type = cast<RankedTensorType>(statistic.getType());
      if (type.getElementType() == element)
        return statistic;
      return ConvertOp::create(b, bn.getLoc(), type.clone(element), statistic);
    };
    Value y = BatchNormInferenceOp::create(
        b, bn.getLoc(), bn.getInput(), bn.getScale(), bn.getOffset(),
        like(mean), like(var), bn.getEpsilonAttr());
    bn.getOutput().replaceAllUsesWith(y);
  }
}

/// Whether `value` is a splat constant within rounding of `expected`.
bool isSplatOf(Value value, double expected) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  double got = attr.getSplatValue<APFloat>().convertToDouble();
  return std::abs(got - expected) <= 1e-6 * std::abs(expected);
}

LogicalResult removeDropout(func::FuncOp fn) {
  SmallVector<DropoutMaskOp> masks;
  fn.walk([&](DropoutMaskOp op) { masks.push_back(op); });
  for (DropoutMaskOp mask : masks) {
    double scale = 1.0 / (1.0 - mask.getRatio().convertToDouble());
    for (Operation *user : llvm::make_early_inc_range(mask->getUsers())) {
      auto select = dyn_cast<SelectOp>(user);
      if (!select || select.getPred() != mask.getResult())
        continue;
      // Only the dropout itself may select by the mask: with the mask all
      // true, any other selection would silently keep the scaled branch.
      auto scaled = select.getOnTrue().getDefiningOp<MulOp>();
      Value x;
      if (scaled && isSplatOf(select.getOnFalse(), 0.0)) {
        if (isSplatOf(scaled.getRhs(), scale))
          x = scaled.getLhs();
        else if (isSplatOf(scaled.getLhs(), scale))
          x = scaled.getRhs();
      }
      if (!x)
        return select.emitError("this selection by a dropout mask is not "
                                "the dropout `select(mask, x * 1/(1-ratio), "
                                "0)`; its inference form is unknown");
      select.getResult().replaceAllUsesWith(x);
    }
    // What else reads the mask (Dropout's mask output) sees every element
    // kept.
    OpBuilder b(mask);
    auto type = mask.getResult().getType();
    Value kept = ConstantOp::create(
        b, mask.getLoc(),
        DenseElementsAttr::get(cast<ShapedType>(type), b.getBoolAttr(true)));
    mask.getResult().replaceAllUsesWith(kept);
  }
  return success();
}

/// Drops `fn`'s tied results: an inference-mode entry point updates no
/// state.
void dropStateUpdates(func::FuncOp fn, func::ReturnOp ret) {
  llvm::BitVector tied(fn.getNumResults());
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    tied[i] = bool(fn.getResultAttr(i, kTiedStateAttrName));
  if (tied.none())
    return;
  ret->eraseOperands(tied);
  (void)fn.eraseResults(tied);
}

} // namespace

LogicalResult convertToInferenceMode(func::FuncOp fn) {
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  useRunningStatistics(fn, ret);
  if (failed(removeDropout(fn)))
    return failure();
  dropStateUpdates(fn, ret);
  // The training-mode ops are dead now.
  Block &body = fn.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  return success();
}

} // namespace mlir::dlcc::training
