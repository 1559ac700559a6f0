//===- dlcc.cpp - the dlcc compiler driver --------------------------------===//
//
//   dlcc model.onnx --emit=mlir [-o out.mlir] [--batch N] [--dim NAME=N]
//        [--input-shape NAME=d0,d1,...] [--constant-input NAME=tensor.pb]
//
// Every problem is one clear message on stderr and exit status 1; an existing
// output file is only replaced once the whole compilation has succeeded.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"
#include "dlcc/Importer/Onnx/OnnxImporter.h"
#include "dlcc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

namespace {
enum class EmitStage { Imported, Mlir, Kernels };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"));
cl::opt<bool> listOps("list-supported-ops",
                      cl::desc("Print the ONNX operators and versions dlcc "
                               "imports, then exit"));
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<EmitStage> emit(
    "emit", cl::desc("What to produce"), cl::init(EmitStage::Mlir),
    cl::values(clEnumValN(EmitStage::Imported, "imported",
                          "the dlcc IR exactly as imported"),
               clEnumValN(EmitStage::Mlir, "mlir",
                          "the dlcc IR after folding and CSE"),
               clEnumValN(EmitStage::Kernels, "kernels",
                          "linalg on tensors, fused, one function per kernel")));
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
/// One line per kernel (program order), then the totals.
void printKernelReport(mlir::ModuleOp module, raw_ostream &os) {
  auto attrValue = [](mlir::Operation *op, StringRef name) -> int64_t {
    auto a = op->getAttrOfType<mlir::IntegerAttr>(name);
    return a ? a.getInt() : 0;
  };
  os << format("%-40s %14s %14s\n", "kernel", "flops", "bytes");
  for (auto func : module.getOps<mlir::func::FuncOp>())
    if (func->hasAttr("dlcc.kernel"))
      os << format("%-40s %14lld %14lld\n", func.getSymName().str().c_str(),
                   (long long)attrValue(func, "dlcc.kernel_flops"),
                   (long long)attrValue(func, "dlcc.kernel_bytes"));
  mlir::dlcc::KernelSummary summary = mlir::dlcc::summarizeKernels(module);
  os << "kernels: " << summary.kernelCount << ", flops: " << summary.totalFlops
     << ", bytes moved: " << summary.totalBytes << "\n";
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  // Large weights and constants are elided from printed IR unless asked for.
  SmallVector<const char *> args(argv, argv + argc);
  bool wantsWeights = false;
  for (int i = 1; i < argc; ++i)
    wantsWeights |= StringRef(argv[i]) == "--print-weights" ||
                    StringRef(argv[i]) == "-print-weights";
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
  if (inputFile.empty()) {
    errs() << "dlcc: error: no input model given (usage: dlcc model.onnx "
              "--emit=mlir)\n";
    return 1;
  }
  dlcc::OnnxImportOptions options;
  if (!parseOptions(options))
    return 1;

  mlir::DialectRegistry registry;
  dlcc::registerOnnxImporterDialects(registry);
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

  if (emit != EmitStage::Imported) {
    mlir::PassManager pm(&context, mlir::ModuleOp::getOperationName());
    if (failed(mlir::applyPassManagerCLOptions(pm)))
      return 1;
    mlir::TimingScope passTiming = rootTiming.nest("passes");
    pm.enableTiming(passTiming);
    dlcc::buildImportCleanupPipeline(pm);
    if (emit == EmitStage::Kernels || report)
      dlcc::buildKernelFormationPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
  }
  if (report) {
    printKernelReport(*module, outs());
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
