//===- SelectLibraryCalls.cpp - the dlcc-select-library-calls pass --------===//
//
// Recognises GEMM and convolution kernels (see Passes.td) and records the
// descriptor (row-major GEMM, NCHW convolution) that the artifact's library
// call carries.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Program/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "dlcc/Conversion/DlccToLinalg/ConvolutionHints.h"
#include "dlcc/Target/Support/ConvolutionGeometry.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>

namespace mlir::dlcc {
#define GEN_PASS_DEF_SELECTLIBRARYCALLSPASS
#include "dlcc/Program/Passes.h.inc"

namespace {


struct Gemm {
  int64_t a = 0, b = 0, c = 0;
  int64_t m = 0, n = 0, k = 0, batch = 1;
  bool transA = false, transB = false;
  int64_t lda = 0, ldb = 0, ldc = 0;
  int64_t strideA = 0, strideB = 0, strideC = 0;
};

/// The dims of an indexing map whose results are all plain dimensions.
std::optional<SmallVector<unsigned>> dimsOf(AffineMap map) {
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d)
      return std::nullopt;
    dims.push_back(d.getPosition());
  }
  return dims;
}

/// `out + x * y` in either operand order, with x, y the first two block
/// arguments (in either order).
bool isMultiplyAccumulate(linalg::LinalgOp op) {
  Block &body = op->getRegion(0).front();
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto add = dyn_cast_if_present<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!mul || !add || !yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != add.getResult())
    return false;
  Value x = body.getArgument(0), y = body.getArgument(1),
        out = body.getArgument(2);
  bool mulOk = (mul.getLhs() == x && mul.getRhs() == y) ||
               (mul.getLhs() == y && mul.getRhs() == x);
  bool addOk = (add.getLhs() == out && add.getRhs() == mul.getResult()) ||
               (add.getRhs() == out && add.getLhs() == mul.getResult());
  return mulOk && addOk;
}

