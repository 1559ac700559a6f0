//===- MapKernelsToCpu.cpp - the dlcc-map-kernels-to-cpu pass -------------===//
//
// Gives every tiled kernel (block loop / thread loop, see dlcc-tile-kernels)
// two leading `index` arguments, the block range [block_begin, block_end),
// over which its block loop now runs (linearised over the grid). Lowered to
// LLVM with the bare-pointer convention, each kernel is then
//   void k(int64_t block_begin, int64_t block_end, <one pointer per memref>)
// which the runtime's thread pool calls on ranges of blocks. Thread loops
// stay `scf.parallel` (+ `scf.reduce`); convert-scf-to-cf runs them in
// sequence, which is barrier semantics.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cpu/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "dlcc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_MAPKERNELSTOCPUPASS
#include "dlcc/Target/Cpu/Passes.h.inc"

namespace {


class MapKernelsToCpuPass
    : public impl::MapKernelsToCpuPassBase<MapKernelsToCpuPass> {
public:
  using MapKernelsToCpuPassBase::MapKernelsToCpuPassBase;
  void runOnOperation() override;

private:
  LogicalResult mapKernel(func::FuncOp func);
};

/// Adds `reassoc` to the fastmath flags of `op` (if it has them).
void allowReassociation(Operation *op) {
  auto fm = dyn_cast<arith::ArithFastMathInterface>(op);
  if (!fm)
    return;
  arith::FastMathFlags flags = fm.getFastMathFlagsAttr().getValue();
  op->setAttr(fm.getFastMathAttrName(),
              arith::FastMathFlagsAttr::get(
                  op->getContext(), flags | arith::FastMathFlags::reassoc));
}

/// In a contiguous loop whose result `i` is combined by a NaN-propagating
/// arith.maximumf or arith.minimumf: LLVM (22) vectorizes maxnum/minnum
/// reductions but not maximum/minimum ones, nor a maxnum reduction beside
/// another reduction that tracks NaNs. So the loop combines with
/// maxnumf/minnumf (NaNs ignored), and a copy of it after it finds whether
/// a combined value was a NaN (a maxnum over 1.0 for a NaN, else 0.0: the
/// copy's other results are dead, the row is still in cache); the returned
/// value, replacing result `i`, is NaN if so. It is the same value, but for
/// a zero result's sign (maxnum may return either of -0 and +0). Null when
/// `i` is another combine.
Value vectorizableMinMax(RewriterBase &rewriter, scf::ForOp loop, unsigned i) {
  auto yielded = [&](scf::ForOp l) {
    return l.getBody()->getTerminator()->getOperand(i).getDefiningOp();
  };
  Operation *combine = yielded(loop);
  bool isMax = isa_and_nonnull<arith::MaximumFOp>(combine);
  if (!isMax && !isa_and_nonnull<arith::MinimumFOp>(combine))
    return {};
  BlockArgument acc = loop.getRegionIterArg(i);
  // Only a plain scalar reduction: the partial feeds nothing but its combine
  // (another reader would see the NaN-ignoring value).
  if (!acc.hasOneUse() || !llvm::isa<FloatType>(acc.getType()) ||
      (combine->getOperand(0) != acc && combine->getOperand(1) != acc))
    return {};
  unsigned xOperand = combine->getOperand(0) == acc ? 1 : 0;
  Location loc = combine->getLoc();
  auto type = cast<FloatType>(acc.getType());
  rewriter.setInsertionPointAfter(loop);
  auto constant = [&](const APFloat &v) {
    return arith::ConstantOp::create(rewriter, loc, type,
                                     rewriter.getFloatAttr(type, v))
        .getResult();
  };
  Value zero = constant(APFloat::getZero(type.getFloatSemantics()));
  Value one = constant(APFloat::getOne(type.getFloatSemantics()));
  Value nan = constant(APFloat::getQNaN(type.getFloatSemantics()));
  // The NaN scan: the loop's copy, result `i` starting at 0.0.
  auto scan = cast<scf::ForOp>(rewriter.clone(*loop));
  rewriter.modifyOpInPlace(scan,
                           [&] { scan.getInitArgsMutable()[i].set(zero); });
  Operation *scanCombine = yielded(scan);
  rewriter.setInsertionPoint(scanCombine);
  Value x = scanCombine->getOperand(xOperand);
  Value isNaN =
      arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::UNO, x, x);
  Value mark = arith::SelectOp::create(rewriter, loc, isNaN, one, zero);
  rewriter.replaceOpWithNewOp<arith::MaxNumFOp>(
      scanCombine, scan.getRegionIterArg(i), mark,
      arith::FastMathFlags::reassoc);
  // The loop itself ignores NaNs.
  rewriter.setInsertionPoint(combine);
  auto fastmath =
      cast<arith::ArithFastMathInterface>(combine).getFastMathFlagsAttr();
  Value a = combine->getOperand(0), b = combine->getOperand(1);
  if (isMax)
    rewriter.replaceOpWithNewOp<arith::MaxNumFOp>(combine, a, b,
                                                  fastmath.getValue());
  else
    rewriter.replaceOpWithNewOp<arith::MinNumFOp>(combine, a, b,
                                                  fastmath.getValue());
  rewriter.setInsertionPointAfter(scan);
  Value sawNaN = arith::CmpFOp::create(
      rewriter, loc, arith::CmpFPredicate::OGT, scan.getResult(i), zero);
  return arith::SelectOp::create(rewriter, loc, sawNaN, nan,
                                 loop.getResult(i));
}

