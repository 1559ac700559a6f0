//===- Passes.h - kernel formation, bufferization and tiling ----*- C++ -*-===//
//
// The kernel code generator's passes: elementwise fusion, one function per
// kernel, math expansion, kernel bufferization and tiling into the
// GPU-shaped form (block loop, thread phases) that the CPU and CUDA
// mappings in lib/Target consume.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_CODEGEN_PASSES_H
#define DLCC_CODEGEN_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Codegen/Passes.h.inc"

} // namespace mlir::dlcc

#endif // DLCC_CODEGEN_PASSES_H
