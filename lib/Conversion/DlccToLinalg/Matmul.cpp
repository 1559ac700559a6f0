#include "LinalgBuilders.h"
namespace mlir::dlcc {
void populateDlccMatmulToLinalgPatterns(const TypeConverter &, RewritePatternSet &) {}
} // namespace mlir::dlcc
