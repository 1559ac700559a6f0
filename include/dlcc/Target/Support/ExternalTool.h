//===- ExternalTool.h - running the toolchain's programs ---------*- C++ -*-===//
//
// Code generation calls a few programs of the toolchain (ptxas, the linker).
// These helpers find them, run them with their output captured, and keep
// their files in a temporary directory that is removed afterwards.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_SUPPORT_EXTERNALTOOL_H
#define DLCC_TARGET_SUPPORT_EXTERNALTOOL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dlcc {

/// A fresh directory under the system's temporary directory, removed with
/// everything in it on destruction.
class TemporaryDirectory {
public:
  static llvm::Expected<TemporaryDirectory> create(llvm::StringRef prefix);
  TemporaryDirectory(TemporaryDirectory &&other);
  TemporaryDirectory(const TemporaryDirectory &) = delete;
  ~TemporaryDirectory();
  /// `name` inside the directory.
  std::string path(llvm::StringRef name) const;

private:
  TemporaryDirectory() = default;
  llvm::SmallString<128> dir;
};

/// The first of `names` found in `dirs` (in order), then on PATH; "" if none.
std::string findProgram(llvm::ArrayRef<llvm::StringRef> names,
                        llvm::ArrayRef<llvm::StringRef> dirs = {});

struct ToolRun {
  int exitCode = 0;
  std::string output; // stdout and stderr
};

/// Runs `program` with `args` (args[0] is not the program name), capturing
/// stdout and stderr into `ToolRun::output` through files in `scratch`.
/// An error only when the program could not be started or crashed.
llvm::Expected<ToolRun> runProgram(llvm::StringRef program,
                                   llvm::ArrayRef<std::string> args,
                                   const TemporaryDirectory &scratch,
                                   llvm::StringRef tag);

/// Several programs at once (the machine's cores are otherwise idle while
/// ptxas runs); results in the order of `runs`.
struct ProgramInvocation {
  std::string program;
  std::vector<std::string> args;
};
llvm::Expected<std::vector<ToolRun>>
runProgramsInParallel(llvm::ArrayRef<ProgramInvocation> runs,
                      const TemporaryDirectory &scratch, llvm::StringRef tag);

/// Whole-file read and write; errors name the path.
llvm::Expected<std::vector<uint8_t>> readBinaryFile(llvm::StringRef path);
llvm::Error writeBinaryFile(llvm::StringRef path, llvm::ArrayRef<uint8_t> bytes);

} // namespace dlcc

#endif // DLCC_TARGET_SUPPORT_EXTERNALTOOL_H
