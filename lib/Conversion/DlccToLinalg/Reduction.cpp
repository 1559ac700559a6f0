#include "LinalgBuilders.h"
namespace mlir::dlcc {
void populateDlccReductionToLinalgPatterns(const TypeConverter &, RewritePatternSet &) {}
} // namespace mlir::dlcc
