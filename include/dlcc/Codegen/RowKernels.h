//===- RowKernels.h - the shape of a fused row kernel -----------*- C++ -*-===//
//
// A row kernel computes, for each row of a tensor, some per-row values
// (reductions along the row, and elementwise ops on those values) and then
// the row's elements from them: softmax (max, sum of exp, normalise) and
// layer normalisation (mean, variance, normalise). dlcc-form-dispatches
// groups such ops into one kernel and dlcc-tile-kernels gives it one block
// per row, the per-row values staying in registers. Both apply these rules,
// on tensors and on buffers alike.
//
// With k row dimensions (the rank of the per-row values), every op of the
// group iterates over the same leading k parallel dimensions and:
//   - a row reduction has k parallel then only reduction dimensions, writes
//     a rank-k value through the identity map and has the payload
//     `out = combine(out, f(inputs))` (matchRowCombiner), and is not a
//     contraction or convolution;
//   - a row scalar op has exactly k parallel dimensions (and writes a rank-k
//     value);
//   - the last op has only parallel dimensions, more than k;
// and every read of a per-row value is through the map (d0, ..., dk-1).
// A per-row value may also be an output of the kernel (stored as well).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_ROWKERNELS_H
#define DLCC_DIALECT_DLCC_TRANSFORMS_ROWKERNELS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::dlcc {

/// The combining op of a one-output reduction whose payload is
/// `out = combine(out, f(inputs))` (`out` used by nothing else), with the
/// operand position of `out` in it; null when the payload has another form.
Operation *matchRowCombiner(linalg::GenericOp op, unsigned &outOperand);

/// What an op can be in a row kernel with `rowRank` row dimensions.
enum class RowRole { None, Reduction, Scalar, Last };
RowRole rowRole(linalg::GenericOp op, unsigned rowRank);

/// Whether `map` reads a per-row value of rank `rowRank`: (d0, ..., dk-1).
bool isRowValueMap(AffineMap map, unsigned rowRank);

} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_ROWKERNELS_H
