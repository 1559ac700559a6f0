//===- PlanMemory.cpp - the dlcc-plan-memory pass --------------------------===//
//
// Graph-level memory plan: live intervals of the entry
// points' buffers in the straight-line schedule, then arena offsets by a
// greedy best-fit over buffers sorted by size. The allocs are annotated, not
// rewritten (see Passes.td).
//
// First, state updated in place: the buffer of a tied result (the next value
// of a state slot) is the slot's own buffer, shared with the slot's state
// argument, when every use of the old value comes before the first write of
// the new one, or the write is an elementwise kernel that reads each element
// of the old value before it writes the same element of the new one (the
// running-statistics update `m' = 0.9 m + 0.1 mean`). Such an alloc gets
// `dlcc.in_place_result` and no arena offset; any other tied result is an
// arena temporary copied into the slot at the end (EntryPoints.cpp).
//
//===----------------------------------------------------------------------===//
#include "ProgramSupport.h"
#include "dlcc/Program/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>

namespace mlir::dlcc {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "dlcc/Program/Passes.h.inc"

namespace {

constexpr int64_t kArenaAlignment = 256;

struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0;      // bytes
  int64_t alignment = 0; // bytes, a power of two >= kArenaAlignment
  int64_t start = 0;     // schedule position of the alloc
  int64_t end = 0;       // schedule position of the last use (inclusive)
  int64_t offset = -1;
};

/// Records on `func` how the bytes live at its peak split between values
/// computed before a backward pass and values the backward pass computes,
/// when it has one (a buffer belongs to the pass of the first call that
/// writes or reads it).
void recordBackwardSplit(func::FuncOp func, ArrayRef<Buffer> buffers,
                         const llvm::DenseMap<Operation *, int64_t> &position) {
  auto isBackwardCall = [](Operation *op) {
    return isa<func::CallOp>(op) && isBackwardLocation(op->getLoc());
  };
  Block &body = func.getBody().front();
  if (llvm::none_of(body, [&](Operation &op) { return isBackwardCall(&op); }))
    return;
  SmallVector<bool> backward;
  for (const Buffer &b : buffers) {
    Operation *first = nullptr;
    for (Operation *user : b.alloc->getUsers()) {
      Operation *top = body.findAncestorOpInBlock(*user);
      if (top && isa<func::CallOp>(top) &&
          (!first || position.lookup(top) < position.lookup(first)))
        first = top;
    }
    backward.push_back(first && isBackwardCall(first));
  }
  int64_t peak = -1, forwardBytes = 0, backwardBytes = 0;
  for (int64_t p = 0, n = int64_t(position.size()); p < n; ++p) {
    int64_t f = 0, g = 0;
    for (auto [b, isBackward] : llvm::zip_equal(buffers, backward))
      if (b.start <= p && p <= b.end)
        (isBackward ? g : f) += b.size;
    if (f + g > peak) {
      peak = f + g;
      forwardBytes = f;
      backwardBytes = g;
    }
  }
  Builder builder(func.getContext());
  func->setAttr(kPeakForwardBytesAttr, builder.getI64IntegerAttr(forwardBytes));
  func->setAttr(kPeakBackwardBytesAttr,
                builder.getI64IntegerAttr(backwardBytes));
}

bool liveTogether(const Buffer &a, const Buffer &b) {
  return a.start <= b.end && b.start <= a.end;
}

bool placedTogether(const Buffer &a, const Buffer &b) {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/// Ops that only give another name to (part of) their source's bytes: whole
/// views (same start) and slices. They neither read nor write.
bool isWholeView(Operation *op) {
  return isa<bufferization::ToBufferOp, bufferization::ToTensorOp,
             tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp,
             tensor::ReshapeOp, memref::CollapseShapeOp, memref::ExpandShapeOp,
             memref::CastOp, memref::ReshapeOp>(op);
}
bool isView(Operation *op) {
  return isWholeView(op) || isa<tensor::ExtractSliceOp, memref::SubViewOp>(op);
}

/// The values that name (part of) `root`'s bytes, and the top-level ops that
/// use them other than as a view: the ops that read or write the buffer.
struct Uses {
  llvm::SmallPtrSet<Value, 8> values;      // root and its views
  llvm::SmallPtrSet<Value, 8> wholeValues; // root and its whole views
  SmallVector<Operation *> touches;        // top-level, in no order
};

Uses usesOf(Value root, Block &body) {
  Uses u;
  SmallVector<Value> worklist = {root};
  u.values.insert(root);
  u.wholeValues.insert(root);
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      Operation *top = body.findAncestorOpInBlock(*user);
      if (top == user && isView(user) && user->getOperand(0) == value) {
        Value view = user->getResult(0);
        if (u.wholeValues.contains(value) && isWholeView(user))
          u.wholeValues.insert(view);
        if (u.values.insert(view).second)
          worklist.push_back(view);
        continue;
      }
      if (top)
        u.touches.push_back(top);
    }
  }
  return u;
}

