//===- TileKernels.cpp - the dlcc-tile-kernels pass -----------------------===//
//
// Rewrites each bufferized kernel into the GPU-shaped kernel form (see
// docs/architecture.md): an outer block loop (`scf.parallel` over blocks)
// containing a thread loop (`scf.parallel` over the threads of one block). The same IR is mapped to
// CUDA (block loop -> grid, thread loop -> threads, `scf.reduce` ->
// `gpu.all_reduce`) and to the CPU (both loops run sequentially).
//
// A stage is one linalg op, with a `linalg.fill` or `memref.copy` that only
// initialises its output folded in as the initial value. A kernel is one
// stage, scheduled elementwise, block-per-row or thread-per-output (see
// Passes.td), or the stages of a row kernel (RowKernels.h), scheduled
// `row`: one block per row, per-row values in registers.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"
#include "dlcc/Target/Support/ProgramLimits.h"
#include "dlcc/Codegen/RowKernels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/CSE.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_TILEKERNELSPASS
#include "dlcc/Codegen/Passes.h.inc"

namespace {


/// Where an output's initial value comes from.
struct InitSource {
  enum class Kind { LoadOutput, Scalar, LoadCopySource };
  Kind kind = Kind::LoadOutput;
  /// The fill's scalar, or the copy's source buffer.
  Value value;
};

/// The one linalg op of a kernel with the initial values of its outputs.
struct Stage {
  linalg::GenericOp op;
  SmallVector<InitSource> inits;
  /// Fills and copies folded into `op`, erased with it.
  SmallVector<Operation *> absorbed;
};

/// Block-per-row needs at least this many reduction points (one warp).
constexpr int64_t kMinRowPoints = 32;

enum class Schedule { Elementwise, BlockPerRow, ThreadPerOutput, Row };

StringRef scheduleName(Schedule s) {
  switch (s) {
  case Schedule::Elementwise:
    return "elementwise";
  case Schedule::BlockPerRow:
    return "block-per-row";
  case Schedule::ThreadPerOutput:
    return "thread-per-output";
  case Schedule::Row:
    return "row";
  }
  llvm_unreachable("unknown schedule");
}

int64_t product(ArrayRef<int64_t> sizes) {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

int64_t roundUp(int64_t n, int64_t multiple) {
  return (n + multiple - 1) / multiple * multiple;
}

/// Emits the per-kernel loop nests for one stage.
class StageEmitter {
public:
  StageEmitter(Stage &stage, int64_t maxThreads)
      : stage(stage), op(stage.op), maxThreads(maxThreads) {
    ranges = op.getStaticLoopRanges();
    for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (it == utils::IteratorType::parallel)
        parallelDims.push_back(d);
      else
        reductionDims.push_back(d);
    }
  }

  /// Classifies the stage; fails with a diagnostic on unsupported forms.
  LogicalResult analyze();
  /// Replaces the stage with its loop nest; returns (grid, block).
  std::pair<int64_t, int64_t> emit(OpBuilder &b);
  Schedule getSchedule() const { return schedule; }
  /// The indices of `linear` in a row-major space of extents `dims`.
  SmallVector<Value> delinearize(OpBuilder &b, Value linear,
                                 ArrayRef<int64_t> dims);

  /// Row kernels (RowKernels.h): per-row values already computed, by the
  /// buffer a stage reads them from; loads of those buffers use the value.
  void setRowValues(const llvm::DenseMap<Value, Value> *values) {
    rowValues = values;
  }
  /// A row reduction stage: the combining op of its payload.
  void setRowCombiner() {
    combiner = matchRowCombiner(op, combinerOutOperand);
  }
  /// In the block loop of a row with `ivs` (reduction slots unset), a
  /// thread loop reducing this stage's row; returns the combined value,
  /// held by every thread. Constants go to `cb` (before the block loop).
  Value reduceRow(OpBuilder &cb, OpBuilder &bb, SmallVector<Value> ivs,
                  int64_t block);
  /// A stage over the row dimensions only: its value for the row.
  Value scalarRow(OpBuilder &bb, ValueRange ivs);
  /// Stores the payload's results at the iteration point `ivs`.
  void storeOutputs(OpBuilder &b, ValueRange ivs, ValueRange values);
  /// An all-parallel stage: a thread loop over the row's elements (the
  /// dimensions after the first `rowRank`), `block` apart per thread.
  void mapRow(OpBuilder &cb, OpBuilder &bb, SmallVector<Value> ivs,
              unsigned rowRank, int64_t block);

private:
  bool matchRowReduction();
  Value constIndex(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, op.getLoc(), v);
  }
  SmallVector<Value> indices(OpBuilder &b, AffineMap map, ValueRange ivs);
  /// The buffer and indices by which `map` reads or writes `buffer` at
  /// `ivs`. In a flat point body (flatIndex set), a buffer that `map`
  /// indexes by all the parallel loops in order, contiguous and with the
  /// loops' extents, is accessed through its 1-D view at the flat index
  /// itself: no divisions to split it, consecutive threads on consecutive
  /// elements (vector loads on the CPU, plain coalesced ones on GPUs).
  std::pair<Value, SmallVector<Value>> access(OpBuilder &b, Value buffer,
                                              AffineMap map, ValueRange ivs);
  SmallVector<Value> loadInputs(OpBuilder &b, ValueRange ivs);
  Value initialValue(OpBuilder &b, unsigned out, ValueRange ivs);
  SmallVector<Value> payload(OpBuilder &b, ValueRange ivs, ValueRange inputs,
                             ValueRange outs);
  /// Block loop over `grid` blocks, thread loop over `block` threads; the
  /// callback builds the thread body from (block id, thread id).
  void
  blockAndThreadLoops(OpBuilder &b, int64_t grid, int64_t block,
                      function_ref<void(OpBuilder &, Value, Value)> threadBody);
  std::pair<int64_t, int64_t> emitFlat(OpBuilder &b);
  std::pair<int64_t, int64_t> emitBlockPerRow(OpBuilder &b);
  Value combine(OpBuilder &b, Value acc, Value x);

