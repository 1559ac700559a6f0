//===- KernelImages.cpp - PTX to cubins, with launch-limit checks ---------===//
#include "dlcc/Target/Cuda/KernelImages.h"
#include "dlcc/Target/Support/ExternalTool.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/xxhash.h"

namespace mlir::dlcc {

namespace {
// Launch limits of every architecture from sm_70 on.
constexpr uint64_t kRegistersPerBlock = 65536;
constexpr uint64_t kStaticSharedBytes = 48 * 1024;
constexpr llvm::StringLiteral kPtxasVersionTag = "ptxas-O3-v1";

std::vector<uint8_t> bytesOf(StringRef s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

/// Cubin and report of `ptx` for `chip` from the cache, if present.
bool readCache(StringRef dir, StringRef key, std::vector<uint8_t> &cubin,
               std::string &report) {
  if (dir.empty())
    return false;
  llvm::SmallString<256> base(dir);
  llvm::sys::path::append(base, key);
  llvm::Expected<std::vector<uint8_t>> bin =
      ::dlcc::readBinaryFile((base + ".cubin").str());
  llvm::Expected<std::vector<uint8_t>> log =
      ::dlcc::readBinaryFile((base + ".log").str());
  if (!bin || !log || bin->empty()) {
    llvm::consumeError(bin.takeError());
    llvm::consumeError(log.takeError());
    return false;
  }
  cubin = std::move(*bin);
  report.assign(log->begin(), log->end());
  return true;
}

/// Best effort: a cache that cannot be written is no error. Files are
/// written under a temporary name and renamed, so readers never see halves.
void writeCache(StringRef dir, StringRef key, ArrayRef<uint8_t> cubin,
                StringRef report) {
  if (dir.empty() || llvm::sys::fs::create_directories(dir))
    return;
  llvm::SmallString<256> base(dir);
  llvm::sys::path::append(base, key);
  for (auto [ext, data] :
       {std::pair<StringRef, ArrayRef<uint8_t>>{".log", bytesOf(report)},
        {".cubin", cubin}}) {
    std::string final = (base + ext).str();
    std::string tmp = final + ".tmp" + std::to_string(llvm::sys::Process::getProcessId());
    if (llvm::Error e = ::dlcc::writeBinaryFile(tmp, data)) {
      llvm::consumeError(std::move(e));
      return;
    }
    if (llvm::sys::fs::rename(tmp, final))
      return;
  }
}
} // namespace

std::map<std::string, CudaKernelResources> parsePtxasReport(StringRef report) {
  std::map<std::string, CudaKernelResources> out;
  llvm::Regex entry("(Compiling entry function|Function properties for) '?"
                    "([A-Za-z0-9_$.]+)'?");
  llvm::Regex frame("([0-9]+) bytes stack frame, ([0-9]+) bytes spill "
                    "stores, ([0-9]+) bytes spill loads");
  llvm::Regex used("Used ([0-9]+) registers");
  llvm::Regex smem("([0-9]+) bytes smem");
  CudaKernelResources *current = nullptr;
  llvm::SmallVector<StringRef> lines;
  report.split(lines, '\n');
  for (StringRef line : lines) {
    llvm::SmallVector<StringRef> m;
    if (entry.match(line, &m)) {
      current = &out[m[2].str()];
      continue;
    }
    if (!current)
      continue;
    if (frame.match(line, &m)) {
      current->stackBytes = std::stoul(m[1].str());
      current->spillBytes =
          std::stoul(m[2].str()) + std::stoul(m[3].str());
    }
    if (used.match(line, &m)) {
      current->registers = std::stoul(m[1].str());
      if (smem.match(line, &m))
        current->sharedBytes = std::stoul(m[1].str());
    }
  }
  return out;
}

std::map<std::string, unsigned> ptxEntryParameterCounts(StringRef ptx) {
  std::map<std::string, unsigned> out;
  size_t pos = 0;
  while ((pos = ptx.find(".entry ", pos)) != StringRef::npos) {
    pos += 7;
    size_t open = ptx.find('(', pos);
    size_t close = ptx.find(')', open);
    if (open == StringRef::npos || close == StringRef::npos)
      break;
    std::string name = ptx.slice(pos, open).trim().str();
    StringRef params = ptx.slice(open + 1, close);
    unsigned count = 0;
    for (size_t p = 0; (p = params.find(".param", p)) != StringRef::npos; p += 6)
      ++count;
    out[name] = count;
    pos = close;
  }
  return out;
}

FailureOr<std::vector<CudaImage>>
buildCudaImages(ModuleOp module, StringRef binaryName,
                ArrayRef<CudaKernelSignature> kernels,
                const CudaImageOptions &options) {
  auto binary = module.lookupSymbol<gpu::BinaryOp>(binaryName);
  if (!binary)
    return emitError(module.getLoc(), "CUDA code generation: no gpu.binary @")
           << binaryName;
  std::vector<std::string> chips, ptxs;
  for (Attribute a : binary.getObjects()) {
    auto object = cast<gpu::ObjectAttr>(a);
    auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
    if (!target || object.getFormat() != gpu::CompilationTarget::Assembly)
      return binary.emitError("expected PTX objects for NVVM targets");
    chips.push_back(target.getChip().str());
    ptxs.push_back(object.getObject().getValue().str());
  }

  // The ABI check: each kernel's PTX parameters are its descriptor's.
  for (size_t c = 0; c < chips.size(); ++c) {
    std::map<std::string, unsigned> params = ptxEntryParameterCounts(ptxs[c]);
    for (const CudaKernelSignature &k : kernels) {
      auto it = params.find(k.name);
      if (it == params.end())
        return binary.emitError("kernel ")
               << k.name << " has no .entry in the " << chips[c] << " PTX";
      if (it->second != k.parameterCount)
        return binary.emitError("kernel ")
               << k.name << ": the " << chips[c] << " PTX entry has "
               << it->second << " parameters, its descriptor "
               << k.parameterCount;
    }
  }

  std::string ptxas = ::dlcc::findProgram(
      {"ptxas"}, {llvm::StringRef(options.toolkit + "/bin")});
  if (ptxas.empty())
    return emitError(module.getLoc(), "ptxas not found in ")
           << options.toolkit << "/bin or on PATH";
  llvm::Expected<::dlcc::TemporaryDirectory> scratch =
      ::dlcc::TemporaryDirectory::create("dlcc-ptxas");
  if (!scratch)
    return emitError(module.getLoc()) << llvm::toString(scratch.takeError());

  // The cache key names the ptxas that made a cubin: another toolkit's
  // ptxas must not reuse it.
  std::string ptxasIdentity = ptxas;
  if (!options.cacheDir.empty()) {
    llvm::Expected<::dlcc::ToolRun> version =
        ::dlcc::runProgram(ptxas, {"--version"}, *scratch, "ptxas-version");
    if (version)
      ptxasIdentity += "\n" + version->output;
    else
      llvm::consumeError(version.takeError());
  }

  std::vector<CudaImage> images(chips.size());
  std::vector<std::string> keys(chips.size());
  std::vector<::dlcc::ProgramInvocation> runs;
  std::vector<size_t> runChip;
  for (size_t c = 0; c < chips.size(); ++c) {
    images[c].target = chips[c];
    std::string keyText = ptxs[c] + "\n" + chips[c] + "\n" +
                          kPtxasVersionTag.str() + "\n" + ptxasIdentity;
    keys[c] = llvm::utohexstr(
                  llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
                      reinterpret_cast<const uint8_t *>(keyText.data()),
                      keyText.size())),
                  /*LowerCase=*/true) +
              "." + chips[c];
    std::string report;
    if (readCache(options.cacheDir, keys[c], images[c].bytes, report)) {
      images[c].kernels = parsePtxasReport(report);
      continue;
    }
    std::string src = scratch->path(chips[c] + ".ptx");
    if (llvm::Error e = ::dlcc::writeBinaryFile(src, bytesOf(ptxs[c])))
      return emitError(module.getLoc()) << llvm::toString(std::move(e));
    runs.push_back({ptxas,
                    {"-v", "-O3", "-arch=" + chips[c], src, "-o",
                     scratch->path(chips[c] + ".cubin")}});
    runChip.push_back(c);
  }
  llvm::Expected<std::vector<::dlcc::ToolRun>> results =
      ::dlcc::runProgramsInParallel(runs, *scratch, "ptxas");
  if (!results)
    return emitError(module.getLoc()) << llvm::toString(results.takeError());
  for (size_t r = 0; r < runs.size(); ++r) {
    size_t c = runChip[r];
    const ::dlcc::ToolRun &run = (*results)[r];
    if (run.exitCode != 0)
      return emitError(module.getLoc(), "ptxas -arch=")
             << chips[c] << " rejected the PTX: " << StringRef(run.output).trim();
    llvm::Expected<std::vector<uint8_t>> cubin =
        ::dlcc::readBinaryFile(scratch->path(chips[c] + ".cubin"));
    if (!cubin)
      return emitError(module.getLoc()) << llvm::toString(cubin.takeError());
    images[c].bytes = std::move(*cubin);
    images[c].kernels = parsePtxasReport(run.output);
    writeCache(options.cacheDir, keys[c], images[c].bytes, run.output);
  }

