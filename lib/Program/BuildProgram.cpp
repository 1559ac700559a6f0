//===- BuildProgram.cpp - compiled module to a train.bin program ----------===//
//
// After the back-end pipeline: state slots; the CPU shared object from the
// nested LLVM-dialect module of dlcc-outline-cpu-kernels; cubins (ptxas) and
// PTX from the gpu.binary of dlcc-map-kernels-to-gpu; the kernel table; the
// entry points' command streams.
//
//===----------------------------------------------------------------------===//
#include "ProgramSupport.h"

#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"
#include "dlcc/Program/Passes.h"
#include "dlcc/Target/Cpu/Passes.h"
#include "dlcc/Target/Cpu/SharedObject.h"
#include "dlcc/Target/Cuda/KernelImages.h"
#include "dlcc/Target/Cuda/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
namespace art = ::dlcc::artifact;

namespace dlcc {

std::optional<art::DType> toArtifactDType(Type type) {
  if (type.isF16())
    return art::DType::F16;
  if (type.isBF16())
    return art::DType::BF16;
  if (type.isF32())
    return art::DType::F32;
  if (type.isF64())
    return art::DType::F64;
  if (isa<Float8E4M3FNType>(type))
    return art::DType::F8E4M3FN;
  if (isa<Float8E5M2Type>(type))
    return art::DType::F8E5M2;
  auto i = dyn_cast<IntegerType>(type);
  if (!i)
    return std::nullopt;
  bool u = i.isUnsigned();
  switch (i.getWidth()) {
  case 1:
    return art::DType::I1;
  case 8:
    return u ? art::DType::U8 : art::DType::I8;
  case 16:
    return u ? art::DType::U16 : art::DType::I16;
  case 32:
    return u ? art::DType::U32 : art::DType::I32;
  case 64:
    return u ? art::DType::U64 : art::DType::I64;
  default:
    return std::nullopt;
  }
}

std::optional<uint64_t> byteSizeOf(ShapedType type) {
  std::optional<art::DType> d = toArtifactDType(type.getElementType());
  if (!d || !type.hasStaticShape())
    return std::nullopt;
  return art::dtypeSize(*d) * uint64_t(type.getNumElements());
}

std::optional<std::vector<uint8_t>>
elementsBytes(ElementsAttr attr, uint64_t maxBytes, bool *overBudget) {
  auto type = cast<ShapedType>(attr.getType());
  std::optional<uint64_t> size = byteSizeOf(type);
  if (!size)
    return std::nullopt;
  if (*size > maxBytes) {
    if (overBudget)
      *overBudget = true;
    return std::nullopt;
  }
  std::vector<uint8_t> out(*size);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != *size)
      return std::nullopt;
    std::copy(blob->getData().begin(), blob->getData().end(), out.begin());
    return out;
  }
  auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  if (type.getElementType().isInteger(1)) {
    size_t i = 0;
    for (bool b : dense.getValues<bool>())
      out[i++] = b ? 1 : 0;
    return out;
  }
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat()) {
    if (out.empty())
      return out;
    size_t elem = out.size() / size_t(type.getNumElements());
    if (raw.size() != elem)
      return std::nullopt;
    for (size_t o = 0; o < out.size(); o += elem)
      std::copy(raw.begin(), raw.end(), out.begin() + o);
    return out;
  }
  if (raw.size() != out.size())
    return std::nullopt;
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

InFlightDiagnostic constantBudgetError(Operation *op, uint64_t maxBytes) {
  return op->emitError("the program's stored initial values and constants "
                       "would exceed the compile-time budget of ")
         << maxBytes << " bytes (--max-constant-bytes)";
}

FailureOr<uint32_t> addValueSlot(Operation *op, art::ArtifactBuilder &builder,
                                 std::string name, art::StateSlotKind kind,
                                 ShapedType type, ElementsAttr value,
                                 uint64_t maxConstantBytes,
                                 ProgramReport &report) {
  std::optional<art::DType> dtype = toArtifactDType(type.getElementType());
  std::optional<uint64_t> size = byteSizeOf(type);
  if (!dtype || !size)
    return op->emitError("a value of type ")
           << type << " cannot be stored in the artifact";
  report.stateBytes += *size;
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  // No initial value (an RNG counter, optimizer moments) or an all-zero
  // one: zero-initialised, no bytes in the artifact.
  if (!value || isAllZeroBytes(value))
    return builder.addZeroStateSlot(std::move(name), kind, *dtype,
                                    std::move(shape));
  // A splat of more than one element stores one element; the runtime fills
  // the slot.
  auto dense = dyn_cast<DenseElementsAttr>(value);
  bool splat = dense && dense.isSplat() && dense.getNumElements() > 1;
  if (splat)
    value = DenseElementsAttr::get(
        RankedTensorType::get({}, dense.getElementType()),
        dense.getSplatValue<Attribute>());
  bool overBudget = false;
  std::optional<std::vector<uint8_t>> bytes = elementsBytes(
      value, budgetLeft(maxConstantBytes, report.storedBytes), &overBudget);
  if (overBudget)
    return constantBudgetError(op, maxConstantBytes);
  if (!bytes)
    return op->emitError("a value of type ")
           << type << " cannot be stored in the artifact";
  report.storedBytes += bytes->size();
  if (splat)
    return builder.addSplatStateSlot(std::move(name), kind, *dtype,
                                     std::move(shape), std::move(*bytes));
  return builder.addStateSlot(std::move(name), kind, *dtype, std::move(shape),
                              std::move(*bytes));
}