  Stage &stage;
  linalg::GenericOp op;
  int64_t maxThreads;
  SmallVector<int64_t> ranges;
  SmallVector<unsigned> parallelDims, reductionDims;
  Schedule schedule = Schedule::Elementwise;
  /// Block-per-row: the combining op and the operand position of `out`.
  Operation *combiner = nullptr;
  unsigned combinerOutOperand = 0;
  const llvm::DenseMap<Value, Value> *rowValues = nullptr;
  /// While emitFlat builds a point's body: its flattened parallel point.
  Value flatIndex;
};

bool StageEmitter::matchRowReduction() {
  if (op.getNumDpsInits() != 1 || reductionDims.empty())
    return false;
  for (unsigned d : parallelDims)
    if (ranges[d] == 0)
      return false; // No rows: no blocks.
  unsigned outOperand;
  Operation *c = matchRowCombiner(op, outOperand);
  if (!c)
    return false;
  // Long enough to be worth a block: at least a warp of reduction points.
  int64_t points = 1;
  for (unsigned d : reductionDims)
    points *= ranges[d];
  if (points < kMinRowPoints)
    return false;
  // Not a contraction: a matmul or convolution has two inputs read along
  // the reduction, each missing a parallel loop the other one uses
  // (A[m,k] misses n, B[k,n] misses m). Such ops reuse operands across
  // outputs and stay one output per thread for now. Broadcast operands (a
  // bias, a position table) miss loops nobody else supplies and do not
  // count, nor do operands the payload never reads (a pooling window).
  SmallVector<llvm::SmallBitVector> uses;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (op.getMatchingBlockArgument(input).use_empty())
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (llvm::none_of(reductionDims,
                      [&](unsigned d) { return map.isFunctionOfDim(d); }))
      continue;
    llvm::SmallBitVector used(ranges.size());
    for (unsigned d : parallelDims)
      used[d] = map.isFunctionOfDim(d);
    uses.push_back(used);
  }
  llvm::SmallBitVector parallelMask(ranges.size());
  for (unsigned d : parallelDims)
    parallelMask.set(d);
  for (const llvm::SmallBitVector &a : uses)
    for (const llvm::SmallBitVector &b : uses) {
      llvm::SmallBitVector aMissesB = parallelMask, bMissesA = parallelMask;
      aMissesB.reset(a) &= b; // Parallel loops b uses and a misses.
      bMissesA.reset(b) &= a;
      if (aMissesB.any() && bMissesA.any())
        return false;
    }
  combiner = c;
  combinerOutOperand = outOperand;
  return true;
}

LogicalResult StageEmitter::analyze() {
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return op.emitError("kernel loop with a dynamic extent");
  for (OpOperand &operand : op->getOpOperands())
    if (auto type = llvm::dyn_cast<MemRefType>(operand.get().getType());
        type && !type.hasStaticShape())
      return op.emitError("kernel operand with a dynamic shape");
  // Every output element is written exactly once per parallel point.
  llvm::SmallDenseSet<unsigned> parallel(parallelDims.begin(),
                                         parallelDims.end());
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    if (!map.isProjectedPermutation() ||
        map.getNumResults() != parallelDims.size())
      return op.emitError("output indexing map ")
             << AffineMapAttr::get(map)
             << " is not a permutation of the parallel loops";
    for (AffineExpr e : map.getResults())
      if (!parallel.contains(llvm::cast<AffineDimExpr>(e).getPosition()))
        return op.emitError("output indexed by a reduction loop");
    for (OpOperand *input : op.getDpsInputOperands())
      if (input->get() == init.get())
        return op.emitError("kernel reads the buffer it writes");
  }
  if (reductionDims.empty())
    schedule = Schedule::Elementwise;
  else if (matchRowReduction())
    schedule = Schedule::BlockPerRow;
  else
    schedule = Schedule::ThreadPerOutput;
  return success();
}

