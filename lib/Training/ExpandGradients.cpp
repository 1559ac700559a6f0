//===- ExpandGradients.cpp - the dlcc-expand-gradients pass ---------------===//
//
// Reverse-mode automatic differentiation of dlcc.gradient (see Passes.td):
// activity analysis, then one reverse sweep over the ops before the
// gradient op, each active op contributing its VJP.
//
//===----------------------------------------------------------------------===//
#include "TrainingBuilders.h"
#include "dlcc/Training/Passes.h"

#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_EXPANDGRADIENTSPASS
#include "dlcc/Training/Passes.h.inc"

namespace {

bool isFloatTensor(Value v) {
  return isa<FloatType>(getElementTypeOrSelf(v.getType()));
}

/// The values of `grad`'s block that depend on one of its `xs` (varied) and
/// that its `y` depends on (useful): the ones that get cotangents.
llvm::DenseSet<Value> activeValues(GradientOp grad) {
  Block *block = grad->getBlock();
  llvm::DenseSet<Value> varied(grad.getXs().begin(), grad.getXs().end());
  for (Operation &op : *block) {
    if (&op == grad.getOperation())
      break;
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return varied.contains(v); }))
      for (Value r : op.getResults())
        if (isFloatTensor(r))
          varied.insert(r);
  }
  llvm::DenseSet<Value> useful = training::valuesReaching(grad.getY(), grad);
  llvm::DenseSet<Value> active;
  for (Value v : varied)
    if (useful.contains(v))
      active.insert(v);
  return active;
}

/// Marks `op` as part of a backward pass: its location fused with metadata
/// kBackwardLocationMetadata, the original locations (the ONNX node's name
/// among them, which diagnostics print) kept at the top level.
void markBackward(Operation *op) {
  Location loc = op->getLoc();
  if (isBackwardLocation(loc))
    return;
  SmallVector<Location> parts;
  auto fused = dyn_cast<FusedLoc>(loc);
  if (fused && !fused.getMetadata())
    llvm::append_range(parts, fused.getLocations());
  else
    parts.push_back(loc);
  MLIRContext *ctx = op->getContext();
  op->setLoc(FusedLoc::get(parts, StringAttr::get(ctx, kBackwardLocationMetadata),
                           ctx));
}

LogicalResult expand(GradientOp grad) {
  llvm::DenseSet<Value> active = activeValues(grad);
  // The backward ops go between `first` (exclusive) and `after`.
  Operation *first = grad->getPrevNode(), *after = grad->getNextNode();
  OpBuilder b(grad);
  Location loc = grad.getLoc();
  llvm::DenseMap<Value, Value> cotangent;
  cotangent[grad.getY()] = training::splatLike(b, loc, grad.getY(), 1.0);
  auto accumulate = [&](Value v, Value dv) {
    auto [it, inserted] = cotangent.try_emplace(v, dv);
    if (!inserted)
      it->second = AddOp::create(b, loc, it->second, dv);
  };

  for (Operation *op = grad->getPrevNode(); op; op = op->getPrevNode()) {
    SmallVector<Value> dys;
    bool any = false;
    for (Value r : op->getResults()) {
      dys.push_back(cotangent.lookup(r));
      any |= bool(dys.back());
    }
    if (!any)
      continue;
    auto vjp = dyn_cast<VJPOpInterface>(op);
    if (!vjp)
      return op->emitError("no gradient rule for '")
             << op->getName()
             << "', which lies between a differentiated value and the loss";
    SmallVector<Value> dxs;
    if (failed(vjp.buildVJP(b, dys, dxs)))
      return failure();
    for (auto [operand, dx] : llvm::zip(op->getOperands(), dxs))
      if (dx && active.contains(operand))
        accumulate(operand, dx);
  }

  for (auto [x, result] : llvm::zip_equal(grad.getXs(), grad.getResults())) {
    Value g = cotangent.lookup(x);
    if (!g)
      g = training::splatLike(b, loc, x, 0.0);
    result.replaceAllUsesWith(g);
  }
  grad.erase();
  // Rules build every operand's cotangent; those of inactive operands (a
  // constant's, an input's) are dead: erased here, so that no later phase
  // turns them into kernels.
  Block *block = after ? after->getBlock() : first->getBlock();
  Operation *op = after ? after->getPrevNode() : &block->back();
  while (op && op != first) {
    Operation *prev = op->getPrevNode();
    if (isOpTriviallyDead(op))
      op->erase();
    else
      markBackward(op);
    op = prev;
  }
  return success();
}

struct ExpandGradientsPass
    : impl::ExpandGradientsPassBase<ExpandGradientsPass> {
  void runOnOperation() override {
    SmallVector<GradientOp> gradients;
    getOperation().walk([&](GradientOp g) { gradients.push_back(g); });
    for (GradientOp g : gradients)
      if (failed(expand(g)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::dlcc