void registerProgramBuildDependencies(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::dlcc::DlccDialect>();
  static bool passesRegistered = [] {
    registerAllPasses();
    mlir::dlcc::registerDlccTransformsPasses();
    mlir::dlcc::registerDlccCodegenPasses();
    mlir::dlcc::registerDlccProgramPasses();
    mlir::dlcc::registerDlccCpuPasses();
    mlir::dlcc::registerDlccCudaPasses();
    return true;
  }();
  (void)passesRegistered;
}

namespace {

struct TiledKernel {
  func::FuncOp func;
  KernelReport report;
  unsigned parameters = 0;
};

SmallVector<TiledKernel> tiledKernels(ModuleOp module) {
  SmallVector<TiledKernel> out;
  auto attr = [](Operation *op, StringRef name) -> int64_t {
    auto a = op->getAttrOfType<IntegerAttr>(name);
    return a ? a.getInt() : 0;
  };
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!mlir::dlcc::isGeneratedKernel(func))
      continue;
    TiledKernel k{func, {}, func.getNumArguments()};
    k.report.name = func.getSymName().str();
    if (auto s = func->getAttrOfType<StringAttr>(kScheduleAttr))
      k.report.schedule = s.getValue().str();
    k.report.grid = attr(func, kGridAttr);
    k.report.block = attr(func, kBlockAttr);
    k.report.flops = attr(func, kKernelFlopsAttr);
    k.report.bytes = attr(func, kKernelBytesAttr);
    out.push_back(k);
  }
  return out;
}

} // namespace

std::string libraryCallName(Attribute call) {
  if (isa<mlir::dlcc::GemmCallAttr>(call))
    return "gemm";
  if (auto conv = dyn_cast<mlir::dlcc::ConvCallAttr>(call))
    return "conv_" + mlir::dlcc::stringifyConvCallKind(conv.getKind()).str();
  return "?";
}

namespace {

/// Report lines of the kernels that library calls replace.
std::vector<KernelReport> libraryKernelReports(ModuleOp module) {
  std::vector<KernelReport> out;
  for (auto func : module.getOps<func::FuncOp>()) {
    Attribute call = func->getAttr(kLibraryCallAttr);
    if (!call)
      continue;
    KernelReport r;
    r.name = func.getSymName().str();
    r.schedule = "library:" + libraryCallName(call);
    if (auto a = func->getAttrOfType<IntegerAttr>(kKernelFlopsAttr))
      r.flops = a.getInt();
    if (auto a = func->getAttrOfType<IntegerAttr>(kKernelBytesAttr))
      r.bytes = a.getInt();
    out.push_back(r);
  }
  return out;
}

LogicalResult addStateSlots(ModuleOp module, art::ArtifactBuilder &builder,
                            llvm::StringMap<uint32_t> &slotIndex,
                            uint64_t maxConstantBytes, ProgramReport &report) {
  for (auto slot : module.getOps<mlir::dlcc::StateSlotOp>()) {
    auto type = cast<ShapedType>(slot.getType());
    art::StateSlotKind kind = art::StateSlotKind::Parameter;
    switch (slot.getKind()) {
    case mlir::dlcc::StateKind::parameter:
      kind = art::StateSlotKind::Parameter;
      break;
    case mlir::dlcc::StateKind::batch_norm_statistic:
      kind = art::StateSlotKind::BatchNormStatistic;
      break;
    case mlir::dlcc::StateKind::optimizer:
      kind = art::StateSlotKind::Optimizer;
      break;
    case mlir::dlcc::StateKind::rng:
      kind = art::StateSlotKind::Rng;
      break;
    }
    FailureOr<uint32_t> index =
        addValueSlot(slot, builder, slot.getSymName().str(), kind, type,
                     slot.getInitialValueAttr(), maxConstantBytes, report);
    if (failed(index))
      return failure();
    slotIndex[slot.getSymName()] = *index;
  }
  return success();
}

/// The CPU image: the nested module of dlcc-outline-cpu-kernels (in the
/// LLVM dialect after the pipeline) compiled into one shared object.
FailureOr<uint32_t> addCpuImage(ModuleOp cpu, ArrayRef<TiledKernel> kernels,
                                const ProgramOptions &options,
                                art::ArtifactBuilder &builder) {
  std::vector<mlir::dlcc::CpuKernelExport> names;
  for (const TiledKernel &k : kernels) {
    mlir::dlcc::CpuKernelExport e{k.report.name, {}};
    // Argument numbers -> buffer numbers (the memref arguments in order).
    func::FuncOp func = k.func;
    if (auto aliased = func->getAttrOfType<DenseI64ArrayAttr>(
            mlir::dlcc::kInPlaceArgumentsAttr))
      for (int64_t arg : aliased.asArrayRef())
        e.aliasedBuffers.push_back(llvm::count_if(
            func.getArgumentTypes().take_front(arg),
            [](Type t) { return isa<MemRefType>(t); }));
    names.push_back(std::move(e));
  }
  mlir::dlcc::CpuSharedObjectOptions so;
  so.cpu = options.cpuBaseline;
  so.linker = options.linker;
  FailureOr<std::vector<uint8_t>> bytes =
      mlir::dlcc::buildCpuSharedObject(cpu, names, so);
  if (failed(bytes))
    return failure();
  return builder.addKernelImage("x86_64-cpu", std::move(*bytes));
}

} // namespace

