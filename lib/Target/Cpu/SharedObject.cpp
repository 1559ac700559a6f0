//===- SharedObject.cpp - CPU kernels to one shared object ----------------===//
//
// LLVM-dialect kernels -> LLVM IR (+ packed entries) -> -O3 for the baseline
// CPU -> object code -> `ld.lld -shared` (or `cc -shared`) with libm.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Target/Cpu/SharedObject.h"
#include "dlcc/Target/Support/ExternalTool.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <set>

#ifndef DLCC_LIBGCC_ARCHIVE
#define DLCC_LIBGCC_ARCHIVE ""
#endif
#ifndef DLCC_LLVM_TOOLS_DIR
#define DLCC_LLVM_TOOLS_DIR "/usr/lib/llvm-22/bin"
#endif

namespace mlir::dlcc {

std::string packedKernelSymbol(StringRef kernel) {
  return (kernel + "_packed").str();
}

namespace {

constexpr llvm::StringLiteral kTriple = "x86_64-unknown-linux-gnu";

/// void <k>_packed(i64 begin, i64 end, ptr params): loads each parameter's
/// value through params[i] and calls k.
LogicalResult addPackedEntry(llvm::Module &m, StringRef kernel,
                             std::string &error) {
  llvm::Function *fn = m.getFunction(kernel);
  if (!fn || fn->isDeclaration() || fn->arg_size() < 2) {
    error = ("kernel @" + kernel + " is missing from the CPU module").str();
    return failure();
  }
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                       {i64, i64, ptr}, false);
  auto *packed = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                        packedKernelSymbol(kernel), m);
  packed->getArg(0)->setName("block_begin");
  packed->getArg(1)->setName("block_end");
  packed->getArg(2)->setName("params");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", packed));
  llvm::SmallVector<llvm::Value *> args{packed->getArg(0), packed->getArg(1)};
  for (unsigned i = 2; i < fn->arg_size(); ++i) {
    llvm::Value *slot = b.CreateLoad(
        ptr, b.CreateConstInBoundsGEP1_64(ptr, packed->getArg(2), i - 2));
    args.push_back(b.CreateLoad(fn->getArg(i)->getType(), slot));
  }
  b.CreateCall(fn, args);
  b.CreateRetVoid();
  return success();
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(StringRef cpu,
                                                         std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(kTriple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, "", options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    error = "cannot create a target machine for " + cpu.str();
  return tm;
}

void optimize(llvm::Module &m, llvm::TargetMachine &tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(m, mam);
}

std::string findLinker(const CpuSharedObjectOptions &options, bool &isLld) {
  if (!options.linker.empty()) {
    isLld = StringRef(options.linker).contains("lld");
    return options.linker;
  }
  std::string lld = ::dlcc::findProgram({"ld.lld"}, {DLCC_LLVM_TOOLS_DIR});
  if (lld.empty())
    lld = ::dlcc::findProgram({"ld.lld-22"});
  if (!lld.empty()) {
    isLld = true;
    return lld;
  }
  isLld = false;
  return ::dlcc::findProgram({"cc", "gcc"});
}

} // namespace

FailureOr<std::vector<uint8_t>>
buildCpuSharedObject(ModuleOp module, ArrayRef<CpuKernelExport> kernels,
                     const CpuSharedObjectOptions &options) {
  auto fail = [&](const llvm::Twine &message) {
    emitError(module.getLoc(), "CPU code generation: ") << message;
    return failure();
  };
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> m =
      translateModuleToLLVMIR(module, llvmContext, "dlcc_cpu_kernels");
  if (!m)
    return fail("translation to LLVM IR failed");
  std::string error;
  for (const CpuKernelExport &kernel : kernels) {
    // A kernel's buffers never overlap unless both are only read (its
    // outputs are distinct allocations live across the call, by the memory
    // plan; inputs are read-only) or an in-place state update passes one
    // buffer twice (`aliasedBuffers`, buffer parameters counted in order).
    // The others are `noalias`, which lets LLVM vectorize without runtime
    // overlap checks.
    if (llvm::Function *fn = m->getFunction(kernel.name)) {
      int64_t buffer = 0;
      for (llvm::Argument &arg : fn->args()) {
        if (!arg.getType()->isPointerTy())
          continue;
        if (!llvm::is_contained(kernel.aliasedBuffers, buffer++))
          arg.addAttr(llvm::Attribute::NoAlias);
      }
    }
    if (failed(addPackedEntry(*m, kernel.name, error)))
      return fail(error);
  }
  std::unique_ptr<llvm::TargetMachine> tm =
      createTargetMachine(options.cpu, error);
  if (!tm)
    return fail(error);
  m->setTargetTriple(tm->getTargetTriple());
  m->setDataLayout(tm->createDataLayout());
  // Helpers are internal; only the kernels and their packed entries export.
  std::set<std::string> exported;
  for (const CpuKernelExport &kernel : kernels) {
    exported.insert(kernel.name);
    exported.insert(packedKernelSymbol(kernel.name));
  }
  for (llvm::Function &fn : *m)
    if (!fn.isDeclaration() && !exported.count(fn.getName().str()))
      fn.setLinkage(llvm::GlobalValue::InternalLinkage);
  {
    llvm::raw_string_ostream os(error);
    if (llvm::verifyModule(*m, &os))
      return fail("invalid LLVM IR: " + error);
  }
  optimize(*m, *tm);

  llvm::SmallVector<char, 0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile))
      return fail("the target cannot emit object files");
    codegen.run(*m);
  }

  llvm::Expected<::dlcc::TemporaryDirectory> scratch =
      ::dlcc::TemporaryDirectory::create("dlcc-cpu");
  if (!scratch)
    return fail(llvm::toString(scratch.takeError()));
  std::string objectPath = scratch->path("kernels.o");
  std::string soPath = scratch->path("kernels.so");
  if (llvm::Error e = ::dlcc::writeBinaryFile(
          objectPath, llvm::ArrayRef<uint8_t>(
                          reinterpret_cast<const uint8_t *>(object.data()),
                          object.size())))
    return fail(llvm::toString(std::move(e)));
  bool isLld = false;
  std::string linker = findLinker(options, isLld);
  if (linker.empty())
    return fail("no linker found (install lld-22 or a C compiler)");
  std::vector<std::string> args;
  if (isLld) {
    args = {"-shared", "--hash-style=gnu", "--build-id=none", "-z",
            "noexecstack", "-z", "now", "-o", soPath, objectPath};
    // Soft-float helpers (f16 conversions) come from libgcc's static
    // archive, so the shared object still needs only libc and libm.
    if (llvm::StringRef(DLCC_LIBGCC_ARCHIVE).size() &&
        llvm::sys::fs::exists(DLCC_LIBGCC_ARCHIVE))
      args.push_back(DLCC_LIBGCC_ARCHIVE);
    for (const char *a : {"--no-as-needed", "-L/lib/x86_64-linux-gnu",
                          "-L/usr/lib/x86_64-linux-gnu", "-l:libm.so.6",
                          "-l:libc.so.6"})
      args.push_back(a);
  } else {
    // The compiler driver links libgcc.a itself.
    args = {"-shared", "-nostartfiles", "-Wl,-z,noexecstack", "-o", soPath,
            objectPath, "-Wl,--no-as-needed", "-lm"};
  }
  llvm::Expected<::dlcc::ToolRun> run =
      ::dlcc::runProgram(linker, args, *scratch, "link");
  if (!run)
    return fail(llvm::toString(run.takeError()));
  if (run->exitCode != 0)
    return fail(linker + " failed (exit " + llvm::Twine(run->exitCode) +
                "): " + StringRef(run->output).trim());
  llvm::Expected<std::vector<uint8_t>> bytes = ::dlcc::readBinaryFile(soPath);
  if (!bytes)
    return fail(llvm::toString(bytes.takeError()));
  return std::move(*bytes);
}

} // namespace mlir::dlcc