SmallVector<Value> StageEmitter::delinearize(OpBuilder &b, Value linear,
                                             ArrayRef<int64_t> dims) {
  // `linear` is in bounds, so the outermost index needs no remainder. Below
  // 2^31 points the divisions are 32-bit: cheaper on GPUs, and on the CPU
  // a division by a constant that LLVM vectorizes (64-bit ones it cannot).
  Location loc = op.getLoc();
  SmallVector<Value> result(dims.size());
  int64_t points = 1;
  for (int64_t d : dims)
    points *= d;
  bool narrow = points <= INT32_MAX;
  Type i32 = b.getI32Type();
  Value value = narrow ? arith::IndexCastUIOp::create(b, loc, i32, linear)
                       : linear;
  auto constant = [&](int64_t v) -> Value {
    return narrow ? arith::ConstantIntOp::create(b, loc, i32, v).getResult()
                  : constIndex(b, v);
  };
  auto widen = [&](Value v) -> Value {
    return narrow ? arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v)
                        .getResult()
                  : v;
  };
  for (int64_t i = dims.size() - 1; i >= 0; --i) {
    int64_t size = dims[i];
    if (size == 1) {
      result[i] = constIndex(b, 0);
      continue;
    }
    if (i == 0) {
      result[i] = i == int64_t(dims.size()) - 1 ? linear : widen(value);
      break;
    }
    Value s = constant(size);
    result[i] = widen(arith::RemUIOp::create(b, loc, value, s));
    value = arith::DivUIOp::create(b, loc, value, s);
  }
  return result;
}

SmallVector<Value> StageEmitter::indices(OpBuilder &b, AffineMap map,
                                         ValueRange ivs) {
  std::optional<SmallVector<Value, 8>> values =
      affine::expandAffineMap(b, op.getLoc(), map, ivs);
  assert(values && "indexing maps of linalg ops are expandable");
  return SmallVector<Value>(values->begin(), values->end());
}

std::pair<Value, SmallVector<Value>>
StageEmitter::access(OpBuilder &b, Value buffer, AffineMap map,
                     ValueRange ivs) {
  auto type = llvm::dyn_cast<MemRefType>(buffer.getType());
  bool flat = flatIndex && type && type.getRank() >= 2 &&
              map.getNumResults() == parallelDims.size() &&
              memref::isStaticShapeAndContiguousRowMajor(type);
  for (unsigned i = 0; flat && i < parallelDims.size(); ++i)
    flat = map.getResult(i) == getAffineDimExpr(parallelDims[i],
                                                op.getContext()) &&
           type.getDimSize(i) == ranges[parallelDims[i]];
  if (!flat)
    return {buffer, indices(b, map, ivs)};
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  Value view = memref::CollapseShapeOp::create(
      b, op.getLoc(), buffer, ArrayRef<ReassociationIndices>{all});
  return {view, {flatIndex}};
}

SmallVector<Value> StageEmitter::loadInputs(OpBuilder &b, ValueRange ivs) {
  SmallVector<Value> values;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value v = input->get();
    if (rowValues)
      if (auto it = rowValues->find(v); it != rowValues->end()) {
        values.push_back(it->second);
        continue;
      }
    BlockArgument arg = op.getMatchingBlockArgument(input);
    if (arg.use_empty() || !llvm::isa<MemRefType>(v.getType())) {
      values.push_back(v); // Scalar operand, or unused (never read).
      continue;
    }
    auto [buffer, at] = access(b, v, op.getMatchingIndexingMap(input), ivs);
    values.push_back(memref::LoadOp::create(b, op.getLoc(), buffer, at));
  }
  return values;
}

Value StageEmitter::initialValue(OpBuilder &b, unsigned out, ValueRange ivs) {
  OpOperand &init = op.getDpsInitsMutable()[out];
  const InitSource &source = stage.inits[out];
  if (source.kind == InitSource::Kind::Scalar)
    return source.value;
  Value buffer = source.kind == InitSource::Kind::LoadCopySource ? source.value
                                                                 : init.get();
  auto [view, at] = access(b, buffer, op.getMatchingIndexingMap(&init), ivs);
  return memref::LoadOp::create(b, op.getLoc(), view, at);
}

SmallVector<Value> StageEmitter::payload(OpBuilder &b, ValueRange ivs,
                                         ValueRange inputs, ValueRange outs) {
  Block *body = op.getBody();
  IRMapping mapping;
  unsigned numInputs = op.getNumDpsInputs();
  for (auto [i, arg] : llvm::enumerate(body->getArguments()))
    if (i < numInputs)
      mapping.map(arg, inputs[i]);
    else if (outs[i - numInputs])
      mapping.map(arg, outs[i - numInputs]);
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  return llvm::map_to_vector(
      body->getTerminator()->getOperands(),
      [&](Value v) { return mapping.lookupOrDefault(v); });
}

void StageEmitter::storeOutputs(OpBuilder &b, ValueRange ivs,
                                ValueRange values) {
  for (auto [init, value] : llvm::zip_equal(op.getDpsInitsMutable(), values)) {
    auto [buffer, at] =
        access(b, init.get(), op.getMatchingIndexingMap(&init), ivs);
    memref::StoreOp::create(b, op.getLoc(), value, buffer, at);
  }
}

