//===- ExternalTool.cpp - running the toolchain's programs ----------------===//
#include "dlcc/Target/Support/ExternalTool.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;

namespace dlcc {

Expected<TemporaryDirectory> TemporaryDirectory::create(StringRef prefix) {
  TemporaryDirectory dir;
  if (std::error_code ec = sys::fs::createUniqueDirectory(prefix, dir.dir))
    return createStringError(ec, "cannot create a temporary directory: %s",
                             ec.message().c_str());
  return std::move(dir);
}

TemporaryDirectory::TemporaryDirectory(TemporaryDirectory &&other)
    : dir(std::move(other.dir)) {
  other.dir.clear();
}

TemporaryDirectory::~TemporaryDirectory() {
  if (!dir.empty())
    sys::fs::remove_directories(dir, /*IgnoreErrors=*/true);
}

std::string TemporaryDirectory::path(StringRef name) const {
  SmallString<256> p(dir);
  sys::path::append(p, name);
  return std::string(p);
}

std::string findProgram(ArrayRef<StringRef> names, ArrayRef<StringRef> dirs) {
  for (StringRef name : names) {
    if (!dirs.empty())
      if (ErrorOr<std::string> p = sys::findProgramByName(name, dirs))
        return *p;
  }
  for (StringRef name : names)
    if (ErrorOr<std::string> p = sys::findProgramByName(name))
      return *p;
  return "";
}

namespace {
std::vector<StringRef> argv(StringRef program,
                            const std::vector<std::string> &args) {
  std::vector<StringRef> out{program};
  for (const std::string &a : args)
    out.push_back(a);
  return out;
}

Expected<std::string> readText(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return std::string();
  return (*buffer)->getBuffer().str();
}
} // namespace

Expected<std::vector<ToolRun>>
runProgramsInParallel(ArrayRef<ProgramInvocation> runs,
                      const TemporaryDirectory &scratch, StringRef tag) {
  std::vector<sys::ProcessInfo> processes;
  std::vector<std::string> logs;
  std::vector<std::vector<StringRef>> argvs;
  for (size_t i = 0; i < runs.size(); ++i) {
    logs.push_back(scratch.path((tag + "." + Twine(i) + ".log").str()));
    argvs.push_back(argv(runs[i].program, runs[i].args));
    std::optional<StringRef> redirects[] = {StringRef(""), StringRef(logs[i]),
                                            StringRef(logs[i])};
    std::string error;
    bool failed = false;
    processes.push_back(sys::ExecuteNoWait(runs[i].program, argvs[i],
                                           std::nullopt, redirects, 0, &error,
                                           &failed));
    if (failed) {
      for (sys::ProcessInfo &p : processes)
        if (p.Pid)
          sys::Wait(p, std::nullopt);
      return createStringError("cannot run %s: %s", runs[i].program.c_str(),
                               error.c_str());
    }
  }
  std::vector<ToolRun> results(runs.size());
  std::string crash;
  for (size_t i = 0; i < runs.size(); ++i) {
    std::string error;
    sys::ProcessInfo done =
        sys::Wait(processes[i], std::nullopt, &error);
    Expected<std::string> text = readText(logs[i]);
    results[i].output = text ? *text : std::string();
    results[i].exitCode = done.ReturnCode;
    if (done.ReturnCode < 0 && crash.empty())
      crash = runs[i].program + " did not finish (" +
              (error.empty() ? "crashed" : error) + ")";
  }
  if (!crash.empty())
    return createStringError("%s", crash.c_str());
  return results;
}

Expected<ToolRun> runProgram(StringRef program, ArrayRef<std::string> args,
                             const TemporaryDirectory &scratch, StringRef tag) {
  ProgramInvocation run{program.str(), args.vec()};
  Expected<std::vector<ToolRun>> results =
      runProgramsInParallel(run, scratch, tag);
  if (!results)
    return results.takeError();
  return std::move(results->front());
}

Expected<std::vector<uint8_t>> readBinaryFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read %s: %s",
                             path.str().c_str(),
                             buffer.getError().message().c_str());
  StringRef data = (*buffer)->getBuffer();
  return std::vector<uint8_t>(data.begin(), data.end());
}

Error writeBinaryFile(StringRef path, ArrayRef<uint8_t> bytes) {
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return createStringError(ec, "cannot write %s: %s", path.str().c_str(),
                             ec.message().c_str());
  os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write %s: %s",
                             path.str().c_str(), os.error().message().c_str());
  return Error::success();
}

} // namespace dlcc
