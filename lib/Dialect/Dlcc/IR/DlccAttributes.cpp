//===- DlccAttributes.cpp - typed attributes and dlcc.* attribute checks ---===//
//
// The library-call descriptors (#dlcc.gemm_call, #dlcc.conv_call) and the
// dialect's verification of every `dlcc.*` discardable attribute
// (DlccAttributeNames.h): an unknown name, a value of the wrong kind, or a
// `dlcc.state` / `dlcc.tied_state` naming no state slot of the right shape is
// an error where the IR is verified (after every pass), not a default read
// by a later pass.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dlcc;

#define GET_ATTRDEF_CLASSES
#include "dlcc/Dialect/Dlcc/IR/DlccAttributes.cpp.inc"

void DlccDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dlcc/Dialect/Dlcc/IR/DlccAttributes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Library-call descriptors
//===----------------------------------------------------------------------===//

// Rule: operand numbers are distinct and >= 0; sizes are positive, leading
// dimensions at least the stored row length, batch strides non-negative.
LogicalResult
GemmCallAttr::verify(function_ref<InFlightDiagnostic()> emitError, int64_t a,
                     int64_t b, int64_t c, int64_t m, int64_t n, int64_t k,
                     int64_t batch, bool transA, bool transB, int64_t lda,
                     int64_t ldb, int64_t ldc, int64_t strideA,
                     int64_t strideB, int64_t strideC, Type elementType,
                     Type computeType) {
  if (a < 0 || b < 0 || c < 0 || a == b || a == c || b == c)
    return emitError() << "gemm operands must be distinct argument numbers, "
                          "got a = "
                       << a << ", b = " << b << ", c = " << c;
  if (m < 1 || n < 1 || k < 1 || batch < 1)
    return emitError() << "gemm sizes must be positive, got m = " << m
                       << ", n = " << n << ", k = " << k
                       << ", batch = " << batch;
  if (lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n)
    return emitError() << "gemm leading dimensions " << lda << ", " << ldb
                       << ", " << ldc << " are shorter than the rows";
  if (strideA < 0 || strideB < 0 || strideC < 0)
    return emitError() << "gemm batch strides must be non-negative";
  if (!isa<FloatType>(elementType) || !isa<FloatType>(computeType))
    return emitError() << "gemm element and compute types must be floats";
  return success();
}

// Rule: x, w, y are distinct argument numbers; the shapes have one rank
// N >= 3 (N, C and N - 2 spatial dimensions), and strides, dilations (>= 1)
// and pads (>= 0, low then high) match the spatial rank; groups >= 1 divides
// the channels.
LogicalResult ConvCallAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ConvCallKind kind, int64_t x,
    int64_t w, int64_t y, DenseI64ArrayAttr inputShape,
    DenseI64ArrayAttr filterShape, DenseI64ArrayAttr outputShape,
    DenseI64ArrayAttr strides, DenseI64ArrayAttr pads,
    DenseI64ArrayAttr dilations, int64_t groups, Type elementType) {
  if (x < 0 || w < 0 || y < 0 || x == w || x == y || w == y)
    return emitError() << "convolution operands must be distinct argument "
                          "numbers, got x = "
                       << x << ", w = " << w << ", y = " << y;
  if (!inputShape || !filterShape || !outputShape || !strides || !pads ||
      !dilations)
    return emitError() << "convolution geometry is incomplete";
  int64_t rank = inputShape.size();
  if (rank < 3 || int64_t(filterShape.size()) != rank ||
      int64_t(outputShape.size()) != rank)
    return emitError() << "convolution shapes must share one rank >= 3";
  int64_t spatial = rank - 2;
  if (int64_t(strides.size()) != spatial ||
      int64_t(dilations.size()) != spatial ||
      int64_t(pads.size()) != 2 * spatial)
    return emitError() << "convolution strides, dilations and pads must "
                          "match the "
                       << spatial << " spatial dimension(s)";
  for (int64_t i = 0; i < spatial; ++i)
    if (strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 ||
        pads[spatial + i] < 0)
      return emitError() << "convolution strides and dilations must be >= 1 "
                            "and pads >= 0";
  for (ArrayRef<int64_t> shape :
       {inputShape.asArrayRef(), filterShape.asArrayRef(),
        outputShape.asArrayRef()})
    if (llvm::any_of(shape, [](int64_t d) { return d < 1; }))
      return emitError() << "convolution shapes must be positive";
  if (groups < 1 || inputShape[1] % groups != 0 ||
      filterShape[0] % groups != 0 ||
      filterShape[1] * groups != inputShape[1] ||
      outputShape[1] != filterShape[0] || outputShape[0] != inputShape[0])
    return emitError() << "convolution channels, filters and groups ("
                       << groups << ") do not agree";
  if (!isa<FloatType>(elementType))
    return emitError() << "convolution element type must be a float";
  return success();
}

