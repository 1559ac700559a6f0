//===- Passes.h - dlcc conversion passes ------------------------*- C++ -*-===//
#ifndef DLCC_CONVERSION_PASSES_H
#define DLCC_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Conversion/Passes.h.inc"
} // namespace mlir::dlcc

#endif // DLCC_CONVERSION_PASSES_H
