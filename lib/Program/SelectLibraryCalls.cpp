//===- SelectLibraryCalls.cpp - the dlcc-select-library-calls pass --------===//
//
// Decides, on the dlcc dialect, which matmuls and convolutions (forward,
// data gradient, filter gradient) run as vendor library calls, and outlines
// each into a kernel function that carries its typed descriptor (see
// Passes.td). Nothing downstream recognises a library call again: the
// descriptor is the decision.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Program/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "dlcc/Target/Support/ConvolutionGeometry.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/TypeSwitch.h"

#include <optional>

namespace mlir::dlcc {
#define GEN_PASS_DEF_SELECTLIBRARYCALLSPASS
#include "dlcc/Program/Passes.h.inc"

namespace {

/// A static, non-empty f32 tensor: what the libraries' calls take.
bool isLibraryTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32() &&
         tensor.getNumElements() > 0;
}

bool allLibraryTensors(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), isLibraryTensor) &&
         llvm::all_of(op->getResultTypes(), isLibraryTensor);
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// The row-major GEMM descriptor of `op` (lhs argument 0, rhs 1, result 2).
/// Batch dimensions are flattened; an rhs without them is shared by every
/// batch (stride 0), or, when lhs is not transposed, the batch folds into
/// `m` (one larger GEMM).
std::optional<GemmCallAttr> gemmCall(MatmulOp op) {
  if (!allLibraryTensors(op))
    return std::nullopt;
  auto lhs = cast<RankedTensorType>(op.getLhs().getType());
  auto rhs = cast<RankedTensorType>(op.getRhs().getType());
  auto out = cast<RankedTensorType>(op.getType());
  int64_t rank = out.getRank();
  if (rank < 2 || lhs.getRank() != rank ||
      (rhs.getRank() != rank && rhs.getRank() != 2))
    return std::nullopt;
  bool transA = op.getTransposeLhs(), transB = op.getTransposeRhs();
  int64_t m = out.getDimSize(rank - 2), n = out.getDimSize(rank - 1);
  int64_t k = lhs.getDimSize(transA ? rank - 2 : rank - 1);
  int64_t batch = product(out.getShape().drop_back(2));
  bool sharedB = rhs.getRank() == 2 && rank > 2;
  if (sharedB && !transA) {
    m *= batch; // [batch, m, k] x [k, n] is one [batch*m, k] x [k, n]
    batch = 1;
  }
  // Strides only between the matrices of a batch.
  bool batched = batch > 1;
  int64_t strideA = batched ? m * k : 0, strideC = batched ? m * n : 0,
          strideB = batched && !sharedB ? k * n : 0;
  MLIRContext *ctx = op.getContext();
  Type f32 = Float32Type::get(ctx);
  return GemmCallAttr::get(ctx, /*a=*/0, /*b=*/1, /*c=*/2, m, n, k, batch,
                           transA, transB, /*lda=*/transA ? m : k,
                           /*ldb=*/transB ? k : n, /*ldc=*/n, strideA, strideB,
                           strideC, f32, f32);
}

/// The geometry every convolution op carries, and whether cuDNN's symmetric
/// padding (the low padding at both ends) computes it for an input of
/// spatial sizes `input` and output `output`.
struct ConvGeometry {
  ArrayRef<int64_t> strides, low, high, dilations;
  int64_t groups;

  template <typename OpTy>
  static ConvGeometry of(OpTy op) {
    return {op.getStrides(), op.getPadLow(), op.getPadHigh(),
            op.getDilations(), int64_t(op.getGroups())};
  }

  bool symmetricPaddingExpresses(ArrayRef<int64_t> input,
                                 ArrayRef<int64_t> filter,
                                 ArrayRef<int64_t> output) const {
    for (size_t i = 0; i < strides.size(); ++i)
      if (!::dlcc::geometry::symmetricPaddingExpresses(input[i + 2], filter[i + 2],
                                               strides[i], dilations[i],
                                               low[i], output[i + 2]))
        return false;
    return true;
  }
};

