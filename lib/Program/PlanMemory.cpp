//===- PlanMemory.cpp - the dlcc-plan-memory pass --------------------------===//
//
// Graph-level memory plan: live intervals of the entry
// points' buffers in the straight-line schedule, then arena offsets by a
// greedy best-fit over buffers sorted by size. The allocs are annotated, not
// rewritten (see Passes.td).
//
//===----------------------------------------------------------------------===//
#include "dlcc/Program/Passes.h"
#include "dlcc/Codegen/KernelAttributes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

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

bool liveTogether(const Buffer &a, const Buffer &b) {
  return a.start <= b.end && b.start <= a.end;
}

bool placedTogether(const Buffer &a, const Buffer &b) {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
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

  SmallVector<Buffer> buffers;
  for (auto alloc : body.getOps<memref::AllocOp>()) {
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

  Builder builder(func.getContext());
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
