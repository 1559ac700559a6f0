//===- VJP.cpp - registration of the dlcc ops' VJP rules ------------------===//
#include "dlcc/Training/VJP.h"
#include "VJPRules.h"

namespace mlir::dlcc {

void registerVJPExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, DlccDialect *) {
    training::registerElementwiseVJPs(ctx);
    training::registerShapeVJPs(ctx);
    training::registerNeuralNetVJPs(ctx);
  });
}

} // namespace mlir::dlcc
