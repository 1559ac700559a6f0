//===- Losses.h - the training loss of a program ---------------*- C++ -*-===//
//
// The loss train_step, accumulate and eval compute from the model's first
// output (see the dlcc-build-train-step pass description in Passes.td).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_TRAINING_LOSSES_H
#define DLCC_LIB_TRAINING_LOSSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir::dlcc::training {

struct LossOptions {
  std::string loss = "cross_entropy"; // cross_entropy, mse or none
  std::string labelsName = "labels";
  std::string labelsKind = "indices"; // indices or probabilities
  int64_t classAxis = -1, ignoreIndex = -100;
  double labelSmoothing = 0;
};

/// Computes the loss of `fn`'s first output (a result marked dlcc.output)
/// before `ret`, `fn`'s return: appends the labels input (unless the loss is
/// `none`) and returns the 0-d loss. On failure, `diagnosed` (the model's
/// entry point, whose location users recognise) carries the error.
FailureOr<Value> buildLoss(func::FuncOp fn, func::ReturnOp ret,
                           const LossOptions &options, Operation *diagnosed);

} // namespace mlir::dlcc::training

#endif // DLCC_LIB_TRAINING_LOSSES_H