bool isZeroFill(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return false;
  return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// Splits an operand's dims into (batch prefix, last two); checks the batch
/// prefix is empty or exactly `batch`, and that the last two are {p, q}.
/// Returns whether it has the batch dims and whether it is (q, p) ordered.
std::optional<std::pair<bool, bool>>
classify(ArrayRef<unsigned> dims, ArrayRef<unsigned> batch, unsigned p,
         unsigned q) {
  if (dims.size() < 2)
    return std::nullopt;
  ArrayRef<unsigned> prefix = dims.drop_back(2);
  bool hasBatch = !prefix.empty();
  if (hasBatch && prefix != batch)
    return std::nullopt;
  unsigned x = dims[dims.size() - 2], y = dims.back();
  if (x == p && y == q)
    return std::make_pair(hasBatch, false);
  if (x == q && y == p)
    return std::make_pair(hasBatch, true);
  return std::nullopt;
}

/// A kernel whose whole body is one `OpTy` (a linalg op) of two kernel
/// arguments into a zero-filled output, every operand a static f32 tensor:
/// the shape every library call replaces. The op, its two inputs (kernel
/// arguments) and the three types.
template <typename OpTy>
struct Contraction {
  OpTy op;
  BlockArgument a, b;
  RankedTensorType typeA, typeB, typeC;
};

template <typename OpTy>
std::optional<Contraction<OpTy>> contractionOf(func::FuncOp kernel) {
  if (kernel.getNumResults() != 1 || !kernel.getBody().hasOneBlock())
    return std::nullopt;
  auto ret = cast<func::ReturnOp>(kernel.getBody().front().getTerminator());
  auto op = ret.getOperand(0).getDefiningOp<OpTy>();
  if (!op || op->getNumResults() != 1 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !isZeroFill(op.getDpsInitOperand(0)->get()))
    return std::nullopt;
  Contraction<OpTy> c{op,
                      dyn_cast<BlockArgument>(op.getDpsInputOperand(0)->get()),
                      dyn_cast<BlockArgument>(op.getDpsInputOperand(1)->get()),
                      {},
                      {},
                      {}};
  if (!c.a || !c.b || c.a.getOwner()->getParentOp() != kernel ||
      c.b.getOwner()->getParentOp() != kernel)
    return std::nullopt;
  c.typeA = dyn_cast<RankedTensorType>(c.a.getType());
  c.typeB = dyn_cast<RankedTensorType>(c.b.getType());
  c.typeC = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  for (RankedTensorType t : {c.typeA, c.typeB, c.typeC})
    if (!t || !t.hasStaticShape() || !t.getElementType().isF32())
      return std::nullopt;
  return c;
}

std::optional<Gemm> matchGemm(func::FuncOp kernel) {
  // Named contractions (linalg.matmul, batch_matmul, ...) and generics alike.
  auto contraction = contractionOf<linalg::LinalgOp>(kernel);
  if (!contraction)
    return std::nullopt;
  auto [op, argA, argB, typeA, typeB, typeC] = *contraction;
  if (op->getNumRegions() != 1 || op->getRegion(0).empty() ||
      op.getNumReductionLoops() != 1 || !isMultiplyAccumulate(op))
    return std::nullopt;

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::optional<SmallVector<unsigned>> dimsA = dimsOf(maps[0]),
                                       dimsB = dimsOf(maps[1]),
                                       dimsC = dimsOf(maps[2]);
  if (!dimsA || !dimsB || !dimsC || dimsC->size() < 2)
    return std::nullopt;
  unsigned kDim = 0;
  for (auto [i, t] : llvm::enumerate(op.getIteratorTypesArray()))
    if (t == utils::IteratorType::reduction)
      kDim = i;
  // C's map must be the parallel dims in loop order.
  if (dimsC->size() + 1 != op.getNumLoops())
    return std::nullopt;
  unsigned mDim = (*dimsC)[dimsC->size() - 2], nDim = dimsC->back();
  ArrayRef<unsigned> batchDims = ArrayRef<unsigned>(*dimsC).drop_back(2);
  auto a = classify(*dimsA, batchDims, mDim, kDim);
  auto b = classify(*dimsB, batchDims, kDim, nDim);
  if (!a || !b)
    return std::nullopt;

  Gemm g;
  g.a = argA.getArgNumber();
  g.b = argB.getArgNumber();
  g.c = kernel.getNumArguments();
  ArrayRef<int64_t> shapeC = typeC.getShape();
  g.m = shapeC[shapeC.size() - 2];
  g.n = shapeC.back();
  g.k = typeA.getShape()[a->second ? typeA.getRank() - 2 : typeA.getRank() - 1];
  g.transA = a->second;
  g.transB = b->second;
  int64_t batch = 1;
  for (int64_t d : shapeC.drop_back(2))
    batch *= d;
  bool batchA = a->first, batchB = b->first;
  if (!batchDims.empty() && !batchA && !batchB)
    return std::nullopt; // C repeats one product: not a GEMM shape
  if (batchA && !batchB && !g.transA) {
    g.m *= batch; // [batch, m, k] x [k, n] is one [batch*m, k] x [k, n]
    batch = 1;
  }
  g.batch = batch;
  g.lda = g.transA ? g.m : g.k;
  g.ldb = g.transB ? g.k : g.n;
  g.ldc = g.n;
  if (batch > 1) {
    g.strideA = batchA ? g.m * g.k : 0;
    g.strideB = batchB ? g.k * g.n : 0;
    g.strideC = g.m * g.n;
  }
  return g;
}

/// A forward convolution kernel: `linalg.conv_2d_nchw_fchw` of two kernel
/// arguments into a zero fill, f32, static shapes (matchConv), or the
/// grouped-view generic of every other convolution (matchGroupedConv).
/// Padding is a kernel of its own before it: the call's pads start at zero.
struct Conv {
  int64_t x = 0, w = 0, y = 0;
  SmallVector<int64_t> input, filter, output, strides, dilations;
  int64_t groups = 1;
};

/// The `dlcc.library_call` descriptor of a convolution call of `kind`: `c`'s
/// operands (argument numbers of the tensors in the forward roles x, w, y:
/// for a gradient, the buffer of that tensor's gradient), dense shapes and
/// geometry, explicit `pads`; f32 (what the matchers take).
ConvCallAttr convCall(Builder &b, ConvCallKind kind, const Conv &c,
                      ArrayRef<int64_t> pads) {
  return ConvCallAttr::get(
      b.getContext(), kind, c.x, c.w, c.y, b.getDenseI64ArrayAttr(c.input),
      b.getDenseI64ArrayAttr(c.filter), b.getDenseI64ArrayAttr(c.output),
      b.getDenseI64ArrayAttr(c.strides), b.getDenseI64ArrayAttr(pads),
      b.getDenseI64ArrayAttr(c.dilations), c.groups, b.getF32Type());
}

/// The i64 array `name` of a geometry hint (ConvolutionHints.h); empty
/// when absent.
SmallVector<int64_t> hintArray(DictionaryAttr hint, StringRef name) {
  auto a = hint.getAs<DenseI64ArrayAttr>(name);
  return a ? SmallVector<int64_t>(a.asArrayRef()) : SmallVector<int64_t>();
}

std::optional<Conv> matchConv(func::FuncOp kernel) {
  auto contraction = contractionOf<linalg::Conv2DNchwFchwOp>(kernel);
  if (!contraction)
    return std::nullopt;
  auto [op, argX, argW, typeX, typeW, typeY] = *contraction;
  Conv c;
  c.x = argX.getArgNumber();
  c.w = argW.getArgNumber();
  c.y = kernel.getNumArguments();
  c.input.assign(typeX.getShape().begin(), typeX.getShape().end());
  c.filter.assign(typeW.getShape().begin(), typeW.getShape().end());
  c.output.assign(typeY.getShape().begin(), typeY.getShape().end());
  for (APInt v : op.getStrides().getValues<APInt>())
    c.strides.push_back(v.getSExtValue());
  for (APInt v : op.getDilations().getValues<APInt>())
    c.dilations.push_back(v.getSExtValue());
  return c;
}

/// `expr` as sum(coefficient * dim) with positive coefficients ({dim:
/// coefficient}), or nullopt for anything else (constants, mods, ...).
std::optional<llvm::SmallDenseMap<unsigned, int64_t>>
linearTerms(AffineExpr expr) {
  llvm::SmallDenseMap<unsigned, int64_t> terms;
  SmallVector<AffineExpr> work{expr};
  while (!work.empty()) {
    AffineExpr e = work.pop_back_val();
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      terms[d.getPosition()] += 1;
      continue;
    }
    auto bin = dyn_cast<AffineBinaryOpExpr>(e);
    if (bin && bin.getKind() == AffineExprKind::Add) {
      work.push_back(bin.getLHS());
      work.push_back(bin.getRHS());
      continue;
    }
    if (bin && bin.getKind() == AffineExprKind::Mul) {
      auto d = dyn_cast<AffineDimExpr>(bin.getLHS());
      auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
      if (d && c && c.getValue() > 0) {
        terms[d.getPosition()] += c.getValue();
        continue;
      }
    }
    return std::nullopt;
  }
  return terms;
}

