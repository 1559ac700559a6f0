//===- MapKernelsToGpu.cpp - the dlcc-map-kernels-to-gpu pass -------------===//
//
// Maps every tiled kernel (block loop / thread loop, see dlcc-tile-kernels)
// to a GPU launch, outlines all launches into one gpu.module with a fixed
// parameter order (the kernel function's arguments), attaches the NVVM
// targets, lowers to NVVM and serialises with gpu-module-to-binary.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cuda/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToGPU/SCFToGPU.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

constexpr llvm::StringLiteral kGridAttr = "dlcc.grid";
constexpr llvm::StringLiteral kBlockAttr = "dlcc.block";

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

/// Marks the block loop as blockIdx.x and its thread loop as threadIdx.x,
/// then converts them with upstream's parallel-loop-to-GPU patterns.
LogicalResult MapKernelsToGpuPass::mapToLaunch(TiledKernel &kernel) {
  func::FuncOp func = kernel.func;
  SmallVector<scf::ParallelOp> blockLoops;
  for (auto loop : func.getBody().front().getOps<scf::ParallelOp>())
    blockLoops.push_back(loop);
  if (blockLoops.size() != 1 || blockLoops[0].getNumLoops() != 1)
    return func.emitError("kernel @")
           << func.getSymName()
           << " is not in the tiled form (one 1-D block loop at top level); "
              "run dlcc-tile-kernels first";
  scf::ParallelOp blockLoop = blockLoops[0];
  SmallVector<scf::ParallelOp> threadLoops;
  for (auto loop : blockLoop.getBody()->getOps<scf::ParallelOp>())
    threadLoops.push_back(loop);
  if (threadLoops.size() != 1 || threadLoops[0].getNumLoops() != 1)
    return func.emitError("kernel @")
           << func.getSymName() << " has " << threadLoops.size()
           << " thread loops; one 1-D thread loop per block is supported";

  MLIRContext *ctx = func.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, ctx);
  auto mapping = [&](gpu::Processor processor) {
    return gpu::ParallelLoopDimMappingAttr::get(ctx, processor, identity,
                                                identity);
  };
  if (failed(
          gpu::setMappingAttr(blockLoop, {mapping(gpu::Processor::BlockX)})) ||
      failed(gpu::setMappingAttr(threadLoops[0],
                                 {mapping(gpu::Processor::ThreadX)})))
    return func.emitError("cannot set the GPU mapping");
  // Deeper parallel loops (none today) run sequentially in each thread.
  threadLoops[0].walk([&](scf::ParallelOp inner) {
    if (inner == threadLoops[0])
      return;
    SmallVector<gpu::ParallelLoopDimMappingAttr> seq(
        inner.getNumLoops(), mapping(gpu::Processor::Sequential));
    (void)gpu::setMappingAttr(inner, seq);
  });

  RewritePatternSet patterns(ctx);
  populateParallelLoopToGPUPatterns(patterns);
  ConversionTarget target(*ctx);
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  configureParallelLoopToGPULegality(target);
  // A failure here is reported below with the kernel's name.
  (void)applyPartialConversion(func, target, std::move(patterns));
  finalizeParallelLoopToGPUConversion(func);

  int64_t launches = 0;
  WalkResult left = func.walk([&](Operation *op) {
    if (isa<scf::ParallelOp>(op))
      return WalkResult::interrupt();
    launches += isa<gpu::LaunchOp>(op);
    return WalkResult::advance();
  });
  if (left.wasInterrupted() || launches != 1)
    return func.emitError("kernel @")
           << func.getSymName()
           << " was not converted to one gpu.launch (an scf.parallel "
              "survived convert-parallel-loops-to-gpu: its block or thread "
              "loop holds something the conversion cannot map, such as a "
              "side effect before the thread loop)";
  // The thread loop spans the whole block (dlcc-tile-kernels never guards
  // it), so every thread reaches its reduction: the all-reduce is uniform,
  // which the NVVM lowering (shuffles + shared memory) requires.
  WalkResult nonUniform = func.walk([&](gpu::AllReduceOp reduce) {
    if (!isa<gpu::LaunchOp>(reduce->getParentOp()))
      return WalkResult::interrupt();
    reduce.setUniform(true);
    return WalkResult::advance();
  });
  if (nonUniform.wasInterrupted())
    return func.emitError("kernel @")
           << func.getSymName()
           << " has a block reduction under divergent control flow";
  // Upstream's lowering is also only right for a power-of-two block: it
  // combines the warps' partials with an xor butterfly over the first
  // `warps` lanes, which leaves some of them with a partial sum when the
  // count is not a power of two, and all of them store to one shared word.
  auto block = func->getAttrOfType<IntegerAttr>(kBlockAttr);
  bool reduces = func.walk([](gpu::AllReduceOp) {
                       return WalkResult::interrupt();
                     }).wasInterrupted();
  if (reduces && !(block && llvm::isPowerOf2_64(block.getInt())))
    return func.emitError("kernel @")
           << func.getSymName() << " has a block reduction in a block of "
           << (block ? block.getInt() : 0)
           << " threads; it must be a power of two";
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
    if (!grid || !block || func.isDeclaration())
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