/// The typed descriptor of a convolution call of `kind` with the forward
/// shapes `x`, `w`, `y`, arguments (x, w, y) numbered as given and `pads`
/// explicit (low then high).
ConvCallAttr convCall(MLIRContext *ctx, ConvCallKind kind,
                      std::array<int64_t, 3> args, RankedTensorType x,
                      RankedTensorType w, RankedTensorType y,
                      const ConvGeometry &g, ArrayRef<int64_t> low,
                      ArrayRef<int64_t> high) {
  SmallVector<int64_t> pads(low);
  llvm::append_range(pads, high);
  auto array = [&](ArrayRef<int64_t> v) {
    return DenseI64ArrayAttr::get(ctx, v);
  };
  return ConvCallAttr::get(ctx, kind, args[0], args[1], args[2],
                           array(x.getShape()), array(w.getShape()),
                           array(y.getShape()), array(g.strides), array(pads),
                           array(g.dilations), g.groups, Float32Type::get(ctx));
}

/// 1 to 3 spatial dimensions: what cuDNN and oneDNN take.
bool hasLibrarySpatialRank(RankedTensorType x) {
  return x.getRank() >= 3 && x.getRank() <= 5;
}

/// Pads `x`'s spatial dims with zeros (low, high) before `op`.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high) {
  SmallVector<int64_t> lo{0, 0}, hi{0, 0};
  llvm::append_range(lo, low);
  llvm::append_range(hi, high);
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value zero = ConstantOp::create(
      b, loc, DenseElementsAttr::get(scalar, b.getF32FloatAttr(0.0f)));
  return PadOp::create(b, loc, PadMode::constant, x, zero, lo, hi);
}

/// Makes a convolution or filter gradient whose padding cuDNN cannot
/// express read its input (operand 0) padded by an explicit `dlcc.pad` of
/// zeros, with no padding of its own; returns the padded input's type.
template <typename OpTy>
RankedTensorType padInputExplicitly(OpTy op) {
  OpBuilder b(op);
  Value padded = padSpatial(b, op.getLoc(), op->getOperand(0), op.getPadLow(),
                            op.getPadHigh());
  SmallVector<int64_t> zeros(op.getPadLow().size(), 0);
  op->setOperand(0, padded);
  op.setPadLow(zeros);
  op.setPadHigh(zeros);
  return cast<RankedTensorType>(padded.getType());
}

/// What a selected op becomes: the op to outline and its descriptor.
struct Selection {
  Operation *op;
  Attribute call;
  StringRef kind;
};

/// A forward convolution; padding that cuDNN's symmetric padding cannot
/// express becomes an explicit zero pad before an unpadded call.
std::optional<Selection> selectConvolution(ConvolutionOp op) {
  if (!allLibraryTensors(op))
    return std::nullopt;
  auto x = cast<RankedTensorType>(op.getInput().getType());
  auto w = cast<RankedTensorType>(op.getFilter().getType());
  auto y = cast<RankedTensorType>(op.getType());
  if (!hasLibrarySpatialRank(x))
    return std::nullopt;
  ConvGeometry g = ConvGeometry::of(op);
  if (!g.symmetricPaddingExpresses(x.getShape(), w.getShape(), y.getShape())) {
    x = padInputExplicitly(op);
    g = ConvGeometry::of(op);
  }
  return Selection{op,
                   convCall(op.getContext(), ConvCallKind::forward, {0, 1, 2},
                            x, w, y, g, g.low, g.high),
                   "conv"};
}

/// A data gradient (ConvTranspose): dy argument 0, w 1, dx 2, where
/// cuDNN's symmetric padding gives dx's sizes; otherwise the generated
/// kernels stay.
std::optional<Selection>
selectConvolutionBackwardData(ConvolutionBackwardDataOp op) {
  if (!allLibraryTensors(op))
    return std::nullopt;
  auto dy = cast<RankedTensorType>(op.getGradOutput().getType());
  auto w = cast<RankedTensorType>(op.getFilter().getType());
  auto dx = cast<RankedTensorType>(op.getType());
  ConvGeometry g = ConvGeometry::of(op);
  if (!hasLibrarySpatialRank(dx) ||
      !g.symmetricPaddingExpresses(dx.getShape(), w.getShape(), dy.getShape()))
    return std::nullopt;
  return Selection{op,
                   convCall(op.getContext(), ConvCallKind::backward_data,
                            {2, 1, 0}, dx, w, dy, g, g.low, g.high),
                   "conv_backward_data"};
}