/// Whether `call` (an elementwise kernel) may write the new value of a state
/// slot over the old one: exactly one operand names the old value and one
/// the new, both whole and of one type, and in the kernel body the old
/// value's parameter is only loaded and the new value's only stored, all at
/// the same indices (the same SSA values: each thread reads the element it
/// then writes; an elementwise schedule gives every point to one thread),
/// every load before every store in one block.
/// On success, `aliased` holds the two argument numbers (old, new) that
/// then share one buffer.
bool writesElementwiseInPlace(func::CallOp call, const Uses &oldValue,
                              const Uses &newValue,
                              std::pair<int64_t, int64_t> &aliased) {
  auto callee =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(call,
                                                         call.getCalleeAttr());
  if (!callee || callee.isDeclaration() ||
      callee->hasAttr(kLibraryCallAttr))
    return false;
  auto schedule = callee->getAttrOfType<StringAttr>(kScheduleAttr);
  if (!schedule || schedule.getValue() != "elementwise")
    return false;
  int64_t oldIndex = -1, newIndex = -1;
  for (auto [i, operand] : llvm::enumerate(call.getOperands())) {
    bool isOld = oldValue.values.contains(operand);
    bool isNew = newValue.values.contains(operand);
    if (isOld && isNew)
      return false;
    if (isOld) {
      if (oldIndex >= 0 || !oldValue.wholeValues.contains(operand))
        return false;
      oldIndex = int64_t(i);
    }
    if (isNew) {
      if (newIndex >= 0 || !newValue.wholeValues.contains(operand))
        return false;
      newIndex = int64_t(i);
    }
  }
  if (oldIndex < 0 || newIndex < 0 ||
      call.getOperand(oldIndex).getType() != call.getOperand(newIndex).getType())
    return false;
  Value oldParam = callee.getArgument(unsigned(oldIndex));
  Value newParam = callee.getArgument(unsigned(newIndex));
  SmallVector<memref::LoadOp> loads;
  SmallVector<memref::StoreOp> stores;
  for (Operation *user : oldParam.getUsers()) {
    auto load = dyn_cast<memref::LoadOp>(user);
    if (!load)
      return false;
    loads.push_back(load);
  }
  for (OpOperand &use : newParam.getUses()) {
    auto store = dyn_cast<memref::StoreOp>(use.getOwner());
    if (!store || use.get() != store.getMemRef() ||
        store.getValueToStore() == newParam)
      return false;
    stores.push_back(store);
  }
  if (stores.empty())
    return false;
  ValueRange indices = stores.front().getIndices();
  Block *block = stores.front()->getBlock();
  auto sameIndices = [&](ValueRange other) {
    return llvm::equal(indices, other);
  };
  for (memref::StoreOp store : stores)
    if (store->getBlock() != block || !sameIndices(store.getIndices()))
      return false;
  for (memref::LoadOp load : loads) {
    if (load->getBlock() != block || !sameIndices(load.getIndices()))
      return false;
    for (memref::StoreOp store : stores)
      if (!load->isBeforeInBlock(store))
        return false;
  }
  aliased = {oldIndex, newIndex};
  return true;
}

