#include "LinalgBuilders.h"
namespace mlir::dlcc {
void populateDlccNeuralNetToLinalgPatterns(const TypeConverter &, RewritePatternSet &) {}
} // namespace mlir::dlcc