namespace {

/// How often the entry points call each kernel, into `report.kernels`.
void countKernelCalls(ModuleOp module, ProgramReport &report) {
  llvm::StringMap<int64_t> calls;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isDeclaration() && !func->hasAttr(kKernelAttr))
      func.walk([&](func::CallOp call) { ++calls[call.getCallee()]; });
  for (KernelReport &k : report.kernels)
    k.calls = calls.lookup(k.name);
}

/// The state slots by kind and size; trained parameters marked.
void reportStateSlots(ModuleOp module, ProgramReport &report) {
  // Trained: the parameters train_step returns new values of.
  llvm::StringSet<> trained;
  if (auto step = module.lookupSymbol<func::FuncOp>("train_step"))
    for (unsigned i = 0; i < step.getNumResults(); ++i)
      if (auto slot = step.getResultAttrOfType<FlatSymbolRefAttr>(
              i, mlir::dlcc::kTiedStateAttrName))
        trained.insert(slot.getValue());
  for (auto slot : module.getOps<mlir::dlcc::StateSlotOp>()) {
    auto type = cast<ShapedType>(slot.getType());
    StateSlotReport r;
    r.name = slot.getSymName().str();
    r.kind = mlir::dlcc::stringifyStateKind(slot.getKind()).str();
    r.shape.assign(type.getShape().begin(), type.getShape().end());
    r.bytes = byteSizeOf(type).value_or(0);
    r.trained = slot.getKind() == mlir::dlcc::StateKind::parameter &&
                trained.contains(r.name);
    report.stateSlots.push_back(std::move(r));
  }
}

} // namespace

void reportPlannedMemory(func::FuncOp func, EntryPointReport &entry,
                         ProgramReport &report) {
  auto attr = [&](StringRef name) -> std::optional<uint64_t> {
    if (auto a = func->getAttrOfType<IntegerAttr>(name))
      return uint64_t(a.getInt());
    return std::nullopt;
  };
  entry.arenaBytes = attr(kArenaBytesAttr).value_or(0);
  entry.peakForwardBytes = attr(mlir::dlcc::kPeakForwardBytesAttr);
  entry.peakBackwardBytes = attr(mlir::dlcc::kPeakBackwardBytesAttr);
  report.unplannedBytes += attr(kUnplannedPeakBytesAttr).value_or(0);
}

ProgramReport reportPlannedProgram(ModuleOp module) {
  ProgramReport report;
  for (TiledKernel &k : tiledKernels(module))
    report.kernels.push_back(k.report);
  for (KernelReport &k : libraryKernelReports(module))
    report.kernels.push_back(k);
  countKernelCalls(module, report);
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isDeclaration() || !func.isPublic() || func->hasAttr(kKernelAttr))
      continue;
    EntryPointReport entry{func.getSymName().str()};
    reportPlannedMemory(func, entry, report);
    report.arenaBytes = std::max(report.arenaBytes, entry.arenaBytes);
    func.walk([&](func::CallOp call) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr());
      if (callee && callee->hasAttr(kNoWorkAttr))
        return; // not launched (see exportEntryPoints)
      if (callee && callee->hasAttr(kLibraryCallAttr))
        ++entry.libraryCalls;
      else
        ++entry.launches;
    });
    report.libraryCalls += entry.libraryCalls;
    report.launches += entry.launches;
    report.entryPoints.push_back(std::move(entry));
  }
  for (auto slot : module.getOps<mlir::dlcc::StateSlotOp>())
    if (auto size = byteSizeOf(cast<ShapedType>(slot.getType())))
      report.stateBytes += *size;
  reportStateSlots(module, report);
  return report;
}

