//===- ConvertDlccToLinalgPass.cpp - the dlcc-convert-to-linalg pass ------===//
#include "LinalgBuilders.h"
#include "dlcc/Conversion/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_CONVERTDLCCTOLINALGPASS
#include "dlcc/Conversion/Passes.h.inc"

DlccToLinalgTypeConverter::DlccToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    auto intType = llvm::dyn_cast<IntegerType>(type.getElementType());
    if (!intType || intType.isSignless())
      return type;
    return type.clone(IntegerType::get(type.getContext(), intType.getWidth()));
  });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBodyFn body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs,
      ValueRange{emptyTensor(b, loc, resultType)}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double v) {
  if (auto ft = llvm::dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, v));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, (int64_t)v));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  return linalg::FillOp::create(b, loc, ValueRange{value},
                                ValueRange{emptyTensor(b, loc, type)})
      .getResult(0);
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type,
                      scalarConstant(b, loc, type.getElementType(), 0.0));
}

Value indexConstant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

bool isUnsignedElement(Value v) {
  return getElementTypeOrSelf(v.getType()).isUnsignedInteger();
}

RankedTensorType convertedType(const TypeConverter &converter, Type type) {
  return llvm::cast<RankedTensorType>(converter.convertType(type));
}

namespace {
struct ConvertDlccToLinalgPass
    : impl::ConvertDlccToLinalgPassBase<ConvertDlccToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Linalg's integers are signless: an entry point's unsigned inputs and
    // outputs are marked so that the program's interface still says uint8
    // (an image) and not int8.
    auto isUnsigned = [](Type type) {
      auto shaped = llvm::dyn_cast<ShapedType>(type);
      auto i = shaped ? llvm::dyn_cast<IntegerType>(shaped.getElementType())
                      : IntegerType();
      return i && i.isUnsigned();
    };
    getOperation().walk([&](func::FuncOp func) {
      FunctionType type = func.getFunctionType();
      for (auto [i, t] : llvm::enumerate(type.getInputs()))
        if (isUnsigned(t) && func.getArgAttr(i, kInputAttrName))
          func.setArgAttr(i, kUnsignedAttrName, UnitAttr::get(context));
      for (auto [i, t] : llvm::enumerate(type.getResults()))
        if (isUnsigned(t) && func.getResultAttr(i, kOutputAttrName))
          func.setResultAttr(i, kUnsignedAttrName, UnitAttr::get(context));
    });
    DlccToLinalgTypeConverter converter;
    RewritePatternSet patterns(context);
    populateDlccElementwiseToLinalgPatterns(converter, patterns);
    populateDlccDataMovementToLinalgPatterns(converter, patterns);
    populateDlccReductionToLinalgPatterns(converter, patterns);
    populateDlccMatmulToLinalgPatterns(converter, patterns);
    populateDlccNeuralNetToLinalgPatterns(converter, patterns);
    populateDlccRandomToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<DlccDialect>();
    // Program structure stays: state declarations, and gradient requests
    // that the autodiff pass consumes.
    target.addLegalOp<StateSlotOp, GradientOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addLegalOp<ModuleOp, UnrealizedConversionCastOp>();
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

} // namespace mlir::dlcc
