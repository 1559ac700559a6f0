//===- ApproximateTranscendentals.cpp - dlcc-approximate-transcendentals --===//
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/STLExtras.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_APPROXIMATETRANSCENDENTALSPASS
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"

namespace {
struct ApproximateTranscendentalsPass
    : impl::ApproximateTranscendentalsPassBase<ApproximateTranscendentalsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Upstream's predicate sees the op's name; both spellings are accepted
    // so that the selection does not depend on which one it passes.
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(
          {StringRef("erf"), StringRef("exp"), StringRef("expm1"),
           StringRef("log"), StringRef("log1p"), StringRef("log2"),
           StringRef("tanh")},
          name);
    });
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (auto kernel : getOperation().getOps<func::FuncOp>())
      if (kernel->hasAttr("dlcc.kernel") && !kernel.isDeclaration())
        if (failed(applyPatternsGreedily(kernel, frozen)))
          return signalPassFailure();
  }
};
} // namespace
} // namespace mlir::dlcc
