//===- DeduplicateKernels.cpp - the dlcc-deduplicate-kernels pass ---------===//
//
// Kernels are grouped by a structural hash (signature, attributes but the
// name, each body op's name, attributes and types), then compared exactly
// (OperationEquivalence, locations ignored) within a group.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"
#include "dlcc/Program/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_DEDUPLICATEKERNELSPASS
#include "dlcc/Program/Passes.h.inc"

namespace {

/// `fn`'s attributes without its name.
DictionaryAttr attributesButName(func::FuncOp fn) {
  NamedAttrList attrs(fn->getAttrDictionary());
  attrs.erase(SymbolTable::getSymbolAttrName());
  return attrs.getDictionary(fn.getContext());
}

llvm::hash_code structuralHash(func::FuncOp fn) {
  llvm::hash_code hash =
      llvm::hash_combine(fn.getFunctionType(), attributesButName(fn));
  fn.getBody().walk([&](Operation *op) {
    hash = llvm::hash_combine(
        hash, OperationEquivalence::computeHash(
                  op, OperationEquivalence::ignoreHashValue,
                  OperationEquivalence::ignoreHashValue,
                  OperationEquivalence::IgnoreLocations));
  });
  return hash;
}

bool identical(func::FuncOp a, func::FuncOp b) {
  return a.getFunctionType() == b.getFunctionType() &&
         attributesButName(a) == attributesButName(b) &&
         OperationEquivalence::isRegionEquivalentTo(
             &a.getBody(), &b.getBody(),
             OperationEquivalence::IgnoreLocations);
}

struct DeduplicateKernelsPass
    : impl::DeduplicateKernelsPassBase<DeduplicateKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::DenseMap<llvm::hash_code, SmallVector<func::FuncOp>> kept;
    llvm::StringMap<StringAttr> replacement; // erased kernel -> kept one
    for (auto fn : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (!isGeneratedKernel(fn) || fn.isDeclaration())
        continue;
      SmallVector<func::FuncOp> &same = kept[structuralHash(fn)];
      auto it = llvm::find_if(same, [&](func::FuncOp k) {
        return identical(k, fn);
      });
      if (it == same.end()) {
        same.push_back(fn);
        continue;
      }
      replacement[fn.getSymName()] = it->getSymNameAttr();
      fn.erase();
    }
    if (replacement.empty())
      return;
    module.walk([&](func::CallOp call) {
      auto to = replacement.find(call.getCallee());
      if (to != replacement.end())
        call.setCalleeAttr(FlatSymbolRefAttr::get(to->second));
    });
  }
};

} // namespace
} // namespace mlir::dlcc
