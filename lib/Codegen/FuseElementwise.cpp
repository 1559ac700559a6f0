//===- FuseElementwise.cpp - the dlcc-fuse-elementwise pass ---------------===//
#include "dlcc/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "dlcc/Codegen/Passes.h.inc"

namespace {

/// What recomputing a generic costs, in tensors streamed: one per input read
/// through a permutation map (one element per iteration point), two per
/// tensor it gathers from (`tensor.extract` in its body: data-dependent
/// loads, which also keep a CPU loop from vectorizing); broadcast operands
/// are free.
unsigned streamedTensors(linalg::GenericOp op) {
  unsigned n = 0;
  for (OpOperand *input : op.getDpsInputOperands())
    if (isa<RankedTensorType>(input->get().getType()) &&
        op.getMatchingIndexingMap(input).isPermutation())
      ++n;
  op.getRegion().walk([&](tensor::ExtractOp extract) {
    if (!op->isAncestor(extract.getTensor().getParentBlock()->getParentOp()))
      n += 2;
  });
  return n;
}

/// Whether fusing the producer of `operand` into its consumer computes each
/// produced element once: always for all-parallel consumers; for consumers
/// with reductions only when the operand's map is a permutation of the loops.
/// A producer that other ops use too stays (fusion duplicates it), and is
/// fused only into all-parallel consumers, and only when recomputing it
/// reads no more than reading its result would: when it streams at most one tensor (a bias add, x - mean). Else a
/// residual stream `h + f(h)` would be recomputed, with every add before it,
/// in each of its consumers, layer after layer.
bool fusesWithoutRecomputation(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!consumer)
    return false;
  if (consumer.getNumReductionLoops() != 0 &&
      !consumer.getMatchingIndexingMap(operand).isPermutation())
    return false;
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  if (producer && !operand->get().hasOneUse() && streamedTensors(producer) > 1)
    return false;
  // A producer used elsewhere too stays a result of the fused op, which a
  // consumer with reduction loops cannot yield (its outputs lack those
  // loops): a training step's masks feed both a row sum and later ops.
  if (producer && !operand->get().hasOneUse() &&
      consumer.getNumReductionLoops() != 0)
    return false;
  return true;
}

struct FuseElementwisePass
    : impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    // Reductions as generics, so that their elementwise producers fuse into
    // them (a sum of squares, TopK's pairwise comparisons) instead of being
    // stored first; dlcc-tile-kernels generalizes them anyway.
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::ReduceOp> reductions;
    getOperation()->walk(
        [&](linalg::ReduceOp op) { reductions.push_back(op); });
    for (linalg::ReduceOp op : reductions) {
      rewriter.setInsertionPoint(op);
      if (failed(linalg::generalizeNamedOp(rewriter, op)))
        return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fusesWithoutRecomputation);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::dlcc