void StageEmitter::blockAndThreadLoops(
    OpBuilder &b, int64_t grid, int64_t block,
    function_ref<void(OpBuilder &, Value, Value)> threadBody) {
  Location loc = op.getLoc();
  Value zero = constIndex(b, 0), one = constIndex(b, 1);
  Value gridSize = constIndex(b, grid), blockSize = constIndex(b, block);
  scf::ParallelOp::create(
      b, loc, ValueRange{zero}, ValueRange{gridSize}, ValueRange{one},
      [&](OpBuilder &bb, Location, ValueRange blockIds) {
        scf::ParallelOp::create(
            bb, loc, ValueRange{zero}, ValueRange{blockSize}, ValueRange{one},
            [&](OpBuilder &tb, Location, ValueRange threadIds) {
              threadBody(tb, blockIds[0], threadIds[0]);
            });
      });
}

/// Elementwise and thread-per-output: the parallel points flattened, one per
/// thread, guarded when the last block is partial.
std::pair<int64_t, int64_t> StageEmitter::emitFlat(OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<int64_t> parallelSizes =
      llvm::map_to_vector(parallelDims, [&](unsigned d) { return ranges[d]; });
  int64_t points = product(parallelSizes);
  int64_t block =
      std::min(maxThreads, roundUp(std::max<int64_t>(points, 1), 32));
  // An empty iteration space still launches one (fully guarded) block.
  int64_t grid = std::max<int64_t>((points + block - 1) / block, 1);
  unsigned numOuts = op.getNumDpsInits();

  auto pointBody = [&](OpBuilder &pb, Value linear) {
    flatIndex = linear;
    llvm::scope_exit done([&] { flatIndex = {}; });
    SmallVector<Value> parallelIvs = delinearize(pb, linear, parallelSizes);
    SmallVector<Value> ivs(ranges.size());
    for (auto [d, iv] : llvm::zip_equal(parallelDims, parallelIvs))
      ivs[d] = iv;
    // The output maps use parallel loops only; reduction slots are unused.
    Value zero = constIndex(pb, 0);
    for (unsigned d : reductionDims)
      ivs[d] = zero;
    Block *body = op.getBody();
    SmallVector<Value> outs(numOuts);
    for (unsigned k = 0; k < numOuts; ++k)
      if (!reductionDims.empty() ||
          !body->getArgument(op.getNumDpsInputs() + k).use_empty())
        outs[k] = initialValue(pb, k, ivs);
    if (reductionDims.empty()) {
      SmallVector<Value> results = payload(pb, ivs, loadInputs(pb, ivs), outs);
      storeOutputs(pb, ivs, results);
      return;
    }
    SmallVector<Value> lbs, ubs, steps;
    for (unsigned d : reductionDims) {
      lbs.push_back(zero);
      ubs.push_back(constIndex(pb, ranges[d]));
      steps.push_back(constIndex(pb, 1));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        pb, loc, lbs, ubs, steps, outs,
        [&](OpBuilder &lb, Location, ValueRange loopIvs, ValueRange accs) {
          SmallVector<Value> all(ivs);
          for (auto [d, iv] : llvm::zip_equal(reductionDims, loopIvs))
            all[d] = iv;
          return payload(lb, all, loadInputs(lb, all), accs);
        });
    storeOutputs(pb, ivs, nest.results);
  };

  blockAndThreadLoops(b, grid, block, [&](OpBuilder &tb, Value bid, Value tid) {
    Value linear = arith::AddIOp::create(
        tb, loc, arith::MulIOp::create(tb, loc, bid, constIndex(tb, block)),
        tid);
    if (grid * block == points) {
      pointBody(tb, linear);
      return;
    }
    Value inBounds = arith::CmpIOp::create(tb, loc, arith::CmpIPredicate::ult,
                                           linear, constIndex(tb, points));
    scf::IfOp::create(tb, loc, inBounds, [&](OpBuilder &ib, Location l) {
      pointBody(ib, linear);
      scf::YieldOp::create(ib, l);
    });
  });
  return {grid, block};
}

/// The block size of a block-per-row or row kernel whose longest row has
/// `points` elements: a power-of-two number of warps. Upstream's
/// gpu.all_reduce lowering combines the warps' partials with an xor
/// butterfly over the first `warps` lanes, and when that count is not a
/// power of two some lanes end with a partial sum, yet every one of them
/// stores it to the same shared word (a racing write of different values).
int64_t rowBlockSize(int64_t points, int64_t maxThreads) {
  return std::min<int64_t>(
      llvm::bit_floor(static_cast<uint64_t>(maxThreads)),
      llvm::PowerOf2Ceil(static_cast<uint64_t>(std::max<int64_t>(points, 32))));
}

Value StageEmitter::combine(OpBuilder &b, Value acc, Value x) {
  IRMapping mapping;
  mapping.map(combiner->getOperand(combinerOutOperand), acc);
  mapping.map(combiner->getOperand(1 - combinerOutOperand), x);
  return b.clone(*combiner, mapping)->getResult(0);
}