/// The dense shapes (and groups) of a convolution whose operands are the
/// grouped views x [N, G, C/G, D...], w [G, O/G, C/G, K...] and
/// y [N, G, O/G, E...]: [N, C, D...], [O, C/G, K...], [N, O, E...].
void setDenseShapes(Conv &c, ArrayRef<int64_t> x, ArrayRef<int64_t> w,
                    ArrayRef<int64_t> y) {
  c.groups = x[1];
  c.input = {x[0], x[1] * x[2]};
  c.filter = {w[0] * w[1], w[2]};
  c.output = {y[0], y[1] * y[2]};
  for (size_t i = 3; i < x.size(); ++i) {
    c.input.push_back(x[i]);
    c.filter.push_back(w[i]);
    c.output.push_back(y[i]);
  }
}

/// A convolution on grouped views, as DlccToLinalg writes every one but the
/// plain 2-d kind: x [N, G, C/G, D...], w [G, O/G, C/G, K...] into a zero
/// fill y [N, G, O/G, E...], loops [N, G, O/G, E..., C/G, K...] and
///   y[n,g,o,e] += x[n,g,c, e*stride + k*dilation] * w[g,o,c,k].
/// The call reads the same bytes as dense [N, C, D...], [O, C/G, K...] and
/// writes [N, O, E...] with `groups` = G; 1 to 3 spatial dims.
std::optional<Conv> matchGroupedConv(func::FuncOp kernel) {
  auto contraction = contractionOf<linalg::GenericOp>(kernel);
  if (!contraction || !isMultiplyAccumulate(contraction->op))
    return std::nullopt;
  auto [op, argX, argW, typeX, typeW, typeY] = *contraction;
  int64_t rank = typeX.getRank(), s = rank - 3;
  if (s < 1 || s > 3 || typeW.getRank() != rank || typeY.getRank() != rank)
    return std::nullopt;
  int64_t loops = 4 + 2 * s;
  if (op.getNumLoops() != loops)
    return std::nullopt;
  for (auto [i, t] : llvm::enumerate(op.getIteratorTypesArray()))
    if ((t == utils::IteratorType::parallel) != (int64_t(i) < 3 + s))
      return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto dimIs = [](AffineExpr e, int64_t d) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    return dim && dim.getPosition() == d;
  };
  // w[g, o, c, k...] and y[n, g, o, e...].
  if (!dimIs(maps[1].getResult(0), 1) || !dimIs(maps[1].getResult(1), 2) ||
      !dimIs(maps[1].getResult(2), 3 + s) || !dimIs(maps[2].getResult(0), 0) ||
      !dimIs(maps[2].getResult(1), 1) || !dimIs(maps[2].getResult(2), 2) ||
      !dimIs(maps[0].getResult(0), 0) || !dimIs(maps[0].getResult(1), 1) ||
      !dimIs(maps[0].getResult(2), 3 + s))
    return std::nullopt;
  Conv c;
  for (int64_t i = 0; i < s; ++i) {
    if (!dimIs(maps[1].getResult(3 + i), 4 + s + i) ||
        !dimIs(maps[2].getResult(3 + i), 3 + i))
      return std::nullopt;
    auto terms = linearTerms(maps[0].getResult(3 + i));
    if (!terms || terms->size() != 2 || !terms->count(3 + i) ||
        !terms->count(4 + s + i))
      return std::nullopt;
    c.strides.push_back(terms->lookup(3 + i));
    c.dilations.push_back(terms->lookup(4 + s + i));
  }
  c.x = argX.getArgNumber();
  c.w = argW.getArgNumber();
  c.y = kernel.getNumArguments();
  setDenseShapes(c, typeX.getShape(), typeW.getShape(), typeY.getShape());
  return c;
}