/// A thread loop whose threads each stride over a row,
///   scf.parallel (%t) = 0 to T init(%i) {
///     %p = scf.for %c = %t to N step T iter_args(%a = %i) {...}
///     scf.reduce(%p) {combine}
///   }
/// runs its threads in sequence on the CPU: together they visit [0, N)
/// once, so it becomes one contiguous loop (which vectorizes) from 0 to N,
/// combined with the thread loop's initial values. The loop's combining
/// op may be reassociated, like the threads' combine below (a fixed order
/// per artifact). Thread loops of other forms are left alone.
void joinStridedThreads(RewriterBase &rewriter, scf::ParallelOp thread) {
  std::optional<int64_t> threads =
      thread.getNumLoops() == 1
          ? getConstantIntValue(thread.getUpperBound()[0])
          : std::nullopt;
  Block *body = thread.getBody();
  Value tid = thread.getInductionVars()[0];
  if (!threads || getConstantIntValue(thread.getLowerBound()[0]) != 0 ||
      getConstantIntValue(thread.getStep()[0]) != 1 ||
      !llvm::hasSingleElement(body->without_terminator()))
    return;
  auto loop = dyn_cast<scf::ForOp>(body->front());
  auto reduce = cast<scf::ReduceOp>(body->getTerminator());
  if (!loop || loop.getLowerBound() != tid || !tid.hasOneUse() ||
      getConstantIntValue(loop.getStep()) != threads ||
      !llvm::equal(reduce.getOperands(), loop.getResults()) ||
      llvm::any_of(loop.getInitArgs(), [&](Value init) {
        return thread->isAncestor(init.getParentRegion()->getParentOp());
      }))
    return;
  // Each thread's partial starts from the combine's neutral element (as
  // dlcc-tile-kernels writes it): then one loop from it equals the
  // threads' partials combined. Another start would count once, not T
  // times.
  for (auto [i, init] : llvm::enumerate(loop.getInitArgs())) {
    Block &region = reduce.getReductions()[i].front();
    Operation *combine =
        region.getTerminator()->getOperand(0).getDefiningOp();
    std::optional<TypedAttr> neutral =
        combine ? arith::getNeutralElement(combine) : std::nullopt;
    Attribute start;
    if (!neutral || !matchPattern(init, m_Constant(&start)) ||
        start != *neutral)
      return;
  }
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(thread);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  rewriter.moveOpBefore(loop, thread);
  rewriter.modifyOpInPlace(loop, [&] {
    loop.setLowerBound(zero);
    loop.setStep(one);
  });
  unsigned numPartials = loop.getNumResults();
  SmallVector<Value> partials;
  for (unsigned i = 0; i < numPartials; ++i) {
    Value yielded = loop.getBody()->getTerminator()->getOperand(i);
    if (Operation *combine = yielded.getDefiningOp())
      allowReassociation(combine);
  }
  for (unsigned i = 0; i < numPartials; ++i) {
    Value partial = vectorizableMinMax(rewriter, loop, i);
    partials.push_back(partial ? partial : loop.getResult(i));
  }
  SmallVector<Value> results;
  for (auto [i, partial] : llvm::enumerate(partials)) {
    Block &region = reduce.getReductions()[i].front();
    IRMapping mapping;
    mapping.map(region.getArgument(0), thread.getInitVals()[i]);
    mapping.map(region.getArgument(1), partial);
    for (Operation &op : region.without_terminator())
      rewriter.clone(op, mapping);
    results.push_back(
        mapping.lookupOrDefault(region.getTerminator()->getOperand(0)));
  }
  rewriter.replaceOp(thread, results);
}