Value StageEmitter::reduceRow(OpBuilder &cb, OpBuilder &bb,
                              SmallVector<Value> ivs, int64_t block) {
  Location loc = op.getLoc();
  SmallVector<int64_t> reductionSizes =
      llvm::map_to_vector(reductionDims, [&](unsigned d) { return ranges[d]; });
  Type type = op.getDpsInitOperand(0)->get().getType();
  type = llvm::cast<MemRefType>(type).getElementType();
  Value identity = arith::ConstantOp::create(
      cb, loc, type, *arith::getNeutralElement(combiner));
  Value zero = constIndex(cb, 0), one = constIndex(cb, 1);
  Value blockSize = constIndex(cb, block);
  Value total = constIndex(cb, product(reductionSizes));
  auto threads = scf::ParallelOp::create(
      bb, loc, ValueRange{zero}, ValueRange{blockSize}, ValueRange{one},
      ValueRange{identity},
      [&](OpBuilder &tb, Location, ValueRange threadIds, ValueRange) {
        auto strided = scf::ForOp::create(
            tb, loc, threadIds[0], total, blockSize, ValueRange{identity},
            [&](OpBuilder &fb, Location, Value r, ValueRange accs) {
              SmallVector<Value> all(ivs);
              for (auto [d, iv] : llvm::zip_equal(
                       reductionDims, delinearize(fb, r, reductionSizes)))
                all[d] = iv;
              SmallVector<Value> next =
                  payload(fb, all, loadInputs(fb, all), accs);
              scf::YieldOp::create(fb, loc, next);
            });
        auto reduce = scf::ReduceOp::create(tb, loc, strided.getResults());
        Region &region = reduce.getReductions()[0];
        if (region.empty()) {
          Block &created = region.emplaceBlock();
          created.addArguments({type, type}, {loc, loc});
        }
        Block &reduceBlock = region.front();
        OpBuilder rb = OpBuilder::atBlockEnd(&reduceBlock);
        Value combined = combine(rb, reduceBlock.getArgument(0),
                                 reduceBlock.getArgument(1));
        scf::ReduceReturnOp::create(rb, loc, combined);
      });
  for (unsigned d : reductionDims)
    ivs[d] = zero;
  return combine(bb, initialValue(bb, 0, ivs), threads.getResult(0));
}

/// Block-per-row: one block per output element; its threads combine strided
/// partials of the flattened reduction space with `scf.reduce`.
std::pair<int64_t, int64_t> StageEmitter::emitBlockPerRow(OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<int64_t> parallelSizes =
      llvm::map_to_vector(parallelDims, [&](unsigned d) { return ranges[d]; });
  int64_t rows = product(parallelSizes);
  int64_t points = product(
      llvm::map_to_vector(reductionDims, [&](unsigned d) { return ranges[d]; }));
  int64_t block = rowBlockSize(points, maxThreads);
  Value zero = constIndex(b, 0), one = constIndex(b, 1);
  Value gridSize = constIndex(b, rows);
  // The loop's builder is `b` itself, moved into the body: constants go
  // through a copy that stays before the loop.
  OpBuilder cb = b;
  scf::ParallelOp::create(
      b, loc, ValueRange{zero}, ValueRange{gridSize}, ValueRange{one},
      [&](OpBuilder &bb, Location, ValueRange blockIds) {
        SmallVector<Value> ivs(ranges.size());
        for (auto [d, iv] : llvm::zip_equal(
                 parallelDims, delinearize(bb, blockIds[0], parallelSizes)))
          ivs[d] = iv;
        // Every thread of the block holds the total: each stores the same
        // value (on the CPU, the one sequential iteration does).
        Value value = reduceRow(cb, bb, ivs, block);
        for (unsigned d : reductionDims)
          ivs[d] = zero;
        storeOutputs(bb, ivs, value);
      });
  return {rows, block};
}

Value StageEmitter::scalarRow(OpBuilder &bb, ValueRange ivs) {
  SmallVector<Value> outs(op.getNumDpsInits());
  Block *body = op.getBody();
  for (unsigned k = 0; k < outs.size(); ++k)
    if (!body->getArgument(op.getNumDpsInputs() + k).use_empty())
      outs[k] = initialValue(bb, k, ivs);
  return payload(bb, ivs, loadInputs(bb, ivs), outs)[0];
}

void StageEmitter::mapRow(OpBuilder &cb, OpBuilder &bb,
                          SmallVector<Value> ivs, unsigned rowRank,
                          int64_t block) {
  Location loc = op.getLoc();
  SmallVector<unsigned> rowDims(parallelDims.begin() + rowRank,
                                parallelDims.end());
  SmallVector<int64_t> sizes =
      llvm::map_to_vector(rowDims, [&](unsigned d) { return ranges[d]; });
  Value zero = constIndex(cb, 0), one = constIndex(cb, 1);
  Value blockSize = constIndex(cb, block);
  Value total = constIndex(cb, product(sizes));
  scf::ParallelOp::create(
      bb, loc, ValueRange{zero}, ValueRange{blockSize}, ValueRange{one},
      [&](OpBuilder &tb, Location, ValueRange threadIds) {
        scf::ForOp::create(
            tb, loc, threadIds[0], total, blockSize, ValueRange{},
            [&](OpBuilder &fb, Location, Value r, ValueRange) {
              SmallVector<Value> all(ivs);
              for (auto [d, iv] :
                   llvm::zip_equal(rowDims, delinearize(fb, r, sizes)))
                all[d] = iv;
              Block *body = op.getBody();
              SmallVector<Value> outs(op.getNumDpsInits());
              for (unsigned k = 0; k < outs.size(); ++k)
                if (!body->getArgument(op.getNumDpsInputs() + k).use_empty())
                  outs[k] = initialValue(fb, k, all);
              storeOutputs(fb, all,
                           payload(fb, all, loadInputs(fb, all), outs));
              scf::YieldOp::create(fb, loc);
            });
      });
}