/// A convolution's filter gradient, as dlcc-convert-to-linalg writes it
/// (ConvolutionHints.h): x [N, G, C/G, Dp...] (the padded input's grouped
/// view), dy [N, G, O/G, E...] into a zero fill dw [G, O/G, C/G, K...],
/// loops [G, O/G, C/G, K..., N, E...] and
///   dw[g,o,c,k] += x[n,g,c, e*stride + k*dilation] * dy[n,g,o,e],
/// the maps checked against the hint's geometry. The call reads the same
/// bytes as dense [N, C, Dp...], [N, O, E...] and writes [O, C/G, K...];
/// the padding is the pad kernel's (folded later like a forward
/// convolution's).
std::optional<Conv> matchBackwardFilter(func::FuncOp kernel) {
  auto contraction = contractionOf<linalg::GenericOp>(kernel);
  if (!contraction || !isMultiplyAccumulate(contraction->op))
    return std::nullopt;
  auto [op, argX, argDy, typeX, typeDy, typeW] = *contraction;
  auto geometry = op->getAttrOfType<DictionaryAttr>(kConvBackwardFilterAttr);
  if (!geometry)
    return std::nullopt;
  SmallVector<int64_t> strides = hintArray(geometry, "strides"),
                       dilations = hintArray(geometry, "dilations");
  int64_t rank = typeX.getRank(), s = rank - 3;
  if (s < 1 || s > 3 || int64_t(strides.size()) != s ||
      int64_t(dilations.size()) != s || typeDy.getRank() != rank ||
      typeW.getRank() != rank)
    return std::nullopt;
  if (op.getIndexingMapsArray() !=
      ArrayRef<AffineMap>(
          backwardFilterMaps(kernel.getContext(), strides, dilations)))
    return std::nullopt;
  Conv c;
  c.strides = strides;
  c.dilations = dilations;
  c.x = argX.getArgNumber();
  c.w = kernel.getNumArguments(); // dw, the result
  c.y = argDy.getArgNumber();
  setDenseShapes(c, typeX.getShape(), typeW.getShape(), typeDy.getShape());
  return c;
}

