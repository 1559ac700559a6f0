//===- ExpandMath.cpp - the dlcc-expand-math pass ---------------------------===//
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/STLExtras.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_EXPANDMATHPASS
#include "dlcc/Codegen/Passes.h.inc"

namespace {
/// b^e for signless integers by squaring: for each of the exponent's bits,
/// acc *= base when the bit is set, base *= base. A negative exponent gives
/// integer division's result (1 / b^|e|): 1 for b = 1, +-1 for b = -1, else 0.
struct ExpandIPowI : OpRewritePattern<math::IPowIOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::IPowIOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<IntegerType>(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "vector ipowi");
    Location loc = op.getLoc();
    Value base = op.getLhs(), exp = op.getRhs();
    auto cst = [&](int64_t v) {
      return arith::ConstantIntOp::create(rewriter, loc, type, v).getResult();
    };
    Value zero = cst(0), one = cst(1), minusOne = cst(-1);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, type.getWidth());
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(
        rewriter, loc, lb, ub, step, ValueRange{one, base, exp},
        [&](OpBuilder &b, Location l, Value, ValueRange it) {
          Value acc = it[0], sq = it[1], e = it[2];
          Value bit = arith::AndIOp::create(b, l, e, one);
          Value set = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne,
                                            bit, zero);
          Value mul = arith::MulIOp::create(b, l, acc, sq);
          Value nextAcc = arith::SelectOp::create(b, l, set, mul, acc);
          Value nextSq = arith::MulIOp::create(b, l, sq, sq);
          Value nextE = arith::ShRUIOp::create(b, l, e, one);
          scf::YieldOp::create(b, l, ValueRange{nextAcc, nextSq, nextE});
        });
    Value positive = loop.getResult(0);
    // Negative exponents.
    Value negative = arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::slt, exp, zero);
    Value isOne = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                        base, one);
    Value isMinusOne = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::eq, base, minusOne);
    Value odd = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(rewriter, loc, exp, one), zero);
    Value signOfMinusOne =
        arith::SelectOp::create(rewriter, loc, odd, minusOne, one);
    Value inverse = arith::SelectOp::create(
        rewriter, loc, isOne, one,
        arith::SelectOp::create(rewriter, loc, isMinusOne, signOfMinusOne,
                                zero));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, negative, inverse,
                                                 positive);
    return success();
  }
};

struct ExpandMathPass : impl::ExpandMathPassBase<ExpandMathPass> {
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
    patterns.add<ExpandIPowI>(&getContext());
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (auto kernel : getOperation().getOps<func::FuncOp>())
      if (kernel->hasAttr(kKernelAttr) && !kernel.isDeclaration())
        if (failed(applyPatternsGreedily(kernel, frozen)))
          return signalPassFailure();
  }
};
} // namespace
} // namespace mlir::dlcc
