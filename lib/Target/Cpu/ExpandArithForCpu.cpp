//===- ExpandArithForCpu.cpp - the dlcc-cpu-expand-arith pass -------------===//
//
// Upstream's arith-expand patterns minus the float min/max expansion (see
// Passes.td): the integer ceil/floor divisions and the bf16 conversions.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_EXPANDARITHFORCPUPASS
#include "dlcc/Target/Cpu/Passes.h.inc"

namespace {

struct ExpandArithForCpuPass
    : impl::ExpandArithForCpuPassBase<ExpandArithForCpuPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateCeilFloorDivExpandOpsPatterns(patterns);
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::dlcc