LogicalResult MapKernelsToCpuPass::mapKernel(func::FuncOp func) {
  SmallVector<scf::ParallelOp> blockLoops(
      func.getBody().front().getOps<scf::ParallelOp>());
  if (blockLoops.size() != 1)
    return func.emitError("kernel @")
           << func.getSymName()
           << " is not in the tiled form (one block loop at top level); run "
              "dlcc-tile-kernels first";
  scf::ParallelOp blockLoop = blockLoops[0];
  if (blockLoop.getNumResults() != 0)
    return blockLoop.emitError("a block loop with results is not supported");

  // Constant trip counts of every dimension of the block loop.
  SmallVector<int64_t> lbs, steps, trips;
  int64_t blockCount = 1;
  for (auto [lb, ub, step] :
       llvm::zip_equal(blockLoop.getLowerBound(), blockLoop.getUpperBound(),
                       blockLoop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return blockLoop.emitError(
          "block loop bounds and steps must be constants (step > 0)");
    int64_t trip = *u > *l ? (*u - *l + *s - 1) / *s : 0;
    lbs.push_back(*l);
    steps.push_back(*s);
    trips.push_back(trip);
    blockCount *= trip;
  }
  if (auto grid = func->getAttrOfType<IntegerAttr>(kGridAttr);
      grid && grid.getInt() != blockCount)
    return func.emitError("kernel @")
           << func.getSymName() << ": dlcc.grid = " << grid.getInt()
           << " but the block loop has " << blockCount << " iterations";

  MLIRContext *ctx = func.getContext();
  Location loc = func.getLoc();
  Type index = IndexType::get(ctx);
  if (failed(func.insertArguments(
          {0, 0}, {index, index},
          {DictionaryAttr::get(ctx), DictionaryAttr::get(ctx)}, {loc, loc})))
    return func.emitError("cannot add the block range arguments");
  Value begin = func.getArgument(0), end = func.getArgument(1);

  IRRewriter rewriter(ctx);
  rewriter.setInsertionPoint(blockLoop);
  Location loopLoc = blockLoop.getLoc();
  Value one = arith::ConstantIndexOp::create(rewriter, loopLoc, 1);
  auto linear = scf::ParallelOp::create(rewriter, loopLoc, ValueRange{begin},
                                        ValueRange{end}, ValueRange{one});
  Block *body = linear.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.setInsertionPointToStart(body);
  Value b = linear.getInductionVars()[0];
  SmallVector<Value> indices;
  if (trips.size() == 1) {
    indices.push_back(b);
  } else {
    auto delin = affine::AffineDelinearizeIndexOp::create(
        rewriter, loopLoc, b, trips, /*hasOuterBound=*/true);
    llvm::append_range(indices, delin.getResults());
  }
  SmallVector<Value> ivs;
  for (auto [i, idx] : llvm::enumerate(indices)) {
    Value iv = idx;
    if (steps[i] != 1)
      iv = arith::MulIOp::create(
          rewriter, loopLoc, iv,
          arith::ConstantIndexOp::create(rewriter, loopLoc, steps[i]));
    if (lbs[i] != 0)
      iv = arith::AddIOp::create(
          rewriter, loopLoc, iv,
          arith::ConstantIndexOp::create(rewriter, loopLoc, lbs[i]));
    ivs.push_back(iv);
  }
  rewriter.mergeBlocks(blockLoop.getBody(), body, ivs);
  rewriter.eraseOp(blockLoop);

  for (auto thread : llvm::to_vector(body->getOps<scf::ParallelOp>()))
    joinStridedThreads(rewriter, thread);

  // The combine of a thread loop's partial results may be reassociated: the
  // order is then whatever the vectorizer fixes in the shared object (one
  // order per artifact, whatever the thread count), not the serial one.
  func.walk([&](scf::ReduceOp reduce) {
    for (Region &region : reduce.getReductions())
      region.walk([](Operation *op) { allowReassociation(op); });
  });
  func->setAttr(kBlockCountAttr,
                IntegerAttr::get(IntegerType::get(ctx, 64), blockCount));
  func.setPublic();
  return success();
}

void MapKernelsToCpuPass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<func::FuncOp> kernels;
  llvm::SmallPtrSet<Operation *, 8> kernelSet;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func->hasAttr(kKernelAttr) || func.isDeclaration())
      continue;
    if (func->hasAttr(kBlockCountAttr))
      continue; // Already mapped.
    kernels.push_back(func);
    kernelSet.insert(func);
  }
  for (func::FuncOp func : kernels)
    if (failed(mapKernel(func)))
      return signalPassFailure();
  // Callers of kernels no longer match their signatures: the runtime drives
  // the kernels on the CPU, so the host functions are dropped; with
  // kernels-only, so is everything else the kernels do not reference (state
  // slots, constants of the host).
  llvm::SmallPtrSet<Operation *, 8> keep(kernelSet.begin(), kernelSet.end());
  for (func::FuncOp func : kernels)
    if (auto uses = SymbolTable::getSymbolUses(func.getOperation()))
      for (const SymbolTable::SymbolUse &use : *uses)
        if (Operation *op =
                SymbolTable::lookupSymbolIn(module, use.getSymbolRef()))
          keep.insert(op);
  SmallVector<Operation *> dead;
  for (Operation &op : module.getBody()->getOperations()) {
    if (keep.contains(&op))
      continue;
    if (kernelsOnly) {
      dead.push_back(&op);
      continue;
    }
    auto func = dyn_cast<func::FuncOp>(op);
    if (!func)
      continue;
    WalkResult calls = func.walk([&](func::CallOp call) {
      Operation *callee =
          SymbolTable::lookupSymbolIn(module, call.getCalleeAttr());
      return callee && kernelSet.contains(callee) ? WalkResult::interrupt()
                                                  : WalkResult::advance();
    });
    if (calls.wasInterrupted())
      dead.push_back(func);
  }
  for (Operation *op : dead)
    op->erase();
}

} // namespace

void buildCpuKernelLowering(OpPassManager &pm) {
  pm.addPass(createMapKernelsToCpuPass());
  // The second lower-affine, after expand-strided-metadata, is required:
  // the views' metadata expands into affine.apply. Math ops without an LLVM
  // intrinsic (erf) call libm. bf16 arithmetic is done in f32 and its
  // conversions are expanded to integer rounding (gcc 12's libgcc has no
  // __truncsfbf2); f16 conversions call libgcc's helpers, linked
  // statically. Booleans are loaded and stored as bytes, which LLVM
  // vectorizes.
  constexpr llvm::StringLiteral kLowering =
      "canonicalize,"
      "arith-emulate-unsupported-floats{source-types=bf16 target-type=f32},"
      "dlcc-cpu-expand-arith,"
      "lower-affine,convert-scf-to-cf,convert-math-to-llvm,"
      "convert-math-to-libm,expand-strided-metadata,lower-affine,"
      "finalize-memref-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,"
      "convert-cf-to-llvm,"
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
      "dlcc-cpu-byte-booleans,reconcile-unrealized-casts";
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(kLowering, pm, os)))
    llvm::report_fatal_error(llvm::Twine("the CPU kernel lowering: ") + error);
}

} // namespace mlir::dlcc
