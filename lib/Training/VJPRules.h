//===- VJPRules.h - what the VJP rule files share ---------------*- C++ -*-===//
#ifndef DLCC_LIB_TRAINING_VJPRULES_H
#define DLCC_LIB_TRAINING_VJPRULES_H

#include "TrainingBuilders.h"

namespace mlir::dlcc::training {

/// A rule: the operand cotangents of `op` (one per operand, null where none)
/// from the cotangents of its results (null where a result has none).
template <typename OpTy>
using VJPRule = LogicalResult (*)(OpTy op, OpBuilder &b, ValueRange dys,
                                  SmallVectorImpl<Value> &dxs);

/// The external model that runs rule `Rule` for `OpTy`.
template <typename OpTy, VJPRule<OpTy> Rule>
struct RuleModel
    : VJPOpInterface::ExternalModel<RuleModel<OpTy, Rule>, OpTy> {
  LogicalResult buildVJP(Operation *op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) const {
    dxs.assign(op->getNumOperands(), Value());
    return Rule(cast<OpTy>(op), b, dys, dxs);
  }
};

template <typename OpTy, VJPRule<OpTy> Rule>
void attachRule(MLIRContext *ctx) {
  OpTy::template attachInterface<RuleModel<OpTy, Rule>>(*ctx);
}

void registerElementwiseVJPs(MLIRContext *ctx);
void registerShapeVJPs(MLIRContext *ctx);
void registerNeuralNetVJPs(MLIRContext *ctx);

} // namespace mlir::dlcc::training

#endif // DLCC_LIB_TRAINING_VJPRULES_H