std::pair<int64_t, int64_t> StageEmitter::emit(OpBuilder &b) {
  if (schedule == Schedule::BlockPerRow)
    return emitBlockPerRow(b);
  return emitFlat(b);
}

/// Collects the stages of `kernel` in program order, generalizing named ops
/// and folding initialising fills and copies into them.
FailureOr<SmallVector<Stage>> collectStages(func::FuncOp kernel) {
  IRRewriter rewriter(kernel.getContext());
  SmallVector<linalg::LinalgOp> named;
  kernel.walk([&](linalg::LinalgOp linalgOp) {
    if (!isa<linalg::GenericOp, linalg::FillOp>(linalgOp))
      named.push_back(linalgOp);
  });
  for (linalg::LinalgOp linalgOp : named) {
    rewriter.setInsertionPoint(linalgOp);
    if (failed(linalg::generalizeNamedOp(rewriter, linalgOp)))
      return linalgOp.emitError("cannot generalize this op");
  }

  // Pending initialisations of output buffers, in program order.
  llvm::MapVector<Value, std::pair<InitSource, Operation *>> pending;
  SmallVector<Stage> stages;
  // Scalar reads of a kernel argument (a dropout key from the RNG state):
  // moved into the payload, so every thread reads it on the device instead
  // of the host reading device memory before the launch.
  SmallVector<memref::LoadOp> scalarLoads;
  for (Operation &inner : kernel.getBody().front()) {
    if (isa<func::ReturnOp>(inner))
      continue;
    if (auto load = dyn_cast<memref::LoadOp>(inner)) {
      auto arg = dyn_cast<BlockArgument>(load.getMemRef());
      if (arg && arg.getOwner()->getParentOp() == kernel.getOperation()) {
        scalarLoads.push_back(load);
        continue;
      }
    }
    if (auto fill = dyn_cast<linalg::FillOp>(inner)) {
      pending[fill.getOutputs()[0]] = {
          {InitSource::Kind::Scalar, fill.getInputs()[0]}, fill};
      continue;
    }
    if (auto copy = dyn_cast<memref::CopyOp>(inner)) {
      pending[copy.getTarget()] = {
          {InitSource::Kind::LoadCopySource, copy.getSource()}, copy};
      continue;
    }
    if (auto generic = dyn_cast<linalg::GenericOp>(inner)) {
      if (!generic.hasPureBufferSemantics())
        return generic.emitError("kernel op is not on buffers; run "
                                 "dlcc-bufferize-kernels first");
      Stage stage;
      stage.op = generic;
      for (Value init : generic.getDpsInits()) {
        auto it = pending.find(init);
        if (it == pending.end()) {
          stage.inits.push_back({});
          continue;
        }
        stage.inits.push_back(it->second.first);
        stage.absorbed.push_back(it->second.second);
        pending.erase(it);
      }
      stages.push_back(stage);
      continue;
    }
    if (isa<memref::AllocOp>(inner))
      continue; // Shape-only operand, checked after tiling.
    if (isMemoryEffectFree(&inner) && inner.getNumRegions() == 0)
      continue; // Constants, views, index arithmetic.
    return inner.emitError("unsupported op in kernel @") << kernel.getSymName();
  }
  // A fill or copy nobody consumes is a stage of its own.
  for (auto &[buffer, entry] : pending) {
    Operation *init = entry.second;
    rewriter.setInsertionPoint(init);
    linalg::GenericOp generic;
    if (auto fill = dyn_cast<linalg::FillOp>(init)) {
      FailureOr<linalg::GenericOp> g = linalg::generalizeNamedOp(
          rewriter, cast<linalg::LinalgOp>(fill.getOperation()));
      if (failed(g))
        return fill.emitError("cannot generalize this fill");
      generic = *g;
    } else {
      auto copy = cast<memref::CopyOp>(init);
      generic = linalg::makeMemRefCopyOp(rewriter, copy.getLoc(),
                                         copy.getSource(), copy.getTarget());
      rewriter.eraseOp(copy);
    }
    Stage stage;
    stage.op = generic;
    stage.inits.resize(generic.getNumDpsInits());
    stages.push_back(stage);
  }
  for (memref::LoadOp load : scalarLoads) {
    // Only reads of inputs may move: a buffer a stage writes (an output, or
    // one an absorbed fill or copy initialises) would be read after other
    // threads changed it.
    Value buffer = load.getMemRef();
    for (Stage &stage : stages)
      if (llvm::is_contained(stage.op.getDpsInits(), buffer) ||
          llvm::any_of(stage.absorbed, [&](Operation *init) {
            return llvm::is_contained(init->getOperands(), buffer);
          }))
        return load.emitError("kernel @")
               << kernel.getSymName()
               << " reads a scalar from a buffer it writes";
    // Each stage that reads it gets its own copy of the read (a value
    // recomputed in several stages, such as a dropout mask from its key,
    // reads the same scalar in each).
    for (Stage &stage : stages) {
      auto inStage = [&](OpOperand &use) {
        return stage.op->isProperAncestor(use.getOwner());
      };
      if (llvm::none_of(load->getUses(), inStage))
        continue;
      Operation *copy = load->clone();
      rewriter.setInsertionPointToStart(&stage.op.getRegion().front());
      rewriter.insert(copy);
      load.getResult().replaceUsesWithIf(copy->getResult(0), inStage);
    }
    if (!load->use_empty())
      return load.emitError("a scalar read in kernel @")
             << kernel.getSymName() << " is used outside its linalg ops";
    rewriter.eraseOp(load);
  }
  return stages;
}

