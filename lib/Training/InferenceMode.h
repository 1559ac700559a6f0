//===- InferenceMode.h - a training-mode forward in inference mode -*- C++ -*-===//
//
// A model exported in training mode normalises with batch statistics (and
// updates the running ones) and drops activations at random. The `forward`
// and `eval` entry points of a training program run it as
// `model.eval()` would: BatchNorm with the running statistics, Dropout as
// the identity, and no state updated.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_TRAINING_INFERENCEMODE_H
#define DLCC_LIB_TRAINING_INFERENCEMODE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::dlcc::training {

/// Rewrites `fn`, an entry point as imported: every dlcc.batch_norm_training
/// whose running statistics are state (initializers) becomes
/// dlcc.batch_norm_inference with those statistics, every dropout
/// (`select(dlcc.dropout_mask, x * 1/(1-ratio), 0)`) becomes `x` and its
/// mask all true, and `fn` stops returning state updates (tied results).
/// A BatchNorm whose running statistics are graph inputs keeps batch
/// statistics, with a warning. Other reads of a mask (Dropout's mask
/// output) see it all true; a selection by a mask in any other form fails,
/// with an error on it.
LogicalResult convertToInferenceMode(func::FuncOp fn);

} // namespace mlir::dlcc::training

#endif // DLCC_LIB_TRAINING_INFERENCEMODE_H
