//===- DlccToLinalg.h - dlcc to linalg conversion patterns ------*- C++ -*-===//
//
// Patterns split by op family; each file under lib/Conversion/DlccToLinalg/
// exports one populate function. All patterns are OpConversionPatterns over
// DlccToLinalgTypeConverter (unsigned integer element types become signless).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_CONVERSION_DLCCTOLINALG_DLCCTOLINALG_H
#define DLCC_CONVERSION_DLCCTOLINALG_DLCCTOLINALG_H

#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::dlcc {

/// Tensor types with signless element types; everything else unchanged.
class DlccToLinalgTypeConverter : public TypeConverter {
public:
  DlccToLinalgTypeConverter();
};

void populateDlccElementwiseToLinalgPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns);
void populateDlccDataMovementToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns);
void populateDlccReductionToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);
void populateDlccMatmulToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);
void populateDlccRandomToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);
void populateDlccNeuralNetToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);

} // namespace mlir::dlcc

#endif // DLCC_CONVERSION_DLCCTOLINALG_DLCCTOLINALG_H