/// The zero padding of a kernel that is nothing else: `tensor.pad` of its
/// only argument with a zero float, padding only the spatial dims (>= 2).
tensor::PadOp zeroPadKernel(func::FuncOp kernel) {
  if (!kernel || !kernel->hasAttr(kKernelAttr) ||
      kernel->hasAttr(kLibraryCallAttr) || kernel.isDeclaration() ||
      kernel.getNumArguments() != 1 || kernel.getNumResults() != 1 ||
      !kernel.getBody().hasOneBlock())
    return {};
  auto ret = cast<func::ReturnOp>(kernel.getBody().front().getTerminator());
  auto pad = ret.getOperand(0).getDefiningOp<tensor::PadOp>();
  if (!pad || pad.getSource() != kernel.getArgument(0) || pad.getNofold())
    return {};
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_AnyZeroFloat()))
    return {};
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (low.size() < 3 || low.size() > 5 || ShapedType::isDynamicShape(low) ||
      ShapedType::isDynamicShape(high) || low[0] || low[1] || high[0] ||
      high[1])
    return {};
  return pad;
}

/// Whether `view` only splits the channel dim of an [N, C, D...] tensor into
/// [N, G, C/G, D...] (the grouped view of a grouped convolution).
bool splitsChannels(tensor::ExpandShapeOp view) {
  SmallVector<ReassociationIndices> groups = view.getReassociationIndices();
  if (groups.size() < 3 || groups[0] != ReassociationIndices{0} ||
      groups[1] != ReassociationIndices{1, 2})
    return false;
  for (size_t i = 2; i < groups.size(); ++i)
    if (groups[i] != ReassociationIndices{int64_t(i) + 1})
      return false;
  return true;
}