//===----------------------------------------------------------------------===//
// dlcc.* discardable attributes
//===----------------------------------------------------------------------===//

namespace {

/// The kinds of value a dlcc.* attribute may have.
enum class Expect { Unit, NonNegativeInt, PositiveInt, String, Dictionary,
                    LibraryCall, Symbol, ArgumentNumbers };

LogicalResult checkKind(Operation *op, NamedAttribute attr, Expect expect) {
  Attribute value = attr.getValue();
  auto fail = [&](StringRef what) {
    return op->emitOpError("attribute '")
           << attr.getName().getValue() << "' must be " << what << ", got "
           << value;
  };
  switch (expect) {
  case Expect::Unit:
    return isa<UnitAttr>(value) ? success() : fail("a unit attribute");
  case Expect::NonNegativeInt:
  case Expect::PositiveInt: {
    auto i = dyn_cast<IntegerAttr>(value);
    int64_t least = expect == Expect::PositiveInt ? 1 : 0;
    if (!i || !i.getType().isInteger(64) || i.getInt() < least)
      return fail(least ? "a positive i64" : "a non-negative i64");
    return success();
  }
  case Expect::String:
    return isa<StringAttr>(value) ? success() : fail("a string");
  case Expect::Dictionary:
    return isa<DictionaryAttr>(value) ? success() : fail("a dictionary");
  case Expect::LibraryCall:
    return isa<GemmCallAttr, ConvCallAttr>(value)
               ? success()
               : fail("a #dlcc.gemm_call or #dlcc.conv_call");
  case Expect::Symbol:
    return isa<FlatSymbolRefAttr>(value) ? success()
                                         : fail("a symbol reference");
  case Expect::ArgumentNumbers: {
    auto numbers = dyn_cast<DenseI64ArrayAttr>(value);
    auto func = dyn_cast<FunctionOpInterface>(op);
    if (!numbers || !func)
      return fail("an i64 array of argument numbers on a function");
    for (int64_t n : numbers.asArrayRef())
      if (n < 0 || n >= int64_t(func.getNumArguments()))
        return fail("argument numbers below " +
                    std::to_string(func.getNumArguments()));
    return success();
  }
  }
  return success();
}

/// Whether `type` (a tensor, or a memref after bufferization) holds what
/// `slot` holds: the same shape and element width (unsigned types become
/// signless in the lowering).
bool matchesSlot(Type type, StateSlotOp slot) {
  auto shaped = dyn_cast<ShapedType>(type);
  auto slotType = cast<ShapedType>(slot.getType());
  return shaped && shaped.hasRank() &&
         shaped.getShape() == slotType.getShape() &&
         shaped.getElementType().getIntOrFloatBitWidth() ==
             slotType.getElementType().getIntOrFloatBitWidth() &&
         isa<FloatType>(shaped.getElementType()) ==
             isa<FloatType>(slotType.getElementType());
}

/// `dlcc.state` / `dlcc.tied_state` on argument or result `index` of the
/// function `op`: a state slot of the same shape, named by one argument
/// (or one result) only.
LogicalResult checkStateBinding(Operation *op, NamedAttribute attr,
                                Type type, unsigned index, bool isResult) {
  if (failed(checkKind(op, attr, Expect::Symbol)))
    return failure();
  auto symbol = cast<FlatSymbolRefAttr>(attr.getValue());
  auto slot = SymbolTable::lookupNearestSymbolFrom<StateSlotOp>(op, symbol);
  StringRef what = isResult ? "result" : "argument";
  if (!slot)
    return op->emitOpError() << what << " " << index << " names "
                             << symbol << ", which is not a dlcc.state_slot";
  if (!matchesSlot(type, slot))
    return op->emitOpError()
           << what << " " << index << " of type " << type
           << " does not hold state slot " << symbol << " of type "
           << slot.getType();
  auto function = dyn_cast<FunctionOpInterface>(op);
  if (!function)
    return success();
  unsigned count = isResult ? function.getNumResults()
                            : function.getNumArguments();
  for (unsigned other = 0; other < count; ++other) {
    if (other == index)
      continue;
    Attribute same = isResult ? function.getResultAttr(other, attr.getName())
                              : function.getArgAttr(other, attr.getName());
    if (same == symbol)
      return op->emitOpError() << what << "s " << std::min(index, other)
                               << " and " << std::max(index, other)
                               << " both name state slot " << symbol;
  }
  return success();
}

} // namespace