/// The rank of the per-row values when `stages` form a row kernel
/// (RowKernels.h) whose per-row values live in kernel-local buffers
/// initialised by the stage computing them; failure otherwise.
FailureOr<unsigned> rowKernelRank(MutableArrayRef<Stage> stages) {
  if (stages.size() < 2)
    return failure();
  auto temporary = [](Value v) {
    auto alloc = v.getDefiningOp<memref::AllocOp>();
    return alloc && alloc.getType().hasStaticShape() ? alloc : nullptr;
  };
  Value first = stages.front().op.getDpsInits()[0];
  unsigned rank = llvm::cast<MemRefType>(first.getType()).getRank();
  SmallVector<int64_t> rows(stages.back().op.getStaticLoopRanges());
  if (rows.size() < rank)
    return failure();
  rows.resize(rank);
  llvm::DenseMap<Value, Stage *> producers;
  for (Stage &stage : stages) {
    linalg::GenericOp op = stage.op;
    RowRole role = rowRole(op, rank);
    bool last = &stage == &stages.back();
    if (role == RowRole::None || (role == RowRole::Last) != last)
      return failure();
    if (!llvm::equal(ArrayRef(op.getStaticLoopRanges()).take_front(rank),
                     rows))
      return failure();
    if (!last) {
      Value out = op.getDpsInits()[0];
      BlockArgument outArg = op.getBody()->getArguments().back();
      // A kernel-local buffer, or an output of the kernel (a per-row value
      // the entry point reads too: stored as well).
      auto arg = dyn_cast<BlockArgument>(out);
      bool output = arg && isa<func::FuncOp>(arg.getOwner()->getParentOp());
      if ((!temporary(out) && !output) || producers.contains(out) ||
          (!outArg.use_empty() &&
           stage.inits[0].kind != InitSource::Kind::Scalar))
        return failure();
      producers[out] = &stage;
    }
  }
  // Every use of a per-row buffer: its stage's output (or the fill folded
  // into it), or a later stage's read of the row's value.
  for (auto [buffer, producer] : producers)
    for (OpOperand &use : buffer.getUses()) {
      Operation *user = use.getOwner();
      if (user == producer->op.getOperation() ||
          llvm::is_contained(producer->absorbed, user))
        continue;
      auto reader = dyn_cast<linalg::GenericOp>(user);
      Stage *readerStage = llvm::find_if(
          stages, [&](Stage &s) { return s.op == reader; });
      if (!reader || readerStage == stages.end() ||
          readerStage <= producer || !reader.isDpsInput(&use) ||
          !isRowValueMap(reader.getMatchingIndexingMap(&use), rank))
        return failure();
    }
  return rank;
}

struct TileKernelsPass : impl::TileKernelsPassBase<TileKernelsPass> {
  using TileKernelsPassBase::TileKernelsPassBase;

