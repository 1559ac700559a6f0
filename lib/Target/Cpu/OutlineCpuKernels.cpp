//===- OutlineCpuKernels.cpp - the dlcc-outline-cpu-kernels pass ----------===//
//
// Copies the tiled kernels (and the symbols they reference) into one nested
// module, which the CPU half of the back-end pipeline maps to block ranges
// and lowers to the LLVM dialect while the outer module keeps the program:
// entry points, library calls, and the kernels the GPU mapping rewrites.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cpu/Passes.h"

#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_OUTLINECPUKERNELSPASS
#include "dlcc/Target/Cpu/Passes.h.inc"

namespace {

struct OutlineCpuKernelsPass
    : impl::OutlineCpuKernelsPassBase<OutlineCpuKernelsPass> {
  using OutlineCpuKernelsPassBase::OutlineCpuKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (SymbolTable::lookupSymbolIn(module, moduleName)) {
      emitError(module.getLoc(), "symbol @")
          << moduleName << " already exists";
      return signalPassFailure();
    }
    // The kernels, then (transitively) the top-level symbols they use.
    llvm::SetVector<Operation *> copied;
    for (auto func : module.getOps<func::FuncOp>())
      if (isGeneratedKernel(func) && !func.isDeclaration())
        copied.insert(func);
    if (copied.empty())
      return;
    for (size_t i = 0; i < copied.size(); ++i)
      if (auto uses = SymbolTable::getSymbolUses(copied[i]))
        for (const SymbolTable::SymbolUse &use : *uses)
          if (Operation *op =
                  SymbolTable::lookupSymbolIn(module, use.getSymbolRef()))
            if (op->getParentOp() == module)
              copied.insert(op);

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto nested = ModuleOp::create(builder, module.getLoc(),
                                   StringRef(moduleName));
    OpBuilder inner = OpBuilder::atBlockEnd(nested.getBody());
    // In the module's order, so that the nested module reads like the outer.
    for (Operation &op : module.getBody()->getOperations())
      if (copied.contains(&op))
        inner.clone(op);
  }
};

} // namespace
} // namespace mlir::dlcc
