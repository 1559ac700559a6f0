//===- Passes.h - library calls and the memory plan of a program -*- C++ -*-===//
#ifndef DLCC_PROGRAM_PASSES_H
#define DLCC_PROGRAM_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Program/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Program/Passes.h.inc"
} // namespace mlir::dlcc

#endif // DLCC_PROGRAM_PASSES_H
