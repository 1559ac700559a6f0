//===- TrainingBuilders.h - small IR builders of the training passes -*- C++ -*-===//
//
// What the VJP rules, the loss and the optimizers build over and over:
// splat constants, elementwise arithmetic, reductions back to an operand's
// shape. Every helper builds dlcc ops at the builder's insertion point.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_TRAINING_TRAININGBUILDERS_H
#define DLCC_LIB_TRAINING_TRAININGBUILDERS_H

#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/IR/Builders.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::dlcc::training {

/// A dlcc.constant of `type` with every element `value`.
Value splat(OpBuilder &b, Location loc, RankedTensorType type, double value);

/// A splat like `like`'s type.
inline Value splatLike(OpBuilder &b, Location loc, Value like, double value) {
  return splat(b, loc, cast<RankedTensorType>(like.getType()), value);
}

/// `value` (any shape) broadcast to `type` with `dims` (dlcc.broadcast_in_dim).
Value broadcast(OpBuilder &b, Location loc, Value value, RankedTensorType type,
                ArrayRef<int64_t> dims);

/// A 0-d `value` broadcast to `type`.
Value broadcastScalar(OpBuilder &b, Location loc, Value value,
                      RankedTensorType type);

/// The sum of `grad` (shaped like a broadcast result) over what
/// dlcc.broadcast_in_dim of an operand of `operandType` with `dims` added:
/// the result dims not in `dims` and the operand's size-1 dims that grew.
Value unbroadcast(OpBuilder &b, Location loc, Value grad,
                  RankedTensorType operandType, ArrayRef<int64_t> dims);

/// The values `target` depends on among the operands of the ops before
/// `end` in its block (walking back from `end`), `target` included: the
/// backward slice activity analysis and parameter selection share.
llvm::DenseSet<Value> valuesReaching(Value target, Operation *end);

/// The sum of every element of `value`: a 0-d tensor.
Value sumAll(OpBuilder &b, Location loc, Value value);

} // namespace mlir::dlcc::training

#endif // DLCC_LIB_TRAINING_TRAININGBUILDERS_H