/// Folds the zero padding before a convolution library call into the call
/// (oneDNN and cuDNN pad as they read): at a call site whose input comes
/// from a kernel that only pads it (zeroPadKernel), directly or through the
/// grouped view of a grouped convolution, where cuDNN's symmetric padding
/// expresses the pads (geometry::symmetricPaddingExpresses: the rule the
/// CUDA plugin runs by; one artifact serves both devices, so other pads
/// stay a copy kernel on the CPU too, although oneDNN would take them), the
/// call takes the
/// unpadded tensor (or its grouped view) and a clone of the convolution
/// kernel whose body pads first (what the generated path would compute)
/// records the pads. The pad kernel's call goes when nothing else uses it.
void foldPaddingIntoConvolutions(ModuleOp module) {
  SymbolTable symbols(module);
  SmallVector<func::CallOp> calls;
  module.walk([&](func::CallOp call) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    auto d = callee ? callee->getAttrOfType<ConvCallAttr>(kLibraryCallAttr)
                    : ConvCallAttr();
    if (d && (d.getKind() == ConvCallKind::forward ||
              d.getKind() == ConvCallKind::backward_filter))
      calls.push_back(call);
  });
  for (func::CallOp call : calls) {
    auto conv = symbols.lookup<func::FuncOp>(call.getCallee());
    auto d = conv->getAttrOfType<ConvCallAttr>(kLibraryCallAttr);
    int64_t xi = d.getX();
    Value x = call.getOperand(xi);
    auto view = x.getDefiningOp<tensor::ExpandShapeOp>();
    if (view && !splitsChannels(view))
      continue;
    auto padCall = (view ? view.getSrc() : x).getDefiningOp<func::CallOp>();
    if (!padCall)
      continue;
    auto padKernel = symbols.lookup<func::FuncOp>(padCall.getCallee());
    tensor::PadOp pad = zeroPadKernel(padKernel);
    if (!pad)
      continue;
    RankedTensorType unpadded = pad.getSourceType();
    auto paddedArg = cast<RankedTensorType>(x.getType());
    int64_t spatial = unpadded.getRank() - 2;
    ArrayRef<int64_t> filter = d.getFilterShape().asArrayRef(),
                      output = d.getOutputShape().asArrayRef(),
                      strides = d.getStrides().asArrayRef(),
                      dilations = d.getDilations().asArrayRef();
    if (int64_t(filter.size()) != spatial + 2)
      continue;
    bool expressible = true;
    for (int64_t i = 0; i < spatial; ++i)
      expressible &= ::dlcc::geometry::symmetricPaddingExpresses(
          unpadded.getDimSize(2 + i), filter[2 + i], strides[i], dilations[i],
          pad.getStaticLow()[2 + i], output[2 + i]);
    if (!expressible)
      continue;
    int64_t lead = paddedArg.getRank() - spatial; // 2, or 3 for a view
    // The call's new operand: the unpadded tensor, viewed as before.
    OpBuilder b(call);
    Value newX = padCall.getOperand(0);
    RankedTensorType argType = unpadded;
    if (view) {
      SmallVector<int64_t> shape(paddedArg.getShape().take_front(lead));
      llvm::append_range(shape, unpadded.getShape().drop_front(2));
      argType = RankedTensorType::get(shape, unpadded.getElementType());
      newX = tensor::ExpandShapeOp::create(b, view.getLoc(), argType, newX,
                                           view.getReassociationIndices());
    }
    // The clone: argument xi is the unpadded tensor, padded in its body.
    b.setInsertionPoint(conv);
    auto folded = cast<func::FuncOp>(b.clone(*conv));
    folded.setSymName((conv.getSymName() + "_padded").str());
    symbols.insert(folded); // renames on a clash
    Block &entry = folded.getBody().front();
    BlockArgument arg = entry.getArgument(xi);
    arg.setType(argType);
    OpBuilder inside = OpBuilder::atBlockBegin(&entry);
    Location loc = pad.getLoc();
    SmallVector<OpFoldResult> low(lead, inside.getIndexAttr(0)),
        high(lead, inside.getIndexAttr(0));
    for (int64_t i = 0; i < spatial; ++i) {
      low.push_back(inside.getIndexAttr(pad.getStaticLow()[2 + i]));
      high.push_back(inside.getIndexAttr(pad.getStaticHigh()[2 + i]));
    }
    Value zero = arith::ConstantOp::create(
        inside, loc, inside.getZeroAttr(unpadded.getElementType()));
    Value padded = tensor::PadOp::create(inside, loc, paddedArg, arg, low,
                                         high, zero)
                       .getResult();
    arg.replaceAllUsesExcept(padded, padded.getDefiningOp());
    SmallVector<Type> inputs(folded.getArgumentTypes());
    inputs[xi] = argType;
    folded.setType(
        FunctionType::get(module.getContext(), inputs, folded.getResultTypes()));
    SmallVector<int64_t> pads;
    for (ArrayRef<int64_t> side : {pad.getStaticLow(), pad.getStaticHigh()})
      llvm::append_range(pads, side.drop_front(2));
    folded->setAttr(
        kLibraryCallAttr,
        ConvCallAttr::get(module.getContext(), d.getKind(), d.getX(), d.getW(),
                          d.getY(), b.getDenseI64ArrayAttr(unpadded.getShape()),
                          d.getFilterShape(), d.getOutputShape(),
                          d.getStrides(), b.getDenseI64ArrayAttr(pads),
                          d.getDilations(), d.getGroups(),
                          d.getElementType()));
    // The call site, and what no longer has users.
    call.setCallee(folded.getSymName());
    call->setOperand(xi, newX);
    if (view && view->use_empty())
      view->erase();
    if (padCall->use_empty())
      padCall->erase();
    for (func::FuncOp f : {conv, padKernel})
      if (SymbolTable::symbolKnownUseEmpty(f, module))
        f.erase();
  }
}

/// The body of a kernel that is one linalg.generic carrying `attr`, on its
/// only argument, returned; null otherwise.
linalg::GenericOp soleGeneric(func::FuncOp kernel, StringRef attr) {
  if (!kernel || !kernel->hasAttr(kKernelAttr) ||
      kernel->hasAttr(kLibraryCallAttr) || kernel.isDeclaration() ||
      kernel.getNumResults() != 1 || !kernel.getBody().hasOneBlock())
    return {};
  auto ret = cast<func::ReturnOp>(kernel.getBody().front().getTerminator());
  auto op = ret.getOperand(0).getDefiningOp<linalg::GenericOp>();
  return op && op->hasAttr(attr) ? op : linalg::GenericOp();
}

