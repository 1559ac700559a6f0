//===- VJP.h - reverse-mode rules of the dlcc ops ---------------*- C++ -*-===//
//
// The dlcc ops' vector-Jacobian products (VJPOpInterface) are attached as
// external models, grouped by op family in lib/Training/VJP*.cpp, so that
// the dialect's definitions stay free of autodiff code. A tool that runs
// dlcc-expand-gradients registers them with its dialects.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TRAINING_VJP_H
#define DLCC_TRAINING_VJP_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::dlcc {

/// Attaches every VJP rule to its op when the dlcc dialect loads.
void registerVJPExternalModels(DialectRegistry &registry);

} // namespace mlir::dlcc

#endif // DLCC_TRAINING_VJP_H