/// Records on `kernel` (`dlcc.in_place_arguments`) that arguments `a` and
/// `b` may be one buffer, so that code generation does not declare them
/// `noalias`.
void markAliasedArguments(func::FuncOp kernel, int64_t a, int64_t b) {
  SmallVector<int64_t> args;
  if (auto existing =
          kernel->getAttrOfType<DenseI64ArrayAttr>(kInPlaceArgumentsAttr))
    args.assign(existing.asArrayRef().begin(), existing.asArrayRef().end());
  args.push_back(a);
  args.push_back(b);
  llvm::sort(args);
  args.erase(std::unique(args.begin(), args.end()), args.end());
  kernel->setAttr(kInPlaceArgumentsAttr,
                  DenseI64ArrayAttr::get(kernel.getContext(), args));
}

/// The state argument of each slot, by symbol name.
llvm::StringMap<unsigned> stateArguments(func::FuncOp func) {
  llvm::StringMap<unsigned> out;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto slot = func.getArgAttrOfType<FlatSymbolRefAttr>(i, kStateAttrName))
      out[slot.getValue()] = i;
  return out;
}

/// alloc -> result index, for every tied result whose buffer may be its
/// slot's own buffer (see the file comment).
llvm::DenseMap<Operation *, int64_t>
chooseInPlaceResults(func::FuncOp func, Block &body,
                     const llvm::DenseMap<Operation *, int64_t> &position) {
  llvm::DenseMap<Operation *, int64_t> inPlace;
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret)
    return inPlace;
  // The alloc each returned value is (through whole views), and how often
  // it is returned: a buffer returned twice needs copies anyway.
  SmallVector<memref::AllocOp> roots(ret.getNumOperands());
  llvm::DenseMap<Operation *, unsigned> returned;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value cur = v;
    while (Operation *def = cur.getDefiningOp()) {
      if (auto alloc = dyn_cast<memref::AllocOp>(def)) {
        roots[i] = alloc;
        ++returned[def];
        break;
      }
      if (!isWholeView(def))
        break;
      cur = def->getOperand(0);
    }
  }
  llvm::StringMap<unsigned> state = stateArguments(func);
  for (unsigned i = 0; i < ret.getNumOperands(); ++i) {
    auto slot =
        func.getResultAttrOfType<FlatSymbolRefAttr>(i, kTiedStateAttrName);
    memref::AllocOp alloc = roots[i];
    if (!slot || !alloc || returned[alloc] != 1 ||
        alloc->getBlock() != &body)
      continue;
    auto arg = state.find(slot.getValue());
    if (arg == state.end())
      continue;
    Uses oldValue = usesOf(func.getArgument(arg->second), body);
    Uses newValue = usesOf(alloc.getResult(), body);
    int64_t lastRead = -1, firstWrite = std::numeric_limits<int64_t>::max();
    for (Operation *op : oldValue.touches)
      lastRead = std::max(lastRead, position.lookup(op));
    Operation *writer = nullptr;
    for (Operation *op : newValue.touches)
      if (position.lookup(op) < firstWrite) {
        firstWrite = position.lookup(op);
        writer = op;
      }
    if (!writer || isa<func::ReturnOp>(writer))
      continue; // never written: nothing to gain
    bool safe = lastRead < firstWrite;
    if (!safe && lastRead == firstWrite)
      if (auto call = dyn_cast<func::CallOp>(writer)) {
        std::pair<int64_t, int64_t> aliased;
        safe = writesElementwiseInPlace(call, oldValue, newValue, aliased);
        if (safe)
          markAliasedArguments(
              SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                  call, call.getCalleeAttr()),
              aliased.first, aliased.second);
      }
    if (safe)
      inPlace[alloc] = int64_t(i);
  }
  return inPlace;
}

class PlanMemoryPass : public impl::PlanMemoryPassBase<PlanMemoryPass> {
public:
  using PlanMemoryPassBase::PlanMemoryPassBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isDeclaration() || !func.isPublic() ||
          func->hasAttr(kKernelAttr))
        continue;
      if (failed(plan(func)))
        return signalPassFailure();
    }
  }

private:
  LogicalResult plan(func::FuncOp func);
};

