//===- MapKernelsToGpu.cpp - the dlcc-map-kernels-to-gpu pass -------------===//
//
// Maps every tiled kernel (block loop / thread loop, see dlcc-tile-kernels)
// to a GPU launch, outlines all launches into one gpu.module with a fixed
// parameter order (the kernel function's arguments), attaches the NVVM
// targets, lowers to NVVM and serialises with gpu-module-to-binary.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cuda/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_MAPKERNELSTOGPUPASS
#include "dlcc/Target/Cuda/Passes.h.inc"

namespace {


/// A kernel function in the tiled form, with its recorded launch sizes.
struct TiledKernel {
  func::FuncOp func;
  int64_t grid = 0;
  int64_t block = 0;
};

/// The device-side lowering and serialisation after outlining.
void buildDevicePipeline(OpPassManager &pm, ArrayRef<std::string> chips,
                         StringRef features, StringRef moduleName,
                         StringRef format, StringRef toolkit) {
  if (format == "gpu")
    return;
  for (const std::string &chip : chips) {
    GpuNVVMAttachTargetOptions target;
    target.chip = chip;
    target.features = features.str();
    target.moduleMatcher = ("^" + moduleName + "$").str();
    pm.addPass(createGpuNVVMAttachTarget(target));
  }
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  // Views (the 1-D views of flat accesses) into pointer arithmetic.
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createLowerAffinePass());
  device.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.useBarePtrCallConv = true;
  device.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  if (format == "nvvm")
    return;
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = format.str();
  binary.toolkitPath = toolkit.str();
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

class MapKernelsToGpuPass
    : public impl::MapKernelsToGpuPassBase<MapKernelsToGpuPass> {
public:
  using MapKernelsToGpuPassBase::MapKernelsToGpuPassBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    MapKernelsToGpuPassBase::getDependentDialects(registry);
    registry.insert<gpu::GPUDialect, NVVM::NVVMDialect, LLVM::LLVMDialect,
                    cf::ControlFlowDialect, affine::AffineDialect,
                    arith::ArithDialect, memref::MemRefDialect,
                    math::MathDialect, scf::SCFDialect>();
    OpPassManager pm(ModuleOp::getOperationName());
    buildDevicePipeline(pm, {"sm_80"}, "", "m", "isa", "");
    pm.getDependentDialects(registry);
    // gpu-module-to-binary translates the NVVM module to LLVM IR.
    registerLLVMDialectTranslation(registry);
    registerNVVMDialectTranslation(registry);
    registerGPUDialectTranslation(registry);
    NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  }

  void runOnOperation() override;

private:
  LogicalResult mapToLaunch(TiledKernel &kernel);
  LogicalResult outline(TiledKernel &kernel, gpu::GPUModuleOp gpuModule);
};

/// Whether `loop` is a 1-D `scf.parallel` from 0 to `extent` by 1.
bool spans(scf::ParallelOp loop, int64_t extent) {
  if (loop.getNumLoops() != 1)
    return false;
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[0]),
                         ub = getConstantIntValue(loop.getUpperBound()[0]),
                         step = getConstantIntValue(loop.getStep()[0]);
  return lb == 0 && ub == extent && step == 1;
}

/// Whether an op, or an op nested in it, may read or write memory (both
/// when its effects are unknown).
struct Accesses {
  bool reads = false, writes = false;
};
Accesses accessesOf(Operation *op) {
  std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
      getEffectsRecursively(op);
  if (!effects)
    return {true, true};
  Accesses a;
  for (const MemoryEffects::EffectInstance &e : *effects) {
    a.reads |= isa<MemoryEffects::Read>(e.getEffect());
    a.writes |= isa<MemoryEffects::Write, MemoryEffects::Free>(e.getEffect());
  }
  return a;
}

/// The memory a block's threads touch since their last synchronisation,
/// to decide where a barrier must go: before anything that reads or writes
/// after a write, or writes after a read, by other threads.
struct PendingAccesses : Accesses {
  bool conflictsWith(Accesses next) const {
    return (writes && (next.reads || next.writes)) || (reads && next.writes);
  }
  void add(Accesses next) {
    reads |= next.reads;
    writes |= next.writes;
  }
};

