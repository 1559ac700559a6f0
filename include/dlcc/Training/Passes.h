//===- Passes.h - the training program's passes -----------------*- C++ -*-===//
//
// On the dlcc dialect, before kernel formation: the train_step entry point
// (loss, trainable parameters, optimizer update) and reverse-mode automatic
// differentiation of its dlcc.gradient.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TRAINING_PASSES_H
#define DLCC_TRAINING_PASSES_H

#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Training/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Training/Passes.h.inc"

} // namespace mlir::dlcc

#endif // DLCC_TRAINING_PASSES_H