LogicalResult buildProgram(ModuleOp module, const ProgramOptions &options,
                           art::ArtifactBuilder &builder,
                           ProgramReport *reportOut) {
  ProgramReport report;
  builder.setProducer(options.producer);
  llvm::StringMap<uint32_t> slotIndex;
  if (failed(addStateSlots(module, builder, slotIndex,
                           options.maxConstantBytes, report)))
    return failure();

  SmallVector<TiledKernel> kernels = tiledKernels(module);
  uint64_t flags = 0;
  // kernel name -> variants
  llvm::StringMap<std::vector<art::KernelVariant>> variants;
  auto cpu = module.lookupSymbol<ModuleOp>(mlir::dlcc::kCpuKernelModuleName);
  if (cpu && !kernels.empty()) {
    FailureOr<uint32_t> image = addCpuImage(cpu, kernels, options, builder);
    if (failed(image))
      return failure();
    for (const TiledKernel &k : kernels)
      variants[k.report.name].push_back(
          {*image, mlir::dlcc::packedKernelSymbol(k.report.name), 0, 0, 0});
    builder.setCpuBaseline(options.cpuBaseline);
    flags |= art::HasCpuKernels;
  }
  bool hasGpuKernels = static_cast<bool>(
      module.lookupSymbol<gpu::BinaryOp>(mlir::dlcc::kGpuKernelModuleName));
  if (hasGpuKernels && !kernels.empty()) {
    std::vector<mlir::dlcc::CudaKernelSignature> signatures;
    for (const TiledKernel &k : kernels)
      signatures.push_back({k.report.name, k.parameters, k.report.block});
    mlir::dlcc::CudaImageOptions cuda;
    cuda.toolkit = options.cudaToolkit;
    cuda.cacheDir = options.cubinCacheDir;
    cuda.embedPtx = options.embedPtx;
    FailureOr<std::vector<mlir::dlcc::CudaImage>> images =
        mlir::dlcc::buildCudaImages(module, mlir::dlcc::kGpuKernelModuleName,
                                    signatures, cuda);
    if (failed(images))
      return failure();
    for (mlir::dlcc::CudaImage &image : *images) {
      std::map<std::string, mlir::dlcc::CudaKernelResources> resources =
          std::move(image.kernels);
      uint32_t index =
          builder.addKernelImage(image.target, std::move(image.bytes));
      for (TiledKernel &k : kernels) {
        art::KernelVariant v{index, k.report.name, 0, 0,
                             uint32_t(k.report.block)};
        auto it = resources.find(k.report.name);
        if (it != resources.end()) {
          v.registers = it->second.registers;
          v.sharedMemBytes = it->second.sharedBytes;
          k.report.registers.push_back(it->second.registers);
        }
        variants[k.report.name].push_back(v);
      }
    }
    flags |= art::HasCudaKernels;
  }
  builder.setFeatureFlags(flags);

  llvm::StringMap<KernelTableEntry> table;
  for (TiledKernel &k : kernels) {
    art::KernelDesc desc;
    desc.name = k.report.name;
    for (BlockArgument arg : k.func.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      std::optional<art::DType> dtype =
          type ? toArtifactDType(type.getElementType()) : std::nullopt;
      if (!dtype)
        return k.func.emitError("kernel parameter ")
               << arg.getArgNumber() << " of type " << arg.getType()
               << " is not a buffer the artifact can describe";
      desc.params.push_back({"arg" + std::to_string(arg.getArgNumber()),
                             art::ParameterKind::Buffer, *dtype});
    }
    desc.variants = variants.lookup(k.report.name);
    desc.grid = {uint32_t(k.report.grid), 1, 1};
    uint32_t index = builder.addKernel(std::move(desc));
    table[k.report.name] = {index, k.report.grid, k.report.block};
    report.kernels.push_back(k.report);
  }
  for (KernelReport &k : libraryKernelReports(module))
    report.kernels.push_back(k);
  countKernelCalls(module, report);
  if (failed(exportEntryPoints(module, builder, slotIndex, table,
                               options.maxConstantBytes, report)))
    return failure();
  reportStateSlots(module, report);
  if (hasGpuKernels)
    for (const KernelReport &k : report.kernels) {
      if (k.schedule == "library:gemm")
        flags |= art::UsesCublas;
      else if (StringRef(k.schedule).starts_with("library:conv"))
        flags |= art::UsesCudnn;
    }
  builder.setFeatureFlags(flags);
  if (reportOut)
    *reportOut = std::move(report);
  return success();
}

} // namespace dlcc
