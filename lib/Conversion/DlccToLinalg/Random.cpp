//===- Random.cpp - dlcc.dropout_mask to a counter-based generator --------===//
//
// The mask is a pure function of (key, element index): splitmix64 of
// `seed * golden + counter * numel + index + 1`; an element is kept when the
// top 24 bits of the hash are >= ratio * 2^24. Stateless and counter-based,
// so every backend (and every block decomposition) draws the same mask.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

namespace mlir::dlcc {
namespace {

Value i64Const(OpBuilder &b, Location loc, uint64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr((int64_t)v));
}

/// splitmix64's finaliser.
Value mix64(OpBuilder &b, Location loc, Value z) {
  auto xorShift = [&](Value x, uint64_t s) {
    return arith::XOrIOp::create(
        b, loc, x, arith::ShRUIOp::create(b, loc, x, i64Const(b, loc, s)));
  };
  z = xorShift(z, 30);
  z = arith::MulIOp::create(b, loc, z, i64Const(b, loc, 0xBF58476D1CE4E5B9ull));
  z = xorShift(z, 27);
  z = arith::MulIOp::create(b, loc, z, i64Const(b, loc, 0x94D049BB133111EBull));
  return xorShift(z, 31);
}

struct DropoutMaskToGeneric : OpConversionPattern<DropoutMaskOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DropoutMaskOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    Value key = adaptor.getKey();
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value seed = tensor::ExtractOp::create(rewriter, loc, key, ValueRange{c0});
    Value counter = tensor::ExtractOp::create(rewriter, loc, key, ValueRange{c1});
    uint64_t threshold = (uint64_t)(op.getRatio().convertToDouble() * (1 << 24));
    int64_t numel = type.getNumElements();
    ArrayRef<int64_t> shape = type.getShape();

    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{},
        ValueRange{emptyTensor(rewriter, loc, type)},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          // Row-major linear index of this element.
          Value linear = i64Const(b, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value idx = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, d));
            linear = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, linear, i64Const(b, l, shape[d])),
                idx);
          }
          Value z = arith::MulIOp::create(b, l, seed,
                                          i64Const(b, l, 0x9E3779B97F4A7C15ull));
          z = arith::AddIOp::create(
              b, l, z,
              arith::MulIOp::create(b, l, counter, i64Const(b, l, numel)));
          z = arith::AddIOp::create(b, l, z, linear);
          z = arith::AddIOp::create(b, l, z, i64Const(b, l, 1));
          Value bits = arith::ShRUIOp::create(b, l, mix64(b, l, z), i64Const(b, l, 40));
          Value keep = arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, bits,
                                             i64Const(b, l, threshold));
          linalg::YieldOp::create(b, l, keep);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateDlccRandomToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<DropoutMaskToGeneric>(converter, patterns.getContext());
}

} // namespace mlir::dlcc
