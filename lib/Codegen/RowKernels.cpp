//===- RowKernels.cpp - the shape of a fused row kernel -------------------===//
#include "dlcc/Codegen/RowKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::dlcc {
namespace {

/// Combining ops usable as a parallel reduction: commutative, associative
/// (up to floating-point rounding) and with a neutral element.
bool isCombiner(Operation *op) {
  return isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::MaxNumFOp, arith::MinNumFOp, arith::AddIOp, arith::MulIOp,
             arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp, arith::MinUIOp,
             arith::AndIOp, arith::OrIOp, arith::XOrIOp>(op) &&
         arith::getNeutralElement(op).has_value();
}

} // namespace

Operation *matchRowCombiner(linalg::GenericOp op, unsigned &outOperand) {
  if (op.getNumDpsInits() != 1)
    return nullptr;
  Block *body = op.getBody();
  BlockArgument outArg = body->getArguments().back();
  if (!outArg.hasOneUse())
    return nullptr;
  Value yielded = body->getTerminator()->getOperand(0);
  Operation *c = yielded.getDefiningOp();
  if (!c || c->getBlock() != body || c->getNumOperands() != 2 ||
      !isCombiner(c) || *outArg.getUsers().begin() != c ||
      c->getOperand(0) == c->getOperand(1))
    return nullptr;
  outOperand = c->getOperand(0) == outArg ? 0 : 1;
  return c;
}

bool isRowValueMap(AffineMap map, unsigned rowRank) {
  if (map.getNumResults() != rowRank || map.getNumDims() < rowRank)
    return false;
  for (unsigned d = 0; d < rowRank; ++d)
    if (map.getResult(d) != getAffineDimExpr(d, map.getContext()))
      return false;
  return true;
}

RowRole rowRole(linalg::GenericOp op, unsigned rowRank) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (rowRank == 0 || iterators.size() < rowRank)
    return RowRole::None;
  for (unsigned d = 0; d < rowRank; ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      return RowRole::None;
  ArrayRef<utils::IteratorType> rest = ArrayRef(iterators).drop_front(rowRank);
  bool allParallel = llvm::all_of(
      rest, [](auto it) { return it == utils::IteratorType::parallel; });
  bool allReduction = llvm::all_of(
      rest, [](auto it) { return it == utils::IteratorType::reduction; });
  if (allParallel && !rest.empty())
    return RowRole::Last;
  // Per-row values: one output, indexed by the row dimensions.
  if (op.getNumDpsInits() != 1 ||
      !isRowValueMap(op.getMatchingIndexingMap(op.getDpsInitOperand(0)),
                     rowRank))
    return RowRole::None;
  if (rest.empty())
    return RowRole::Scalar;
  // Not a matmul or convolution: those keep their own kernels (library
  // calls, or one output per thread).
  unsigned outOperand;
  if (allReduction && matchRowCombiner(op, outOperand) &&
      !linalg::isaContractionOpInterface(op) &&
      !linalg::isaConvolutionOpInterface(op))
    return RowRole::Reduction;
  return RowRole::None;
}

} // namespace mlir::dlcc