  /// One block per row; in its loop body, each stage in order: a thread
  /// loop reducing the row, a scalar op on the row's values, or (the last
  /// stage) a thread loop over the row's elements. Per-row values are SSA
  /// values, held by every thread, stored only when they are kernel
  /// outputs.
  LogicalResult emitRowKernel(MutableArrayRef<Stage> stages, unsigned rank,
                              std::pair<int64_t, int64_t> &launch) {
    SmallVector<std::unique_ptr<StageEmitter>> emitters;
    SmallVector<RowRole> roles;
    llvm::DenseMap<Value, Value> rowValues;
    int64_t points = 1;
    for (Stage &stage : stages) {
      auto emitter = std::make_unique<StageEmitter>(stage, threadsPerBlock);
      if (failed(emitter->analyze()))
        return failure();
      emitter->setRowValues(&rowValues);
      roles.push_back(rowRole(stage.op, rank));
      if (roles.back() == RowRole::Reduction)
        emitter->setRowCombiner();
      SmallVector<int64_t> ranges = stage.op.getStaticLoopRanges();
      points = std::max(points, product(ArrayRef(ranges).drop_front(rank)));
      emitters.push_back(std::move(emitter));
    }
    SmallVector<int64_t> rows = stages.back().op.getStaticLoopRanges();
    rows.resize(rank);
    int64_t grid = product(rows);
    int64_t block = rowBlockSize(points, threadsPerBlock);
    if (grid == 0)
      return stages.back().op.emitError("row kernel without rows");

    OpBuilder b(stages.back().op);
    Location loc = stages.back().op.getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value gridSize = arith::ConstantIndexOp::create(b, loc, grid);
    OpBuilder cb = b; // Constants, before the loop (see emitBlockPerRow).
    scf::ParallelOp::create(
        b, loc, ValueRange{zero}, ValueRange{gridSize}, ValueRange{one},
        [&](OpBuilder &bb, Location, ValueRange blockIds) {
          SmallVector<Value> rowIvs =
              emitters.back()->delinearize(bb, blockIds[0], rows);
          for (auto [stage, emitter, role] :
               llvm::zip_equal(stages, emitters, roles)) {
            SmallVector<Value> ivs(stage.op.getNumLoops());
            llvm::copy(rowIvs, ivs.begin());
            switch (role) {
            case RowRole::Reduction:
            case RowRole::Scalar: {
              Value out = stage.op.getDpsInits()[0];
              Value value = role == RowRole::Reduction
                                ? emitter->reduceRow(cb, bb, ivs, block)
                                : emitter->scalarRow(bb, ivs);
              rowValues[out] = value;
              // A kernel output: every thread stores the row's value.
              if (!out.getDefiningOp<memref::AllocOp>()) {
                for (Value &iv : MutableArrayRef(ivs).drop_front(rank))
                  iv = zero;
                emitter->storeOutputs(bb, ivs, value);
              }
              break;
            }
            case RowRole::Last:
              emitter->mapRow(cb, bb, ivs, rank, block);
              break;
            case RowRole::None:
              llvm_unreachable("checked by rowKernelRank");
            }
          }
        });
    launch = {grid, block};
    return success();
  }

  void runOnOperation() override {
    if (threadsPerBlock < 32 || threadsPerBlock % 32 != 0 ||
        threadsPerBlock > 1024) {
      getOperation().emitError("threads-per-block must be a multiple of 32 "
                               "in [32, 1024]");
      return signalPassFailure();
    }
    for (auto kernel : getOperation().getOps<func::FuncOp>()) {
      // Library calls replace their kernels: nothing to tile.
      if (!kernel->hasAttr(kKernelAttr) || kernel.isDeclaration() ||
          kernel->hasAttr(kGridAttr) || kernel->hasAttr(kLibraryCallAttr))
        continue;
      if (llvm::any_of(kernel.getArgumentTypes(), llvm::IsaPred<TensorType>) ||
          kernel.getNumResults() != 0) {
        kernel.emitError("kernel is not bufferized; run "
                         "dlcc-bufferize-kernels first");
        return signalPassFailure();
      }
      if (failed(tile(kernel)))
        return signalPassFailure();
    }
  }

  LogicalResult tile(func::FuncOp kernel) {
    FailureOr<SmallVector<Stage>> stages = collectStages(kernel);
    if (failed(stages))
      return failure();
    std::pair<int64_t, int64_t> launch;
    Schedule schedule = Schedule::Row;
    if (stages->size() == 1) {
      Stage &stage = stages->front();
      StageEmitter emitter(stage, threadsPerBlock);
      if (failed(emitter.analyze()))
        return failure();
      OpBuilder builder(stage.op);
      launch = emitter.emit(builder);
      schedule = emitter.getSchedule();
    } else {
      FailureOr<unsigned> rank = rowKernelRank(*stages);
      if (failed(rank))
        return kernel.emitError("kernel @")
               << kernel.getSymName() << " has " << stages->size()
               << " stages that do not form a row kernel; dlcc-tile-kernels "
                  "handles one linalg op per kernel (plus the fill or copy "
                  "initialising its output) or the ops of one row kernel";
      if (failed(emitRowKernel(*stages, *rank, launch)))
        return failure();
    }
    auto [grid, block] = launch;
    if (uint64_t(grid) > ::dlcc::limits::kMaxGridBlocks)
      return kernel.emitError("kernel @")
             << kernel.getSymName() << " needs " << grid << " blocks of "
             << block << " threads; a launch has at most "
             << ::dlcc::limits::kMaxGridBlocks << " blocks";
    for (Stage &stage : llvm::reverse(*stages)) {
      stage.op->erase();
      for (Operation *absorbed : stage.absorbed)
        absorbed->erase();
    }
    // Shape-only operands (a pooling window) are no longer used.
    SmallVector<Operation *> allocs;
    kernel.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (Operation *alloc : allocs) {
      if (!alloc->use_empty())
        return alloc->emitError("temporary buffer in kernel @")
               << kernel.getSymName();
      alloc->erase();
    }
    // Only common subexpressions (the index constants): canonicalization
    // would fold a one-block loop and lose the block/thread structure.
    IRRewriter rewriter(kernel.getContext());
    DominanceInfo dominance(kernel);
    eliminateCommonSubExpressions(rewriter, dominance, kernel);
    Builder b(kernel.getContext());
    kernel->setAttr(kGridAttr, b.getI64IntegerAttr(grid));
    kernel->setAttr(kBlockAttr, b.getI64IntegerAttr(block));
    kernel->setAttr(kScheduleAttr, b.getStringAttr(scheduleName(schedule)));
    return success();
  }
};

} // namespace
} // namespace mlir::dlcc