/// A convolution's data gradient, as dlcc-convert-to-linalg writes it
/// (ConvolutionHints.h): at a call of a kernel whose contraction
///   dx[n,g,c,d...] += t[n,g,o, d + (K-1)*dil - k*dil] * w[g,o,c,k]
/// (loops [N, G, C/G, D..., O/G, K...]) reads the result of a call of the
/// spread kernel (t = dy spread with the strides over zeros), both calls
/// become one call of a conv_backward_data library kernel taking dy's and
/// w's grouped views: a new function doing both, marked with the forward
/// convolution's descriptor. Only where cuDNN's symmetric padding gives
/// the same output size (geometry::symmetricPaddingExpresses, the CUDA
/// plugin's rule): the generated kernels stay otherwise.
void selectBackwardDataCalls(ModuleOp module) {
  SymbolTable symbols(module);
  SmallVector<func::CallOp> calls;
  module.walk([&](func::CallOp call) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    if (soleGeneric(callee, kConvBackwardDataAttr))
      calls.push_back(call);
  });
  MLIRContext *ctx = module.getContext();
  for (func::CallOp call : calls) {
    auto kernel = symbols.lookup<func::FuncOp>(call.getCallee());
    auto contraction = contractionOf<linalg::GenericOp>(kernel);
    if (!contraction || !isMultiplyAccumulate(contraction->op))
      continue;
    auto [op, argT, argW, typeT, typeW, typeX] = *contraction;
    auto geometry = op->getAttrOfType<DictionaryAttr>(kConvBackwardDataAttr);
    SmallVector<int64_t> strides = hintArray(geometry, "strides"),
                         low = hintArray(geometry, "pad_low"),
                         high = hintArray(geometry, "pad_high"),
                         dilations = hintArray(geometry, "dilations");
    auto groupsAttr = geometry.getAs<IntegerAttr>("groups");
    int64_t rank = typeT.getRank(), s = rank - 3;
    if (!groupsAttr || s < 1 || s > 3 || int64_t(strides.size()) != s ||
        int64_t(low.size()) != s || int64_t(high.size()) != s ||
        int64_t(dilations.size()) != s || typeW.getRank() != rank ||
        typeX.getRank() != rank || typeT.getDimSize(1) != groupsAttr.getInt())
      continue;
    // The maps the lowering writes for this geometry.
    if (op.getIndexingMapsArray() !=
        ArrayRef<AffineMap>(backwardDataMaps(
            ctx, typeW.getShape().drop_front(3), dilations)))
      continue;
    // t from a call of the spread kernel, read by nothing else.
    auto spreadCall =
        call.getOperand(argT.getArgNumber()).getDefiningOp<func::CallOp>();
    if (!spreadCall || !spreadCall->hasOneUse() ||
        spreadCall.getNumOperands() != 1)
      continue;
    auto spreadKernel = symbols.lookup<func::FuncOp>(spreadCall.getCallee());
    if (!soleGeneric(spreadKernel, kConvSpreadAttr))
      continue;
    auto typeDy = dyn_cast<RankedTensorType>(spreadCall.getOperand(0).getType());
    if (!typeDy || typeDy.getRank() != rank || !typeDy.hasStaticShape() ||
        typeDy.getShape().take_front(3) !=
            ArrayRef<int64_t>{typeX.getDimSize(0), typeT.getDimSize(1),
                              typeT.getDimSize(2)})
      continue;
    // The forward convolution: dense x [N, C, D...], w [O, C/G, K...],
    // y [N, O, E...]; cuDNN pads both ends with pad_low.
    Conv c;
    c.strides = strides;
    c.dilations = dilations;
    setDenseShapes(c, typeX.getShape(), typeW.getShape(), typeDy.getShape());
    bool expressible = true;
    for (int64_t i = 0; i < s; ++i)
      expressible &= ::dlcc::geometry::symmetricPaddingExpresses(
          c.input[2 + i], c.filter[2 + i], strides[i], dilations[i], low[i],
          c.output[2 + i]);
    if (!expressible)
      continue;
    SmallVector<int64_t> pads(low);

    llvm::append_range(pads, high);

    // The library kernel: the spread, then the contraction, on (dy, w).
    OpBuilder b(kernel);
    auto type = FunctionType::get(ctx, {typeDy, typeW}, {typeX});
    auto library = func::FuncOp::create(
        b, kernel.getLoc(), (kernel.getSymName() + "_backward_data").str(),
        type);
    library.setPrivate();
    symbols.insert(library); // renames on a clash
    Block *entry = library.addEntryBlock();
    OpBuilder inside = OpBuilder::atBlockBegin(entry);
    IRMapping spreadMap, contractionMap;
    spreadMap.map(spreadKernel.getArgument(0), entry->getArgument(0));
    Value t;
    for (Operation &inner : spreadKernel.getBody().front()) {
      if (auto ret = dyn_cast<func::ReturnOp>(inner)) {
        t = spreadMap.lookup(ret.getOperand(0));
        break;
      }
      inside.clone(inner, spreadMap);
    }
    contractionMap.map(argT, t);
    contractionMap.map(argW, entry->getArgument(1));
    for (Operation &inner : kernel.getBody().front())
      inside.clone(inner, contractionMap);
    for (NamedAttribute attr : kernel->getAttrs())
      if (attr.getName() != SymbolTable::getSymbolAttrName() &&
          attr.getName() != library.getFunctionTypeAttrName() &&
          attr.getName() != SymbolTable::getVisibilityAttrName())
        library->setAttr(attr.getName(), attr.getValue());
    // The library kernel's arguments are (dy, w, dx).
    Conv roles = c;
    roles.y = 0;
    roles.w = 1;
    roles.x = 2;
    library->setAttr(kLibraryCallAttr,
                     convCall(b, ConvCallKind::backward_data, roles, pads));

    // The call site, and what no longer has users.
    OpBuilder at(call);
    auto replacement = func::CallOp::create(
        at, call.getLoc(), library,
        ValueRange{spreadCall.getOperand(0), call.getOperand(argW.getArgNumber())});
    call.replaceAllUsesWith(replacement.getResults());
    call.erase();
    spreadCall.erase();
    for (func::FuncOp f : {kernel, spreadKernel})
      if (SymbolTable::symbolKnownUseEmpty(f, module))
        f.erase();
  }
}