LogicalResult DlccDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  std::optional<Expect> expect =
      llvm::StringSwitch<std::optional<Expect>>(name)
          .Cases({kKernelAttr, kNoWorkAttr}, Expect::Unit)
          .Cases({kKernelFlopsAttr, kKernelBytesAttr, kArenaOffsetAttr,
                  kArenaBytesAttr, kUnplannedPeakBytesAttr,
                  kPeakForwardBytesAttr, kPeakBackwardBytesAttr, kGridAttr,
                  kBlockCountAttr},
                 Expect::NonNegativeInt)
          .Case(kBlockAttr, Expect::PositiveInt)
          .Cases({kScheduleAttr, kSourceAttrName, kProducerAttrName},
                 Expect::String)
          .Case(kOpsetsAttrName, Expect::Dictionary)
          .Case(kLibraryCallAttr, Expect::LibraryCall)
          .Case(kInPlaceResultAttr, Expect::NonNegativeInt)
          .Case(kInPlaceArgumentsAttr, Expect::ArgumentNumbers)
          .Default(std::nullopt);
  if (!expect)
    return op->emitOpError("has the unknown attribute '") << name << "'";
  if (failed(checkKind(op, attr, *expect)))
    return failure();
  if ((name == kLibraryCallAttr || name == kGridAttr || name == kBlockAttr ||
       name == kInPlaceArgumentsAttr) &&
      !op->hasAttr(kKernelAttr))
    return op->emitOpError("attribute '")
           << name << "' belongs on a kernel function (dlcc.kernel)";
  return success();
}

LogicalResult DlccDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Type type;
  if (auto function = dyn_cast<FunctionOpInterface>(op))
    type = function.getArgumentTypes()[argIndex];
  else if (!op->getRegion(regionIndex).empty())
    type = op->getRegion(regionIndex).getArgument(argIndex).getType();
  if (name == kStateAttrName)
    return checkStateBinding(op, attr, type, argIndex, /*isResult=*/false);
  if (name == kInputAttrName)
    return checkKind(op, attr, Expect::String);
  if (name == kUnsignedAttrName)
    return checkKind(op, attr, Expect::Unit);
  if (name == kIndexBoundsAttrName)
    return checkKind(op, attr, Expect::Dictionary);
  return op->emitOpError("argument ")
         << argIndex << " has the unknown attribute '" << name << "'";
}

LogicalResult DlccDialect::verifyRegionResultAttribute(Operation *op,
                                                       unsigned regionIndex,
                                                       unsigned resultIndex,
                                                       NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Type type;
  if (auto function = dyn_cast<FunctionOpInterface>(op))
    type = function.getResultTypes()[resultIndex];
  if (name == kTiedStateAttrName)
    return checkStateBinding(op, attr, type, resultIndex, /*isResult=*/true);
  if (name == kOutputAttrName)
    return checkKind(op, attr, Expect::String);
  if (name == kUnsignedAttrName)
    return checkKind(op, attr, Expect::Unit);
  return op->emitOpError("result ")
         << resultIndex << " has the unknown attribute '" << name << "'";
}
