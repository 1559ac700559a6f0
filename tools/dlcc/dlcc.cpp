//===- dlcc.cpp - the dlcc compiler driver --------------------------------===//
//
//   dlcc model.onnx --inference -o model.bin [--gpu-arch=sm_80,sm_90]
//   dlcc model.onnx --compile-to=PHASE [-o out.mlir] [--batch N] [--dim NAME=N]
//        [--input-shape NAME=d0,d1,...] [--constant-input NAME=tensor.pb]
//
// Every problem is one clear message on stderr and exit status 1; an existing
// output file is only replaced once the whole compilation has succeeded.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Importer/Onnx/OnnxImporter.h"
#include "dlcc/Pipelines/Pipelines.h"
#include "dlcc/Training/Passes.h"
#include "dlcc/Training/VJP.h"
#include "dlcc/Target/Artifact/ArtifactWriter.h"
#include "dlcc/Program/BuildProgram.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/ToolOutputFile.h"

#include <unistd.h>

using namespace llvm;

namespace {
using dlcc::CompilePhase;

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"));
cl::opt<bool> listOps("list-supported-ops",
                      cl::desc("Print the ONNX operators and versions dlcc "
                               "imports, then exit"));
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<CompilePhase> compileTo(
    "compile-to",
    cl::desc("The last phase to run (its IR is printed; the default is mlir, "
             "or artifact with --inference or -o FILE.bin)"),
    cl::init(CompilePhase::Mlir),
    cl::values(
        clEnumValN(CompilePhase::Imported, "imported",
                   "the dlcc IR exactly as imported"),
        clEnumValN(CompilePhase::Mlir, "mlir",
                   "the dlcc IR after folding and CSE"),
        clEnumValN(CompilePhase::Kernels, "kernels",
                   "linalg on tensors, fused, one function per kernel"),
        clEnumValN(CompilePhase::Planned, "planned",
                   "library calls chosen, kernels bufferized and tiled, "
                   "buffers planned"),
        clEnumValN(CompilePhase::CpuLlvm, "cpu-llvm",
                   "the CPU kernels in the LLVM dialect (a nested module)"),
        clEnumValN(CompilePhase::GpuPtx, "gpu-ptx",
                   "the GPU kernels as PTX (a gpu.binary)"),
        clEnumValN(CompilePhase::Artifact, "artifact",
                   "the compiled program (train.bin format)")));
cl::alias emitAlias("emit", cl::desc("Alias for --compile-to"),
                    cl::aliasopt(compileTo));
cl::opt<bool> inference(
    "inference",
    cl::desc("Build a forward-only program (the model's outputs, no "
             "training step)"));
cl::OptionCategory trainingCategory(
    "Training (a program built without --inference)");
cl::opt<std::string> lossKind(
    "loss",
    cl::desc("The loss of the model's first output: cross_entropy "
             "(default), mse, or none (the output is the loss). Given with "
             "--compile-to=mlir or later, the printed IR is the training "
             "program's"),
    cl::init("cross_entropy"), cl::cat(trainingCategory));
cl::opt<std::string> labelsName("labels",
                                cl::desc("Name of the labels input"),
                                cl::init("labels"), cl::cat(trainingCategory));
cl::opt<std::string> labelsKind(
    "labels-kind",
    cl::desc("Cross-entropy labels: indices (int64 class indices, default) "
             "or probabilities (one-hot or soft targets)"),
    cl::init("indices"), cl::cat(trainingCategory));
cl::opt<int64_t> classAxis(
    "class-axis",
    cl::desc("The logits' class dimension (default -1, the last)"),
    cl::init(-1), cl::cat(trainingCategory));
cl::opt<int64_t> ignoreIndex(
    "ignore-index",
    cl::desc("Label that counts for nothing in the loss (default -100)"),
    cl::init(-100), cl::cat(trainingCategory));
cl::opt<double> labelSmoothing(
    "label-smoothing",
    cl::desc("Cross-entropy label smoothing, as PyTorch's (default 0)"),
    cl::init(0), cl::cat(trainingCategory));
cl::opt<std::string> freezeRegex(
    "freeze",
    cl::desc("Regular expression: parameters whose name matches are not "
             "trained"),
    cl::init(""), cl::cat(trainingCategory));
cl::opt<std::string> optimizerKind(
    "optimizer",
    cl::desc("The optimizer, as torch.optim: sgd (default), momentum, "
             "nesterov, adagrad, adam or adamw"),
    cl::init("sgd"), cl::cat(trainingCategory));
cl::opt<double> momentumFactor(
    "momentum", cl::desc("momentum/nesterov: the momentum (default 0.9)"),
    cl::init(0.9), cl::cat(trainingCategory));
cl::list<double> adamBetas(
    "betas", cl::CommaSeparated,
    cl::desc("adam/adamw: the moments' decay rates (default 0.9,0.999)"),
    cl::cat(trainingCategory));
cl::opt<double> optimizerEps(
    "eps",
    cl::desc("adam/adamw/adagrad: epsilon (default 1e-8; adagrad 1e-10)"),
    cl::init(-1), cl::cat(trainingCategory));
cl::opt<double> weightDecay(
    "weight-decay",
    cl::desc("Weight decay (default 0; adamw 0.01)"), cl::init(-1),
    cl::cat(trainingCategory));
cl::opt<std::string> noDecay(
    "no-decay",
    cl::desc("Regular expression: parameters whose name matches get no "
             "weight decay (biases, norms)"),
    cl::init(""), cl::cat(trainingCategory));
cl::opt<double> clipGradNorm(
    "clip-grad-norm",
    cl::desc("Clip the global gradient norm to this value (default: no "
             "clipping)"),
    cl::init(0), cl::cat(trainingCategory));
cl::opt<double> learningRate("lr",
                             cl::desc("Initial learning rate (default 0.01)"),
                             cl::init(0.01), cl::cat(trainingCategory));
cl::opt<std::string> lrSchedule(
    "lr-schedule",
    cl::desc("Learning-rate schedule: constant (default), warmup, linear, "
             "cosine or step"),
    cl::init("constant"), cl::cat(trainingCategory));
cl::opt<int64_t> warmupSteps("warmup-steps",
                             cl::desc("Steps of linear warm-up"),
                             cl::init(0), cl::cat(trainingCategory));
cl::opt<int64_t> totalSteps(
    "total-steps",
    cl::desc("linear/cosine: the step at which the rate reaches 0"),
    cl::init(0), cl::cat(trainingCategory));
cl::opt<int64_t> lrStepSize("lr-step-size",
                            cl::desc("step: steps between decays"),
                            cl::init(1), cl::cat(trainingCategory));
cl::opt<double> lrGamma("lr-gamma", cl::desc("step: the decay factor"),
                        cl::init(0.1), cl::cat(trainingCategory));
cl::opt<bool> gradientAccumulation(
    "gradient-accumulation",
    cl::desc("Also build the entry points accumulate (loss and gradients "
             "of one micro-batch, added up) and apply (the optimizer step "
             "with their mean)"),
    cl::init(false), cl::cat(trainingCategory));
cl::list<std::string> gpuArchs(
    "gpu-arch", cl::CommaSeparated,
    cl::desc("CUDA architectures to compile for (default sm_80,sm_90; "
             "'none' for a CPU-only program)"),
    cl::value_desc("sm_XY,..."));
cl::opt<std::string> cpuBaseline(
    "cpu-baseline",
    cl::desc("x86-64 level of the CPU kernels: x86-64, x86-64-v2, "
             "x86-64-v3 (default) or x86-64-v4"),
    cl::init("x86-64-v3"));
cl::opt<bool> generatedGemm(
    "generated-gemm",
    cl::desc("Run GEMMs as generated kernels instead of cuBLASLt/oneDNN "
             "library calls"));
cl::opt<bool> generatedConv(
    "generated-conv",
    cl::desc("Run convolutions as generated kernels instead of cuDNN/oneDNN "
             "library calls"));
cl::opt<std::string> cudaToolkit("cuda-toolkit",
                                 cl::desc("CUDA toolkit directory"),
                                 cl::init("/usr/local/cuda"));
cl::opt<std::string> cubinCache(
    "cubin-cache",
    cl::desc("Directory caching cubins by content hash (default "
             "$XDG_CACHE_HOME/dlcc/cubin or ~/.cache/dlcc/cubin; '' disables)"),
    cl::init("<default>"));
cl::opt<bool> report("report",
                     cl::desc("Print the kernels (count, FLOPs and bytes each "
                              "moves) instead of IR"));
cl::list<std::string> inputShapes(
    "input-shape", cl::desc("Static shape of an input: NAME=d0,d1,..."),
    cl::value_desc("NAME=d0,d1,..."));
cl::list<std::string> dimParams("dim",
                                cl::desc("Bind a symbolic dimension: NAME=N"),
                                cl::value_desc("NAME=N"));
cl::list<std::string> constantInputs(
    "constant-input",
    cl::desc("Fix an input's value at compile time from a serialized "
             "TensorProto file: NAME=PATH"),
    cl::value_desc("NAME=PATH"));
cl::opt<int64_t> batch("batch",
                       cl::desc("Size of every input's dynamic leading dimension"),
                       cl::init(-1));
cl::opt<std::string> maxConstantBytes(
    "max-constant-bytes",
    cl::desc("The most bytes of initializer data to read, and of initial "
             "values and constants to store in a program (a number with an "
             "optional K, M, G or T suffix; default: half the physical "
             "memory)"),
    cl::value_desc("N[KMGT]"));
cl::opt<bool> printWeights(
    "print-weights",
    cl::desc("Print large constants and initial values instead of eliding them"));

bool parseInt(StringRef text, int64_t &value) {
  return !text.trim().getAsInteger(10, value) && value >= 0;
}

bool parseOptions(dlcc::OnnxImportOptions &options) {
  for (StringRef spec : inputShapes) {
    auto [name, dims] = spec.rsplit('=');
    if (name.empty() || dims.empty() || !spec.contains('=')) {
      errs() << "dlcc: error: --input-shape expects NAME=d0,d1,..., got '" << spec
             << "'\n";
      return false;
    }
    std::vector<int64_t> shape;
    SmallVector<StringRef> parts;
    dims.split(parts, ',');
    for (StringRef p : parts) {
      int64_t d;
      if (!parseInt(p, d)) {
        errs() << "dlcc: error: --input-shape " << spec
               << ": dimensions must be non-negative integers\n";
        return false;
      }
      shape.push_back(d);
    }
    options.inputShapes[name.str()] = shape;
  }
  for (StringRef spec : dimParams) {
    auto [name, value] = spec.rsplit('=');
    int64_t d;
    if (name.empty() || !spec.contains('=') || !parseInt(value, d)) {
      errs() << "dlcc: error: --dim expects NAME=N with N >= 0, got '" << spec
             << "'\n";
      return false;
    }
    options.dimParams[name.str()] = d;
  }
  for (StringRef spec : constantInputs) {
    auto [name, path] = spec.split('=');
    if (name.empty() || path.empty()) {
      errs() << "dlcc: error: --constant-input expects NAME=PATH, got '" << spec
             << "'\n";
      return false;
    }
    options.constantInputs[name.str()] = path.str();
  }
  if (maxConstantBytes.getNumOccurrences()) {
    StringRef text = StringRef(maxConstantBytes).trim();
    uint64_t scale = 1;
    for (auto [suffix, shift] : {std::pair<char, int>{'K', 10}, {'M', 20},
                                 {'G', 30}, {'T', 40}})
      if (text.consume_back(StringRef(&suffix, 1)))
        scale = uint64_t(1) << shift;
    uint64_t value = 0;
    if (text.getAsInteger(10, value) || value == 0 ||
        value > UINT64_MAX / scale) {
      errs() << "dlcc: error: --max-constant-bytes expects a positive "
                "number of bytes with an optional K, M, G or T suffix, got '"
             << maxConstantBytes << "'\n";
      return false;
    }
    options.maxConstantBytes = value * scale;
  } else {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
      options.maxConstantBytes = uint64_t(pages) * uint64_t(page) / 2;
  }
  if (batch.getNumOccurrences()) {
    if (batch < 1) {
      errs() << "dlcc: error: --batch must be a positive integer\n";
      return false;
    }
    options.batch = batch;
  }
  return true;
}

/// Prints diagnostics as "dlcc: error: message", naming the ONNX node when
/// the location is one.
LogicalResult printDiagnostic(mlir::Diagnostic &diag) {
  StringRef severity = diag.getSeverity() == mlir::DiagnosticSeverity::Error
                           ? "error"
                           : diag.getSeverity() == mlir::DiagnosticSeverity::Warning
                                 ? "warning"
                                 : "note";
  errs() << "dlcc: " << severity << ": " << diag.str();
  if (auto fused = dyn_cast<mlir::FusedLoc>(diag.getLocation()))
    if (!StringRef(diag.str()).starts_with("node "))
      for (mlir::Location l : fused.getLocations())
        if (auto name = dyn_cast<mlir::NameLoc>(l))
          errs() << " (at ONNX node '" << name.getName().getValue() << "')";
  errs() << "\n";
  for (mlir::Diagnostic &note : diag.getNotes())
    errs() << "dlcc: note: " << note.str() << "\n";
  return success();
}
/// One line per kernel (program order), then the totals over every call
/// (a deduplicated kernel counts once per call) and the memory plan.
void printKernelReport(const dlcc::ProgramReport &report, raw_ostream &os) {
  os << format("%-32s %-18s %8s %6s %14s %14s", "kernel", "schedule", "grid",
               "block", "flops", "bytes");
  bool registers = llvm::any_of(report.kernels, [](const auto &k) {
    return !k.registers.empty();
  });
  if (registers)
    os << "  registers";
  os << "\n";
  int64_t flops = 0, bytes = 0;
  for (const dlcc::KernelReport &k : report.kernels) {
    os << format("%-32s %-18s %8lld %6lld %14lld %14lld", k.name.c_str(),
                 k.schedule.c_str(), (long long)k.grid, (long long)k.block,
                 (long long)k.flops, (long long)k.bytes);
    for (uint32_t r : k.registers)
      os << " " << r;
    os << "\n";
    flops += k.flops * k.calls;
    bytes += k.bytes * k.calls;
  }
  os << "kernels: " << report.kernels.size() << ", launches: "
     << report.launches << ", library calls: " << report.libraryCalls
     << ", flops: " << flops
     << ", bytes moved: " << bytes << "\n";
  os << "planned peak: " << report.arenaBytes
     << " bytes of scratch (unplanned: " << report.unplannedBytes
     << "), state and constants: " << report.stateBytes << " bytes\n";

  // Per entry point: what one run launches and its scratch peak (a train
  // step's is the activations kept for the backward pass plus the
  // gradients and temporaries live at its peak).
  os << format("\n%-24s %10s %14s %16s\n", "entry point", "launches",
               "library calls", "scratch bytes");
  for (const dlcc::EntryPointReport &e : report.entryPoints)
    os << format("%-24s %10llu %14llu %16llu\n", e.name.c_str(),
                 (unsigned long long)e.launches,
                 (unsigned long long)e.libraryCalls,
                 (unsigned long long)e.arenaBytes);
  for (const dlcc::EntryPointReport &e : report.entryPoints)
    if (e.peakForwardBytes && e.peakBackwardBytes)
      os << e.name << ": at the peak, " << *e.peakForwardBytes
         << " bytes of forward values (activations kept for the backward "
            "pass) and "
         << *e.peakBackwardBytes
         << " bytes of the backward pass's (gradients, temporaries) are "
            "live\n";

  // State by kind; then the trained parameters.
  llvm::StringMap<std::pair<uint64_t, uint64_t>> byKind; // count, bytes
  uint64_t trainedCount = 0, trainedBytes = 0, trainedElements = 0;
  for (const dlcc::StateSlotReport &s : report.stateSlots) {
    auto &[count, bytes] = byKind[s.kind];
    ++count;
    bytes += s.bytes;
    if (s.trained) {
      ++trainedCount;
      trainedBytes += s.bytes;
      int64_t n = 1;
      for (int64_t d : s.shape)
        n *= d;
      trainedElements += uint64_t(n);
    }
  }
  if (report.stateSlots.empty())
    return;
  os << "\nstate:";
  for (StringRef kind : {"parameter", "batch_norm_statistic", "optimizer", "rng"})
    if (byKind.count(kind))
      os << " " << kind << " " << byKind[kind].second << " bytes ("
         << byKind[kind].first << (byKind[kind].first == 1 ? " slot)" : " slots)")
         << ";";
  os << "\n";
  if (!trainedCount)
    return;
  os << "trained parameters: " << trainedCount << ", " << trainedElements
     << " elements, " << trainedBytes << " bytes\n";
  for (const dlcc::StateSlotReport &s : report.stateSlots) {
    if (!s.trained)
      continue;
    std::string shape = "[";
    for (size_t i = 0; i < s.shape.size(); ++i)
      shape += (i ? ", " : "") + std::to_string(s.shape[i]);
    shape += "]";
    os << format("  %-40s %-20s %12llu\n", s.name.c_str(), shape.c_str(),
                 (unsigned long long)s.bytes);
  }
}

/// --gpu-arch, --cpu-baseline, --cuda-toolkit, --cubin-cache,
/// --generated-gemm, --generated-conv.
bool parseProgramOptions(dlcc::ProgramOptions &options,
                         dlcc::BackendPipelineOptions &pipeline) {
  if (gpuArchs.getNumOccurrences()) {
    options.gpuChips.clear();
    for (StringRef arch : gpuArchs) {
      if (arch == "none")
        continue;
      // sm_XY, or sm_XYa (architecture-specific features, e.g. sm_90a).
      unsigned version = 0;
      StringRef number = arch.drop_front(3);
      number.consume_back("a");
      if (!arch.starts_with("sm_") || number.getAsInteger(10, version) ||
          version < 70) {
        errs() << "dlcc: error: --gpu-arch expects sm_XY or sm_XYa with XY >= 70 "
                  "(or 'none'), got '"
               << arch << "'\n";
        return false;
      }
      options.gpuChips.push_back(arch.str());
    }
  }
  pipeline.gpuChips = options.gpuChips;
  pipeline.cudaToolkit = cudaToolkit;
  pipeline.generatedGemm = generatedGemm;
  pipeline.generatedConv = generatedConv;
  static const char *const kBaselines[] = {"x86-64", "x86-64-v2", "x86-64-v3",
                                           "x86-64-v4"};
  if (!llvm::is_contained(kBaselines, StringRef(cpuBaseline))) {
    errs() << "dlcc: error: --cpu-baseline must be x86-64, x86-64-v2, "
              "x86-64-v3 or x86-64-v4, got '"
           << cpuBaseline << "'\n";
    return false;
  }
  options.cpuBaseline = cpuBaseline;
  options.cudaToolkit = cudaToolkit;
  if (cubinCache == "<default>") {
    SmallString<128> dir;
    if (std::optional<std::string> xdg = sys::Process::GetEnv("XDG_CACHE_HOME")) {
      dir = *xdg;
    } else if (std::optional<std::string> home = sys::Process::GetEnv("HOME")) {
      dir = *home;
      sys::path::append(dir, ".cache");
    }
    if (!dir.empty())
      sys::path::append(dir, "dlcc", "cubin");
    options.cubinCacheDir = std::string(dir);
  } else {
    options.cubinCacheDir = cubinCache;
  }
  return true;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  // Large weights and constants are elided from printed IR unless asked for.
  SmallVector<const char *> args(argv, argv + argc);
  bool wantsWeights = false;
  for (int i = 1; i < argc; ++i)
    wantsWeights |= StringRef(argv[i]) == "--print-weights" ||
                    StringRef(argv[i]) == "-print-weights" ||
                    // A crash reproducer must hold the whole IR to rerun.
                    StringRef(argv[i]).contains("crash-reproducer");
  if (!wantsWeights) {
    args.insert(args.begin() + 1, "--mlir-elide-elementsattrs-if-larger=16");
    args.insert(args.begin() + 1, "--mlir-elide-resource-strings-if-larger=64");
  }

  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  mlir::registerAsmPrinterCLOptions();
  cl::ParseCommandLineOptions(args.size(), args.data(),
                              "dlcc: compile an ONNX model into a training program\n");

  if (listOps) {
    for (const dlcc::SupportedOnnxOp &op : dlcc::supportedOnnxOps()) {
      outs() << (op.domain.empty() ? "ai.onnx" : op.domain) << " " << op.opType;
      for (int64_t v : op.versions)
        outs() << " " << v;
      outs() << "\n";
    }
    return 0;
  }
  if (!compileTo.getNumOccurrences() &&
      (inference || StringRef(outputFile).ends_with(".bin")))
    compileTo.setValue(CompilePhase::Artifact);
  if (inputFile.empty()) {
    errs() << "dlcc: error: no input model given (usage: dlcc model.onnx "
              "--compile-to=mlir)\n";
    return 1;
  }
  dlcc::OnnxImportOptions options;
  if (!parseOptions(options))
    return 1;
  CompilePhase phase = compileTo;
  if (phase == CompilePhase::Artifact && outputFile == "-") {
    errs() << "dlcc: error: a program is binary: give the output file with "
              "-o FILE\n";
    return 1;
  }
  if (report && phase == CompilePhase::Imported) {
    errs() << "dlcc: error: --report describes kernels; it cannot be combined "
              "with --compile-to=imported\n";
    return 1;
  }
  dlcc::ProgramOptions programOptions;
  dlcc::BackendPipelineOptions pipelineOptions;
  if (!parseProgramOptions(programOptions, pipelineOptions))
    return 1;
  programOptions.maxConstantBytes = options.maxConstantBytes;
  // A program is a training program unless --inference; printed IR is the
  // training program's only when a --loss is given.
  pipelineOptions.train =
      !inference &&
      (phase == CompilePhase::Artifact || lossKind.getNumOccurrences() > 0);
  pipelineOptions.loss = lossKind;
  pipelineOptions.labels = labelsName;
  pipelineOptions.labelsKind = labelsKind;
  pipelineOptions.classAxis = classAxis;
  pipelineOptions.ignoreIndex = ignoreIndex;
  pipelineOptions.freeze = freezeRegex;
  pipelineOptions.labelSmoothing = labelSmoothing;
  pipelineOptions.optimizer = optimizerKind;
  pipelineOptions.learningRate = learningRate;
  pipelineOptions.momentum = momentumFactor;
  pipelineOptions.betas = ArrayRef<double>(
      SmallVector<double>(adamBetas.begin(), adamBetas.end()));
  pipelineOptions.eps = optimizerEps;
  pipelineOptions.weightDecay = weightDecay;
  pipelineOptions.noDecay = noDecay;
  pipelineOptions.clipGradNorm = clipGradNorm;
  pipelineOptions.lrSchedule = lrSchedule;
  pipelineOptions.warmupSteps = warmupSteps;
  pipelineOptions.totalSteps = totalSteps;
  pipelineOptions.lrStepSize = lrStepSize;
  pipelineOptions.lrGamma = lrGamma;
  pipelineOptions.gradientAccumulation = gradientAccumulation;

  mlir::DialectRegistry registry;
  dlcc::registerOnnxImporterDialects(registry);
  dlcc::registerProgramBuildDependencies(registry);
  mlir::dlcc::registerVJPExternalModels(registry);
  mlir::dlcc::registerDlccTrainingPasses();
  mlir::MLIRContext context(registry);
  context.getDiagEngine().registerHandler(printDiagnostic);

  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope rootTiming = timing.getRootScope();

  mlir::OwningOpRef<mlir::ModuleOp> module;
  {
    mlir::TimingScope importTiming = rootTiming.nest("ONNX import");
    module = dlcc::importOnnxModel(context, inputFile, options);
  }
  if (!module)
    return 1;

  // One pass manager from the imported IR to the last phase (a report needs
  // the planned kernels); the artifact is built from the gpu-ptx phase.
  CompilePhase last = phase;
  if (report && last < CompilePhase::Planned)
    last = CompilePhase::Planned;
  if (last > CompilePhase::Imported) {
    mlir::TimingScope passTiming = rootTiming.nest("passes");
    std::unique_ptr<mlir::PassManager> pm =
        dlcc::createPassManager(context, &passTiming);
    if (!pm)
      return 1;
    CompilePhase lastIr =
        last == CompilePhase::Artifact ? CompilePhase::GpuPtx : last;
    pipelineOptions.to = dlcc::compilePhaseName(lastIr).str();
    std::string error;
    if (failed(dlcc::buildBackendPipeline(*pm, pipelineOptions, &error))) {
      errs() << "dlcc: error: " << error << "\n";
      return 1;
    }
    if (failed(pm->run(*module)))
      return 1;
  }
  if (report && phase != CompilePhase::Artifact) {
    printKernelReport(dlcc::reportPlannedProgram(*module), outs());
    return 0;
  }
  if (phase == CompilePhase::Artifact) {
    dlcc::artifact::ArtifactBuilder builder;
    dlcc::ProgramReport programReport;
    {
      mlir::TimingScope codegenTiming =
          rootTiming.nest("shared object, cubins and artifact");
      if (failed(dlcc::buildProgram(*module, programOptions, builder,
                                    &programReport)))
        return 1;
    }
    std::string error;
    if (!builder.write(outputFile, &error)) {
      errs() << "dlcc: error: cannot write '" << outputFile << "': " << error
             << "\n";
      return 1;
    }
    if (report)
      printKernelReport(programReport, outs());
    return 0;
  }

  // Write atomically: a failed run never truncates an existing output.
  std::string text;
  raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags());
  if (outputFile == "-") {
    outs() << text;
    return 0;
  }
  if (Error err = writeToOutput(outputFile, [&](raw_ostream &out) {
        out << text;
        return Error::success();
      })) {
    errs() << "dlcc: error: cannot write '" << outputFile
           << "': " << toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