struct SelectLibraryCallsPass
    : impl::SelectLibraryCallsPassBase<SelectLibraryCallsPass> {
  using SelectLibraryCallsPassBase::SelectLibraryCallsPassBase;

  void runOnOperation() override {
    for (auto kernel : getOperation().getOps<func::FuncOp>()) {
      if (!kernel->hasAttr(kKernelAttr) || kernel.isDeclaration())
        continue;
      Builder b(&getContext());
      std::optional<Conv> c;
      bool filterGradient = false;
      if (!generatedConv) {
        c = matchConv(kernel);
        if (!c)
          c = matchGroupedConv(kernel);
        if (!c && (c = matchBackwardFilter(kernel)))
          filterGradient = true;
      }
      if (c) {
        SmallVector<int64_t> pads(2 * c->strides.size(), 0);
        kernel->setAttr(kLibraryCallAttr,
                        convCall(b,
                                 filterGradient ? ConvCallKind::backward_filter
                                                : ConvCallKind::forward,
                                 *c, pads));
        continue;
      }
      std::optional<Gemm> g = generatedGemm ? std::nullopt : matchGemm(kernel);
      if (!g)
        continue;
      kernel->setAttr(kLibraryCallAttr,
                      GemmCallAttr::get(
                          &getContext(), g->a, g->b, g->c, g->m, g->n, g->k,
                          g->batch, g->transA, g->transB, g->lda, g->ldb,
                          g->ldc, g->strideA, g->strideB, g->strideC,
                          b.getF32Type(), b.getF32Type()));
    }
    foldPaddingIntoConvolutions(getOperation());
    if (!generatedConv)
      selectBackwardDataCalls(getOperation());
  }
};

} // namespace
} // namespace mlir::dlcc
