//===- TrainingBuilders.cpp - small IR builders of the training passes ----===//
#include "TrainingBuilders.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::dlcc::training {

Value splat(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Type element = type.getElementType();
  Attribute scalar;
  if (auto f = dyn_cast<FloatType>(element))
    scalar = b.getFloatAttr(f, value);
  else
    scalar = b.getIntegerAttr(element, int64_t(value));
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, scalar));
}

Value broadcast(OpBuilder &b, Location loc, Value value, RankedTensorType type,
                ArrayRef<int64_t> dims) {
  if (value.getType() == type)
    return value;
  return BroadcastInDimOp::create(b, loc, type, value, dims);
}

Value broadcastScalar(OpBuilder &b, Location loc, Value value,
                      RankedTensorType type) {
  return broadcast(b, loc, value, type, {});
}

Value unbroadcast(OpBuilder &b, Location loc, Value grad,
                  RankedTensorType operandType, ArrayRef<int64_t> dims) {
  auto gradType = cast<RankedTensorType>(grad.getType());
  SmallVector<int64_t> reduced;
  for (int64_t d = 0; d < gradType.getRank(); ++d) {
    const int64_t *it = llvm::find(dims, d);
    if (it == dims.end()) {
      reduced.push_back(d);
      continue;
    }
    int64_t operandDim = it - dims.begin();
    if (operandType.getDimSize(operandDim) == 1 && gradType.getDimSize(d) != 1)
      reduced.push_back(d);
  }
  Value sum = grad;
  if (!reduced.empty())
    sum = ReduceOp::create(b, loc, ReduceKind::sum, grad, reduced);
  // The kept result dims are in result order; put them in operand order
  // (dims need not increase) before the reshape restores size-1 dims.
  SmallVector<int64_t> kept; // operand dim of each kept result dim, in order
  for (int64_t d = 0; d < gradType.getRank(); ++d)
    if (!llvm::is_contained(reduced, d))
      kept.push_back(llvm::find(dims, d) - dims.begin());
  if (!llvm::is_sorted(kept)) {
    SmallVector<int64_t> order = llvm::to_vector(llvm::seq<int64_t>(0, kept.size()));
    llvm::sort(order, [&](int64_t x, int64_t y) { return kept[x] < kept[y]; });
    sum = TransposeOp::create(b, loc, sum, order);
  }
  if (sum.getType() != operandType)
    sum = ReshapeOp::create(b, loc, operandType, sum);
  return sum;
}

llvm::DenseSet<Value> valuesReaching(Value target, Operation *end) {
  llvm::DenseSet<Value> reaching{target};
  for (Operation *op = end->getPrevNode(); op; op = op->getPrevNode())
    if (llvm::any_of(op->getResults(),
                     [&](Value v) { return reaching.contains(v); }))
      for (Value operand : op->getOperands())
        reaching.insert(operand);
  return reaching;
}

Value sumAll(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 0)
    return value;
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  return ReduceOp::create(b, loc, ReduceKind::sum, value, dims);
}

} // namespace mlir::dlcc::training