LogicalResult PlanMemoryPass::plan(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("memory planning needs a single-block entry point");
  Block &body = func.getBody().front();

  llvm::DenseMap<Operation *, int64_t> position;
  int64_t index = 0;
  for (Operation &op : body)
    position[&op] = index++;

  Builder builder(func.getContext());
  llvm::DenseMap<Operation *, int64_t> inPlace =
      chooseInPlaceResults(func, body, position);

  SmallVector<Buffer> buffers;
  for (auto alloc : body.getOps<memref::AllocOp>()) {
    auto tied = inPlace.find(alloc);
    if (tied != inPlace.end()) {
      // Written into the slot's own buffer: no arena space.
      alloc->setAttr(kInPlaceResultAttr,
                     builder.getI64IntegerAttr(tied->second));
      alloc->removeAttr(kArenaOffsetAttr);
      continue;
    }
    alloc->removeAttr(kInPlaceResultAttr);
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity())
      return alloc.emitError("cannot plan a buffer of type ") << type;
    Buffer buffer;
    buffer.alloc = alloc;
    int64_t elementBytes =
        llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    buffer.size = type.getNumElements() * elementBytes;
    buffer.alignment = kArenaAlignment;
    if (std::optional<uint64_t> a = alloc.getAlignment())
      buffer.alignment =
          std::max<int64_t>(buffer.alignment, llvm::PowerOf2Ceil(*a));
    buffer.start = buffer.end = position[alloc];

    // The buffer is live until the last use of anything derived from it.
    SmallVector<Value> worklist = {alloc.getResult()};
    llvm::SmallPtrSet<Value, 8> seen = {alloc.getResult()};
    auto push = [&](Operation *op) {
      for (Value result : op->getResults())
        if (llvm::isa<ShapedType>(result.getType()) &&
            seen.insert(result).second)
          worklist.push_back(result);
    };
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      for (Operation *user : value.getUsers()) {
        Operation *top = body.findAncestorOpInBlock(*user);
        if (!top)
          return user->emitError("use of a planned buffer outside its block");
        buffer.end = std::max(buffer.end, position[top]);
        push(user);
        if (top != user)
          push(top);
      }
    }
    buffers.push_back(buffer);
  }
  if (buffers.empty())
    return success();
  recordBackwardSplit(func, buffers, position);

  // Largest first; ties by earlier start, then program order (stable).
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  std::stable_sort(order.begin(), order.end(), [](Buffer *a, Buffer *b) {
    if (a->size != b->size)
      return a->size > b->size;
    return a->start < b->start;
  });

  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    SmallVector<Buffer *> live;
    for (Buffer *other : placed)
      if (liveTogether(*buffer, *other))
        live.push_back(other);
    llvm::sort(live, [](Buffer *a, Buffer *b) {
      return a->offset < b->offset;
    });
    // Best fit: the smallest gap below some live buffer that holds this one;
    // otherwise above the highest live buffer.
    int64_t best = -1, bestGap = 0, top = 0;
    for (Buffer *other : live) {
      int64_t candidate = llvm::alignTo(top, buffer->alignment);
      if (candidate + buffer->size <= other->offset) {
        int64_t gap = other->offset - candidate;
        if (best < 0 || gap < bestGap) {
          best = candidate;
          bestGap = gap;
        }
      }
      top = std::max(top, other->offset + other->size);
    }
    buffer->offset = best >= 0 ? best : llvm::alignTo(top, buffer->alignment);
    placed.push_back(buffer);
  }

  // Check the plan: buffers live together never share a byte.
  for (size_t i = 0; i < buffers.size(); ++i)
    for (size_t j = i + 1; j < buffers.size(); ++j)
      if (liveTogether(buffers[i], buffers[j]) &&
          placedTogether(buffers[i], buffers[j])) {
        InFlightDiagnostic diag = buffers[j].alloc.emitError(
            "memory plan error: buffer overlaps a buffer live at the same "
            "time");
        diag.attachNote(buffers[i].alloc.getLoc()) << "the other buffer";
        return diag;
      }

  int64_t arenaBytes = 0, unplanned = 0;
  for (Buffer &b : buffers) {
    b.alloc->setAttr(kArenaOffsetAttr, builder.getI64IntegerAttr(b.offset));
    arenaBytes = std::max(arenaBytes, b.offset + b.size);
    unplanned += b.size;
  }
  func->setAttr(kArenaBytesAttr, builder.getI64IntegerAttr(arenaBytes));
  func->setAttr(kUnplannedPeakBytesAttr, builder.getI64IntegerAttr(unplanned));
  return success();
}

} // namespace
} // namespace mlir::dlcc
