//===- AnnotateIndexBounds.cpp - the dlcc-annotate-index-bounds pass ------===//
//
// Traces the indices of gathers and the labels of cross-entropy back to the
// entry point's inputs and records the values they may take (Passes.td).
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace mlir::dlcc {
#define GEN_PASS_DEF_ANNOTATEINDEXBOUNDSPASS
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"

namespace {


struct Bounds {
  int64_t min = 0, max = 0;     // allowed [min, max)
  std::optional<int64_t> ignore; // also allowed
  std::string use;
};

std::optional<int64_t> splatInt(Value v) {
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  return attr.getSplatValue<APInt>().getSExtValue();
}

/// `select(x < 0, x + n, x)` (either order of the add) -> x and n.
std::optional<std::pair<Value, int64_t>> negativeIndexNormalisation(SelectOp s) {
  auto cmp = s.getPred().getDefiningOp<CompareOp>();
  if (!cmp || cmp.getDirection() != ComparisonDirection::lt ||
      splatInt(cmp.getRhs()) != 0)
    return std::nullopt;
  Value x = cmp.getLhs();
  auto add = s.getOnTrue().getDefiningOp<AddOp>();
  if (!add || s.getOnFalse() != x)
    return std::nullopt;
  Value other = add.getLhs() == x ? add.getRhs()
                : add.getRhs() == x ? add.getLhs()
                                    : Value();
  std::optional<int64_t> n = other ? splatInt(other) : std::nullopt;
  if (!n)
    return std::nullopt;
  return std::make_pair(x, *n);
}

/// The entry-point input whose values reach `v` unchanged, with the range
/// [min, max) of `v` widened to what the input may hold; null if `v` does
/// not come from an input that way.
BlockArgument traceToInput(Value v, func::FuncOp entry, Bounds &b) {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner()->getParentOp() == entry.getOperation() &&
          entry.getArgAttr(arg.getArgNumber(), kInputAttrName))
        return arg;
      return {};
    }
    Operation *def = v.getDefiningOp();
    if (isa<ReshapeOp, BroadcastInDimOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    if (auto convert = dyn_cast<ConvertOp>(def)) {
      auto from = dyn_cast<IntegerType>(
          getElementTypeOrSelf(convert.getOperand().getType()));
      auto to = dyn_cast<IntegerType>(getElementTypeOrSelf(convert.getType()));
      // Only conversions that keep every value: the same signedness and no
      // narrower, or unsigned into a strictly wider type.
      bool keeps = from && to &&
                   ((from.isUnsigned() == to.isUnsigned() &&
                     from.getWidth() <= to.getWidth()) ||
                    (from.isUnsigned() && from.getWidth() < to.getWidth()));
      if (!keeps)
        return {};
      v = convert.getOperand();
      continue;
    }
    if (auto select = dyn_cast<SelectOp>(def)) {
      auto norm = negativeIndexNormalisation(select);
      // [-n, 0) maps onto [0, n): contiguous with [0, n) when the range is
      // exactly [0, n).
      if (!norm || b.min != 0 || b.max != norm->second)
        return {};
      b.min = -norm->second;
      v = norm->first;
      continue;
    }
    return {};
  }
}

std::string useOf(Operation *op, StringRef what) {
  std::string use = what.str();
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (auto name = dyn_cast<NameLoc>(l)) {
        loc = name;
        break;
      }
  if (auto name = dyn_cast<NameLoc>(loc))
    use += " at ONNX node '" + name.getName().str() + "'";
  return use;
}

struct AnnotateIndexBoundsPass
    : impl::AnnotateIndexBoundsPassBase<AnnotateIndexBoundsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isDeclaration() && func.isPublic())
        annotate(func);
  }

  void annotate(func::FuncOp func) {
    llvm::DenseMap<unsigned, Bounds> bounds;
    auto record = [&](Value indices, Bounds b) {
      BlockArgument arg = traceToInput(indices, func, b);
      if (!arg)
        return;
      auto [it, inserted] = bounds.try_emplace(arg.getArgNumber(), b);
      if (inserted)
        return;
      Bounds &cur = it->second;
      cur.min = std::max(cur.min, b.min);
      cur.max = std::min(cur.max, b.max);
      if (cur.ignore != b.ignore)
        cur.ignore.reset();
      cur.use += "; " + b.use;
    };
    func.walk([&](Operation *op) {
      auto dimOf = [](Value operand, int64_t axis) -> std::optional<int64_t> {
        auto type = dyn_cast<RankedTensorType>(operand.getType());
        if (!type || axis < 0 || axis >= type.getRank() ||
            type.isDynamicDim(axis))
          return std::nullopt;
        return type.getDimSize(axis);
      };
      if (auto g = dyn_cast<GatherOp>(op)) {
        if (auto n = dimOf(g.getOperand(), g.getAxis()))
          record(g.getIndices(), {0, *n, std::nullopt, useOf(op, "Gather")});
      } else if (auto g = dyn_cast<GatherElementsOp>(op)) {
        if (auto n = dimOf(g.getOperand(), g.getAxis()))
          record(g.getIndices(),
                 {0, *n, std::nullopt, useOf(op, "GatherElements")});
      } else if (auto ce = dyn_cast<CrossEntropyOp>(op)) {
        if (auto c = dimOf(ce.getLogProbs(), 1))
          record(ce.getLabels(), {0, *c, ce.getIgnoreIndexAttr().getInt(),
                                  useOf(op, "the labels of a cross-entropy")});
      }
    });
    Builder builder(&getContext());
    for (auto &[index, b] : bounds) {
      if (b.min >= b.max)
        continue; // contradictory uses: nothing sensible to check
      SmallVector<NamedAttribute> fields = {
          builder.getNamedAttr("min", builder.getI64IntegerAttr(b.min)),
          builder.getNamedAttr("max", builder.getI64IntegerAttr(b.max)),
          builder.getNamedAttr("use", builder.getStringAttr(b.use))};
      if (b.ignore)
        fields.push_back(builder.getNamedAttr(
            "ignore", builder.getI64IntegerAttr(*b.ignore)));
      func.setArgAttr(index, kIndexBoundsAttrName, builder.getDictionaryAttr(fields));
    }
  }
};

} // namespace
} // namespace mlir::dlcc