/// Replaces the kernel's block loop with one `gpu.launch` of grid x block
/// threads. The block loop's body runs in every thread; each thread loop in
/// it (a phase: dlcc-tile-kernels makes every one span the whole block)
/// becomes its body with the loop index replaced by threadIdx.x, its
/// `scf.reduce` a uniform `gpu.all_reduce` combined with the loop's initial
/// value. A barrier separates accesses of different threads that may
/// conflict (see PendingAccesses).
LogicalResult MapKernelsToGpuPass::mapToLaunch(TiledKernel &kernel) {
  func::FuncOp func = kernel.func;
  SmallVector<scf::ParallelOp> blockLoops;
  for (auto loop : func.getBody().front().getOps<scf::ParallelOp>())
    blockLoops.push_back(loop);
  if (blockLoops.size() != 1 || !spans(blockLoops[0], kernel.grid) ||
      blockLoops[0].getNumResults() != 0)
    return func.emitError("kernel @")
           << func.getSymName()
           << " is not in the tiled form (one 1-D block loop over the grid "
              "at top level); run dlcc-tile-kernels first";
  scf::ParallelOp blockLoop = blockLoops[0];
  Block *blockBody = blockLoop.getBody();
  for (Operation &op : blockBody->without_terminator()) {
    auto thread = dyn_cast<scf::ParallelOp>(op);
    bool nested =
        op.walk([&](scf::ParallelOp inner) {
            return inner == thread ? WalkResult::advance()
                                   : WalkResult::interrupt();
          }).wasInterrupted();
    if (nested)
      return func.emitError("kernel @")
             << func.getSymName()
             << ": a parallel loop inside a thread loop or under control "
                "flow of the block";
    if (thread && !spans(thread, kernel.block))
      return func.emitError("kernel @")
             << func.getSymName() << ": a thread loop that does not span the "
             << kernel.block << " threads of the block";
    // Upstream's gpu.all_reduce lowering is only right for a power-of-two
    // block: it combines the warps' partials with an xor butterfly over the
    // first `warps` lanes, which leaves some of them with a partial result
    // when that count is not a power of two, and all of them store it to
    // one shared word.
    if (thread && thread.getNumResults() != 0 &&
        !llvm::isPowerOf2_64(kernel.block))
      return func.emitError("kernel @")
             << func.getSymName() << " has a block reduction in a block of "
             << kernel.block << " threads; it must be a power of two";
  }

  Location loc = blockLoop.getLoc();
  OpBuilder builder(blockLoop);
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, v);
  };
  Value one = constant(1);
  auto launch = gpu::LaunchOp::create(builder, loc, constant(kernel.grid), one,
                                      one, constant(kernel.block), one, one);
  builder.setInsertionPointToStart(&launch.getBody().front());
  IRMapping mapping;
  mapping.map(blockLoop.getInductionVars()[0], launch.getBlockIds().x);
  // What one thread did, another may touch later (a phase spreads its
  // accesses over the threads; a block-level store by every thread may land
  // after another thread's later write): a barrier goes between conflicting
  // accesses (an all-reduce's own barriers count).
  PendingAccesses pending;
  for (Operation &op : blockBody->without_terminator()) {
    auto thread = dyn_cast<scf::ParallelOp>(op);
    Accesses accesses = accessesOf(&op);
    if (pending.conflictsWith(accesses)) {
      gpu::BarrierOp::create(builder, op.getLoc());
      pending = {};
    }
    pending.add(accesses);
    if (!thread) {
      builder.clone(op, mapping);
      continue;
    }
    mapping.map(thread.getInductionVars()[0], launch.getThreadIds().x);
    for (Operation &inner : thread.getBody()->without_terminator())
      builder.clone(inner, mapping);
    if (thread.getNumResults() != 0)
      pending = {}; // the all-reduce below synchronises the block
    auto reduce = cast<scf::ReduceOp>(thread.getBody()->getTerminator());
    for (auto [i, partial] : llvm::enumerate(reduce.getOperands())) {
      auto all = gpu::AllReduceOp::create(builder, thread.getLoc(),
                                          mapping.lookupOrDefault(partial),
                                          gpu::AllReduceOperationAttr(),
                                          builder.getUnitAttr());
      // The same combining region twice: across threads, then with the
      // loop's initial value (what the loop's semantics and the CPU do).
      Region &combine = reduce.getReductions()[i];
      auto combined = [&](Region &into) {
        IRMapping none;
        combine.cloneInto(&into, none);
        Operation *ret = into.front().getTerminator();
        OpBuilder yb(ret);
        gpu::YieldOp::create(yb, ret->getLoc(), ret->getOperands());
        ret->erase();
      };
      combined(all.getBody());
      Block &region = combine.front();
      IRMapping withInit;
      withInit.map(region.getArgument(0),
                   mapping.lookupOrDefault(thread.getInitVals()[i]));
      withInit.map(region.getArgument(1), all.getResult());
      for (Operation &inner : region.without_terminator())
        builder.clone(inner, withInit);
      mapping.map(thread.getResult(i),
                  withInit.lookupOrDefault(
                      region.getTerminator()->getOperand(0)));
    }
  }
  gpu::TerminatorOp::create(builder, loc);
  blockLoop.erase();
  return success();
}

