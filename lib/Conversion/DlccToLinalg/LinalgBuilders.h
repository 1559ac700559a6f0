//===- LinalgBuilders.h - helpers shared by the dlcc-to-linalg patterns --===//
#ifndef DLCC_LIB_CONVERSION_DLCCTOLINALG_LINALGBUILDERS_H
#define DLCC_LIB_CONVERSION_DLCCTOLINALG_LINALGBUILDERS_H

#include "dlcc/Conversion/DlccToLinalg/DlccToLinalg.h"
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::dlcc {

/// The body of an elementwise generic: scalar arguments in, scalar out.
using ScalarBodyFn =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args)>;

/// `tensor.empty` of the given type.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// A tensor of `type` filled with `value` (linalg.fill over tensor.empty).
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// A tensor of `type` filled with zeros.
Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type);

/// An `index` constant.
Value indexConstant(OpBuilder &b, Location loc, int64_t v);

/// A linalg.generic over `resultType`'s iteration space with identity maps
/// for every input (all of the result's shape) and all-parallel iterators.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBodyFn body);

/// A constant scalar of `type` (float or integer) with value `v`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double v);

/// Whether the dlcc-level element type of `v` (before type conversion) is an
/// unsigned integer.
bool isUnsignedElement(Value v);

/// The converted (signless) ranked tensor type of a dlcc value's type.
RankedTensorType convertedType(const TypeConverter &converter, Type type);

// The files whose patterns a family's populate function adds (the family
// functions themselves are in DlccToLinalg.h).
void populateDlccPoolingToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);
void populateDlccResizeToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);
void populateDlccGridSampleToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns);
void populateDlccScatterToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);
void populateDlccScatterAddToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns);

} // namespace mlir::dlcc

#endif