  // Launch limits, per chip and kernel.
  for (const CudaImage &image : images)
    for (const CudaKernelSignature &k : kernels) {
      auto it = image.kernels.find(k.name);
      if (it == image.kernels.end())
        return emitError(module.getLoc(), "no ptxas report for kernel ")
               << k.name << " on " << image.target;
      const CudaKernelResources &r = it->second;
      if (uint64_t(r.registers) * uint64_t(k.threadsPerBlock) >
          kRegistersPerBlock)
        return emitError(module.getLoc(), "kernel ")
               << k.name << " on " << image.target << " needs " << r.registers
               << " registers x " << k.threadsPerBlock
               << " threads, more than the " << kRegistersPerBlock
               << " registers of one block";
      if (r.sharedBytes > kStaticSharedBytes)
        return emitError(module.getLoc(), "kernel ")
               << k.name << " on " << image.target << " uses " << r.sharedBytes
               << " bytes of static shared memory (limit "
               << kStaticSharedBytes << ")";
    }
  if (options.embedPtx && !ptxs.empty()) {
    CudaImage ptx;
    ptx.target = "ptx";
    ptx.bytes = bytesOf(ptxs.front());
    ptx.bytes.push_back(0); // the driver's JIT takes a NUL-terminated string
    images.push_back(std::move(ptx));
  }
  return images;
}

} // namespace mlir::dlcc