/// A filter gradient: x argument 0, dy 1, dw 2; padding as for a forward
/// convolution.
std::optional<Selection>
selectConvolutionBackwardFilter(ConvolutionBackwardFilterOp op) {
  if (!allLibraryTensors(op))
    return std::nullopt;
  auto x = cast<RankedTensorType>(op.getInput().getType());
  auto dy = cast<RankedTensorType>(op.getGradOutput().getType());
  auto dw = cast<RankedTensorType>(op.getType());
  if (!hasLibrarySpatialRank(x))
    return std::nullopt;
  ConvGeometry g = ConvGeometry::of(op);
  if (!g.symmetricPaddingExpresses(x.getShape(), dw.getShape(),
                                   dy.getShape())) {
    x = padInputExplicitly(op);
    g = ConvGeometry::of(op);
  }
  return Selection{op,
                   convCall(op.getContext(), ConvCallKind::backward_filter,
                            {0, 2, 1}, x, dw, dy, g, g.low, g.high),
                   "conv_backward_filter"};
}

/// The multiply-adds of a call, two flops each (as the generated kernels
/// count them): a GEMM's `batch * m * n * k`; every kind of convolution
/// `N * O * E... * C/groups * K...` (the forward one's).
int64_t callFlops(Attribute call) {
  if (auto gemm = dyn_cast<GemmCallAttr>(call))
    return 2 * gemm.getBatch() * gemm.getM() * gemm.getN() * gemm.getK();
  auto conv = cast<ConvCallAttr>(call);
  ArrayRef<int64_t> w = conv.getFilterShape().asArrayRef();
  return 2 * product(conv.getOutputShape().asArrayRef()) * product(w.drop_front());
}

int64_t tensorBytes(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return tensor.getNumElements() * tensor.getElementTypeBitWidth() / 8;
}

/// Moves `op` into a new kernel function `<entry>_<kind>_<n>` of its
/// operands (in order) returning its result, carrying `call`, and calls it.
func::FuncOp outline(func::FuncOp entry, SymbolTable &symbols,
                     const Selection &s, Operation *&insertAfter) {
  Operation *op = s.op;
  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(insertAfter);
  auto type = b.getFunctionType(op->getOperandTypes(), op->getResultTypes());
  auto kernel = func::FuncOp::create(
      b, op->getLoc(), (entry.getSymName() + "_" + s.kind).str(), type);
  kernel.setPrivate();
  kernel->setAttr(kKernelAttr, b.getUnitAttr());
  kernel->setAttr(kLibraryCallAttr, s.call);
  int64_t bytes = 0;
  for (Type t : op->getOperandTypes())
    bytes += tensorBytes(t);
  for (Type t : op->getResultTypes())
    bytes += tensorBytes(t);
  kernel->setAttr(kKernelFlopsAttr, b.getI64IntegerAttr(callFlops(s.call)));
  kernel->setAttr(kKernelBytesAttr, b.getI64IntegerAttr(bytes));
  symbols.insert(kernel); // renames to a unique `<name>_<n>`
  insertAfter = kernel;

  Block *body = kernel.addEntryBlock();
  IRMapping map;
  map.map(op->getOperands(), body->getArguments());
  b.setInsertionPointToStart(body);
  Operation *clone = b.clone(*op, map);
  func::ReturnOp::create(b, op->getLoc(), clone->getResults());

  b.setInsertionPoint(op);
  auto call = func::CallOp::create(b, op->getLoc(), kernel, op->getOperands());
  op->replaceAllUsesWith(call.getResults());
  op->erase();
  return kernel;
}

struct SelectLibraryCallsPass
    : impl::SelectLibraryCallsPassBase<SelectLibraryCallsPass> {
  using SelectLibraryCallsPassBase::SelectLibraryCallsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isDeclaration() && !func->hasAttr(kKernelAttr))
        entries.push_back(func);
    for (func::FuncOp entry : entries) {
      SmallVector<Operation *> candidates;
      entry.walk([&](Operation *op) {
        if (isa<MatmulOp>(op) ? !generatedGemm
                              : isa<ConvolutionOp, ConvolutionBackwardDataOp,
                                    ConvolutionBackwardFilterOp>(op) &&
                                    !generatedConv)
          candidates.push_back(op);
      });
      Operation *insertAfter = entry;
      for (Operation *op : candidates) {
        std::optional<Selection> s =
            llvm::TypeSwitch<Operation *, std::optional<Selection>>(op)
                .Case([](MatmulOp m) -> std::optional<Selection> {
                  if (auto call = gemmCall(m))
                    return Selection{m, *call, "gemm"};
                  return std::nullopt;
                })
                .Case(selectConvolution)
                .Case(selectConvolutionBackwardData)
                .Case(selectConvolutionBackwardFilter)
                .Default([](Operation *) { return std::nullopt; });
        if (s)
          outline(entry, symbols, *s, insertAfter);
      }
    }
  }
};

} // namespace

} // namespace mlir::dlcc