/// Clones `value`'s pure producers (constants, views of arguments) into the
/// kernel, recursively; kernel arguments are already mapped.
LogicalResult cloneIntoKernel(Value value, OpBuilder &builder,
                              IRMapping &mapping) {
  if (mapping.contains(value))
    return success();
  Operation *producer = value.getDefiningOp();
  if (!producer || !isMemoryEffectFree(producer) ||
      producer->getNumRegions() != 0)
    return failure();
  for (Value operand : producer->getOperands())
    if (failed(cloneIntoKernel(operand, builder, mapping)))
      return failure();
  builder.clone(*producer, mapping);
  return success();
}

LogicalResult MapKernelsToGpuPass::outline(TiledKernel &kernel,
                                           gpu::GPUModuleOp gpuModule) {
  func::FuncOp func = kernel.func;
  gpu::LaunchOp launch = *func.getOps<gpu::LaunchOp>().begin();
  Region &body = launch.getBody();
  if (!body.hasOneBlock())
    return launch.emitError("kernel launch body with several blocks");
  for (Type type : func.getArgumentTypes()) {
    auto memref = llvm::dyn_cast<MemRefType>(type);
    if (memref &&
        (!memref.hasStaticShape() || !memref.getLayout().isIdentity()))
      return func.emitError("kernel argument ")
             << type
             << " is not a static identity-layout memref (required "
                "by the bare-pointer calling convention)";
  }

  MLIRContext *ctx = func.getContext();
  OpBuilder builder(ctx);
  builder.setInsertionPointToEnd(gpuModule.getBody());
  auto gpuFunc = gpu::GPUFuncOp::create(
      builder, func.getLoc(), func.getSymName(), func.getFunctionType());
  gpuFunc->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                   builder.getUnitAttr());
  gpuFunc.setKnownBlockSizeAttr(
      builder.getDenseI32ArrayAttr({static_cast<int32_t>(kernel.block), 1, 1}));
  gpuFunc.setKnownGridSizeAttr(
      builder.getDenseI32ArrayAttr({static_cast<int32_t>(kernel.grid), 1, 1}));

  Block &entry = gpuFunc.getBody().front();
  builder.setInsertionPointToStart(&entry);
  IRMapping mapping;
  for (auto [hostArg, deviceArg] :
       llvm::zip_equal(func.getArguments(),
                       entry.getArguments().take_front(func.getNumArguments())))
    mapping.map(hostArg, deviceArg);
  Location loc = launch.getLoc();
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(builder, loc, v).getResult();
  };
  mapping.map(launch.getBlockIds().x,
              gpu::BlockIdOp::create(builder, loc, gpu::Dimension::x));
  mapping.map(launch.getThreadIds().x,
              gpu::ThreadIdOp::create(builder, loc, gpu::Dimension::x));
  Value zero = constant(0), one = constant(1);
  for (Value v : {launch.getBlockIds().y, launch.getBlockIds().z,
                  launch.getThreadIds().y, launch.getThreadIds().z})
    mapping.map(v, zero);
  mapping.map(launch.getGridSize().x, constant(kernel.grid));
  mapping.map(launch.getBlockSize().x, constant(kernel.block));
  for (Value v : {launch.getGridSize().y, launch.getGridSize().z,
                  launch.getBlockSize().y, launch.getBlockSize().z})
    mapping.map(v, one);
  if (launch.hasClusterSize())
    return launch.emitError("cluster launches are not supported");

  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(body, captured);
  for (Value value : captured)
    if (failed(cloneIntoKernel(value, builder, mapping)))
      return launch.emitError("kernel @")
             << func.getSymName()
             << " captures a value that is neither an argument nor a pure "
                "op on arguments and constants";
  for (Operation &op : body.front()) {
    if (isa<gpu::TerminatorOp>(op)) {
      gpu::ReturnOp::create(builder, op.getLoc());
      continue;
    }
    builder.clone(op, mapping);
  }

  // Host side: one launch with the recorded sizes and all arguments.
  builder.setInsertionPoint(launch);
  Value grid = arith::ConstantIndexOp::create(builder, loc, kernel.grid);
  Value block = arith::ConstantIndexOp::create(builder, loc, kernel.block);
  Value hostOne = arith::ConstantIndexOp::create(builder, loc, 1);
  gpu::LaunchFuncOp::create(
      builder, loc, gpuFunc, gpu::KernelDim3{grid, hostOne, hostOne},
      gpu::KernelDim3{block, hostOne, hostOne},
      /*dynamicSharedMemorySize=*/Value(), ValueRange(func.getArguments()));
  launch.erase();
  // The host body keeps only the launch: drop what the loops used.
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
    if (!op.hasTrait<OpTrait::IsTerminator>() && op.use_empty() &&
        isMemoryEffectFree(&op) && op.getNumRegions() == 0)
      op.erase();
  return success();
}

