//===- ByteBooleans.cpp - the dlcc-cpu-byte-booleans pass ------------------===//
//
// i1 loads and stores on the LLVM dialect become i8 ones (Passes.td).
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cpu/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_BYTEBOOLEANSPASS
#include "dlcc/Target/Cpu/Passes.h.inc"

namespace {

bool isBoolean(Type type) { return type.isInteger(1); }

struct ByteBooleansPass : impl::ByteBooleansPassBase<ByteBooleansPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    Type byte = rewriter.getI8Type();
    getOperation()->walk([&](LLVM::LoadOp load) {
      if (!isBoolean(load.getType()) || load.getVolatile_() ||
          load.getOrdering() != LLVM::AtomicOrdering::not_atomic)
        return;
      rewriter.setInsertionPoint(load);
      Location loc = load.getLoc();
      auto wide = LLVM::LoadOp::create(rewriter, loc, byte, load.getAddr(),
                                       load.getAlignment().value_or(1));
      Value zero = LLVM::ConstantOp::create(rewriter, loc, byte, 0);
      rewriter.replaceOpWithNewOp<LLVM::ICmpOp>(load, LLVM::ICmpPredicate::ne,
                                                wide, zero);
    });
    getOperation()->walk([&](LLVM::StoreOp store) {
      if (!isBoolean(store.getValue().getType()) || store.getVolatile_() ||
          store.getOrdering() != LLVM::AtomicOrdering::not_atomic)
        return;
      rewriter.setInsertionPoint(store);
      Value wide = LLVM::ZExtOp::create(rewriter, store.getLoc(), byte,
                                        store.getValue());
      rewriter.modifyOpInPlace(store,
                               [&] { store.getValueMutable().assign(wide); });
    });
  }
};

} // namespace
} // namespace mlir::dlcc
