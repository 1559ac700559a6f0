#include "LinalgBuilders.h"
namespace mlir::dlcc {
void populateDlccDataMovementToLinalgPatterns(const TypeConverter &, RewritePatternSet &) {}
} // namespace mlir::dlcc