void MapKernelsToGpuPass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<std::string> targetChips(chips.begin(), chips.end());
  if (targetChips.empty())
    targetChips = {"sm_80", "sm_90"};
  if (format != "isa" && format != "bin" && format != "fatbin" &&
      format != "nvvm" && format != "gpu") {
    emitError(module.getLoc(), "unknown format '") << format << "'";
    return signalPassFailure();
  }
  SmallVector<TiledKernel> kernels;
  for (auto func : module.getOps<func::FuncOp>()) {
    auto grid = func->getAttrOfType<IntegerAttr>(kGridAttr);
    auto block = func->getAttrOfType<IntegerAttr>(kBlockAttr);
    if (!isGeneratedKernel(func) || !block || func.isDeclaration())
      continue;
    if (!func.getOps<gpu::LaunchFuncOp>().empty())
      continue; // Already mapped.
    if (grid.getInt() < 1 || grid.getInt() > INT32_MAX || block.getInt() < 1 ||
        block.getInt() > 1024) {
      func.emitError("launch sizes out of range: grid ")
          << grid.getInt() << ", block " << block.getInt();
      return signalPassFailure();
    }
    kernels.push_back({func, grid.getInt(), block.getInt()});
  }
  if (kernels.empty())
    return;
  // Without libdevice, gpu-module-to-binary leaves `__nv_expf` & co. as
  // unresolved externs in the PTX without a word; ptxas fails much later.
  if (format != "gpu" && format != "nvvm") {
    llvm::SmallString<128> libdevice(toolkit);
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    if (!llvm::sys::fs::exists(libdevice)) {
      emitError(module.getLoc(), "CUDA toolkit not found: no ")
          << libdevice << " (set the toolkit option)";
      return signalPassFailure();
    }
  }

  for (TiledKernel &kernel : kernels)
    if (failed(mapToLaunch(kernel)))
      return signalPassFailure();

  if (SymbolTable::lookupSymbolIn(module, moduleName)) {
    emitError(module.getLoc(), "symbol @") << moduleName << " already exists";
    return signalPassFailure();
  }
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto gpuModule =
      gpu::GPUModuleOp::create(builder, module.getLoc(), moduleName);
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  builder.getUnitAttr());
  for (TiledKernel &kernel : kernels)
    if (failed(outline(kernel, gpuModule)))
      return signalPassFailure();

  OpPassManager pm(ModuleOp::getOperationName());
  buildDevicePipeline(pm, targetChips, features, moduleName, format, toolkit);
  if (failed(runPipeline(pm, module)))
    return signalPassFailure();
}

} // namespace
} // namespace mlir::dlcc
